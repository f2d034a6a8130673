import type { PartnerUsage } from "@/lib/api/types";
import { cx } from "@/components/ui";
import { usageShare, usageText } from "./format";

function barTone(share: number): string {
  if (share >= 1) return "bg-red-500";
  if (share >= 0.8) return "bg-amber-500";
  return "bg-brand-600";
}

/** Messages sent this month against the plan's allowance, with a bar when there is a limit. */
export function UsageMeter({ usage, className }: { usage: PartnerUsage; className?: string }) {
  const share = usageShare(usage);
  const text = usageText(usage);
  const over = share !== null && share >= 1;
  return (
    <div className={className} data-testid="usage">
      <span className={cx("text-sm tabular-nums", over ? "font-medium text-red-700" : "text-slate-700")}>{text}</span>
      {share !== null ? (
        <div
          role="progressbar"
          aria-label="Messages sent this month"
          aria-valuemin={0}
          aria-valuemax={usage.messages_per_month ?? undefined}
          aria-valuenow={Math.min(usage.messages_sent, usage.messages_per_month ?? usage.messages_sent)}
          aria-valuetext={text}
          className="mt-1 h-1.5 w-28 overflow-hidden rounded-full bg-slate-100"
        >
          <div className={cx("h-full rounded-full", barTone(share))} style={{ width: `${Math.round(Math.min(share, 1) * 100)}%` }} />
        </div>
      ) : null}
    </div>
  );
}
