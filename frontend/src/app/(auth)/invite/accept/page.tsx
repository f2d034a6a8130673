import type { Metadata } from "next";

import { AuthCard } from "@/components/auth/AuthCard";
import { InviteAcceptForm } from "@/components/auth/InviteAcceptForm";
import { firstParam, type SearchParams } from "@/lib/searchParams";

export const metadata: Metadata = { title: "Join your team", referrer: "no-referrer" };

/** The mailed link carries the token in its fragment (read in the browser); `?token=` is for older links. */
export default async function InviteAcceptPage({ searchParams }: { searchParams: SearchParams }) {
  const queryToken = firstParam((await searchParams).token);
  return (
    <AuthCard title="Join your team">
      <InviteAcceptForm queryToken={queryToken} />
    </AuthCard>
  );
}
