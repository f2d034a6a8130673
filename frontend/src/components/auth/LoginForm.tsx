"use client";

import Link from "next/link";
import { useState, type FormEvent } from "react";

import { login } from "@/lib/api/auth";
import { ApiError, toApiError } from "@/lib/apiClient";
import { safeNextPath } from "@/lib/navigation";
import { Alert, Button, TextField } from "@/components/ui";

/** Email + password on a business's own host. Any envelope error (wrong password, throttled) shows above the form. */
export function LoginForm({ next }: { next: string }) {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<ApiError | null>(null);
  const [submitting, setSubmitting] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSubmitting(true);
    setError(null);
    try {
      await login({ email, password });
      // A full navigation, so every part of the app starts from the new session. `next` was checked on
      // the server already; checked again here because this is where it becomes a navigation.
      window.location.assign(safeNextPath(next));
    } catch (err) {
      setError(toApiError(err));
      setSubmitting(false);
    }
  }

  return (
    <form onSubmit={onSubmit} className="space-y-4" noValidate>
      {error && !error.fieldError("email") && !error.fieldError("password") ? <Alert>{error.message}</Alert> : null}
      <TextField
        label="Email"
        type="email"
        name="email"
        autoComplete="email"
        required
        value={email}
        onChange={(event) => setEmail(event.target.value)}
        error={error?.fieldError("email")}
      />
      <TextField
        label="Password"
        type="password"
        name="password"
        autoComplete="current-password"
        required
        value={password}
        onChange={(event) => setPassword(event.target.value)}
        error={error?.fieldError("password")}
      />
      <p className="text-right text-sm">
        <Link href="/reset-password" className="font-medium text-brand-700 hover:underline">
          Forgot your password?
        </Link>
      </p>
      <Button type="submit" loading={submitting} className="w-full">
        Log in
      </Button>
    </form>
  );
}
