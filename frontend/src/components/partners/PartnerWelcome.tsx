"use client";

import Link from "next/link";
import { useState } from "react";

import { partnerHandoff } from "@/lib/api/partners";
import { toApiError } from "@/lib/apiClient";
import { Alert, Button, buttonClasses } from "@/components/ui";
import { CONSOLE_HOME, CONSOLE_LOGIN } from "./PartnerSessionProvider";

/**
 * Lands a new reseller's admin signed in: reseller signup's login_url points here with a single-use token, traded
 * for the console's cookies. Only on a click, never on load (as on a business's /welcome): otherwise anyone could
 * send their own signup link to a victim and silently sign them into the attacker's console (login CSRF).
 */
export function PartnerWelcome({ token }: { token: string | undefined }) {
  const [error, setError] = useState<string | null>(token ? null : "This sign-in link is incomplete.");
  const [submitting, setSubmitting] = useState(false);

  async function onContinue() {
    if (!token || submitting) return; // the token works once
    setSubmitting(true);
    try {
      await partnerHandoff(token);
      window.location.replace(CONSOLE_HOME);
    } catch (err) {
      setError(toApiError(err).message);
      setSubmitting(false);
    }
  }

  if (error) {
    return (
      <div className="space-y-4">
        <Alert>{error}</Alert>
        <p className="text-sm text-slate-600">
          Sign-in links work once and expire after a few minutes. You can still log in with your email and password.
        </p>
        <Link href={CONSOLE_LOGIN} className={buttonClasses("primary", "md", "w-full")}>
          Go to login
        </Link>
      </div>
    );
  }

  return (
    <div className="space-y-4">
      <p className="text-sm text-slate-600">Only continue if you just signed up as a reseller yourself.</p>
      <Button type="button" loading={submitting} className="w-full" onClick={onContinue}>
        Continue to your partner console
      </Button>
    </div>
  );
}
