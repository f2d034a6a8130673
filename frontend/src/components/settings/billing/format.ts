import type { Billing, BillingLimit, BillingPlan, BillingStatus } from "@/lib/api/types";

export const BILLING_PATH = "/settings/billing";

export const STATUS_LABELS: Record<BillingStatus, string> = {
  trialing: "Free trial",
  active: "Active",
  past_due: "Payment failed",
  canceled: "Canceled",
  read_only: "Read-only",
};

export const STATUS_TONES: Record<BillingStatus, "brand" | "blue" | "amber" | "red" | "neutral"> = {
  trialing: "blue",
  active: "brand",
  past_due: "amber",
  canceled: "neutral",
  read_only: "red",
};

export const LIMIT_LABELS: Record<BillingLimit, string> = {
  numbers: "WhatsApp numbers",
  seats: "Team seats",
  contacts: "Contacts",
  messages_per_month: "Messages sent this month",
  campaigns_per_month: "Campaigns this month",
};

/** What each plan allows, in the order the plan cards list it. */
export const PLAN_LIMITS: readonly BillingLimit[] = ["numbers", "seats", "contacts", "messages_per_month", "campaigns_per_month"];

export function formatMoney(cents: number, currency: string): string {
  return new Intl.NumberFormat("en", { style: "currency", currency: currency.toUpperCase(), minimumFractionDigits: cents % 100 ? 2 : 0 }).format(
    cents / 100,
  );
}

export function formatCount(value: number): string {
  return new Intl.NumberFormat("en").format(value);
}

export function formatDate(value: string | number | Date): string {
  return new Intl.DateTimeFormat("en", { day: "numeric", month: "short", year: "numeric" }).format(new Date(value));
}

/** Whole days from now until `iso` (negative once it has passed). */
export function daysUntil(iso: string, now: number = Date.now()): number {
  return Math.ceil((new Date(iso).getTime() - now) / 86_400_000);
}

export function inDays(days: number): string {
  if (days <= 0) return "today";
  return days === 1 ? "tomorrow" : `in ${days} days`;
}

export function planPrice(plan: BillingPlan): string {
  return plan.price_cents ? `${formatMoney(plan.price_cents, plan.currency)} / month` : "Free";
}

export function limitText(limit: BillingLimit, maximum: number | null): string {
  const label = LIMIT_LABELS[limit].replace(" this month", "").toLowerCase();
  return maximum === null ? `Unlimited ${label}` : `${formatCount(maximum)} ${label}`;
}

/** Outbound messages of this month by Meta's pricing category, from the counters `messages:out:<category>:<charge>`. */
export interface CategoryCount {
  category: string;
  billable: number;
  free: number;
  unknown: number;
}

export interface MessageCounts {
  sent: number;
  received: number;
  byCategory: CategoryCount[];
}

const CATEGORY_LABELS: Record<string, string> = {
  marketing: "Marketing",
  utility: "Utility",
  authentication: "Authentication",
  authentication_international: "Authentication (international)",
  service: "Service",
  referral_conversion: "Free entry point",
  marketing_lite: "Marketing (lite)",
  none: "Not categorised",
};

export function categoryLabel(category: string): string {
  return CATEGORY_LABELS[category] ?? category.replace(/_/g, " ");
}

export function messageCounts(counters: Billing["counters"]): MessageCounts {
  const byCategory = new Map<string, CategoryCount>();
  for (const [metric, value] of Object.entries(counters)) {
    const [kind, direction, category, charge] = metric.split(":");
    if (kind !== "messages" || direction !== "out" || !category || !charge) continue;
    const row = byCategory.get(category) ?? { category, billable: 0, free: 0, unknown: 0 };
    if (charge === "billable" || charge === "free" || charge === "unknown") row[charge] += value;
    byCategory.set(category, row);
  }
  return {
    sent: counters.messages_sent ?? 0,
    received: counters.messages_received ?? 0,
    byCategory: [...byCategory.values()].sort((a, b) => b.billable + b.free + b.unknown - (a.billable + a.free + a.unknown)),
  };
}
