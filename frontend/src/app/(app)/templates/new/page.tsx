import type { Metadata } from "next";

import { TemplateBuilderPage } from "@/components/templates/builder/TemplateBuilder";

export const metadata: Metadata = { title: "New template" };

export default function NewTemplatePage() {
  return <TemplateBuilderPage />;
}
