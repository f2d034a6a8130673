"use client";

import Link from "next/link";
import { useEffect, useRef, useState } from "react";

import { handoff } from "@/lib/api/auth";
import { toApiError } from "@/lib/apiClient";
import { Alert, buttonClasses, Spinner } from "@/components/ui";

/**
 * Lands a new owner signed in: signup's login_url points here with a single-use token, which is
 * traded for this host's auth cookies.
 */
export function WelcomeHandoff({ token }: { token: string | undefined }) {
  const [error, setError] = useState<string | null>(token ? null : "This sign-in link is incomplete.");
  // The token works once. React's dev-mode double effect must not spend it twice.
  const started = useRef(false);

  useEffect(() => {
    if (!token || started.current) return;
    started.current = true;
    handoff(token)
      .then(() => window.location.replace("/dashboard"))
      .catch((err: unknown) => setError(toApiError(err).message));
  }, [token]);

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
    <p role="status" className="flex items-center gap-3 text-slate-700">
      <Spinner className="text-brand-700" /> Signing you in…
    </p>
  );
}
