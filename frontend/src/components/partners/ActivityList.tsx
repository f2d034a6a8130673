"use client";

import Link from "next/link";

import { listActivity } from "@/lib/api/partners";
import type { PartnerEvent } from "@/lib/api/types";
import { partnerKeys } from "@/lib/query/keys";
import { useCursorQuery } from "@/lib/query/useCursorQuery";
import { formatWhen } from "@/components/templates/format";
import { Alert, Button, Spinner } from "@/components/ui";

const text = (value: unknown): string => (typeof value === "string" ? value : "");

/** The parts of an event's free-form `detail` worth a line: a role granted or changed, a suspension's reason. */
export function detailText(event: PartnerEvent): string | null {
  const { reason, role, old, new: changedTo } = event.detail as Record<string, unknown>;
  const parts: string[] = [];
  if (text(old) && text(changedTo)) parts.push(`${text(old)} → ${text(changedTo)}`);
  if (text(role)) parts.push(`as ${text(role)}`);
  if (text(reason)) parts.push(`“${text(reason)}”`);
  return parts.length ? parts.join(" · ") : null;
}

function EventRow({ event, showBusiness }: { event: PartnerEvent; showBusiness: boolean }) {
  const detail = detailText(event);
  return (
    <li className="flex flex-wrap items-baseline justify-between gap-x-4 gap-y-1 px-5 py-3 text-sm" data-testid="activity-row">
      <div className="min-w-0">
        <p className="text-slate-900">
          <span className="font-medium">{event.label}</span>
          {showBusiness && event.business_name ? (
            <>
              {" · "}
              {event.business_id !== null ? (
                <Link href={`/partners/businesses/${event.business_id}`} className="text-brand-800 hover:underline">
                  {event.business_name}
                </Link>
              ) : (
                event.business_name
              )}
            </>
          ) : null}
          {event.subject_email ? <span className="text-slate-600"> · {event.subject_email}</span> : null}
        </p>
        <p className="text-slate-500">
          {event.actor_email ? `by ${event.actor_email}` : "by the business"}
          {detail ? ` · ${detail}` : null}
        </p>
      </div>
      <time dateTime={event.created_at} className="shrink-0 text-xs text-slate-500">
        {formatWhen(event.created_at)}
      </time>
    </li>
  );
}

/** The reseller's audit log, newest first: everything, or one business's (`business`). */
export function ActivityList({ business }: { business?: number }) {
  const list = useCursorQuery<PartnerEvent>(partnerKeys.activity(business), (next) => listActivity(business, next));

  if (list.loading) {
    return (
      <p role="status" className="flex items-center gap-2 px-5 py-4 text-sm text-slate-500">
        <Spinner /> Loading activity…
      </p>
    );
  }
  return (
    <>
      {list.items.length === 0 && !list.error ? <p className="px-5 py-4 text-sm text-slate-500">Nothing has happened yet.</p> : null}
      <ul className="divide-y divide-slate-100" aria-label="Activity">
        {list.items.map((event) => (
          <EventRow key={event.id} event={event} showBusiness={business === undefined} />
        ))}
      </ul>
      {list.error ? <Alert className="m-3">{list.error}</Alert> : null}
      {list.hasMore ? (
        <div className="border-t border-slate-100 px-5 py-3 text-center">
          <Button variant="secondary" size="sm" loading={list.loadingMore} onClick={list.loadMore}>
            Load more
          </Button>
        </div>
      ) : null}
    </>
  );
}
