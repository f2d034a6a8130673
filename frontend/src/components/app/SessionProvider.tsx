"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useQuery } from "@tanstack/react-query";
import { createContext, useContext, useEffect, type ReactNode } from "react";

import { getCurrentUser } from "@/lib/api/auth";
import type { User } from "@/lib/api/types";
import { toApiError } from "@/lib/apiClient";
import { sessionKeys } from "@/lib/query/keys";
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
  // Asked again on every mount and never kept once the app layout is left (a login or logout follows).
  const session = useQuery({ queryKey: sessionKeys.user(), queryFn: getCurrentUser, gcTime: 0 });
  const error = session.error && !session.isFetching ? toApiError(session.error) : null;
  // 401/403: not logged in here. Off to /login, back to this page afterwards.
  const mustLogIn = error !== null && (error.status === 401 || error.status === 403);
  useEffect(() => {
    if (!mustLogIn) return;
    const here = window.location.pathname + window.location.search + window.location.hash;
    router.replace(`/login?next=${encodeURIComponent(here)}`);
  }, [mustLogIn, router]);

  // A session that belongs to no business: the partner console answers its own at this path. Its host's "/"
  // knows where its pages are (the console's businesses).
  const foreign = session.data !== undefined && !session.data.tenant;
  useEffect(() => {
    if (foreign) window.location.replace("/");
  }, [foreign]);

  // 404: the public site (or an unknown subdomain) has no app pages.
  const state: State = error
    ? mustLogIn
      ? { status: "loading" }
      : { status: "failed", message: error.message, notHere: error.status === 404 }
    : session.data && !foreign
      ? { status: "ready", user: session.data }
      : { status: "loading" };

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
