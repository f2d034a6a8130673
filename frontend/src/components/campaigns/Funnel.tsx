import type { CampaignCounts } from "@/lib/api/campaigns";
import { cx } from "@/components/ui";
import { count, percent } from "./format";

type Step = "recipients" | "queued" | "sent" | "delivered" | "read" | "replied" | "failed";

const STEPS: ReadonlyArray<{ key: Step; label: string; bar: string; hint: string }> = [
  { key: "recipients", label: "Recipients", bar: "bg-slate-400", hint: "People the campaign goes to (after exclusions)" },
  { key: "queued", label: "Queued", bar: "bg-slate-500", hint: "Handed to the outbox for WhatsApp" },
  { key: "sent", label: "Sent", bar: "bg-sky-500", hint: "Accepted by WhatsApp" },
  { key: "delivered", label: "Delivered", bar: "bg-brand-600", hint: "On the recipient's phone" },
  { key: "read", label: "Read", bar: "bg-brand-800", hint: "Opened (when the recipient shares read receipts)" },
  { key: "replied", label: "Replied", bar: "bg-violet-600", hint: "Wrote back within the reply window" },
  { key: "failed", label: "Failed", bar: "bg-red-500", hint: "Refused by WhatsApp: see why below" },
];

/**
 * Each step's count, cumulative down the funnel. The API's `queued` is what is in the outbox right now; a
 * funnel wants everything that got that far, so it is what is still queued plus what went on (sent or failed).
 */
export function funnelValue(counts: CampaignCounts, step: Step): number {
  if (step === "queued") return counts.queued + counts.sent + counts.failed;
  return Number(counts[step] ?? 0);
}

/** The funnel as horizontal bars, each a share of the recipients (a plain chart: no library needed). */
export function Funnel({ counts, label = "Funnel", compact = false }: { counts: CampaignCounts; label?: string; compact?: boolean }) {
  const whole = counts.recipients;
  return (
    <figure aria-label={label} className="space-y-2">
      {STEPS.map((step) => {
        const value = funnelValue(counts, step.key);
        const share = whole ? Math.min(100, (100 * value) / whole) : 0;
        return (
          <div
            key={step.key}
            data-testid={`funnel-${step.key}`}
            title={step.hint}
            className={cx("grid items-center gap-3", compact ? "grid-cols-[5.5rem_1fr_6rem]" : "grid-cols-[7rem_1fr_8rem]", step.key === "failed" ? "border-t border-slate-100 pt-2" : "")}
          >
            <span className="text-sm text-slate-600">{step.label}</span>
            <span className="h-3 overflow-hidden rounded-full bg-slate-100" aria-hidden="true">
              <span className={cx("block h-full rounded-full transition-[width] duration-500", step.bar)} style={{ width: `${share}%` }} />
            </span>
            <span className="text-right text-sm tabular-nums text-slate-800">
              <span aria-label={`${step.label}: ${value}`}>{count(value)}</span>
              {step.key !== "recipients" ? <span className="ml-1 text-xs text-slate-500">{percent(value, whole)}</span> : null}
            </span>
          </div>
        );
      })}
    </figure>
  );
}

/** The progress bar: recipients past the outbox (sent, failed or not sent) of all. */
export function ProgressBar({ progress, live }: { progress: number; live: boolean }) {
  const value = Math.round(Math.max(0, Math.min(1, progress)) * 100);
  return (
    <div>
      <div
        role="progressbar"
        aria-label="Campaign progress"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={value}
        className="h-3 overflow-hidden rounded-full bg-slate-100"
      >
        <div className={cx("h-full rounded-full bg-brand-600 transition-[width] duration-700", live && value < 100 ? "animate-pulse" : "")} style={{ width: `${value}%` }} />
      </div>
      <p className="mt-1 text-right text-xs tabular-nums text-slate-500">{value}%</p>
    </div>
  );
}
