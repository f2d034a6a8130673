import type { Metadata } from "next";

import { BillingContent } from "@/components/settings/billing/BillingContent";

export const metadata: Metadata = { title: "Billing" };

export default function BillingPage() {
  return <BillingContent />;
}
