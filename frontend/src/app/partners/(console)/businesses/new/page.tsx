import type { Metadata } from "next";

import { NewBusinessForm } from "@/components/partners/NewBusinessForm";
import { lookupSite } from "@/lib/server/site";
import { businessDomain } from "../../../_lib/console";

export const metadata: Metadata = { title: "New business" };

export default async function NewBusinessPage() {
  // The layout already refused other hosts; this only needs the domain client businesses live under.
  const lookup = await lookupSite();
  const domain = lookup.ok ? businessDomain(lookup, lookup.site) : lookup.host;
  return <NewBusinessForm domain={domain} />;
}
