"use client";

import { changePassword } from "@/lib/api/auth";
import type { PasswordChange } from "@/lib/api/types";
import { useApiForm } from "@/hooks/useApiForm";
import { Alert, Button, TextField } from "@/components/ui";

const EMPTY: PasswordChange = { old_password: "", new_password1: "", new_password2: "" };

/** Other devices are signed out by the backend; this browser gets fresh cookies and stays in. */
export function PasswordChangeForm() {
  const form = useApiForm({ initial: EMPTY, submit: changePassword, onSuccess: (_result, { reset }) => reset() });

  return (
    <form onSubmit={form.onSubmit} noValidate aria-label="Change password" className="max-w-md space-y-4">
      {form.generalError ? <Alert>{form.generalError}</Alert> : null}
      {form.done ? <Alert tone="success">Your password has been changed.</Alert> : null}
      <TextField label="Current password" type="password" autoComplete="current-password" required {...form.bind("old_password")} />
      <TextField
        label="New password"
        type="password"
        autoComplete="new-password"
        required
        hint="At least 10 characters; not a common password."
        {...form.bind("new_password1")}
      />
      <TextField label="Repeat the new password" type="password" autoComplete="new-password" required {...form.bind("new_password2")} />
      <Button type="submit" loading={form.submitting}>
        Change password
      </Button>
    </form>
  );
}
