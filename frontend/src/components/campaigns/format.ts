/** How campaigns' statuses, stages, waits and money read on screen. */
import type { CampaignRetargetStage, CampaignStatus } from "@/lib/api/campaigns";

export type Tone = "neutral" | "brand" | "amber" | "red" | "blue";

const STATUS: Record<CampaignStatus, { label: string; tone: Tone }> = {
  draft: { label: "Draft", tone: "neutral" },
  scheduled: { label: "Scheduled", tone: "blue" },
  running: { label: "Running", tone: "brand" },
  paused: { label: "Paused", tone: "amber" },
  completed: { label: "Completed", tone: "brand" },
  cancelled: { label: "Cancelled", tone: "neutral" },
  failed: { label: "Failed", tone: "red" },
};

export function statusInfo(status: CampaignStatus): { label: string; tone: Tone } {
  return STATUS[status] ?? { label: status, tone: "neutral" };
}

export const STATUS_FILTERS: ReadonlyArray<{ value: CampaignStatus | ""; label: string }> = [
  { value: "", label: "All campaigns" },
  ...(Object.keys(STATUS) as CampaignStatus[]).map((value) => ({ value, label: STATUS[value].label })),
];

const WAITING: Record<string, string> = {
  quiet_hours: "Waiting for quiet hours to end in the recipients' time zones",
  local_time: "Waiting for the recipients' local send time",
  daily_limit: "The daily messaging limit is used up; the rest goes as it frees up",
  ab_decision: "A/B test: waiting to pick the winner for the rest of the audience",
  backoff: "Waiting a moment before retrying",
};

export function waitingText(reason: string): string {
  return WAITING[reason] ?? "Waiting";
}

export const RETARGET_STAGES: ReadonlyArray<{ value: CampaignRetargetStage; label: string; hint: string }> = [
  { value: "read_not_replied", label: "Read but not replied", hint: "They saw it: a follow-up may get the answer." },
  { value: "delivered_not_read", label: "Delivered but not read", hint: "A reminder for those who haven't opened it." },
  { value: "sent_not_delivered", label: "Sent but not delivered", hint: "Phones that were off or out of reach." },
  { value: "failed_retryable", label: "Failed, worth retrying", hint: "Temporary failures and Meta's 24-hour marketing cap." },
];

export const RECIPIENT_STATES: ReadonlyArray<{ value: string; label: string }> = [
  { value: "", label: "Every recipient" },
  { value: "pending", label: "Waiting" },
  { value: "queued", label: "Queued" },
  { value: "sent", label: "Sent" },
  { value: "delivered", label: "Delivered" },
  { value: "read", label: "Read" },
  { value: "replied", label: "Replied" },
  { value: "failed", label: "Failed" },
  { value: "skipped", label: "Not sent" },
  { value: "held", label: "Held for the A/B winner" },
];

export function stageLabel(state: string): string {
  return RECIPIENT_STATES.find((s) => s.value === state)?.label ?? state;
}

export function money(amount: string | number, currency = "USD"): string {
  const value = typeof amount === "string" ? Number(amount) : amount;
  if (!Number.isFinite(value)) return "";
  return new Intl.NumberFormat(undefined, { style: "currency", currency, maximumFractionDigits: value < 1 ? 4 : 2 }).format(value);
}

export function percent(part: number, whole: number): string {
  if (!whole) return "0%";
  const value = (100 * part) / whole;
  return `${value >= 10 || value === 0 ? Math.round(value) : value.toFixed(1)}%`;
}

export function count(n: number): string {
  return new Intl.NumberFormat().format(n);
}

/** Names for the audience's ids, when they are known (segments and imports come from their lists). */
export interface AudienceNames {
  segments?: ReadonlyArray<{ id: number; name: string }>;
  imports?: ReadonlyArray<{ id: number; file_name: string }>;
}

/** A campaign's audience (the API's JSON: one of segment_id, tags, contact_ids, import_id, all_opted_in, retarget) in words. */
export function audienceText(audience: Record<string, unknown>, names: AudienceNames = {}): string {
  if (typeof audience.segment_id === "number") {
    const segment = names.segments?.find((s) => s.id === audience.segment_id);
    return segment ? `The segment "${segment.name}"` : `Segment #${audience.segment_id}`;
  }
  if (Array.isArray(audience.tags)) return `Contacts tagged ${audience.tags.map(String).join(", ")}`;
  if (typeof audience.import_id === "number") {
    const found = names.imports?.find((i) => i.id === audience.import_id);
    return found ? `The contacts of the import ${found.file_name}` : `The contacts of import #${audience.import_id}`;
  }
  if (Array.isArray(audience.contact_ids)) return `${count(audience.contact_ids.length)} chosen contacts`;
  if (audience.all_opted_in) return "Everyone opted in to the template's kind of message";
  const retarget = audience.retarget as { campaign_id?: number; stage?: string } | undefined;
  if (retarget) {
    const stage = RETARGET_STAGES.find((s) => s.value === retarget.stage)?.label.toLowerCase() ?? retarget.stage ?? "";
    return `Recipients of the earlier campaign: ${stage}`;
  }
  return "—";
}

/** "HH:MM[:SS]" as "HH:MM". */
export function clock(value: string | null | undefined): string {
  return value ? value.slice(0, 5) : "";
}


/** A moment as the business sees it: in its time zone, named. */
export function inZone(iso: string | null | undefined, timeZone: string | undefined): string {
  if (!iso) return "";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "";
  try {
    const text = date.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short", timeZone });
    return timeZone ? `${text} (${timeZone})` : text;
  } catch {
    return date.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" }); // an unknown zone: the browser's
  }
}
