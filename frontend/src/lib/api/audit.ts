/** The audit log (apps/audit): owners and admins read and export who did what, from where. */
import { api, cursorOf, unwrap } from "@/lib/apiClient";
import type { CursorPage } from "./pages";
import type { AuditAction, AuditActorType, AuditEvent } from "./types";

export interface AuditQuery {
  /** An action (`campaign.started`) or a whole area (`campaign`). */
  action?: string;
  actor_type?: AuditActorType | "";
  /** One actor (with `actor_type`), or one thing acted on (`target_type` and `target_id`). */
  actor_id?: string;
  target_type?: string;
  target_id?: string;
  /** ISO instants: from `since` (included) to `until` (excluded). */
  since?: string;
  until?: string;
}

function queryOf(query: AuditQuery): Record<string, string> {
  return Object.fromEntries(Object.entries(query).filter(([, value]) => value)) as Record<string, string>;
}

export async function listAuditEvents(query: AuditQuery, nextUrl?: string | null): Promise<CursorPage<AuditEvent>> {
  return unwrap(api.GET("/api/audit/events/", { params: { query: { ...queryOf(query), cursor: cursorOf(nextUrl) } } }));
}

export async function listAuditActions(): Promise<AuditAction[]> {
  return unwrap(api.GET("/api/audit/actions/"));
}

/** The CSV of the same filter: a plain link (the browser downloads it with the session cookie). */
export function auditCsvUrl(query: AuditQuery): string {
  const params = new URLSearchParams(queryOf(query)).toString();
  return `/api/audit/events.csv${params ? `?${params}` : ""}`;
}
