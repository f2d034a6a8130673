/** Rows as the platform staff API answers them, for the console's tests. */
import type { FailedJob, PlatformBusiness, PlatformReseller, StaffUser, WebhookChange } from "@/lib/api/types";

export const STAFF: StaffUser = { id: 9, email: "ops@convonest.test", first_name: "Olu", last_name: "Ops" };

export const NOT_AUTHENTICATED = { code: "not_authenticated", message: "Authentication credentials were not provided.", errors: {} };
export const SERVER_ERROR = { code: "server_error", message: "Something went wrong on our side.", errors: {} };

export function page<T>(results: T[], next: string | null = null) {
  return { next, previous: null, results };
}

export function business(overrides: Partial<PlatformBusiness> = {}): PlatformBusiness {
  return {
    id: 1,
    slug: "acme",
    name: "Acme Ltd",
    host: "acme.localhost",
    is_active: true,
    created_at: "2026-11-02T09:30:00Z",
    reseller: null,
    plan: "growth",
    subscription_status: "active",
    member_count: 3,
    number_count: 2,
    messages_sent_this_month: 1250,
    ...overrides,
  };
}

export function reseller(overrides: Partial<PlatformReseller> = {}): PlatformReseller {
  return { id: 4, name: "Northwind Partners", slug: "northwind", created_at: "2026-10-01T08:00:00Z", business_count: 2, member_count: 3, ...overrides };
}

export function change(overrides: Partial<WebhookChange> = {}): WebhookChange {
  return {
    id: 31,
    event_id: 12,
    position: 0,
    received_at: "2026-12-01T10:00:00Z",
    field: "messages",
    phone_number_id: "999000000000009",
    waba_id: "999",
    tenant: null,
    status: "unroutable",
    error: "",
    event_attempts: 1,
    event_status: "processed",
    handled_at: null,
    replayable: true,
    ...overrides,
  };
}

export function job(overrides: Partial<FailedJob> = {}): FailedJob {
  return {
    kind: "webhook_event",
    id: 12,
    state: "dead",
    occurred_at: "2026-12-01T10:00:00Z",
    tenant: null,
    summary: "Webhook event 12 (2 changes: 1 failed)",
    error: "8 attempts failed; last: boom",
    attempts: 8,
    next_attempt_at: null,
    replayable: true,
    ...overrides,
  };
}
