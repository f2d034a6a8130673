import type { Metadata } from "next";

import { AuditLogContent } from "@/components/settings/audit/AuditLogContent";

export const metadata: Metadata = { title: "Audit log" };

export default function AuditLogPage() {
  return <AuditLogContent />;
}
