import type { Metadata } from "next";

import { ContactSettingsContent } from "@/components/contacts/settings/ContactSettingsContent";

export const metadata: Metadata = { title: "Contact settings" };

export default function ContactSettingsPage() {
  return <ContactSettingsContent />;
}
