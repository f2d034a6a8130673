import Link from "next/link";
import type { ReactNode } from "react";

import { Logo } from "@/components/Logo";

/** The console's sign-in pages and reseller signup: one centred column, no console navigation (as app/(auth)). */
export default function PartnerEntryLayout({ children }: { children: ReactNode }) {
  return (
    <div className="flex min-h-dvh flex-col bg-gradient-to-b from-brand-50 to-slate-50">
      <header className="flex items-center gap-3 px-6 py-5">
        <Link href="/" aria-label="ConvoNest home">
          <Logo />
        </Link>
        <span className="rounded-full bg-white px-2.5 py-0.5 text-xs font-medium text-slate-600 ring-1 ring-slate-200">Partners</span>
      </header>
      <main className="flex flex-1 items-start justify-center px-4 pb-16 pt-4 sm:pt-10">
        <div className="w-full max-w-md">{children}</div>
      </main>
    </div>
  );
}
