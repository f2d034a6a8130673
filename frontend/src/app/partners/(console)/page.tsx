import type { Metadata } from "next";

import { BusinessesView } from "@/components/partners/BusinessesView";

export const metadata: Metadata = { title: "Businesses" };

export default function BusinessesPage() {
  return <BusinessesView />;
}
