"use client";

import { useState, type FormEvent } from "react";

import { changePassword } from "@/lib/api/auth";
import { toApiError, type ApiError } from "@/lib/apiClient";
import { Alert, Button, TextField } from "@/components/ui";

const FIELDS = ["old_password", "new_password1", "new_password2"] as const;

/** Other devices are signed out by the backend; this browser gets fresh cookies and stays in. */
export function PasswordChangeForm() {
  const [values, setValues] = useState<Record<(typeof FIELDS)[number], string>>({
    old_password: "",
    new_password1: "",
    new_password2: "",
  });
  const [error, setError] = useState<ApiError | null>(null);
  const [done, setDone] = useState(false);
  const [submitting, setSubmitting] = useState(false);

  const bind = (field: (typeof FIELDS)[number]) => ({
    value: values[field],
    onChange: (event: { target: { value: string } }) => setValues((v) => ({ ...v, [field]: event.target.value })),
    error: error?.fieldError(field),
  });

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSubmitting(true);
    setError(null);
    setDone(false);
    try {
      await changePassword(values);
      setDone(true);
      setValues({ old_password: "", new_password1: "", new_password2: "" });
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setSubmitting(false);
    }
  }

  const generalError = error && !FIELDS.some((field) => error.fieldError(field)) ? error.message : null;

  return (
    <form onSubmit={onSubmit} noValidate aria-label="Change password" className="max-w-md space-y-4">
      {generalError ? <Alert>{generalError}</Alert> : null}
      {done ? <Alert tone="success">Your password has been changed.</Alert> : null}
      <TextField label="Current password" type="password" autoComplete="current-password" required {...bind("old_password")} />
      <TextField
        label="New password"
        type="password"
        autoComplete="new-password"
        required
        hint="At least 10 characters; not a common password."
        {...bind("new_password1")}
      />
      <TextField label="Repeat the new password" type="password" autoComplete="new-password" required {...bind("new_password2")} />
      <Button type="submit" loading={submitting}>
        Change password
      </Button>
    </form>
  );
}
