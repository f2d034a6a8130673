import type { Metadata } from "next";

import { PageHeader } from "@/components/app/PageHeader";
import { CampaignsIcon } from "@/components/icons";
import { EmptyState } from "@/components/ui";

export const metadata: Metadata = { title: "Campaigns" };

export default function CampaignsPage() {
  return (
    <>
      <PageHeader title="Campaigns" description="Send an approved template to many contacts at once." />
      <EmptyState
        icon={<CampaignsIcon className="size-6" />}
        title="No campaigns yet"
        comingSoon
        description="You'll pick a template and an audience, schedule the send, and see delivery and read statuses here. This page is being built."
      />
    </>
  );
}
