import type { Metadata } from "next";

import { DashboardContent } from "@/components/app/DashboardContent";

export const metadata: Metadata = { title: "Dashboard" };

export default function DashboardPage() {
  return <DashboardContent />;
}
