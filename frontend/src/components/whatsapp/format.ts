/** Words for the Graph API's health values of a number. */
import type { PhoneNumber } from "@/lib/api/types";

/** TIER_250 / TIER_2K / TIER_UNLIMITED → how many customers a day the number may start chats with. */
export function tierLabel(tier: string): string {
  if (!tier) return "Unknown";
  const match = /^TIER_(\w+)$/.exec(tier);
  if (!match?.[1]) return tier;
  if (match[1] === "UNLIMITED") return "Unlimited";
  return `${match[1]} customers / 24 h`;
}

export function throughputLabel(number: Pick<PhoneNumber, "throughput_mps" | "throughput_level">): string {
  const level = number.throughput_level ? ` (${number.throughput_level.toLowerCase()})` : "";
  return `${number.throughput_mps.toLocaleString()} msg/s${level}`;
}

const VIA: Record<string, string> = {
  embedded_signup: "Embedded Signup",
  manual: "Entered by hand",
  bootstrap: "Server setup",
};

export function connectedViaLabel(via: string): string {
  return VIA[via] ?? via;
}

export function statusLabel(status: string): string {
  if (!status) return "Unknown";
  return status.charAt(0) + status.slice(1).toLowerCase().replace(/_/g, " ");
}

export function dateTimeLabel(value: string | null): string {
  return value ? new Date(value).toLocaleString() : "Never";
}
