import type { Metadata } from "next";

import { TemplatesContent } from "@/components/templates/TemplatesView";

export const metadata: Metadata = { title: "Templates" };

export default function TemplatesPage() {
  return <TemplatesContent />;
}
