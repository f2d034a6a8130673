import type { Metadata } from "next";
import { notFound } from "next/navigation";
import type { ReactNode } from "react";

import { HostProblem } from "@/components/HostProblem";
import { Logo } from "@/components/Logo";
import { lookupSite, publicOrigin } from "@/lib/server/site";

export const metadata: Metadata = { title: { default: "Staff console", template: "%s · ConvoNest staff" }, robots: { index: false, follow: false } };

/**
 * The platform staff console exists on the public site only: on a business's host (or the partner console's) these
 * pages are a 404, like any page that isn't there. The API behind them answers on the public host only, too.
 */
export default async function StaffLayout({ children }: { children: ReactNode }) {
  const lookup = await lookupSite();
  if (!lookup.ok) {
    return (
      <main className="flex min-h-dvh flex-col items-center justify-center gap-6 px-6">
        <Logo />
        <HostProblem message={lookup.message} publicUrl={lookup.status === 404 ? publicOrigin(lookup) : undefined} />
      </main>
    );
  }
  if (lookup.site.kind !== "public") notFound();
  return <>{children}</>;
}
