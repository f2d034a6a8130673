"use client";

import Link from "next/link";
import { useState } from "react";

import { handoff } from "@/lib/api/auth";
import { toApiError } from "@/lib/apiClient";
import { Alert, Button, buttonClasses } from "@/components/ui";

/**
 * Lands a new owner signed in: signup's login_url points here with a single-use token, which is
 * traded for this host's auth cookies.
 *
 * Only on a click, never on load: otherwise anyone could send their own signup link to a victim (or
 * open it in a hidden frame) and silently sign them into the attacker's business (login CSRF). The
 * button names the business, so the person sees whose account they are entering.
 */
export function WelcomeHandoff({ token, businessName, entering = false }: { token: string | undefined; businessName: string | undefined; entering?: boolean }) {
  const [error, setError] = useState<string | null>(token ? null : "This sign-in link is incomplete.");
  const [submitting, setSubmitting] = useState(false);

  async function onContinue() {
    if (!token || submitting) return; // the token works once
    setSubmitting(true);
    try {
      await handoff(token);
      window.location.replace("/dashboard");
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
        <Link href="/login" className={buttonClasses("primary", "md", "w-full")}>
          Go to login
        </Link>
      </div>
    );
  }

  return (
    <div className="space-y-4">
      <p className="text-sm text-slate-600">
        {entering
          ? "You're entering as your reseller's staff. The business sees this in its team activity, and its owner can turn your access off."
          : "Only continue if you just created this business yourself."}
      </p>
      <Button type="button" loading={submitting} className="w-full" onClick={onContinue}>
        {businessName ? `Continue to ${businessName}` : "Continue to your business"}
      </Button>
    </div>
  );
}
