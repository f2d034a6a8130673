"use client";

import { useState } from "react";

import { partnerLogin } from "@/lib/api/partners";
import { safeNextPath } from "@/lib/navigation";
import { useApiForm } from "@/hooks/useApiForm";
import { Alert, Button, TextField } from "@/components/ui";
import { CONSOLE_HOME } from "./PartnerSessionProvider";

/**
 * Email and password on the console's host. Someone on the team of several resellers may name one (its short
 * name); otherwise the first is chosen. A wrong password and "not a reseller's person" answer alike (invalid_login).
 */
export function PartnerLoginForm({ next }: { next: string }) {
  const [several, setSeveral] = useState(false);
  const form = useApiForm({
    initial: { email: "", password: "", reseller: "" },
    // An empty short name is left out: the API reads a missing one as "any of mine".
    submit: ({ reseller, ...credentials }) => partnerLogin(reseller.trim() ? { ...credentials, reseller: reseller.trim() } : credentials),
    // A full navigation, so the console starts from the new session. `next` is checked again where it is used.
    onSuccess: () => window.location.assign(safeNextPath(next, CONSOLE_HOME)),
    busyAfterSuccess: true,
  });

  return (
    <form onSubmit={form.onSubmit} className="space-y-4" noValidate aria-label="Log in to the partner console">
      {form.generalError ? <Alert>{form.generalError}</Alert> : null}
      <TextField label="Email" type="email" name="email" autoComplete="email" required {...form.bind("email")} />
      <TextField label="Password" type="password" name="password" autoComplete="current-password" required {...form.bind("password")} />
      {several ? (
        <TextField
          label="Reseller's short name"
          name="reseller"
          autoComplete="organization"
          spellCheck={false}
          {...form.bind("reseller")}
          hint="Only if you work for several resellers: the one to sign in to."
        />
      ) : (
        <p className="text-right text-sm">
          <button type="button" className="font-medium text-brand-700 hover:underline" onClick={() => setSeveral(true)}>
            On the team of several resellers?
          </button>
        </p>
      )}
      <Button type="submit" loading={form.submitting} className="w-full">
        Log in
      </Button>
    </form>
  );
}
