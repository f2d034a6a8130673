"use client";

import Link from "next/link";

import { confirmPasswordReset, requestPasswordReset } from "@/lib/api/auth";
import { useFragmentParams } from "@/lib/fragment";
import { useApiForm } from "@/hooks/useApiForm";
import { AuthCard } from "@/components/auth/AuthCard";
import { Alert, Button, buttonClasses, Spinner, TextField } from "@/components/ui";

/**
 * The reset page on a business's host. The mailed link carries `#uid=…&token=…` in its fragment, which
 * only the browser sees (never access logs); `query` holds `?uid=&token=` of links mailed before that.
 * Without a link: ask for one.
 */
export function ResetPassword({ query }: { query?: { uid?: string; token?: string } }) {
  const fragment = useFragmentParams(); // null until hydrated: the server never sees the fragment
  if (fragment === null) {
    return (
      <AuthCard title="Reset your password">
        <p role="status" className="flex items-center gap-3 text-slate-700">
          <Spinner className="text-brand-700" /> Opening your link…
        </p>
      </AuthCard>
    );
  }
  const uid = fragment.get("uid") || query?.uid;
  const token = fragment.get("token") || query?.token;
  if (uid && token) {
    return (
      <AuthCard title="Choose a new password">
        <ResetConfirmForm uid={uid} token={token} />
      </AuthCard>
    );
  }
  return (
    <AuthCard title="Reset your password" subtitle="We'll email you a link to choose a new one.">
      <ResetRequestForm />
    </AuthCard>
  );
}

/** Step 1: ask for a reset link. The answer is the same whether or not the email is a member. */
export function ResetRequestForm() {
  const form = useApiForm({ initial: { email: "" }, submit: requestPasswordReset });

  if (form.done) {
    return (
      <div className="space-y-4">
        <Alert tone="success">
          If <strong>{form.values.email}</strong> belongs to a member of this business (or someone invited to it), a link to choose
          a new password is on its way.
        </Alert>
        <Link href="/login" className={buttonClasses("secondary", "md", "w-full")}>
          Back to login
        </Link>
      </div>
    );
  }

  return (
    <form onSubmit={form.onSubmit} className="space-y-4" noValidate>
      {form.generalError ? <Alert>{form.generalError}</Alert> : null}
      <TextField
        label="Email"
        type="email"
        autoComplete="email"
        required
        {...form.bind("email")}
      />
      <Button type="submit" loading={form.submitting} className="w-full">
        Send reset link
      </Button>
    </form>
  );
}

/** Step 2, from the emailed link: choose the new password. Every other session then ends. */
export function ResetConfirmForm({ uid, token }: { uid: string; token: string }) {
  const form = useApiForm({
    initial: { new_password1: "", new_password2: "" },
    submit: (passwords) => confirmPasswordReset({ uid, token, ...passwords }),
  });

  if (form.done) {
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
  const linkProblem = form.fieldError("token") ?? form.fieldError("uid");
  const generalError = form.generalError === null ? null : (linkProblem ?? form.generalError);

  return (
    <form onSubmit={form.onSubmit} className="space-y-4" noValidate>
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
        {...form.bind("new_password1")}
        hint="At least 10 characters; not a common password."
      />
      <TextField
        label="Repeat the new password"
        type="password"
        autoComplete="new-password"
        required
        {...form.bind("new_password2")}
      />
      <Button type="submit" loading={form.submitting} className="w-full">
        Set new password
      </Button>
    </form>
  );
}
