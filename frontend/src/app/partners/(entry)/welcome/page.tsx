import type { Metadata } from "next";

import { AuthCard } from "@/components/auth/AuthCard";
import { HostProblem } from "@/components/HostProblem";
import { PartnerWelcome } from "@/components/partners/PartnerWelcome";
import { firstParam, type SearchParams } from "@/lib/searchParams";
import { lookupSite, publicOrigin } from "@/lib/server/site";
import { requireConsole } from "../../_lib/console";

export const metadata: Metadata = { title: "Welcome", referrer: "no-referrer" };

export default async function PartnerWelcomePage({ searchParams }: { searchParams: SearchParams }) {
  const [lookup, params] = await Promise.all([lookupSite(), searchParams]);
  if (!lookup.ok) return <HostProblem message={lookup.message} publicUrl={publicOrigin(lookup)} />;
  requireConsole(lookup);
  return (
    <AuthCard title="Welcome to ConvoNest for partners" subtitle="Your partner console is ready.">
      <PartnerWelcome token={firstParam(params.token)} />
    </AuthCard>
  );
}
