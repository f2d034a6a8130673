"use client";

import Link from "next/link";
import { useState, type FormEvent } from "react";

import { confirmPasswordReset, requestPasswordReset } from "@/lib/api/auth";
import { toApiError, type ApiError } from "@/lib/apiClient";
import { Alert, Button, buttonClasses, TextField } from "@/components/ui";

/** Step 1: ask for a reset link. The answer is the same whether or not the email is a member. */
export function ResetRequestForm() {
  const [email, setEmail] = useState("");
  const [error, setError] = useState<ApiError | null>(null);
  const [sent, setSent] = useState(false);
  const [submitting, setSubmitting] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSubmitting(true);
    setError(null);
    try {
      await requestPasswordReset({ email });
      setSent(true);
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setSubmitting(false);
    }
  }

  if (sent) {
    return (
      <div className="space-y-4">
        <Alert tone="success">
          If <strong>{email}</strong> belongs to a member of this business, a link to choose a new password is on its
          way.
        </Alert>
        <Link href="/login" className={buttonClasses("secondary", "md", "w-full")}>
          Back to login
        </Link>
      </div>
    );
  }

  return (
    <form onSubmit={onSubmit} className="space-y-4" noValidate>
      {error && !error.fieldError("email") ? <Alert>{error.message}</Alert> : null}
      <TextField
        label="Email"
        type="email"
        autoComplete="email"
        required
        value={email}
        onChange={(event) => setEmail(event.target.value)}
        error={error?.fieldError("email")}
      />
      <Button type="submit" loading={submitting} className="w-full">
        Send reset link
      </Button>
    </form>
  );
}

/** Step 2, from the emailed link: choose the new password. */
export function ResetConfirmForm({ uid, token }: { uid: string; token: string }) {
  const [password1, setPassword1] = useState("");
  const [password2, setPassword2] = useState("");
  const [error, setError] = useState<ApiError | null>(null);
  const [done, setDone] = useState(false);
  const [submitting, setSubmitting] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSubmitting(true);
    setError(null);
    try {
      await confirmPasswordReset({ uid, token, new_password1: password1, new_password2: password2 });
      setDone(true);
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setSubmitting(false);
    }
  }

  if (done) {
    return (
      <div className="space-y-4">
        <Alert tone="success">Your password has been changed. You can log in with it now.</Alert>
        <Link href="/login" className={buttonClasses("primary", "md", "w-full")}>
          Log in
        </Link>
      </div>
    );
  }

  // uid/token errors mean the link itself is bad; they have no input to sit under.
  const linkProblem = error?.fieldError("token") ?? error?.fieldError("uid");
  const generalError =
    error && !error.fieldError("new_password1") && !error.fieldError("new_password2") ? linkProblem ?? error.message : null;

  return (
    <form onSubmit={onSubmit} className="space-y-4" noValidate>
      {generalError ? (
        <Alert>
          {generalError}{" "}
          {linkProblem ? (
            <Link href="/reset-password" className="font-medium underline">
              Ask for a new link
            </Link>
          ) : null}
        </Alert>
      ) : null}
      <TextField
        label="New password"
        type="password"
        autoComplete="new-password"
        required
        value={password1}
        onChange={(event) => setPassword1(event.target.value)}
        error={error?.fieldError("new_password1")}
        hint="At least 10 characters; not a common password."
      />
      <TextField
        label="Repeat the new password"
        type="password"
        autoComplete="new-password"
        required
        value={password2}
        onChange={(event) => setPassword2(event.target.value)}
        error={error?.fieldError("new_password2")}
      />
      <Button type="submit" loading={submitting} className="w-full">
        Set new password
      </Button>
    </form>
  );
}
