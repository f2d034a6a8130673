import type { Metadata } from "next";

import { InboxSettingsContent } from "@/components/settings/inbox/InboxSettingsContent";

export const metadata: Metadata = { title: "Inbox settings" };

export default function InboxSettingsPage() {
  return <InboxSettingsContent />;
}
