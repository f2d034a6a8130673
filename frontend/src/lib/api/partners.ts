/**
 * The partner console's API (partners.<base domain>) and reseller signup (the public host).
 *
 * Console sign-in is served at /api/auth/... on the console's host, the same paths a business's host uses, so the
 * client's refresh (REFRESH_PATH) and its list of auth paths that must not refresh apply unchanged. The schema
 * documents those operations as /api/partners/auth/..., and /api/auth/... as the business's (another body), so these
 * few calls go through the client's transport with the console's documented types instead of the typed `api`.
 */
import { ApiError, api, cursorOf, unwrap } from "@/lib/apiClient";
import type { paths } from "./schema.gen";
import type {
  PaginatedPartnerBusinessList,
  PaginatedPartnerEventList,
  PaginatedPartnerInviteList,
  PaginatedPartnerMemberList,
  PartnerBusiness,
  PartnerBusinessCreate,
  PartnerBusinessEnter,
  PartnerInvite,
  PartnerInviteAccept,
  PartnerInviteCreate,
  PartnerInviteInfo,
  PartnerLogin,
  PartnerMember,
  PartnerRole,
  PartnerSession,
  PartnerSignup,
  PartnerSignupResult,
  PaginatedPartnerWalletEntryList,
  PartnerWallet,
  PartnerWalletEntry,
  PartnerWalletFund,
  PartnerWalletOpen,
  PartnerWalletTerms,
} from "./types";

// --- Console sessions --------------------------------------------------------------------------------------------

type ConsoleAuthPath = "/api/auth/login/" | "/api/auth/handoff/" | "/api/auth/logout/" | "/api/auth/user/";

async function consoleAuth<T>(path: ConsoleAuthPath, method: "GET" | "POST", body?: unknown): Promise<T> {
  const { baseUrl, fetch } = api.transport;
  const headers: Record<string, string> = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  // The transport refreshes on a 401 where that makes sense and throws an ApiError for every failed answer.
  const response = await fetch(
    new Request(baseUrl + path, {
      method,
      headers,
      credentials: "same-origin",
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
  );
  return (response.status === 204 ? undefined : await response.json()) as T;
}

/** Sets the console's httpOnly auth cookies on success. `reseller` (a slug) chooses one for people in several. */
export function partnerLogin(body: PartnerLogin): Promise<PartnerSession> {
  return consoleAuth("/api/auth/login/", "POST", body);
}

/** Exchanges reseller signup's single-use token for a console session. */
export function partnerHandoff(token: string): Promise<PartnerSession> {
  return consoleAuth("/api/auth/handoff/", "POST", { token });
}

export async function partnerLogout(): Promise<void> {
  await consoleAuth("/api/auth/logout/", "POST");
}

export function getPartnerSession(): Promise<PartnerSession> {
  return consoleAuth("/api/auth/user/", "GET");
}

/** On the public host: the reseller and its first admin; answers a sign-in link to the console. */
export async function partnerSignup(body: PartnerSignup): Promise<PartnerSignupResult> {
  return unwrap(api.POST("/api/partners/signup/", { body }));
}

// --- Client businesses -------------------------------------------------------------------------------------------

type DocumentedBusinessQuery = NonNullable<paths["/api/partners/businesses/"]["get"]["parameters"]["query"]>;
export type BusinessStatus = NonNullable<DocumentedBusinessQuery["status"]>;

export interface BusinessQuery {
  q?: string;
  status?: BusinessStatus | "";
}

/** First page, or the page behind a `next` link. Empty filters are left out of the query. */
export async function listBusinesses(query: BusinessQuery = {}, nextUrl?: string | null): Promise<PaginatedPartnerBusinessList> {
  const params: DocumentedBusinessQuery = {
    q: query.q?.trim() || undefined,
    status: query.status || undefined,
    cursor: cursorOf(nextUrl),
  };
  return unwrap(api.GET("/api/partners/businesses/", { params: { query: params } }));
}

export async function getBusiness(id: number): Promise<PartnerBusiness> {
  return unwrap(api.GET("/api/partners/businesses/{business_id}/", { params: { path: { business_id: id } } }));
}

/** The business on a schema from the warm pool; its owner gets an invitation by email. */
export async function createBusiness(body: PartnerBusinessCreate): Promise<PartnerBusiness> {
  return unwrap(api.POST("/api/partners/businesses/", { body }));
}

/** Its host goes offline (every session and API call stops) until it is resumed. */
export async function suspendBusiness(id: number, reason = ""): Promise<PartnerBusiness> {
  return unwrap(
    api.POST("/api/partners/businesses/{business_id}/suspend/", {
      params: { path: { business_id: id } },
      body: reason ? { reason } : {},
    }),
  );
}

export async function resumeBusiness(id: number): Promise<PartnerBusiness> {
  return unwrap(api.POST("/api/partners/businesses/{business_id}/resume/", { params: { path: { business_id: id } } }));
}

/**
 * A single-use sign-in link to the business's own host (open it at once: it lasts 5 minutes). Refused with 403
 * `reseller_access_revoked` when the business's owner turned the reseller's access off, 409 `business_suspended`.
 */
export async function enterBusiness(id: number): Promise<PartnerBusinessEnter> {
  return unwrap(api.POST("/api/partners/businesses/{business_id}/enter/", { params: { path: { business_id: id } } }));
}

// --- Activity ----------------------------------------------------------------------------------------------------

/** The reseller's audit log, newest first; `business` narrows it to one business. */
export async function listActivity(business?: number, nextUrl?: string | null): Promise<PaginatedPartnerEventList> {
  return unwrap(api.GET("/api/partners/activity/", { params: { query: { business, cursor: cursorOf(nextUrl) } } }));
}

// --- The reseller's team -----------------------------------------------------------------------------------------

export async function listPartnerMembers(nextUrl?: string | null): Promise<PaginatedPartnerMemberList> {
  return unwrap(api.GET("/api/partners/team/members/", { params: { query: { cursor: cursorOf(nextUrl) } } }));
}

/** 409 `last_admin` when it would leave the reseller without an admin. */
export async function updatePartnerMemberRole(id: number, role: PartnerRole): Promise<PartnerMember> {
  return unwrap(api.PATCH("/api/partners/team/members/{member_id}/", { params: { path: { member_id: id } }, body: { role } }));
}

export async function removePartnerMember(id: number): Promise<void> {
  await unwrap(api.DELETE("/api/partners/team/members/{member_id}/", { params: { path: { member_id: id } } }));
}

/** Admins only (support is refused with 403, so the console doesn't ask). */
export async function listPartnerInvites(nextUrl?: string | null): Promise<PaginatedPartnerInviteList> {
  return unwrap(api.GET("/api/partners/team/invites/", { params: { query: { cursor: cursorOf(nextUrl) } } }));
}

export async function createPartnerInvite(body: PartnerInviteCreate): Promise<PartnerInvite> {
  return unwrap(api.POST("/api/partners/team/invites/", { body }));
}

export async function revokePartnerInvite(id: string): Promise<void> {
  await unwrap(api.DELETE("/api/partners/team/invites/{invite_id}/", { params: { path: { invite_id: id } } }));
}

/** A POST, so the token stays out of URLs (and so out of access logs). */
export async function getPartnerInviteInfo(token: string): Promise<PartnerInviteInfo> {
  return unwrap(api.POST("/api/partners/team/invites/lookup/", { body: { token } }));
}

/** Joins the reseller's team and signs in on the console (sets its cookies like a login). */
export async function acceptPartnerInvite(body: PartnerInviteAccept): Promise<PartnerSession> {
  return unwrap(api.POST("/api/partners/team/invites/accept/", { body }));
}

// --- Wholesale billing -------------------------------------------------------------------------------------------

const walletPath = (id: number) => ({ params: { path: { business_id: id } } });

/** The business's prepaid wallet, or null while it pays its own plan (a 404). */
export async function getWallet(id: number): Promise<PartnerWallet | null> {
  try {
    return await unwrap(api.GET("/api/partners/businesses/{business_id}/wallet/", walletPath(id)));
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return null;
    throw error;
  }
}

/** Bill the business wholesale from now on: a wallet at zero, on an active plan the reseller pays for. */
export async function openWallet(id: number, body: PartnerWalletOpen): Promise<PartnerWallet> {
  return unwrap(api.POST("/api/partners/businesses/{business_id}/wallet/", { ...walletPath(id), body }));
}

export async function updateWalletTerms(id: number, body: PartnerWalletTerms): Promise<PartnerWallet> {
  return unwrap(api.PATCH("/api/partners/businesses/{business_id}/wallet/", { ...walletPath(id), body }));
}

export async function fundWallet(id: number, body: PartnerWalletFund): Promise<PartnerWalletEntry> {
  return unwrap(api.POST("/api/partners/businesses/{business_id}/wallet/fund/", { ...walletPath(id), body }));
}

export async function listWalletEntries(id: number, nextUrl?: string | null): Promise<PaginatedPartnerWalletEntryList> {
  return unwrap(
    api.GET("/api/partners/businesses/{business_id}/wallet/entries/", {
      params: { path: { business_id: id }, query: { cursor: cursorOf(nextUrl) } },
    }),
  );
}
