import type { Metadata } from "next";
import { notFound } from "next/navigation";

import { BusinessDetailView } from "@/components/partners/BusinessDetailView";

export const metadata: Metadata = { title: "Business" };

export default async function BusinessPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  if (!/^\d+$/.test(id)) notFound();
  return <BusinessDetailView id={Number(id)} />;
}
