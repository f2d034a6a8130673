"use client";

import { useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { createContext, useContext, useEffect, type ReactNode } from "react";

import { Logo } from "@/components/Logo";
import { Button, Spinner } from "@/components/ui";
import { getStaffUser, type StaffUser } from "@/lib/api/platform";
import { toApiError } from "@/lib/apiClient";
import { staffKeys } from "@/lib/query/keys";
import { STAFF_LOGIN_PATH } from "./tabs";

const StaffSessionContext = createContext<StaffUser | null>(null);

/** The signed-in staff member, for components under <StaffSessionProvider>. */
export function useStaffUser(): StaffUser {
  const user = useContext(StaffSessionContext);
  if (!user) throw new Error("useStaffUser() is only available inside <StaffSessionProvider>.");
  return user;
}

function Centered({ children }: { children: ReactNode }) {
  return <div className="flex min-h-dvh flex-col items-center justify-center gap-5 px-6 text-center">{children}</div>;
}

/**
 * Loads the staff member before the console renders; without a staff session (401), or for someone who is no longer
 * staff (403), off to /staff/login?next=<this page>. A convenience, not the boundary: every call is authorised by
 * Django, and the session cookies are httpOnly.
 */
export function StaffSessionProvider({ children }: { children: ReactNode }) {
  const router = useRouter();
  const session = useQuery({ queryKey: staffKeys.session(), queryFn: getStaffUser, gcTime: 0 });
  const error = session.error && !session.isFetching ? toApiError(session.error) : null;
  const mustLogIn = error !== null && (error.status === 401 || error.status === 403);
  useEffect(() => {
    if (!mustLogIn) return;
    const here = window.location.pathname + window.location.search;
    router.replace(`${STAFF_LOGIN_PATH}?next=${encodeURIComponent(here)}`);
  }, [mustLogIn, router]);

  if (error && !mustLogIn) {
    return (
      <Centered>
        <Logo />
        <p role="alert" className="max-w-md text-slate-700">
          {error.message}
        </p>
        <Button variant="secondary" onClick={() => void session.refetch()}>
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
  return <StaffSessionContext.Provider value={session.data}>{children}</StaffSessionContext.Provider>;
}
