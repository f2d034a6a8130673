"use client";

import { Alert, Spinner } from "@/components/ui";
import type { AudiencePreview, CostEstimate } from "@/lib/api/campaigns";
import type { ApiError } from "@/lib/apiClient";
import { count, money } from "./format";

/** Lines of an estimate shown before "and N more". */
const LINES_SHOWN = 5;

/** The estimate's lines, one per country and category, at the rate card's price. */
export function EstimateLines({ estimate }: { estimate: CostEstimate }) {
  const rest = estimate.lines.length - LINES_SHOWN;
  return (
    <ul className="mt-1 space-y-0.5 text-xs text-slate-500" aria-label="Estimate by country and category">
      {estimate.lines.slice(0, LINES_SHOWN).map((line) => (
        <li key={`${line.country}-${line.category}`}>
          {count(line.count)} × {line.category.toLowerCase()} {line.country ? `to ${line.country}` : "(rest of world)"} at {money(line.rate, estimate.currency)} ={" "}
          {money(line.amount, estimate.currency)}
        </li>
      ))}
      {rest > 0 ? <li>and {count(rest)} more countries</li> : null}
    </ul>
  );
}

/** "TIER_2K" as "2K tier"; Meta's unlimited tier as it is. */
function tierName(tier: string): string {
  const short = tier.replace(/^TIER_/, "");
  return short === tier ? tier.toLowerCase() : `${short} tier`;
}

/**
 * Who an audience reaches: its size after exclusions, the estimated charges and the daily messaging limit, with
 * a warning when the audience is bigger than what the limit has left (it is then sent across days).
 */
export function AudienceSummary({ preview, loading, error, idle }: { preview?: AudiencePreview; loading: boolean; error: ApiError | null; idle?: string }) {
  if (error) return <Alert>{error.message}</Alert>;
  if (!preview) {
    return (
      <p className="text-sm text-slate-500">
        {loading ? (
          <>
            <Spinner className="mr-2 inline" /> Counting…
          </>
        ) : (
          (idle ?? "Choose a number, a template and an audience to see who it reaches.")
        )}
      </p>
    );
  }
  const { daily_limit: limit, estimate } = preview;
  const over = limit.remaining !== null && preview.recipients > limit.remaining;
  return (
    <div className="space-y-3 text-sm" aria-live="polite" aria-busy={loading || undefined}>
      <p>
        <span className="text-2xl font-semibold tabular-nums text-slate-900" data-testid="audience-size">
          {count(preview.recipients)}
        </span>{" "}
        {preview.recipients === 1 ? "person" : "people"} will get it{loading ? <Spinner className="ml-2 inline" /> : null}
      </p>
      <p className="text-slate-600" data-testid="audience-excluded">
        Left out: {count(preview.excluded.opted_out)} opted out of this kind of message, {count(preview.excluded.unreachable)} unreachable,{" "}
        {count(preview.excluded.duplicates)} duplicates.
      </p>
      <div>
        <p className="text-slate-600">
          Estimated WhatsApp charges: <strong data-testid="audience-estimate">{money(estimate.total, estimate.currency)}</strong>{" "}
          <span className="text-xs text-slate-500">(rate card of {estimate.rate_card_date})</span>
        </p>
        <EstimateLines estimate={estimate} />
      </div>
      <p className="text-slate-600" data-testid="daily-limit">
        Daily messaging limit ({tierName(limit.tier)}):{" "}
        {limit.limit === null
          ? "unlimited."
          : `${count(limit.used)} of ${count(limit.limit)} people used in the last 24 hours, ${count(limit.remaining ?? 0)} left.`}
      </p>
      {over ? (
        <Alert tone="info">
          That is more than the {count(limit.remaining ?? 0)} people the daily limit has left. Starting it will offer to split it across days: what fits
          goes now, the rest as the limit frees up over the next 24 hours, each person still once.
        </Alert>
      ) : null}
    </div>
  );
}
