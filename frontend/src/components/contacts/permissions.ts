/**
 * What the contacts UI offers per role (the backend's IsContactsManager decides, docs/contacts.md §7):
 * agents read and edit contacts, tag and untag in bulk, record consent and use segments; owners and
 * admins also delete, erase, merge, export, import, save segments and manage attributes and settings.
 */
import type { Role } from "@/lib/api/types";

export function canManageContacts(role: Role): boolean {
  return role === "owner" || role === "admin";
}
