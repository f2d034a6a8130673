import type { Billing } from "@/lib/api/types";
import { categoryLabel, formatCount, messageCounts } from "./format";

/** This month's messages: sent and received, and what was sent by Meta's pricing category, as Meta reported it. */
export function MessageCounts({ counters }: { counters: Billing["counters"] }) {
  const counts = messageCounts(counters);
  return (
    <div className="space-y-4">
      <dl className="grid grid-cols-2 gap-4 text-sm sm:max-w-sm">
        <div className="rounded-lg bg-slate-50 px-3 py-2">
          <dt className="text-slate-500">Sent</dt>
          <dd className="text-lg font-semibold tabular-nums text-slate-900" data-testid="messages-sent">
            {formatCount(counts.sent)}
          </dd>
        </div>
        <div className="rounded-lg bg-slate-50 px-3 py-2">
          <dt className="text-slate-500">Received</dt>
          <dd className="text-lg font-semibold tabular-nums text-slate-900" data-testid="messages-received">
            {formatCount(counts.received)}
          </dd>
        </div>
      </dl>
      {counts.byCategory.length ? (
        <table className="w-full text-left text-sm">
          <caption className="mb-2 text-left text-slate-600">Sent messages as Meta priced them (from its delivery reports)</caption>
          <thead className="text-xs uppercase tracking-wide text-slate-500">
            <tr>
              <th scope="col" className="py-1.5 font-medium">
                Category
              </th>
              <th scope="col" className="py-1.5 text-right font-medium">
                Charged by Meta
              </th>
              <th scope="col" className="py-1.5 text-right font-medium">
                Free
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {counts.byCategory.map((row) => (
              <tr key={row.category}>
                <th scope="row" className="py-1.5 font-medium text-slate-800">
                  {categoryLabel(row.category)}
                </th>
                <td className="py-1.5 text-right tabular-nums">{formatCount(row.billable)}</td>
                <td className="py-1.5 text-right tabular-nums text-slate-600">
                  {formatCount(row.free)}
                  {row.unknown ? <span className="text-slate-400"> (+{formatCount(row.unknown)} not stated)</span> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="text-sm text-slate-500">Meta hasn&apos;t reported pricing for this month&apos;s messages yet.</p>
      )}
    </div>
  );
}
