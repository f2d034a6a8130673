import type { Role } from "@/lib/api/types";
import { Badge } from "@/components/ui";

const LABELS: Record<Role, string> = { owner: "Owner", admin: "Admin", agent: "Agent" };
const TONES = { owner: "brand", admin: "blue", agent: "neutral" } as const;

export function roleLabel(role: Role): string {
  return LABELS[role] ?? role;
}

export function RoleBadge({ role }: { role: Role }) {
  return <Badge tone={TONES[role] ?? "neutral"}>{roleLabel(role)}</Badge>;
}
