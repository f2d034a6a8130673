import type { Metadata } from "next";

import { PartnerTeam } from "@/components/partners/PartnerTeam";

export const metadata: Metadata = { title: "Team" };

export default function PartnerTeamPage() {
  return <PartnerTeam />;
}
