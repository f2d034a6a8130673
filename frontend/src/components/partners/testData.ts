/** Console fixtures for tests: a session per role (the flags the backend gives each today) and businesses. */
import type { PartnerBusiness, PartnerEvent, PartnerMember, PartnerRole, PartnerSession } from "@/lib/api/types";

export function partnerSession(role: PartnerRole = "admin", overrides: Partial<PartnerSession> = {}): PartnerSession {
  const admin = role === "admin";
  return {
    id: 1,
    email: `${role}@agency.test`,
    first_name: "",
    last_name: "",
    reseller: { id: 1, name: "Growth Agency", slug: "growth" },
    role,
    capabilities: { manage_businesses: admin, manage_wallets: admin, manage_team: admin, enter_businesses: true, manage_brand: admin },
    ...overrides,
  };
}

export function business(overrides: Partial<PartnerBusiness> = {}): PartnerBusiness {
  return {
    id: 7,
    name: "Bakery Co",
    slug: "bakery",
    url: "http://bakery.localhost:3000",
    is_active: true,
    suspended_at: null,
    reseller_access: true,
    created_at: "2026-03-01T10:00:00Z",
    member_count: 2,
    number_count: 1,
    plan: { code: "basic", name: "Basic", status: "trialing" },
    usage: { month: "2026-03-01", messages_sent: 420, messages_received: 77, messages_per_month: 1000 },
    numbers: [
      {
        phone_number_id: "555001",
        display_phone_number: "+1 555 0001",
        verified_name: "Bakery",
        quality_rating: "YELLOW",
        status: "CONNECTED",
        messaging_limit_tier: "TIER_1K",
      },
    ],
    wallet: null,
    last_activity_at: "2026-03-10T09:30:00Z",
    ...overrides,
  };
}

export function partnerMember(overrides: Partial<PartnerMember> = {}): PartnerMember {
  return {
    id: 1,
    user_id: 1,
    email: "someone@agency.test",
    first_name: "",
    last_name: "",
    role: "support",
    joined_at: "2026-01-05T10:00:00Z",
    is_you: false,
    ...overrides,
  };
}

export function partnerEvent(overrides: Partial<PartnerEvent> = {}): PartnerEvent {
  return {
    id: 1,
    action: "business_created",
    label: "Business created",
    actor_email: "admin@agency.test",
    business_id: 7,
    business_name: "Bakery Co",
    subject_email: "owner@bakery.test",
    detail: {},
    created_at: "2026-03-01T10:00:00Z",
    ...overrides,
  };
}

export const page = <T,>(results: T[], next: string | null = null) => ({ next, previous: null, results });

export const envelope = (code: string, message: string, errors: Record<string, string[]> = {}) => ({ code, message, errors });
