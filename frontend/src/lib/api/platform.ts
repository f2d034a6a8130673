import { createApiClient, cursorOf, PLATFORM_REFRESH_PATH, unwrap } from "@/lib/apiClient";
import type {
  FailedJob,
  FailedJobKind,
  FailedJobPage,
  FailedJobState,
  PaginatedPlatformBusinessList,
  PaginatedPlatformResellerList,
  PaginatedWebhookChangeList,
  PlatformBusiness,
  PlatformReseller,
  StaffLogin,
  StaffUser,
  WebhookChange,
  WebhookChangeReplay,
  WebhookEventReplay,
} from "./types";

/*
 * The platform staff console (public host only): staff sign-in, every business and reseller, the webhook inbox and
 * replays, failed jobs. Its own client: the staff session has its own cookies, refreshed at the platform's endpoint,
 * so an expired staff access cookie never triggers a business session's refresh.
 */

export type { FailedJob, FailedJobKind, FailedJobState, PlatformBusiness, PlatformReseller, StaffUser, WebhookChange };

export const staffApi = createApiClient({ refreshPath: PLATFORM_REFRESH_PATH });

/** Sets the staff session's httpOnly cookies for the public host on success. */
export async function staffLogin(body: StaffLogin): Promise<StaffUser> {
  const data = await unwrap(staffApi.POST("/api/platform/auth/login/", { body }));
  return data.user;
}

export async function staffLogout(): Promise<void> {
  await unwrap(staffApi.POST("/api/platform/auth/logout/"));
}

export async function getStaffUser(): Promise<StaffUser> {
  return unwrap(staffApi.GET("/api/platform/auth/user/"));
}

/** The business list's filters, as the page holds them ("" = any). `reseller` is an id or "none" (direct). */
export interface PlatformBusinessQuery {
  q: string;
  reseller: string;
  active: "" | "true" | "false";
}

export async function listPlatformBusinesses(query: PlatformBusinessQuery, nextUrl?: string | null): Promise<PaginatedPlatformBusinessList> {
  return unwrap(
    staffApi.GET("/api/platform/businesses/", {
      params: {
        query: {
          q: query.q || undefined,
          reseller: query.reseller || undefined,
          active: query.active ? query.active === "true" : undefined,
          cursor: cursorOf(nextUrl),
        },
      },
    }),
  );
}

export async function listPlatformResellers(q: string, nextUrl?: string | null, pageSize?: number): Promise<PaginatedPlatformResellerList> {
  return unwrap(staffApi.GET("/api/platform/resellers/", { params: { query: { q: q || undefined, cursor: cursorOf(nextUrl), page_size: pageSize } } }));
}

export type WebhookChangeStatus = "pending" | "handled" | "unroutable" | "failed" | "rejected";

export async function listWebhookChanges(status: WebhookChangeStatus | "", nextUrl?: string | null): Promise<PaginatedWebhookChangeList> {
  return unwrap(staffApi.GET("/api/platform/webhook-changes/", { params: { query: { status: status || undefined, cursor: cursorOf(nextUrl) } } }));
}

/** Routes an unroutable or failed change again, now; logged with the staff member's id. */
export async function replayWebhookChange(id: number): Promise<WebhookChangeReplay> {
  return unwrap(staffApi.POST("/api/platform/webhook-changes/{change_id}/replay/", { params: { path: { change_id: id } } }));
}

/** Routes a webhook event's unroutable and failed changes again; a dead event gets its attempts back. */
export async function replayWebhookEvent(id: number): Promise<WebhookEventReplay> {
  return unwrap(staffApi.POST("/api/platform/webhook-events/{event_id}/replay/", { params: { path: { event_id: id } } }));
}

export interface FailedJobQuery {
  kind: FailedJobKind | "";
  state: FailedJobState | "";
}

export async function listFailedJobs(query: FailedJobQuery, nextUrl?: string | null): Promise<FailedJobPage> {
  return unwrap(
    staffApi.GET("/api/platform/failed-jobs/", {
      params: { query: { kind: query.kind || undefined, state: query.state || undefined, cursor: cursorOf(nextUrl) } },
    }),
  );
}
