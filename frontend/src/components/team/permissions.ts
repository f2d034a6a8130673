/**
 * The team rules as the UI shows them (the backend enforces the same in tenants/services.py): who may
 * manage the team is a capability (`manage_team`); on top of it, only an owner may grant the owner role
 * or touch an owner — a rule about the roles themselves, which the backend also states by role.
 */
import type { Member, Role, User } from "@/lib/api/types";

/** The person looking at the team. */
export type TeamViewer = Pick<User, "role" | "capabilities">;

/** Roles the viewer may hand out, in invites and role changes. */
export function grantableRoles(viewer: TeamViewer): Role[] {
  if (!viewer.capabilities.manage_team) return [];
  return viewer.role === "owner" ? ["agent", "admin", "owner"] : ["agent", "admin"];
}

/** Whether the viewer may change this member's role or remove them. */
export function canEditMember(viewer: TeamViewer, member: Pick<Member, "role">): boolean {
  if (!viewer.capabilities.manage_team) return false;
  return viewer.role === "owner" || member.role !== "owner";
}
