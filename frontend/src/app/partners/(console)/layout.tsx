import type { ReactNode } from "react";

import { HostProblem } from "@/components/HostProblem";
import { Logo } from "@/components/Logo";
import { ConsoleShell } from "@/components/partners/ConsoleShell";
import { PartnerSessionProvider } from "@/components/partners/PartnerSessionProvider";
import { lookupSite, publicOrigin } from "@/lib/server/site";
import { requireConsole } from "../_lib/console";

/** Every console page: only on the console's host; the session first, then the console's frame. */
export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const lookup = await lookupSite();
  if (!lookup.ok) {
    return (
      <main className="flex min-h-dvh flex-col items-center justify-center gap-6 px-6">
        <Logo />
        <HostProblem message={lookup.message} publicUrl={lookup.status === 404 ? publicOrigin(lookup) : undefined} />
      </main>
    );
  }
  requireConsole(lookup);
  return (
    <PartnerSessionProvider>
      <ConsoleShell>{children}</ConsoleShell>
    </PartnerSessionProvider>
  );
}
