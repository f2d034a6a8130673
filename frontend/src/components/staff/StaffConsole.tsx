"use client";

import Link from "next/link";
import { useState } from "react";

import { Logo } from "@/components/Logo";
import { Badge, Button, cx } from "@/components/ui";
import { staffLogout } from "@/lib/api/platform";
import { BusinessesTab } from "./BusinessesTab";
import { FailedJobsTab } from "./FailedJobsTab";
import { ResellersTab } from "./ResellersTab";
import { useStaffUser } from "./StaffSession";
import { STAFF_LOGIN_PATH, STAFF_TABS, type StaffTab } from "./tabs";
import { WebhooksTab } from "./WebhooksTab";

function StaffUserMenu() {
  const user = useStaffUser();
  const [leaving, setLeaving] = useState(false);
  async function onLogout() {
    setLeaving(true);
    try {
      await staffLogout();
    } catch {
      // Leave anyway: the sign-in page shows whether the session is gone.
    }
    window.location.assign(STAFF_LOGIN_PATH);
  }
  return (
    <div className="flex items-center gap-3">
      <span className="text-sm text-slate-600" data-testid="staff-email">
        {user.email}
      </span>
      <Button variant="secondary" size="sm" loading={leaving} onClick={onLogout}>
        Log out
      </Button>
    </div>
  );
}

/**
 * The platform staff console (public host): a header with who is signed in, one tab per list. Tabs are links
 * (`/staff?tab=…`), so a view can be bookmarked and shared among staff.
 */
export function StaffConsole({ tab, reseller }: { tab: StaffTab; reseller?: string }) {
  const current = STAFF_TABS.find((t) => t.value === tab)!;
  return (
    <div className="min-h-dvh bg-slate-50">
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-6xl flex-wrap items-center justify-between gap-3 px-4 py-3 sm:px-6">
          <div className="flex items-center gap-3">
            <Link href="/staff" aria-label="Staff console">
              <Logo />
            </Link>
            <Badge tone="amber">Platform staff</Badge>
          </div>
          <StaffUserMenu />
        </div>
        <nav aria-label="Staff console" className="mx-auto flex max-w-6xl gap-1 overflow-x-auto px-4 sm:px-6">
          {STAFF_TABS.map((t) => (
            <Link
              key={t.value}
              href={`/staff?tab=${t.value}`}
              aria-current={t.value === tab ? "page" : undefined}
              className={cx(
                "whitespace-nowrap border-b-2 px-3 py-2 text-sm font-medium",
                t.value === tab ? "border-brand-700 text-brand-800" : "border-transparent text-slate-600 hover:text-slate-900",
              )}
            >
              {t.label}
            </Link>
          ))}
        </nav>
      </header>
      <main id="main" className="mx-auto max-w-6xl px-4 py-6 sm:px-6 md:py-8">
        <div className="mb-6">
          <h1 className="text-2xl font-semibold tracking-tight text-slate-900">{current.label}</h1>
          <p className="mt-1 text-sm text-slate-600">{current.description}</p>
        </div>
        {tab === "businesses" ? <BusinessesTab key={reseller ?? ""} reseller={reseller} /> : null}
        {tab === "resellers" ? <ResellersTab /> : null}
        {tab === "webhooks" ? <WebhooksTab /> : null}
        {tab === "failed-jobs" ? <FailedJobsTab /> : null}
      </main>
    </div>
  );
}
