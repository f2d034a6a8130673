import type { Metadata } from "next";

import { AuthCard } from "@/components/auth/AuthCard";
import { WelcomeHandoff } from "@/components/auth/WelcomeHandoff";
import { firstParam, type SearchParams } from "@/lib/searchParams";
import { toBrand } from "@/lib/brand";
import { lookupSite } from "@/lib/server/site";

export const metadata: Metadata = { title: "Welcome", referrer: "no-referrer" };

export default async function WelcomePage({ searchParams }: { searchParams: SearchParams }) {
  const [lookup, params] = await Promise.all([lookupSite(), searchParams]);
  const token = firstParam(params.token);
  const entering = firstParam(params.via) === "reseller"; // reseller staff entering a client's business
  // The business this host serves, named on the button so nobody enters someone else's account unawares.
  const businessName = lookup.ok ? (lookup.site.tenant?.name ?? undefined) : undefined;
  const product = (lookup.ok ? toBrand(lookup.site.brand)?.name : undefined) ?? "ConvoNest"; // a reseller's white label
  return (
    <AuthCard title={entering ? "Enter a client's business" : `Welcome to ${product}`} subtitle={entering ? "From your partner console." : "Your business is ready."}>
      <WelcomeHandoff token={token} businessName={businessName} entering={entering} />
    </AuthCard>
  );
}
