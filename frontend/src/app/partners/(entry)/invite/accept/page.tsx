import type { Metadata } from "next";

import { AuthCard } from "@/components/auth/AuthCard";
import { HostProblem } from "@/components/HostProblem";
import { PartnerInviteAccept } from "@/components/partners/PartnerInviteAccept";
import { lookupSite, publicOrigin } from "@/lib/server/site";
import { requireConsole } from "../../../_lib/console";

export const metadata: Metadata = { title: "Join your team", referrer: "no-referrer" };

/** The mailed link carries its token in the fragment (#token=…), which only the browser reads. */
export default async function PartnerInvitePage() {
  const lookup = await lookupSite();
  if (!lookup.ok) return <HostProblem message={lookup.message} publicUrl={publicOrigin(lookup)} />;
  requireConsole(lookup);
  return (
    <AuthCard title="Join your team" subtitle="on a ConvoNest partner console">
      <PartnerInviteAccept />
    </AuthCard>
  );
}
