"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";

import { count, money } from "@/components/campaigns/format";
import { useBusinessTimeZone } from "@/components/campaigns/useBusinessTimeZone";
import { Alert, Card, CardBody, CardHeader, Segmented, Spinner } from "@/components/ui";
import { getOverview, type AnalyticsOverview, type DateRange } from "@/lib/api/analytics";
import { analyticsKeys } from "@/lib/query/keys";
import { DailyChart } from "./DailyChart";
import { daysIn, duration, presetRange, rate, todayIn, type Preset } from "./dates";

const PRESETS: ReadonlyArray<{ value: Preset; label: string }> = [
  { value: "today", label: "Today" },
  { value: "7d", label: "7 days" },
  { value: "30d", label: "30 days" },
  { value: "custom", label: "Custom" },
];
const MAX_DAYS = 366;

function Kpi({ label, value, hint }: { label: string; value: string; hint?: string }) {
  return (
    <div className="rounded-xl border border-slate-200 bg-white px-4 py-3 shadow-xs">
      <dt className="text-xs font-medium text-slate-500">{label}</dt>
      <dd className="mt-1 text-2xl font-semibold text-slate-900">{value}</dd>
      {hint ? <dd className="mt-0.5 text-xs text-slate-500">{hint}</dd> : null}
    </div>
  );
}

/** The range picker: presets in the business's days, or two dates. */
function RangePicker({ preset, custom, onPreset, onCustom, problem }: {
  preset: Preset;
  custom: DateRange;
  onPreset: (p: Preset) => void;
  onCustom: (r: DateRange) => void;
  problem: string | null;
}) {
  return (
    <div className="flex flex-wrap items-end gap-3">
      <Segmented label="Date range" hideLabel value={preset} onChange={onPreset} options={PRESETS} />
      {preset === "custom" ? (
        <div className="flex flex-wrap items-end gap-2 text-sm">
          <label className="flex flex-col text-xs text-slate-600">
            From
            <input type="date" className="rounded-md border border-slate-300 px-2 py-1 text-sm" value={custom.from} max={custom.to}
              onChange={(e) => onCustom({ ...custom, from: e.target.value })} />
          </label>
          <label className="flex flex-col text-xs text-slate-600">
            To
            <input type="date" className="rounded-md border border-slate-300 px-2 py-1 text-sm" value={custom.to} min={custom.from}
              onChange={(e) => onCustom({ ...custom, to: e.target.value })} />
          </label>
          {problem ? <p role="alert" className="text-xs text-red-700">{problem}</p> : null}
        </div>
      ) : null}
    </div>
  );
}

function rangeProblem(range: DateRange): string | null {
  if (!range.from || !range.to) return "Choose both days.";
  if (range.from > range.to) return "The first day is after the last.";
  if (daysIn(range.from, range.to) > MAX_DAYS) return `At most ${MAX_DAYS} days at a time.`;
  return null;
}

/**
 * The dashboard's figures (GET /api/analytics/overview/): messages, delivery and read rates, response and resolution
 * times, calls, a chart per day, open conversations, spend, campaigns and each person's figures. Days are the business's
 * (Settings → Inbox time zone). Agents who see only their conversations get their own figures.
 */
export function DashboardAnalytics() {
  const timeZone = useBusinessTimeZone();
  const [preset, setPreset] = useState<Preset>("7d");
  const [custom, setCustom] = useState<DateRange | null>(null);
  const today = timeZone ? todayIn(timeZone) : "";
  const range: DateRange = !today
    ? { from: "", to: "" } // the time zone is loading: no day is known yet
    : preset === "custom" ? (custom ?? presetRange("30d", today)) : presetRange(preset, today);
  const problem = preset === "custom" && today ? rangeProblem(range) : null;
  const overview = useQuery({
    queryKey: analyticsKeys.overview(range.from, range.to),
    queryFn: () => getOverview(range),
    enabled: Boolean(timeZone) && !problem,
    placeholderData: keepPreviousData,
    staleTime: 60_000,
  });

  return (
    <section aria-labelledby="figures" className="mb-8 space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h2 id="figures" className="text-base font-semibold text-slate-900">
          Figures{timeZone ? <span className="ml-2 text-xs font-normal text-slate-500">days in {timeZone}</span> : null}
        </h2>
        <RangePicker
          preset={preset}
          custom={range}
          problem={problem}
          onPreset={(p) => {
            if (p === "custom" && !custom) setCustom(range);
            setPreset(p);
          }}
          onCustom={setCustom}
        />
      </div>
      {overview.isError ? (
        <Alert tone="error">The figures could not be loaded. {overview.error instanceof Error ? overview.error.message : ""}</Alert>
      ) : !overview.data ? (
        <div className="flex items-center gap-2 text-sm text-slate-500" role="status">
          <Spinner /> Loading the figures…
        </div>
      ) : (
        <Figures data={overview.data} />
      )}
    </section>
  );
}

function Figures({ data }: { data: AnalyticsOverview }) {
  const t = data.totals;
  const own = data.scope === "own";
  const nothing = t.messages_in + t.messages_out === 0 && t.first_responses === 0 && t.resolutions === 0;
  return (
    <div className="space-y-4">
      {own ? (
        <p className="text-sm text-slate-600">Your own figures: messages you sent, your responses and resolutions.</p>
      ) : null}
      <dl className="grid grid-cols-2 gap-3 md:grid-cols-4 xl:grid-cols-7">
        <Kpi label="Messages in" value={count(t.messages_in)} />
        <Kpi label="Messages out" value={count(t.messages_out)} hint={t.failed ? `${count(t.failed)} failed` : undefined} />
        <Kpi label="Delivery rate" value={rate(t.delivery_rate)} hint="delivered of sent" />
        <Kpi label="Read rate" value={rate(t.read_rate)} hint="read of delivered" />
        <Kpi label="First response" value={duration(t.first_response_seconds_mean)} hint={`mean of ${count(t.first_responses)}`} />
        <Kpi label="Resolution time" value={duration(t.resolution_seconds_mean)} hint={`mean of ${count(t.resolutions)}`} />
        <Kpi label="Calls" value={count(data.calls.total)}
          hint={`${count(data.calls.answered)} answered, ${count(data.calls.missed)} missed`} />
      </dl>

      <div className="grid gap-4 lg:grid-cols-3">
        <Card className="lg:col-span-2">
          <CardHeader title="Messages per day" />
          <CardBody>
            {nothing ? (
              <p className="py-8 text-center text-sm text-slate-500">No messages in these days yet.</p>
            ) : (
              <DailyChart series={data.series} />
            )}
          </CardBody>
        </Card>
        <Card>
          <CardHeader title="Open conversations" description="Now, by assignee" />
          <CardBody>
            {data.open_conversations.length === 0 ? (
              <p className="text-sm text-slate-500">No open conversations.</p>
            ) : (
              <ul className="divide-y divide-slate-100 text-sm">
                {data.open_conversations.map((o) => (
                  <li key={o.assignee_id ?? "none"} className="flex justify-between py-1.5">
                    <span className={o.assignee_id ? "text-slate-800" : "text-slate-500"}>{o.name}</span>
                    <span className="font-medium tabular-nums">{count(o.count)}</span>
                  </li>
                ))}
              </ul>
            )}
          </CardBody>
        </Card>
      </div>

      <Card>
        <CardHeader title="People" description="Replies, first responses and resolutions in these days" />
        <CardBody className="overflow-x-auto p-0">
          {data.agents.length === 0 ? (
            <p className="px-5 py-4 text-sm text-slate-500">Nobody has answered a customer in these days.</p>
          ) : (
            <table className="w-full text-sm">
              <thead className="bg-slate-50 text-left text-xs text-slate-500">
                <tr>
                  <th scope="col" className="px-5 py-2 font-medium">Person</th>
                  <th scope="col" className="px-3 py-2 text-right font-medium">Replies</th>
                  <th scope="col" className="px-3 py-2 text-right font-medium">First responses</th>
                  <th scope="col" className="px-3 py-2 text-right font-medium">Mean first response</th>
                  <th scope="col" className="px-3 py-2 text-right font-medium">Resolved</th>
                  <th scope="col" className="px-5 py-2 text-right font-medium">Mean resolution</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {data.agents.map((a) => (
                  <tr key={a.agent_id} aria-label={a.name}>
                    <th scope="row" className="px-5 py-2 text-left font-normal text-slate-800">{a.name}</th>
                    <td className="px-3 py-2 text-right tabular-nums">{count(a.replies)}</td>
                    <td className="px-3 py-2 text-right tabular-nums">{count(a.first_responses)}</td>
                    <td className="px-3 py-2 text-right tabular-nums">{duration(a.first_response_seconds_mean)}</td>
                    <td className="px-3 py-2 text-right tabular-nums">{count(a.resolutions)}</td>
                    <td className="px-5 py-2 text-right tabular-nums">{duration(a.resolution_seconds_mean)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </CardBody>
      </Card>

      {own ? null : (
        <div className="grid gap-4 lg:grid-cols-2">
          <Card>
            <CardHeader
              title="Spend by pricing category"
              description={data.spend?.basis === "wallet" ? "Charged to your wallet" : "Estimated at Meta's rates"}
            />
            <CardBody>
              {!data.spend || data.spend.by_category.length === 0 ? (
                <p className="text-sm text-slate-500">No billable messages in these days.</p>
              ) : (
                <ul className="divide-y divide-slate-100 text-sm">
                  {data.spend.by_category.map((line) => (
                    <li key={line.category} className="flex justify-between py-1.5">
                      <span className="capitalize text-slate-800">
                        {line.category.replaceAll("_", " ")} <span className="text-xs text-slate-500">({count(line.billable)} billable)</span>
                      </span>
                      <span className="tabular-nums">{money(line.amount, data.spend!.currency)}</span>
                    </li>
                  ))}
                  <li className="flex justify-between py-1.5 font-medium">
                    <span>Total</span>
                    <span className="tabular-nums">{money(data.spend.total, data.spend.currency)}</span>
                  </li>
                </ul>
              )}
            </CardBody>
          </Card>
          <Card>
            <CardHeader title="Campaigns" description="Started in these days" />
            <CardBody>
              {data.campaigns.length === 0 ? (
                <p className="text-sm text-slate-500">No campaign started in these days.</p>
              ) : (
                <ul className="divide-y divide-slate-100 text-sm">
                  {data.campaigns.map((c) => (
                    <li key={c.id} className="py-1.5">
                      <Link href={`/campaigns/${c.id}`} className="font-medium text-brand-700 hover:underline">{c.name}</Link>
                      <span className="ml-2 text-xs text-slate-500">
                        {count(c.sent)} sent · {rate(c.sent ? c.delivered / c.sent : null)} delivered · {rate(c.delivered ? c.read / c.delivered : null)} read · {count(c.replied)} replied
                        {c.failed ? ` · ${count(c.failed)} failed` : ""}
                      </span>
                    </li>
                  ))}
                </ul>
              )}
            </CardBody>
          </Card>
        </div>
      )}
    </div>
  );
}
