import type { Metadata } from "next";

import { PageHeader } from "@/components/app/PageHeader";
import { ContactsIcon } from "@/components/icons";
import { EmptyState } from "@/components/ui";

export const metadata: Metadata = { title: "Contacts" };

export default function ContactsPage() {
  return (
    <>
      <PageHeader title="Contacts" description="The people your business talks to on WhatsApp." />
      <EmptyState
        icon={<ContactsIcon className="size-6" />}
        title="No contacts yet"
        comingSoon
        description="Here you'll keep your customers' names, numbers and messaging consent, and import them from a spreadsheet. This page is being built."
      />
    </>
  );
}
