"use client";

import { useRouter } from "next/navigation";
import { useQuery } from "@tanstack/react-query";
import { createContext, useContext, useEffect, type ReactNode } from "react";

import { getPartnerSession } from "@/lib/api/partners";
import type { PartnerSession } from "@/lib/api/types";
import { toApiError } from "@/lib/apiClient";
import { partnerKeys } from "@/lib/query/keys";
import { Logo } from "@/components/Logo";
import { Button, Spinner } from "@/components/ui";

export const CONSOLE_HOME = "/partners";
export const CONSOLE_LOGIN = "/partners/login";

const PartnerSessionContext = createContext<PartnerSession | null>(null);

/** The signed-in reseller person, for components under the console's layout. */
export function usePartnerSession(): PartnerSession {
  const session = useContext(PartnerSessionContext);
  if (!session) throw new Error("usePartnerSession() is only available inside <PartnerSessionProvider>.");
  return session;
}

/** For tests and stories: a console page under a given session, without asking the API. */
export function PartnerSessionContextProvider({ session, children }: { session: PartnerSession; children: ReactNode }) {
  return <PartnerSessionContext.Provider value={session}>{children}</PartnerSessionContext.Provider>;
}

function Centered({ children }: { children: ReactNode }) {
  return <div className="flex min-h-dvh flex-col items-center justify-center gap-5 px-6 text-center">{children}</div>;
}

/**
 * Loads the console's session (GET /api/auth/user/ on the console's host) before any console page renders, and
 * sends people who are not signed in to /partners/login?next=<this page>. A convenience, not the boundary: every
 * console call is authorised by Django from the httpOnly cookies.
 */
export function PartnerSessionProvider({ children }: { children: ReactNode }) {
  const router = useRouter();
  // Asked again on every mount and never kept once the console is left (a login or logout follows).
  const session = useQuery({ queryKey: partnerKeys.session(), queryFn: getPartnerSession, gcTime: 0 });
  const error = session.error && !session.isFetching ? toApiError(session.error) : null;
  // 401: no (or an ended) session; 403: signed in, but no longer a member of this reseller.
  const mustLogIn = error !== null && (error.status === 401 || error.status === 403);
  useEffect(() => {
    if (!mustLogIn) return;
    const here = window.location.pathname + window.location.search;
    router.replace(`${CONSOLE_LOGIN}?next=${encodeURIComponent(here)}`);
  }, [mustLogIn, router]);

  if (error && !mustLogIn) {
    return (
      <Centered>
        <Logo />
        <p role="alert" className="max-w-md text-slate-700">
          {error.message}
        </p>
        <Button variant="secondary" onClick={() => window.location.reload()}>
          Try again
        </Button>
      </Centered>
    );
  }

  if (!session.data || mustLogIn) {
    return (
      <Centered>
        <Logo showName={false} />
        <p role="status" className="flex items-center gap-2 text-slate-600">
          <Spinner className="text-brand-700" /> Loading…
        </p>
      </Centered>
    );
  }

  return <PartnerSessionContext.Provider value={session.data}>{children}</PartnerSessionContext.Provider>;
}
