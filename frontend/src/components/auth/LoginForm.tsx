"use client";

import Link from "next/link";

import { login } from "@/lib/api/auth";
import { safeNextPath } from "@/lib/navigation";
import { useApiForm } from "@/hooks/useApiForm";
import { Alert, Button, TextField } from "@/components/ui";

/** Email + password on a business's own host. Any envelope error (wrong password, throttled) shows above the form. */
export function LoginForm({ next }: { next: string }) {
  const form = useApiForm({
    initial: { email: "", password: "" },
    submit: login,
    // A full navigation, so every part of the app starts from the new session. `next` was checked on
    // the server already; checked again here because this is where it becomes a navigation.
    onSuccess: () => window.location.assign(safeNextPath(next)),
    busyAfterSuccess: true,
  });

  return (
    <form onSubmit={form.onSubmit} className="space-y-4" noValidate>
      {form.generalError ? <Alert>{form.generalError}</Alert> : null}
      <TextField
        label="Email"
        type="email"
        name="email"
        autoComplete="email"
        required
        {...form.bind("email")}
      />
      <TextField
        label="Password"
        type="password"
        name="password"
        autoComplete="current-password"
        required
        {...form.bind("password")}
      />
      <p className="text-right text-sm">
        <Link href="/reset-password" className="font-medium text-brand-700 hover:underline">
          Forgot your password?
        </Link>
      </p>
      <Button type="submit" loading={form.submitting} className="w-full">
        Log in
      </Button>
    </form>
  );
}
