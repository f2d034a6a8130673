import type { Metadata } from "next";

import { PageHeader } from "@/components/app/PageHeader";
import { TemplatesIcon } from "@/components/icons";
import { EmptyState } from "@/components/ui";

export const metadata: Metadata = { title: "Templates" };

export default function TemplatesPage() {
  return (
    <>
      <PageHeader title="Templates" description="Pre-approved WhatsApp message templates." />
      <EmptyState
        icon={<TemplatesIcon className="size-6" />}
        title="No templates yet"
        comingSoon
        description="WhatsApp requires approved templates to start conversations. You'll write them here, submit them to Meta for review and follow their status. This page is being built."
      />
    </>
  );
}
