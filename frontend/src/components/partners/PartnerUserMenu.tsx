"use client";

import { useEffect, useId, useRef, useState } from "react";

import { partnerLogout } from "@/lib/api/partners";
import { Button, cx } from "@/components/ui";
import { PartnerRoleBadge } from "./PartnerRoleBadge";
import { CONSOLE_LOGIN, usePartnerSession } from "./PartnerSessionProvider";

function initials(email: string, firstName = "", lastName = ""): string {
  const fromName = `${firstName.charAt(0)}${lastName.charAt(0)}`.trim();
  return (fromName || email.charAt(0)).toUpperCase();
}

/**
 * The person's email, reseller and role, and Log out. A disclosure like the business app's UserMenu: closed by
 * Escape (focus back on the button) or a click outside.
 */
export function PartnerUserMenu({ placement = "down", compact = false }: { placement?: "up" | "down"; compact?: boolean }) {
  const session = usePartnerSession();
  const [open, setOpen] = useState(false);
  const [loggingOut, setLoggingOut] = useState(false);
  const panelId = useId();
  const rootRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) return;
    const onPointerDown = (event: PointerEvent) => {
      if (!rootRef.current?.contains(event.target as Node)) setOpen(false);
    };
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key === "Escape") {
        setOpen(false);
        buttonRef.current?.focus();
      }
    };
    document.addEventListener("pointerdown", onPointerDown);
    document.addEventListener("keydown", onKeyDown);
    return () => {
      document.removeEventListener("pointerdown", onPointerDown);
      document.removeEventListener("keydown", onKeyDown);
    };
  }, [open]);

  async function onLogout() {
    setLoggingOut(true);
    try {
      await partnerLogout();
    } catch {
      // Leave anyway: the login page shows whether the session is gone.
    }
    // A full page load on purpose: nothing of the old session survives in memory.
    window.location.assign(CONSOLE_LOGIN);
  }

  return (
    <div ref={rootRef} className="relative">
      <button
        ref={buttonRef}
        type="button"
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen((value) => !value)}
        className={cx("flex items-center gap-3 rounded-lg p-2 text-left hover:bg-slate-100", compact ? "" : "w-full")}
      >
        <span aria-hidden="true" className="grid size-8 shrink-0 place-items-center rounded-full bg-brand-100 text-sm font-semibold text-brand-800">
          {initials(session.email, session.first_name, session.last_name)}
        </span>
        <span className={compact ? "sr-only" : "min-w-0 flex-1"}>
          <span className="sr-only">Account menu for </span>
          <span className="block truncate text-sm font-medium text-slate-800">{session.email}</span>
        </span>
      </button>
      {open ? (
        <div
          id={panelId}
          className={cx(
            "absolute right-0 z-30 w-64 rounded-xl border border-slate-200 bg-white p-3 shadow-lg",
            placement === "up" ? "bottom-full mb-2" : "top-full mt-2",
          )}
        >
          <div className="border-b border-slate-100 pb-3">
            {session.first_name || session.last_name ? (
              <p className="truncate text-sm font-medium text-slate-900">
                {session.first_name} {session.last_name}
              </p>
            ) : null}
            <p className="truncate text-sm text-slate-600" data-testid="user-email">
              {session.email}
            </p>
            <p className="mt-2 truncate text-sm text-slate-700">{session.reseller.name}</p>
            <p className="mt-1 flex items-center gap-2 text-xs text-slate-500">
              Role: <PartnerRoleBadge role={session.role} />
            </p>
          </div>
          <div className="pt-2">
            <Button variant="ghost" size="sm" className="w-full justify-start px-2" loading={loggingOut} onClick={onLogout}>
              Log out
            </Button>
          </div>
        </div>
      ) : null}
    </div>
  );
}
