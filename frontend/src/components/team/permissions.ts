/**
 * The team rules as the UI shows them (the backend enforces the same in tenants/services.py):
 * owners and admins manage the team; only an owner may grant the owner role or touch an owner.
 */
import type { Member, Role } from "@/lib/api/types";

export function canManageTeam(viewerRole: Role): boolean {
  return viewerRole === "owner" || viewerRole === "admin";
}

/** Roles the viewer may hand out, in invites and role changes. */
export function grantableRoles(viewerRole: Role): Role[] {
  if (viewerRole === "owner") return ["agent", "admin", "owner"];
  if (viewerRole === "admin") return ["agent", "admin"];
  return [];
}

/** Whether the viewer may change this member's role or remove them. */
export function canEditMember(viewerRole: Role, member: Pick<Member, "role">): boolean {
  if (!canManageTeam(viewerRole)) return false;
  return viewerRole === "owner" || member.role !== "owner";
}
