import type { ReactNode } from "react";

import { AppShell } from "@/components/app/AppShell";
import { SessionProvider } from "@/components/app/SessionProvider";

/** Every page a logged-in member uses: session first, then the shared navigation frame. */
export default function AppLayout({ children }: { children: ReactNode }) {
  return (
    <SessionProvider>
      <AppShell>{children}</AppShell>
    </SessionProvider>
  );
}
