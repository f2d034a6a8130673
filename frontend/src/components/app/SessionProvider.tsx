"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { createContext, useContext, useEffect, useState, type ReactNode } from "react";

import { getCurrentUser } from "@/lib/api/auth";
import type { User } from "@/lib/api/types";
import { toApiError } from "@/lib/apiClient";
import { Logo } from "@/components/Logo";
import { Button, buttonClasses, Spinner } from "@/components/ui";

interface Session {
  user: User;
}

const SessionContext = createContext<Session | null>(null);

/** The logged-in member, for components under the app layout. */
export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error("useSession() is only available inside <SessionProvider>.");
  return session;
}

type State = { status: "loading" } | { status: "ready"; user: User } | { status: "failed"; message: string; notHere: boolean };

function Centered({ children }: { children: ReactNode }) {
  return <div className="flex min-h-dvh flex-col items-center justify-center gap-5 px-6 text-center">{children}</div>;
}

/**
 * Loads the current member before any app page renders, and sends visitors who are not logged in to
 * /login?next=<this page>. This is a convenience for people, not the security boundary: every API
 * call is authorised by Django, and the auth cookies are httpOnly, so only the API can tell who is
 * logged in.
 */
export function SessionProvider({ children }: { children: ReactNode }) {
  const router = useRouter();
  const [state, setState] = useState<State>({ status: "loading" });

  useEffect(() => {
    let cancelled = false;
    getCurrentUser()
      .then((user) => {
        if (!cancelled) setState({ status: "ready", user });
      })
      .catch((err: unknown) => {
        if (cancelled) return;
        const error = toApiError(err);
        if (error.status === 401 || error.status === 403) {
          const here = window.location.pathname + window.location.search + window.location.hash;
          router.replace(`/login?next=${encodeURIComponent(here)}`);
          return;
        }
        // 404: the public site (or an unknown subdomain) has no app pages.
        setState({ status: "failed", message: error.message, notHere: error.status === 404 });
      });
    return () => {
      cancelled = true;
    };
  }, [router]);

  if (state.status === "loading") {
    return (
      <Centered>
        <Logo showName={false} />
        <p role="status" className="flex items-center gap-2 text-slate-600">
          <Spinner className="text-brand-700" /> Loading…
        </p>
      </Centered>
    );
  }

  if (state.status === "failed") {
    return (
      <Centered>
        <Logo />
        {state.notHere ? (
          <>
            <p className="max-w-md text-slate-700">The app lives on your business&apos;s own address.</p>
            <Link href="/login" className={buttonClasses("primary")}>
              Find your business
            </Link>
          </>
        ) : (
          <>
            <p role="alert" className="max-w-md text-slate-700">
              {state.message}
            </p>
            <Button variant="secondary" onClick={() => window.location.reload()}>
              Try again
            </Button>
          </>
        )}
      </Centered>
    );
  }

  return <SessionContext.Provider value={{ user: state.user }}>{children}</SessionContext.Provider>;
}
