import type { PartnerRole } from "@/lib/api/types";
import { Badge } from "@/components/ui";
import { partnerRoleLabel } from "./format";

export function PartnerRoleBadge({ role }: { role: PartnerRole }) {
  return <Badge tone={role === "admin" ? "blue" : "neutral"}>{partnerRoleLabel(role)}</Badge>;
}
