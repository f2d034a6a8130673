import type { Metadata } from "next";

import { EmbeddedSignupCallback } from "@/components/whatsapp/EmbeddedSignupCallback";
import { firstParam, type SearchParams } from "@/lib/searchParams";

// The URL carries a one-time code: keep it out of Referer headers.
export const metadata: Metadata = { title: "Connect WhatsApp", referrer: "no-referrer" };

export default async function EmbeddedSignupCallbackPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  return (
    <EmbeddedSignupCallback
      code={firstParam(params.code)}
      state={firstParam(params.state)}
      error={firstParam(params.error)}
      errorDescription={firstParam(params.error_description)}
    />
  );
}
