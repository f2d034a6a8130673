/** Words and times for the inbox. Every function takes `now` so tests don't depend on the clock. */
import type { Conversation, Member, Person } from "@/lib/api/types";

const HOUR = 3600_000;
const DAY = 24 * HOUR;

/** The name people recognise: the contact's name, else the phone, else the WhatsApp user id. */
export function conversationTitle(conversation: Pick<Conversation, "contact">): string {
  const { contact } = conversation;
  return contact.name || contact.phone || contact.wa_user_id || `Contact ${contact.id}`;
}

/** A teammate as the inbox names them: their name, else their email. */
export function memberName(member: Pick<Member, "first_name" | "last_name" | "email">): string {
  return `${member.first_name} ${member.last_name}`.trim() || member.email;
}

/** "Ada Lovelace" → "AL"; an email's first letter otherwise. */
export function initials(person: Pick<Person, "name" | "email">): string {
  const words = (person.name || person.email).split(/[\s@.]+/).filter(Boolean);
  const letters = words.length > 1 && person.name && person.name !== person.email ? words[0]!.charAt(0) + words[1]!.charAt(0) : words[0]?.charAt(0) ?? "?";
  return letters.toUpperCase();
}

function startOfDay(time: number): number {
  const d = new Date(time);
  d.setHours(0, 0, 0, 0);
  return d.getTime();
}

export function clockTime(iso: string): string {
  return new Date(iso).toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" });
}

/** The list's time column: 14:05 today, "Yesterday", a weekday within the week, else the date. */
export function listTime(iso: string, now: number = Date.now()): string {
  const at = new Date(iso).getTime();
  const days = Math.round((startOfDay(now) - startOfDay(at)) / DAY);
  if (days <= 0) return clockTime(iso);
  if (days === 1) return "Yesterday";
  if (days < 7) return new Date(iso).toLocaleDateString(undefined, { weekday: "short" });
  return new Date(iso).toLocaleDateString(undefined, { day: "numeric", month: "short" });
}

/** The thread's day separators: "Today", "Yesterday", else "Mon, 3 Nov 2026". */
export function dayLabel(iso: string, now: number = Date.now()): string {
  const days = Math.round((startOfDay(now) - startOfDay(new Date(iso).getTime())) / DAY);
  if (days === 0) return "Today";
  if (days === 1) return "Yesterday";
  return new Date(iso).toLocaleDateString(undefined, { weekday: "short", day: "numeric", month: "short", year: "numeric" });
}

export function sameDay(a: string, b: string): boolean {
  return startOfDay(new Date(a).getTime()) === startOfDay(new Date(b).getTime());
}

/** Whether free-form messages may go now. The server decides; this only keeps the page current between refreshes. */
export function windowIsOpen(conversation: Pick<Conversation, "window_open" | "window_expires_at">, now: number = Date.now()): boolean {
  if (!conversation.window_open || !conversation.window_expires_at) return false;
  return new Date(conversation.window_expires_at).getTime() > now;
}

/** "Window open · closes in 5 h" / "… in 12 min" / "Window closed — only templates". */
export function windowText(conversation: Pick<Conversation, "window_open" | "window_expires_at">, now: number = Date.now()): string {
  if (!windowIsOpen(conversation, now)) return "Window closed — only templates";
  const left = new Date(conversation.window_expires_at as string).getTime() - now;
  const words = left >= HOUR ? `${Math.floor(left / HOUR)} h` : `${Math.max(1, Math.ceil(left / 60_000))} min`;
  return `Window open · closes in ${words}`;
}

export const STATUS_LABELS = { open: "Open", pending: "Pending", resolved: "Resolved" } as const;

export const AUTOMATION_LABELS: Record<string, string> = {
  welcome: "Welcome message",
  away: "Away message",
  opt_out: "Opt-out confirmation",
  opt_in: "Opt-in confirmation",
};
