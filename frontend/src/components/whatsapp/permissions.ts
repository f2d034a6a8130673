/**
 * Who may change WhatsApp numbers, as the UI shows it (the backend's IsTeamManager decides): owners
 * and admins connect, refresh and disconnect; agents see the numbers read-only.
 */
import type { Role } from "@/lib/api/types";

export function canManageNumbers(role: Role): boolean {
  return role === "owner" || role === "admin";
}
