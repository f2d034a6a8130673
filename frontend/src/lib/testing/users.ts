/**
 * Logged-in people for tests. The app reads what someone may do from `user.capabilities` (from
 * /api/auth/user/, decided by the backend's tenants.members); these fixtures give each role the flags the
 * backend gives it today, so a test can say "an agent" and get an agent's flags.
 */
import type { Capabilities, Role, User } from "@/lib/api/types";

const NONE: Capabilities = {
  manage_team: false,
  manage_contacts: false,
  manage_settings: false,
  see_all_conversations: false,
  send: false,
  manage_templates: false,
  run_campaigns: false,
  billing: false,
  manage_reseller_access: false,
  view_audit_log: false,
  business_data: false,
};

export function capabilitiesOf(role: Role): Capabilities {
  if (role === "agent") return { ...NONE, send: true };
  const manager = Object.fromEntries(Object.keys(NONE).map((name) => [name, true])) as Capabilities;
  return role === "owner" ? manager : { ...manager, billing: false, manage_reseller_access: false, business_data: false };
}

export function testUser(role: Role = "owner", overrides: Partial<User> = {}): User {
  return {
    id: 1,
    email: `${role}@acme.test`,
    first_name: "",
    last_name: "",
    role,
    capabilities: capabilitiesOf(role),
    tenant: { slug: "acme", name: "Acme" },
    ...overrides,
  };
}
