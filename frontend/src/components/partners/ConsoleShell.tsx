"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { useId, useState, type ReactNode } from "react";

import { CloseIcon, MenuIcon } from "@/components/icons";
import { Logo } from "@/components/Logo";
import { cx } from "@/components/ui";
import { CONSOLE_NAV, isActiveItem } from "./nav";
import { PartnerUserMenu } from "./PartnerUserMenu";
import { usePartnerSession } from "./PartnerSessionProvider";

function ConsoleNav({ onNavigate }: { onNavigate?: () => void }) {
  const pathname = usePathname();
  return (
    <ul className="space-y-1">
      {CONSOLE_NAV.map((item) => {
        const active = isActiveItem(pathname, item);
        const Icon = item.icon;
        return (
          <li key={item.href}>
            <Link
              href={item.href}
              onClick={onNavigate}
              aria-current={active ? "page" : undefined}
              className={cx(
                "flex items-center gap-3 rounded-lg px-3 py-2 text-sm font-medium transition-colors",
                active ? "bg-brand-50 text-brand-800" : "text-slate-700 hover:bg-slate-100 hover:text-slate-900",
              )}
            >
              <Icon className={cx("size-5", active ? "text-brand-700" : "text-slate-400")} />
              {item.label}
            </Link>
          </li>
        );
      })}
    </ul>
  );
}

function ResellerName({ className }: { className?: string }) {
  const { reseller } = usePartnerSession();
  return (
    <div className={className}>
      <p className="text-xs font-medium uppercase tracking-wide text-slate-400">Partner console</p>
      <p className="truncate text-sm font-semibold text-slate-900" data-testid="reseller-name">
        {reseller.name}
      </p>
    </div>
  );
}

/**
 * The console's frame, built like the business app's (components/app/AppShell): a sidebar on md+ screens, a top
 * bar with a menu button below that. Its own frame, because a reseller's people are not members of any business.
 */
export function ConsoleShell({ children }: { children: ReactNode }) {
  const [mobileNavOpen, setMobileNavOpen] = useState(false);
  const mobileNavId = useId();

  return (
    <div className="min-h-dvh">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:fixed focus:left-3 focus:top-3 focus:z-50 focus:rounded-lg focus:bg-white focus:px-3 focus:py-2 focus:shadow"
      >
        Skip to content
      </a>

      <aside className="fixed inset-y-0 left-0 z-20 hidden w-64 flex-col border-r border-slate-200 bg-white md:flex">
        <div className="px-5 pb-4 pt-5">
          <Link href="/partners" aria-label="Partner console home">
            <Logo />
          </Link>
          <ResellerName className="mt-5 rounded-lg bg-slate-50 px-3 py-2" />
        </div>
        <nav aria-label="Main" className="flex-1 overflow-y-auto px-3">
          <ConsoleNav />
        </nav>
        <div className="border-t border-slate-200 p-3">
          <PartnerUserMenu placement="up" />
        </div>
      </aside>

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
          <ResellerName className="min-w-0 flex-1" />
          <PartnerUserMenu placement="down" compact />
        </div>
        {mobileNavOpen ? (
          <nav id={mobileNavId} aria-label="Main" className="border-t border-slate-100 px-3 py-3">
            <ConsoleNav onNavigate={() => setMobileNavOpen(false)} />
          </nav>
        ) : null}
      </header>

      <main id="main" tabIndex={-1} className="px-4 py-6 outline-none sm:px-6 md:ml-64 md:px-10 md:py-10">
        <div className="mx-auto max-w-6xl">{children}</div>
      </main>
    </div>
  );
}
