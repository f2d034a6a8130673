import type { AttributeDefinition, ConsentSource, ConsentState, Contact } from "@/lib/api/types";

const NUMBER = new Intl.NumberFormat("en");

export function formatCount(n: number): string {
  return NUMBER.format(n);
}

/** "1 contact", "1,234 contacts". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

/** The name people recognise: the name, else the phone, else the WhatsApp user id. */
export function contactLabel(contact: Pick<Contact, "name" | "phone" | "wa_user_id" | "id">): string {
  return contact.name || contact.phone || contact.wa_user_id || `Contact ${contact.id}`;
}

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return "—";
  return new Date(iso).toLocaleDateString(undefined, { year: "numeric", month: "short", day: "numeric" });
}

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return "—";
  return new Date(iso).toLocaleString(undefined, { year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" });
}

const RELATIVE = new Intl.RelativeTimeFormat("en", { numeric: "auto" });
const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 365 * 24 * 3600],
  ["month", 30 * 24 * 3600],
  ["week", 7 * 24 * 3600],
  ["day", 24 * 3600],
  ["hour", 3600],
  ["minute", 60],
];

/** "3 days ago"; "Never" without a date. `now` is injectable for tests. */
export function formatRelative(iso: string | null | undefined, now: number = Date.now()): string {
  if (!iso) return "Never";
  const seconds = (new Date(iso).getTime() - now) / 1000;
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) return RELATIVE.format(Math.round(seconds / size), unit);
  }
  return "just now";
}

export const CONSENT_LABELS: Record<ConsentState, string> = {
  opted_in: "Opted in",
  opted_out: "Opted out",
  unknown: "Unknown",
};

export const CONSENT_TONES = { opted_in: "brand", opted_out: "red", unknown: "neutral" } as const;

export const SOURCE_LABELS: Record<ConsentSource, string> = {
  web_form: "Web form",
  whatsapp: "WhatsApp conversation",
  checkout: "Checkout",
  offline: "In person / paper",
  import: "Import",
  api: "API",
  agent: "Agent",
  keyword: "Keyword",
  meta_preference: "Meta user preference",
  suppression: "Earlier opt-out of an erased contact",
};

/** An attribute value as text: "Yes"/"No" for booleans, dates as stored (YYYY-MM-DD). */
export function formatAttribute(definition: AttributeDefinition | undefined, value: unknown): string {
  if (value === null || value === undefined || value === "") return "—";
  if (definition?.type === "boolean" || typeof value === "boolean") return value ? "Yes" : "No";
  return String(value);
}
