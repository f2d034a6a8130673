import type { CampaignCounts } from "@/lib/api/campaigns";
import { cx } from "@/components/ui";
import { count, percent } from "./format";

const STEPS: ReadonlyArray<{ key: keyof CampaignCounts; label: string; bar: string }> = [
  { key: "recipients", label: "Recipients", bar: "bg-slate-400" },
  { key: "sent", label: "Sent", bar: "bg-sky-500" },
  { key: "delivered", label: "Delivered", bar: "bg-brand-600" },
  { key: "read", label: "Read", bar: "bg-brand-800" },
  { key: "replied", label: "Replied", bar: "bg-violet-600" },
  { key: "failed", label: "Failed", bar: "bg-red-500" },
];

/** The funnel as horizontal bars, each a share of the recipients (a plain chart: no library needed). */
export function Funnel({ counts, label = "Funnel", compact = false }: { counts: CampaignCounts; label?: string; compact?: boolean }) {
  const whole = counts.recipients;
  return (
    <figure aria-label={label} className="space-y-2">
      {STEPS.map((step) => {
        const value = Number(counts[step.key] ?? 0);
        const share = whole ? Math.min(100, (100 * value) / whole) : 0;
        return (
          <div key={step.key} data-testid={`funnel-${step.key}`} className={cx("grid items-center gap-3", compact ? "grid-cols-[5.5rem_1fr_6rem]" : "grid-cols-[7rem_1fr_8rem]")}>
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
