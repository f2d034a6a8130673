/**
 * Dates as the business counts them: days in its time zone (the server's `from`/`to` are its dates, YYYY-MM-DD).
 */

export type Preset = "today" | "7d" | "30d" | "custom";

/** Today's date (YYYY-MM-DD) in `timeZone`, whatever the browser's own zone is. */
export function todayIn(timeZone: string, now: Date = new Date()): string {
  try {
    return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(now);
  } catch {
    return now.toISOString().slice(0, 10); // an unknown zone: UTC
  }
}

/** `iso` moved by `days` (calendar arithmetic on the date alone, no time zone involved). */
export function addDays(iso: string, days: number): string {
  const date = new Date(`${iso}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

export function presetRange(preset: Exclude<Preset, "custom">, today: string): { from: string; to: string } {
  const span = { today: 1, "7d": 7, "30d": 30 }[preset];
  return { from: addDays(today, 1 - span), to: today };
}

/** Days between two dates, both included. */
export function daysIn(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;
}

/** A duration in seconds as a person reads it: "45 s", "12 min", "3 h 5 min", "2 d 4 h"; "—" when there is none. */
export function duration(seconds: number | null | undefined): string {
  if (seconds == null || !Number.isFinite(seconds)) return "—";
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  const minutes = Math.round(s / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
  const days = Math.floor(hours / 24);
  return hours % 24 ? `${days} d ${hours % 24} h` : `${days} d`;
}

/** A rate (0..1) as a percentage; "—" when nothing was counted. */
export function rate(value: number | null | undefined): string {
  if (value == null) return "—";
  const pct = value * 100;
  return `${pct >= 10 || pct === 0 ? Math.round(pct) : pct.toFixed(1)}%`;
}

/** "Mar 5" for a chart's axis (the date itself, no zone conversion). */
export function shortDay(iso: string): string {
  return new Date(`${iso}T00:00:00Z`).toLocaleDateString(undefined, { month: "short", day: "numeric", timeZone: "UTC" });
}
