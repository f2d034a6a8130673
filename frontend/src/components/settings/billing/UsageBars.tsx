import type { BillingUsage } from "@/lib/api/types";
import { cx } from "@/components/ui";
import { formatCount, LIMIT_LABELS } from "./format";

function barTone(share: number): string {
  if (share >= 1) return "bg-red-500";
  if (share >= 0.8) return "bg-amber-500";
  return "bg-brand-600";
}

/** One bar per limit of the plan: what is used against what the plan allows. */
export function UsageBars({ usage }: { usage: BillingUsage[] }) {
  return (
    <ul className="space-y-4" aria-label="Usage against your plan">
      {usage.map(({ limit, used, maximum }) => {
        const label = LIMIT_LABELS[limit];
        const share = used !== null && maximum ? Math.min(used / maximum, 1) : 0;
        const text =
          used === null
            ? maximum === null
              ? "Unlimited"
              : `Up to ${formatCount(maximum)}`
            : maximum === null
              ? `${formatCount(used)} · unlimited`
              : `${formatCount(used)} of ${formatCount(maximum)}`;
        return (
          <li key={limit}>
            <div className="flex items-baseline justify-between gap-3 text-sm">
              <span className="font-medium text-slate-800">{label}</span>
              <span className={cx("tabular-nums", used !== null && maximum !== null && used >= maximum ? "font-medium text-red-700" : "text-slate-600")}>
                {text}
              </span>
            </div>
            {maximum !== null && used !== null ? (
              <div
                role="progressbar"
                aria-label={label}
                aria-valuemin={0}
                aria-valuemax={maximum}
                aria-valuenow={Math.min(used, maximum)}
                aria-valuetext={text}
                className="mt-1.5 h-2 overflow-hidden rounded-full bg-slate-100"
              >
                <div className={cx("h-full rounded-full", barTone(share))} style={{ width: `${Math.round(share * 100)}%` }} />
              </div>
            ) : null}
          </li>
        );
      })}
    </ul>
  );
}
