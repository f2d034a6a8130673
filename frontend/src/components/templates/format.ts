/** How templates' statuses, categories, quality and history read on screen. */
import type { Template, TemplateEvent } from "@/lib/api/templates";

export type Tone = "neutral" | "brand" | "amber" | "red" | "blue";

const STATUS: Record<string, { label: string; tone: Tone }> = {
  APPROVED: { label: "Approved", tone: "brand" },
  PENDING: { label: "Pending review", tone: "blue" },
  REJECTED: { label: "Rejected", tone: "red" },
  PAUSED: { label: "Paused", tone: "amber" },
  DISABLED: { label: "Disabled", tone: "red" },
  FLAGGED: { label: "Flagged", tone: "amber" },
  IN_APPEAL: { label: "In appeal", tone: "blue" },
  REINSTATED: { label: "Reinstated", tone: "brand" },
  PENDING_DELETION: { label: "Pending deletion", tone: "neutral" },
  DELETED: { label: "Deleted", tone: "neutral" },
  LIMIT_EXCEEDED: { label: "Limit exceeded", tone: "red" },
  LOCKED: { label: "Locked", tone: "neutral" },
  ARCHIVED: { label: "Archived", tone: "neutral" },
  UNARCHIVED: { label: "Unarchived", tone: "neutral" },
  UNKNOWN: { label: "Unknown", tone: "neutral" },
};

/** Filter choices for the list (the statuses people look for; the rest show under "All"). */
export const STATUS_FILTERS: ReadonlyArray<{ value: string; label: string }> = [
  { value: "", label: "All statuses" },
  ...["APPROVED", "PENDING", "REJECTED", "PAUSED", "DISABLED", "FLAGGED", "ARCHIVED"].map((value) => ({ value, label: STATUS[value]!.label })),
];

export const CATEGORIES: ReadonlyArray<{ value: "MARKETING" | "UTILITY" | "AUTHENTICATION"; label: string }> = [
  { value: "MARKETING", label: "Marketing" },
  { value: "UTILITY", label: "Utility" },
  { value: "AUTHENTICATION", label: "Authentication" },
];

export function statusInfo(status: string): { label: string; tone: Tone } {
  const key = status.toUpperCase();
  return STATUS[key] ?? { label: humanize(status), tone: "neutral" };
}

export function categoryLabel(category: string): string {
  return CATEGORIES.find((c) => c.value === category.toUpperCase())?.label ?? humanize(category);
}

const QUALITY: Record<string, { label: string; tone: Tone }> = {
  GREEN: { label: "High quality", tone: "brand" },
  YELLOW: { label: "Medium quality", tone: "amber" },
  RED: { label: "Low quality", tone: "red" },
  UNKNOWN: { label: "Quality pending", tone: "neutral" },
};

export function qualityInfo(score: string): { label: string; tone: Tone } | null {
  if (!score) return null;
  return QUALITY[score.toUpperCase()] ?? { label: humanize(score), tone: "neutral" };
}

/** "INVALID_FORMAT" → "Invalid format". */
export function humanize(code: string): string {
  if (!code) return "";
  const text = code.replace(/_/g, " ").toLowerCase();
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Why a rejected (or paused) template is where it is, in one line, or "". */
export function rejection(template: Pick<Template, "rejected_reason" | "reason_detail">): string {
  const reason = template.rejected_reason && template.rejected_reason !== "NONE" ? humanize(template.rejected_reason) : "";
  return [reason, template.reason_detail].filter(Boolean).join(": ");
}

const EVENT_KINDS: Record<string, string> = {
  status: "Status",
  quality: "Quality",
  category: "Category",
  components: "Components edited",
  created: "Submitted",
  edited: "Edited",
  deleted: "Deleted",
  synced: "Changed in Meta's tools",
  acknowledged: "Acknowledged",
};

const SOURCES: Record<string, string> = { webhook: "Meta (webhook)", sync: "Meta (sync)", member: "A member" };

export function eventKindLabel(kind: string): string {
  return EVENT_KINDS[kind] ?? humanize(kind);
}

/** Who or what made a change: the member's email, else the source. */
export function eventActor(event: Pick<TemplateEvent, "actor_email" | "source">): string {
  if (event.actor_email) return event.actor_email;
  return event.source ? (SOURCES[event.source] ?? humanize(event.source)) : "Meta";
}

/** The value of an event as people read it (a status or quality code humanized). */
export function eventValue(event: Pick<TemplateEvent, "kind" | "value">): string {
  if (!event.value) return "";
  if (event.kind === "status") return statusInfo(event.value).label;
  if (event.kind === "quality") return qualityInfo(event.value)?.label ?? event.value;
  if (event.kind === "category") return categoryLabel(event.value);
  return event.value;
}

export function formatWhen(iso: string | null | undefined): string {
  if (!iso) return "";
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? "" : date.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

/** Meta allows edits only in these states (reference §5.4). */
export function editable(status: string): boolean {
  return ["APPROVED", "REJECTED", "PAUSED"].includes(status.toUpperCase());
}
