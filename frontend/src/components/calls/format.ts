import type { Call, CallStatus } from "@/lib/api/calls";

/** A live `call` event (apps.calls.services.publish): ids and states only; the call is refetched. */
export interface CallLiveEvent {
  call_id: number;
  conversation_id: number;
  status: CallStatus;
  direction: string;
  agent_id: number | null;
  has_sdp_answer: boolean;
}

/** The live event's data, or null when it isn't one. */
export function callEventOf(data: unknown): CallLiveEvent | null {
  if (typeof data !== "object" || data === null) return null;
  const record = data as Record<string, unknown>;
  const id = Number(record.call_id);
  return Number.isFinite(id) && typeof record.status === "string" ? (record as unknown as CallLiveEvent) : null;
}

const ENDED: ReadonlySet<CallStatus> = new Set(["rejected", "missed", "completed", "failed"]);

export function isEnded(status: CallStatus): boolean {
  return ENDED.has(status);
}

export const STATUS_WORDS: Record<CallStatus, string> = {
  connecting: "Calling…",
  ringing: "Ringing…",
  pre_accepted: "Connecting…",
  accepted: "On call",
  rejected: "Declined",
  missed: "Missed",
  completed: "Ended",
  failed: "Failed",
};

/** 75 → "1:15"; 3725 → "1:02:05". */
export function duration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const hh = Math.floor(s / 3600);
  const mm = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, "0");
  return hh ? `${hh}:${String(mm).padStart(2, "0")}:${ss}` : `${mm}:${ss}`;
}

/** The customer's number: who called us, or whom we called. */
export function customerNumber(call: Pick<Call, "direction" | "from_number" | "to_number">): string {
  const raw = call.direction === "business_initiated" ? call.to_number : call.from_number;
  return raw ? `+${raw.replace(/^\+/, "")}` : "Unknown number";
}

/** One line for a call in the thread and the log: "Missed call", "Incoming call · 2:31 · Ana". */
export function callSummary(call: Call, agentName?: string): string {
  const incoming = call.direction !== "business_initiated";
  if (call.status === "missed") return incoming ? "Missed call" : "Unanswered call";
  const what = incoming ? "Incoming call" : "Outgoing call";
  const parts = [what];
  if (call.status === "completed" && call.duration_seconds != null) parts.push(duration(call.duration_seconds));
  else if (call.status !== "completed") parts.push(STATUS_WORDS[call.status].replace("…", "").toLowerCase());
  if (agentName) parts.push(agentName);
  return parts.join(" · ");
}
