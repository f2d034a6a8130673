import { api, cursorOf, unwrap } from "@/lib/apiClient";
import { collectPages } from "./pages";
import type {
  Invite,
  InviteAccept,
  InviteAcceptInfo,
  InviteCreate,
  Member,
  PaginatedInviteList,
  PaginatedMemberList,
  ResellerAccess,
  ResellerAccessSettings,
  Role,
  User,
} from "./types";

/** First page, or the page behind a `next` link from a previous answer. */
export async function listMembers(nextUrl?: string | null): Promise<PaginatedMemberList> {
  return unwrap(api.GET("/api/team/members/", { params: { query: { cursor: cursorOf(nextUrl) } } }));
}

export async function updateMemberRole(id: Member["id"], role: Role): Promise<Member> {
  return unwrap(api.PATCH("/api/team/members/{member_id}/", { params: { path: { member_id: id } }, body: { role } }));
}

export async function removeMember(id: Member["id"]): Promise<void> {
  await unwrap(api.DELETE("/api/team/members/{member_id}/", { params: { path: { member_id: id } } }));
}

/** The reseller's people who can act in this business, and the role each acts as (empty without a reseller). */
export async function listResellerAccess(): Promise<ResellerAccess[]> {
  return unwrap(api.GET("/api/team/reseller-access/"));
}

/** Whether this business lets its reseller's people in (`reseller` is null for a business without one). */
export async function getResellerAccessSettings(): Promise<ResellerAccessSettings> {
  return unwrap(api.GET("/api/team/reseller-access/settings/"));
}

/** Owners only (`manage_reseller_access`). Turning it off ends the reseller's sessions here at once; 409 no_reseller. */
export async function setResellerAccess(enabled: boolean): Promise<ResellerAccessSettings> {
  return unwrap(api.PUT("/api/team/reseller-access/settings/", { body: { enabled } }));
}

export async function listInvites(nextUrl?: string | null): Promise<PaginatedInviteList> {
  return unwrap(api.GET("/api/team/invites/", { params: { query: { cursor: cursorOf(nextUrl) } } }));
}

export async function createInvite(body: InviteCreate): Promise<Invite> {
  return unwrap(api.POST("/api/team/invites/", { body }));
}

export async function revokeInvite(id: Invite["id"]): Promise<void> {
  await unwrap(api.DELETE("/api/team/invites/{invite_id}/", { params: { path: { invite_id: id } } }));
}

/** A POST, so the token stays out of URLs (and so out of access logs). */
export async function getInviteInfo(token: string): Promise<InviteAcceptInfo> {
  return unwrap(api.POST("/api/team/invites/lookup/", { body: { token } }));
}

/** Joins the business; sets the auth cookies like a login. */
export async function acceptInvite(body: InviteAccept): Promise<User> {
  const data = await unwrap(api.POST("/api/team/invites/accept/", { body }));
  return data.user;
}

/** Every member (for pickers such as the inbox's assignee; a team is small, the list is paginated all the same). */
export async function listAllMembers(): Promise<Member[]> {
  return collectPages(listMembers);
}
