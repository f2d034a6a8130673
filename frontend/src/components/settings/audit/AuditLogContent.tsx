"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";

import { PageHeader } from "@/components/app/PageHeader";
import { useSession } from "@/components/app/SessionProvider";
import { Alert, Badge, Button, Card, EmptyState, Input, Select, Spinner, buttonClasses } from "@/components/ui";
import { auditCsvUrl, listAuditActions, listAuditEvents, type AuditQuery } from "@/lib/api/audit";
import type { AuditActorType, AuditEvent } from "@/lib/api/types";
import { auditKeys } from "@/lib/query/keys";
import { useCursorQuery } from "@/lib/query/useCursorQuery";

const ACTOR_TYPES: { value: AuditActorType; label: string }[] = [
  { value: "member", label: "People" },
  { value: "api_key", label: "API keys" },
  { value: "reseller", label: "Reseller staff" },
  { value: "automation", label: "Automations" },
  { value: "meta", label: "Meta" },
  { value: "system", label: "System" },
];
const ACTOR_TONE: Record<AuditActorType, "neutral" | "brand" | "amber" | "blue"> = {
  member: "neutral",
  api_key: "blue",
  reseller: "amber",
  automation: "brand",
  meta: "brand",
  system: "neutral",
};

/** A day picked in the browser (yyyy-mm-dd) as the instant its local midnight is; `nextDay` for an inclusive end. */
export function dayStart(day: string, nextDay = false): string | undefined {
  if (!day) return undefined;
  const [year, month, date] = day.split("-").map(Number) as [number, number, number];
  return new Date(year, month - 1, date + (nextDay ? 1 : 0)).toISOString();
}

function target(event: AuditEvent): string {
  if (event.target_label) return event.target_label;
  return event.target_type ? `${event.target_type.replace(/_/g, " ")} #${event.target_id}` : "";
}

function Changes({ event }: { event: AuditEvent }) {
  const changes = Object.entries(event.changes ?? {});
  const detail = Object.entries(event.detail ?? {});
  if (!changes.length && !detail.length) return null;
  return (
    <ul className="mt-1 space-y-0.5 text-xs text-slate-500">
      {changes.map(([field, value]) => (
        <li key={`c-${field}`}>
          {field}: {Array.isArray(value) ? `${JSON.stringify(value[0])} → ${JSON.stringify(value[1])}` : String(value)}
        </li>
      ))}
      {detail.map(([field, value]) => (
        <li key={`d-${field}`}>
          {field.replace(/_/g, " ")}: {typeof value === "string" ? value : JSON.stringify(value)}
        </li>
      ))}
    </ul>
  );
}

export interface Focus {
  actor_type?: AuditActorType;
  actor_id?: string;
  target_type?: string;
  target_id?: string;
  label: string;
}

export function AuditLogTable({ events, onFocus }: { events: AuditEvent[]; onFocus: (focus: Focus) => void }) {
  return (
    <div className="overflow-x-auto">
      <table className="min-w-full divide-y divide-slate-100 text-sm">
        <thead className="bg-slate-50 text-left text-xs font-medium uppercase tracking-wide text-slate-500">
          <tr>
            <th scope="col" className="px-5 py-2">When</th>
            <th scope="col" className="px-5 py-2">Who</th>
            <th scope="col" className="px-5 py-2">What</th>
            <th scope="col" className="px-5 py-2">From where</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {events.map((event) => (
            <tr key={event.id} className="align-top">
              <td className="whitespace-nowrap px-5 py-3 text-slate-600">
                <time dateTime={event.occurred_at}>{new Date(event.occurred_at).toLocaleString()}</time>
              </td>
              <td className="px-5 py-3">
                <button
                  type="button"
                  className="text-left font-medium text-slate-900 hover:underline"
                  title="Show only this actor's events"
                  onClick={() => onFocus({ actor_type: event.actor_type, actor_id: event.actor_id, label: event.actor_label })}
                >
                  {event.actor_label || "—"}
                </button>
                <Badge tone={ACTOR_TONE[event.actor_type]} className="mt-1">
                  {ACTOR_TYPES.find((t) => t.value === event.actor_type)?.label ?? event.actor_type}
                </Badge>
              </td>
              <td className="px-5 py-3">
                <div className="text-slate-900">
                  {event.action_label}
                  {target(event) ? (
                    <>
                      {" · "}
                      <button
                        type="button"
                        className="text-slate-600 hover:underline"
                        title="Show only the events about this"
                        onClick={() => onFocus({ target_type: event.target_type, target_id: event.target_id, label: target(event) })}
                      >
                        {target(event)}
                      </button>
                    </>
                  ) : null}
                </div>
                <Changes event={event} />
              </td>
              <td className="px-5 py-3 text-xs text-slate-500">
                {event.ip ? <div>{event.ip}</div> : null}
                {event.user_agent ? (
                  <div className="max-w-56 truncate" title={event.user_agent}>
                    {event.user_agent}
                  </div>
                ) : null}
                {!event.ip && !event.user_agent ? <div>In the background</div> : null}
                {event.request_id ? <div className="font-mono">req {event.request_id.slice(0, 12)}</div> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Settings → Audit log: who did what, from where; filtered by area, kind of actor and days; exported as CSV. */
export function AuditLogContent() {
  const { user } = useSession();
  const [filters, setFilters] = useState({ action: "", actor_type: "" as AuditActorType | "", from: "", to: "" });
  const [focus, setFocus] = useState<Focus | null>(null);
  const allowed = user.capabilities.view_audit_log;
  const query: AuditQuery = {
    action: filters.action,
    actor_type: focus?.actor_type ?? filters.actor_type,
    actor_id: focus?.actor_id,
    target_type: focus?.target_type,
    target_id: focus?.target_id,
    since: dayStart(filters.from),
    until: dayStart(filters.to, true),
  };
  const actions = useQuery({ queryKey: auditKeys.actions(), queryFn: listAuditActions, enabled: allowed });
  const events = useCursorQuery<AuditEvent>(auditKeys.events(query), (next) => listAuditEvents(query, next), {
    enabled: allowed,
    keepPrevious: true,
  });
  const areas = [...new Set((actions.data ?? []).map((a) => a.area))];
  const set = (name: keyof typeof filters) => (e: { target: { value: string } }) =>
    setFilters((current) => ({ ...current, [name]: e.target.value }));

  if (!allowed) {
    return (
      <>
        <PageHeader title="Audit log" />
        <Alert tone="info">Only owners and admins can read the audit log.</Alert>
      </>
    );
  }
  const filtered = Boolean(focus || filters.action || filters.actor_type || filters.from || filters.to);
  return (
    <>
      <PageHeader
        title="Audit log"
        description="Who did what in this business, and from where: people, API keys, your reseller's staff and automations."
        actions={
          <a href={auditCsvUrl(query)} className={buttonClasses("secondary", "md")} download>
            Export CSV
          </a>
        }
      />
      <form aria-label="Filter the audit log" className="mb-4 grid gap-3 sm:grid-cols-4" onSubmit={(e) => e.preventDefault()}>
        <label className="text-sm text-slate-700">
          What
          <Select value={filters.action} onChange={set("action")} className="mt-1">
            <option value="">Everything</option>
            {areas.map((area) => (
              <optgroup key={area} label={area.replace(/_/g, " ")}>
                <option value={area}>All {area.replace(/_/g, " ")} events</option>
                {(actions.data ?? [])
                  .filter((a) => a.area === area)
                  .map((a) => (
                    <option key={a.action} value={a.action}>
                      {a.label}
                    </option>
                  ))}
              </optgroup>
            ))}
          </Select>
        </label>
        <label className="text-sm text-slate-700">
          Who
          <Select value={filters.actor_type} onChange={set("actor_type")} className="mt-1">
            <option value="">Anyone</option>
            {ACTOR_TYPES.map((t) => (
              <option key={t.value} value={t.value}>
                {t.label}
              </option>
            ))}
          </Select>
        </label>
        <label className="text-sm text-slate-700">
          From
          <Input type="date" value={filters.from} onChange={set("from")} className="mt-1" />
        </label>
        <label className="text-sm text-slate-700">
          To
          <Input type="date" value={filters.to} onChange={set("to")} className="mt-1" />
        </label>
      </form>
      {focus ? (
        <p className="mb-4 flex items-center gap-2 text-sm text-slate-700">
          Only events {focus.actor_id !== undefined ? "by" : "about"} <strong>{focus.label}</strong>
          <Button variant="secondary" size="sm" onClick={() => setFocus(null)}>
            Show everyone
          </Button>
        </p>
      ) : null}
      {events.error ? <Alert tone="error">{events.error}</Alert> : null}
      {events.loading ? (
        <p role="status" className="flex items-center gap-2 text-sm text-slate-500">
          <Spinner /> Loading the audit log…
        </p>
      ) : events.items.length === 0 && !events.error ? (
        <EmptyState
          title={filtered ? "Nothing matches these filters" : "Nothing recorded yet"}
          description={
            filtered
              ? "Try another area, person or date range."
              : "Changes to the team, numbers, contacts, templates, campaigns and developer settings will appear here."
          }
        />
      ) : (
        <Card>
          <AuditLogTable events={events.items} onFocus={setFocus} />
          {events.hasMore ? (
            <div className="border-t border-slate-100 px-5 py-3 text-center">
              <Button variant="secondary" size="sm" loading={events.loadingMore} onClick={() => events.loadMore()}>
                Load more
              </Button>
            </div>
          ) : null}
        </Card>
      )}
    </>
  );
}
