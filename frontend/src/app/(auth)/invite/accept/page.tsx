import type { Metadata } from "next";

import { AuthCard } from "@/components/auth/AuthCard";
import { InviteAcceptForm } from "@/components/auth/InviteAcceptForm";
import { firstParam, type SearchParams } from "@/lib/searchParams";

export const metadata: Metadata = { title: "Join your team", referrer: "no-referrer" };

export default async function InviteAcceptPage({ searchParams }: { searchParams: SearchParams }) {
  const token = firstParam((await searchParams).token);
  return (
    <AuthCard title="Join your team">
      <InviteAcceptForm token={token} />
    </AuthCard>
  );
}
