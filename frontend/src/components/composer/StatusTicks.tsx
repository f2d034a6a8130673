import type { MessageStatus } from "@/lib/api/types";
import { Badge, cx } from "@/components/ui";

const LABELS: Record<MessageStatus, string> = {
  queued: "Queued",
  sending: "Sending",
  sent: "Sent",
  delivered: "Delivered",
  read: "Read",
  failed: "Failed",
  received: "Received",
  // The send may or may not have reached WhatsApp and will not be retried by itself: a person decides.
  unknown: "Not confirmed",
};

export function statusLabel(status: string): string {
  return LABELS[status as MessageStatus] ?? status;
}

/** Statuses after which nothing more is expected soon (polling stops there). */
export const SETTLED_STATUSES: ReadonlySet<string> = new Set(["delivered", "read", "failed", "received", "unknown"]);

/** WhatsApp's marks: a clock while queued, ✓ sent, ✓✓ delivered, blue ✓✓ read, a red ! when failed. */
export function StatusTicks({ status, className }: { status: string; className?: string }) {
  const label = statusLabel(status);
  const common = cx("inline-block h-3.5 w-[18px] shrink-0", className);
  if (status === "queued" || status === "sending") {
    return (
      <svg viewBox="0 0 18 14" className={cx(common, "text-slate-400")} role="img" aria-label={label}>
        <circle cx="9" cy="7" r="5.2" fill="none" stroke="currentColor" strokeWidth="1.4" />
        <path d="M9 4.2V7l2 1.4" fill="none" stroke="currentColor" strokeWidth="1.4" strokeLinecap="round" />
      </svg>
    );
  }
  if (status === "failed") {
    return (
      <svg viewBox="0 0 18 14" className={cx(common, "text-red-600")} role="img" aria-label={label}>
        <circle cx="9" cy="7" r="6" fill="currentColor" />
        <path d="M9 3.8v4M9 9.6v.4" stroke="white" strokeWidth="1.6" strokeLinecap="round" />
      </svg>
    );
  }
  if (status === "unknown") {
    return (
      <svg viewBox="0 0 18 14" className={cx(common, "text-amber-500")} role="img" aria-label={label}>
        <circle cx="9" cy="7" r="6" fill="currentColor" />
        <path d="M7.2 5.2a1.9 1.9 0 1 1 2.6 1.8c-.5.2-.8.6-.8 1.1v.3M9 10.2v.2" fill="none" stroke="white" strokeWidth="1.5" strokeLinecap="round" />
      </svg>
    );
  }
  if (status === "sent") {
    return (
      <svg viewBox="0 0 18 14" className={cx(common, "text-slate-500")} role="img" aria-label={label}>
        <path d="M3 7.5l3 3 7-7.5" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" strokeLinejoin="round" />
      </svg>
    );
  }
  if (status === "delivered" || status === "read") {
    return (
      <svg viewBox="0 0 18 14" className={cx(common, status === "read" ? "text-sky-500" : "text-slate-500")} role="img" aria-label={label}>
        <path
          d="M1 7.5l3 3 7-7.5M7 10.5l.5.2L14.5 3"
          fill="none"
          stroke="currentColor"
          strokeWidth="1.6"
          strokeLinecap="round"
          strokeLinejoin="round"
        />
      </svg>
    );
  }
  return <span className="sr-only">{label}</span>;
}

const TONES: Record<string, "neutral" | "brand" | "amber" | "red" | "blue"> = {
  queued: "neutral",
  sending: "amber",
  sent: "neutral",
  delivered: "brand",
  read: "blue",
  failed: "red",
  received: "neutral",
  unknown: "amber",
};

/** Ticks and the word, for lists and detail pages. */
export function StatusBadge({ status }: { status: string }) {
  return (
    <Badge tone={TONES[status] ?? "neutral"} className="gap-1">
      <StatusTicks status={status} className="h-3 w-4" />
      <span aria-hidden="true">{statusLabel(status)}</span>
    </Badge>
  );
}
