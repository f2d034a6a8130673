import type { Metadata } from "next";
import Link from "next/link";

import { AuthCard } from "@/components/auth/AuthCard";
import { Logo } from "@/components/Logo";
import { StaffLoginForm } from "@/components/staff/StaffLoginForm";
import { STAFF_HOME } from "@/components/staff/tabs";
import { safeNextPath } from "@/lib/navigation";
import { firstParam, type SearchParams } from "@/lib/searchParams";

export const metadata: Metadata = { title: "Sign in" };

/** Platform staff sign in here (the public host only: the layout 404s elsewhere). */
export default async function StaffLoginPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  return (
    <div className="flex min-h-dvh flex-col bg-gradient-to-b from-slate-100 to-slate-50">
      <header className="px-6 py-5">
        <Link href="/" aria-label="ConvoNest home">
          <Logo />
        </Link>
      </header>
      <main className="flex flex-1 items-start justify-center px-4 pb-16 pt-4 sm:pt-10">
        <div className="w-full max-w-md">
          <AuthCard title="Staff console" subtitle="For ConvoNest staff. Businesses sign in on their own address.">
            <StaffLoginForm next={safeNextPath(firstParam(params.next), STAFF_HOME)} />
          </AuthCard>
        </div>
      </main>
    </div>
  );
}
