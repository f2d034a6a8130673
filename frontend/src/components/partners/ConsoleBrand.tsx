"use client";

import { PageHeader } from "@/components/app/PageHeader";
import { BrandSettings } from "@/components/branding/BrandSettings";
import { usePartnerSession } from "./PartnerSessionProvider";

/** /partners/brand: the white label the console and every client business wear, and the console's own domains. */
export function ConsoleBrand() {
  const { capabilities, reseller } = usePartnerSession();
  return (
    <>
      <PageHeader title="White label" description="Your name, colour and logo on this console and on every client business's app, and the console's own domain." />
      <BrandSettings canManage={capabilities.manage_brand} resellerName={reseller.name} />
    </>
  );
}
