"use client";

import Link from "next/link";
import { useEffect, useId, useRef, useState } from "react";

import { logout } from "@/lib/api/auth";
import { RoleBadge } from "@/components/team/RoleBadge";
import { Button, cx } from "@/components/ui";
import { useSession } from "./SessionProvider";

function initials(email: string, firstName = "", lastName = ""): string {
  const fromName = `${firstName.charAt(0)}${lastName.charAt(0)}`.trim();
  return (fromName || email.charAt(0)).toUpperCase();
}

/**
 * The member's email and role, and Log out. A disclosure (button + panel), closed by Escape or a
 * click outside; focus goes back to the button on Escape.
 */
export function UserMenu({ placement = "down", compact = false }: { placement?: "up" | "down"; compact?: boolean }) {
  const { user } = useSession();
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
      await logout();
    } catch {
      // Even if the server call failed, leave: the login page will show whether the session is gone.
    }
    // A full page load on purpose: no state of the old session survives in memory.
    // eslint-disable-next-line @next/next/no-location-assign-relative-destination
    window.location.assign("/login");
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
          {initials(user.email, user.first_name, user.last_name)}
        </span>
        <span className={compact ? "sr-only" : "min-w-0 flex-1"}>
          <span className="sr-only">Account menu for </span>
          <span className="block truncate text-sm font-medium text-slate-800">{user.email}</span>
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
            {user.first_name || user.last_name ? (
              <p className="truncate text-sm font-medium text-slate-900">
                {user.first_name} {user.last_name}
              </p>
            ) : null}
            <p className="truncate text-sm text-slate-600" data-testid="user-email">
              {user.email}
            </p>
            <p className="mt-2 flex items-center gap-2 text-xs text-slate-500">
              Role: <RoleBadge role={user.role} />
            </p>
          </div>
          <div className="space-y-1 pt-2">
            <Link
              href="/settings#account"
              onClick={() => setOpen(false)}
              className="block rounded-lg px-2 py-1.5 text-sm text-slate-700 hover:bg-slate-100"
            >
              Account settings
            </Link>
            <Button variant="ghost" size="sm" className="w-full justify-start px-2" loading={loggingOut} onClick={onLogout}>
              Log out
            </Button>
          </div>
        </div>
      ) : null}
    </div>
  );
}
