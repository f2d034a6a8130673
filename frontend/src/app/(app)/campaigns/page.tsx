import type { Metadata } from "next";

import { CampaignsContent } from "@/components/campaigns/CampaignsView";

export const metadata: Metadata = { title: "Campaigns" };

export default function CampaignsPage() {
  return <CampaignsContent />;
}
