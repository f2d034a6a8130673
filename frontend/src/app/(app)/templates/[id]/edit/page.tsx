import type { Metadata } from "next";

import { TemplateEditPage } from "@/components/templates/builder/TemplateEditPage";

export const metadata: Metadata = { title: "Edit template" };

export default async function EditTemplatePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <TemplateEditPage id={Number(id)} />;
}
