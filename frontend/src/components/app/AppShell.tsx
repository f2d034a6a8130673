"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { useId, useState, type ReactNode } from "react";

import { CloseIcon, MenuIcon } from "@/components/icons";
import { Logo } from "@/components/Logo";
import { BillingBanners } from "@/components/settings/billing/BillingBanners";
import { BILLING_PATH } from "@/components/settings/billing/format";
import { DeletionBanner } from "@/components/settings/data/DeletionBanner";
import { isActive, isWidePage } from "./nav";
import { NavLinks } from "./NavLinks";
import { useSession } from "./SessionProvider";
import { UserMenu } from "./UserMenu";

function TenantName({ className }: { className?: string }) {
  const { user } = useSession();
  return (
    <div className={className}>
      <p className="text-xs font-medium uppercase tracking-wide text-slate-400">Business</p>
      <p className="truncate text-sm font-semibold text-slate-900" data-testid="tenant-name">
        {user.tenant.name}
      </p>
    </div>
  );
}

/**
 * The app's frame: a fixed sidebar on md+ screens; below that a top bar whose menu button opens the
 * same navigation.
 */
export function AppShell({ children }: { children: ReactNode }) {
  const [mobileNavOpen, setMobileNavOpen] = useState(false);
  const mobileNavId = useId();
  const pathname = usePathname();
  const wide = isWidePage(pathname);
  const { user } = useSession();

  return (
    <div className="min-h-dvh">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:fixed focus:left-3 focus:top-3 focus:z-50 focus:rounded-lg focus:bg-white focus:px-3 focus:py-2 focus:shadow"
      >
        Skip to content
      </a>

      {/* Sidebar, md and up */}
      <aside className="fixed inset-y-0 left-0 z-20 hidden w-64 flex-col border-r border-slate-200 bg-white md:flex">
        <div className="px-5 pb-4 pt-5">
          <Link href="/dashboard" aria-label="Dashboard">
            <Logo />
          </Link>
          <TenantName className="mt-5 rounded-lg bg-slate-50 px-3 py-2" />
        </div>
        <nav aria-label="Main" className="flex-1 overflow-y-auto px-3">
          <NavLinks />
        </nav>
        <div className="border-t border-slate-200 p-3">
          <UserMenu placement="up" />
        </div>
      </aside>

      {/* Top bar, below md */}
      <header className="sticky top-0 z-20 border-b border-slate-200 bg-white md:hidden">
        <div className="flex items-center gap-2 px-3 py-2">
          <button
            type="button"
            aria-expanded={mobileNavOpen}
            aria-controls={mobileNavId}
            onClick={() => setMobileNavOpen((open) => !open)}
            className="rounded-lg p-2 text-slate-700 hover:bg-slate-100"
          >
            {mobileNavOpen ? <CloseIcon /> : <MenuIcon />}
            <span className="sr-only">{mobileNavOpen ? "Close navigation" : "Open navigation"}</span>
          </button>
          <Logo showName={false} className="shrink-0" />
          <TenantName className="min-w-0 flex-1" />
          <UserMenu placement="down" compact />
        </div>
        {mobileNavOpen ? (
          <nav id={mobileNavId} aria-label="Main" className="border-t border-slate-100 px-3 py-3">
            <NavLinks onNavigate={() => setMobileNavOpen(false)} />
          </nav>
        ) : null}
      </header>

      <main id="main" tabIndex={-1} className="px-4 py-6 outline-none sm:px-6 md:ml-64 md:px-10 md:py-10">
        <div className={wide ? undefined : "mx-auto max-w-5xl"}>
          {/* Not above the inbox's full-height columns (a refused send there says the same: 402 read_only), nor on
              the billing page, which says it in full. */}
          {wide || isActive(pathname, BILLING_PATH) ? null : <BillingBanners canManage={user.capabilities.billing} />}
          {wide ? null : <DeletionBanner />}
          {children}
        </div>
      </main>
    </div>
  );
}
