import type { Metadata } from "next";

import { RecentMessages } from "@/components/messages/RecentMessages";

export const metadata: Metadata = { title: "Messages" };

export default function MessagesPage() {
  return <RecentMessages />;
}
