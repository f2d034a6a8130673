import Link from "next/link";
import type { ReactNode } from "react";

import { Logo } from "@/components/Logo";

/** Login, signup and the other token pages: one centred column, no app navigation. */
export default function AuthLayout({ children }: { children: ReactNode }) {
  return (
    <div className="flex min-h-dvh flex-col bg-gradient-to-b from-brand-50 to-slate-50">
      <header className="px-6 py-5">
        <Link href="/" aria-label="Home">
          <Logo />
        </Link>
      </header>
      <main className="flex flex-1 items-start justify-center px-4 pb-16 pt-4 sm:pt-10">
        <div className="w-full max-w-md">{children}</div>
      </main>
    </div>
  );
}
