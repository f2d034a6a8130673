/** How the console shows roles, plans, usage and number health. */
import type { PartnerBusiness, PartnerRole, PartnerUsage } from "@/lib/api/types";
import { formatCount, STATUS_LABELS, STATUS_TONES } from "@/components/settings/billing/format";
import { humanize } from "@/components/templates/format";

export type Tone = "neutral" | "brand" | "amber" | "red" | "blue";

export const PARTNER_ROLES: readonly PartnerRole[] = ["admin", "support"];

const ROLE_LABELS: Record<PartnerRole, string> = { admin: "Admin", support: "Support" };

export function partnerRoleLabel(role: PartnerRole): string {
  return ROLE_LABELS[role] ?? humanize(role);
}

/** The plan's billing status as the business's own billing page says it ("Free trial", "Payment failed", …). */
export function planStatus(status: string): { label: string; tone: Tone } {
  const known = status in STATUS_LABELS ? (status as keyof typeof STATUS_LABELS) : null;
  return known ? { label: STATUS_LABELS[known], tone: STATUS_TONES[known] } : { label: humanize(status), tone: "neutral" };
}

/** Suspended (its host offline) or active. */
export function businessStatus(business: Pick<PartnerBusiness, "is_active">): { label: string; tone: Tone } {
  return business.is_active ? { label: "Active", tone: "brand" } : { label: "Suspended", tone: "red" };
}

/** Messages sent this month against the plan's monthly allowance (null: unlimited). */
export function usageShare(usage: PartnerUsage): number | null {
  const limit = usage.messages_per_month;
  if (limit === null || limit <= 0) return null;
  return usage.messages_sent / limit;
}

export function usageText(usage: PartnerUsage): string {
  const limit = usage.messages_per_month;
  return limit === null ? `${formatCount(usage.messages_sent)} · unlimited` : `${formatCount(usage.messages_sent)} of ${formatCount(limit)}`;
}

/** Meta's quality rating as a traffic light; anything else (UNKNOWN, blank) is grey. */
const QUALITY: Record<string, { label: string; tone: Tone }> = {
  GREEN: { label: "High quality", tone: "brand" },
  YELLOW: { label: "Medium quality", tone: "amber" },
  RED: { label: "Low quality", tone: "red" },
};

export function qualityInfo(rating: string): { label: string; tone: Tone } {
  return QUALITY[rating.toUpperCase()] ?? { label: "Quality unknown", tone: "neutral" };
}

/** The address a business is reached at, without the scheme: "bakery.localhost:3000". */
export function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

export { formatCount };
