import type { Metadata } from "next";

import { InboxView } from "@/components/inbox/InboxView";
import { firstParam, type SearchParams } from "@/lib/searchParams";

export const metadata: Metadata = { title: "Inbox" };

/** /inbox, or /inbox?c=<conversation id> with that conversation open. */
export default async function InboxPage({ searchParams }: { searchParams: SearchParams }) {
  const id = Number(firstParam((await searchParams).c));
  return <InboxView initialConversationId={Number.isInteger(id) && id > 0 ? id : null} />;
}
