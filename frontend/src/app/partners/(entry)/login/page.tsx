import type { Metadata } from "next";

import { AuthCard } from "@/components/auth/AuthCard";
import { HostProblem } from "@/components/HostProblem";
import { PartnerLoginForm } from "@/components/partners/PartnerLoginForm";
import { safeNextPath } from "@/lib/navigation";
import { firstParam, type SearchParams } from "@/lib/searchParams";
import { lookupSite, publicOrigin } from "@/lib/server/site";
import { requireConsole } from "../../_lib/console";

export const metadata: Metadata = { title: "Partner login" };

export default async function PartnerLoginPage({ searchParams }: { searchParams: SearchParams }) {
  const [lookup, params] = await Promise.all([lookupSite(), searchParams]);
  if (!lookup.ok) return <HostProblem message={lookup.message} publicUrl={publicOrigin(lookup)} />;
  requireConsole(lookup);
  return (
    <AuthCard title="Log in" subtitle="to your ConvoNest partner console">
      <PartnerLoginForm next={safeNextPath(firstParam(params.next), "/partners")} />
    </AuthCard>
  );
}
