import type { Metadata } from "next";

import { CallLog } from "@/components/calls/CallLog";

export const metadata: Metadata = { title: "Calls" };

export default function CallsPage() {
  return <CallLog />;
}
