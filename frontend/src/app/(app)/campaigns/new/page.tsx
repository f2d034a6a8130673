import type { Metadata } from "next";

import { CampaignWizard } from "@/components/campaigns/CampaignWizard";

export const metadata: Metadata = { title: "New campaign" };

export default function NewCampaignPage() {
  return <CampaignWizard />;
}
