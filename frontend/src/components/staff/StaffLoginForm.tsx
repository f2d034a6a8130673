"use client";

import { Alert, Button, TextField } from "@/components/ui";
import { useApiForm } from "@/hooks/useApiForm";
import { staffLogin } from "@/lib/api/platform";
import { safeNextPath } from "@/lib/navigation";
import { STAFF_HOME } from "./tabs";

/**
 * Platform staff sign in on the public site. Anyone who is not staff gets the same "email or password is not
 * correct" as a wrong password (and a throttled client the envelope's 429 message), shown above the form.
 */
export function StaffLoginForm({ next }: { next: string }) {
  const form = useApiForm({
    initial: { email: "", password: "" },
    submit: staffLogin,
    // A full navigation, so the console starts from the new session; `next` is checked again where it navigates.
    onSuccess: () => window.location.assign(safeNextPath(next, STAFF_HOME)),
    busyAfterSuccess: true,
  });

  return (
    <form onSubmit={form.onSubmit} className="space-y-4" noValidate>
      {form.generalError ? <Alert>{form.generalError}</Alert> : null}
      <TextField label="Email" type="email" name="email" autoComplete="username" required {...form.bind("email")} />
      <TextField
        label="Password"
        type="password"
        name="password"
        autoComplete="current-password"
        required
        {...form.bind("password")}
      />
      <Button type="submit" loading={form.submitting} className="w-full">
        Sign in to the staff console
      </Button>
    </form>
  );
}
