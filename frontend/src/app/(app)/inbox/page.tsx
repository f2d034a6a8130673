import type { Metadata } from "next";

import { PageHeader } from "@/components/app/PageHeader";
import { InboxIcon } from "@/components/icons";
import { EmptyState } from "@/components/ui";

export const metadata: Metadata = { title: "Inbox" };

export default function InboxPage() {
  return (
    <>
      <PageHeader title="Inbox" description="WhatsApp conversations with your customers." />
      <EmptyState
        icon={<InboxIcon className="size-6" />}
        title="No conversations yet"
        comingSoon
        description="Once your WhatsApp Business number is connected, customer messages arrive here and your team can answer them together. Connecting a number is coming soon."
      />
    </>
  );
}
