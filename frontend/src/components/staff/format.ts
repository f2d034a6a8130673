/** How the staff console words its rows: times, counts, payment states, webhook and job states. */
import type { FailedJobKind, FailedJobState, SubscriptionStatus } from "@/lib/api/types";

export type Tone = "neutral" | "brand" | "amber" | "red" | "blue";

export function formatWhen(iso: string | null | undefined): string {
  if (!iso) return "";
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? "" : date.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

export function formatCount(n: number): string {
  return n.toLocaleString();
}

const SUBSCRIPTION: Record<SubscriptionStatus, { label: string; tone: Tone }> = {
  trialing: { label: "Trial", tone: "blue" },
  active: { label: "Paying", tone: "brand" },
  past_due: { label: "Past due", tone: "amber" },
  canceled: { label: "Canceled", tone: "neutral" },
  read_only: { label: "Read-only", tone: "red" },
};

export function subscriptionInfo(status: SubscriptionStatus | null | undefined): { label: string; tone: Tone } {
  return status ? SUBSCRIPTION[status] : { label: "No subscription yet", tone: "neutral" };
}

const CHANGE_STATUS: Record<string, { label: string; tone: Tone }> = {
  pending: { label: "Pending", tone: "blue" },
  handled: { label: "Handled", tone: "brand" },
  unroutable: { label: "Unroutable", tone: "amber" },
  failed: { label: "Failed", tone: "red" },
  rejected: { label: "Rejected", tone: "neutral" },
};

export function changeStatusInfo(status: string): { label: string; tone: Tone } {
  return CHANGE_STATUS[status] ?? { label: status, tone: "neutral" };
}

export const JOB_KINDS: ReadonlyArray<{ value: FailedJobKind; label: string }> = [
  { value: "webhook_event", label: "Webhook event" },
  { value: "overage_charge", label: "Overage charge" },
];

export function jobKindLabel(kind: FailedJobKind): string {
  return JOB_KINDS.find((k) => k.value === kind)?.label ?? kind;
}

export function jobStateInfo(state: FailedJobState): { label: string; tone: Tone } {
  return state === "dead" ? { label: "Needs a person", tone: "red" } : { label: "Retrying", tone: "amber" };
}
