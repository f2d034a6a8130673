import type { Metadata } from "next";

import { ConsoleBrand } from "@/components/partners/ConsoleBrand";

export const metadata: Metadata = { title: "Brand" };

export default function BrandPage() {
  return <ConsoleBrand />;
}
