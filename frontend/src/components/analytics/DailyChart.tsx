import type { AnalyticsOverview } from "@/lib/api/analytics";
import { shortDay } from "./dates";

type Day = AnalyticsOverview["series"][number];

const HEIGHT = 140;
const AXIS = 18;

/**
 * Messages per day, in (customers) and out (the business), as stacked bars in plain SVG (no chart library). The
 * picture is for eyes; screen readers get the same numbers from the summary and from a visually hidden table.
 */
export function DailyChart({ series }: { series: ReadonlyArray<Day> }) {
  const max = Math.max(1, ...series.map((d) => d.messages_in + d.messages_out));
  const width = Math.max(series.length * 12, 240);
  const bar = width / series.length;
  const labelEvery = Math.max(1, Math.ceil(series.length / 8));
  const total = series.reduce((n, d) => n + d.messages_in + d.messages_out, 0);
  return (
    <figure className="m-0">
      <svg
        viewBox={`0 0 ${width} ${HEIGHT + AXIS}`}
        className="h-44 w-full"
        preserveAspectRatio="none"
        role="img"
        aria-label={`Messages per day: ${total} in ${series.length} day${series.length === 1 ? "" : "s"}`}
      >
        {series.map((d, i) => {
          const out = (d.messages_out / max) * HEIGHT;
          const inbound = (d.messages_in / max) * HEIGHT;
          const x = i * bar + bar * 0.15;
          const w = bar * 0.7;
          return (
            <g key={d.day}>
              <title>{`${d.day}: ${d.messages_in} in, ${d.messages_out} out`}</title>
              <rect x={x} y={HEIGHT - out} width={w} height={out} className="fill-brand-600" />
              <rect x={x} y={HEIGHT - out - inbound} width={w} height={inbound} className="fill-sky-300" />
              {i % labelEvery === 0 ? (
                <text x={x + w / 2} y={HEIGHT + 13} textAnchor="middle" className="fill-slate-500 text-[9px]">
                  {shortDay(d.day)}
                </text>
              ) : null}
            </g>
          );
        })}
      </svg>
      <figcaption className="mt-2 flex gap-4 text-xs text-slate-600">
        <span className="flex items-center gap-1.5">
          <span className="inline-block size-2.5 rounded-sm bg-sky-300" aria-hidden /> In (customers)
        </span>
        <span className="flex items-center gap-1.5">
          <span className="inline-block size-2.5 rounded-sm bg-brand-600" aria-hidden /> Out (your business)
        </span>
      </figcaption>
      <table className="sr-only">
        <caption>Messages per day</caption>
        <thead>
          <tr>
            <th scope="col">Day</th>
            <th scope="col">In</th>
            <th scope="col">Out</th>
          </tr>
        </thead>
        <tbody>
          {series.map((d) => (
            <tr key={d.day}>
              <td>{d.day}</td>
              <td>{d.messages_in}</td>
              <td>{d.messages_out}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
