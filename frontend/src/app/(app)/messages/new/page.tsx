import type { Metadata } from "next";

import { Composer } from "@/components/composer/Composer";
import { firstParam, type SearchParams } from "@/lib/searchParams";

export const metadata: Metadata = { title: "New message" };

/** ?from= (a phone_number_id), ?to= and ?reply_to= (a wamid) prefill the composer. */
export default async function NewMessagePage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  return <Composer initialFrom={firstParam(params.from)} initialTo={firstParam(params.to)} initialReplyTo={firstParam(params.reply_to)} />;
}
