import { apiClient, toRelativeUrl } from "@/lib/apiClient";
import type {
  AuthResult,
  Invite,
  InviteAccept,
  InviteAcceptInfo,
  InviteCreate,
  Member,
  PaginatedInviteList,
  PaginatedMemberList,
  ResellerAccess,
  Role,
  User,
} from "./types";

/** First page, or the page behind a `next` link from a previous answer. */
export async function listMembers(nextUrl?: string | null): Promise<PaginatedMemberList> {
  const { data } = await apiClient.get<PaginatedMemberList>(nextUrl ? toRelativeUrl(nextUrl) : "/api/team/members/");
  return data;
}

export async function updateMemberRole(id: Member["id"], role: Role): Promise<Member> {
  const { data } = await apiClient.patch<Member>(`/api/team/members/${id}/`, { role });
  return data;
}

export async function removeMember(id: Member["id"]): Promise<void> {
  await apiClient.delete(`/api/team/members/${id}/`);
}

/** The reseller's people who can act in this business, and the role each acts as (empty without a reseller). */
export async function listResellerAccess(): Promise<ResellerAccess[]> {
  const { data } = await apiClient.get<ResellerAccess[]>("/api/team/reseller-access/");
  return data;
}

export async function listInvites(nextUrl?: string | null): Promise<PaginatedInviteList> {
  const { data } = await apiClient.get<PaginatedInviteList>(nextUrl ? toRelativeUrl(nextUrl) : "/api/team/invites/");
  return data;
}

export async function createInvite(body: InviteCreate): Promise<Invite> {
  const { data } = await apiClient.post<Invite>("/api/team/invites/", body);
  return data;
}

export async function revokeInvite(id: Invite["id"]): Promise<void> {
  await apiClient.delete(`/api/team/invites/${id}/`);
}

/** A POST, so the token stays out of URLs (and so out of access logs). */
export async function getInviteInfo(token: string): Promise<InviteAcceptInfo> {
  const { data } = await apiClient.post<InviteAcceptInfo>("/api/team/invites/lookup/", { token });
  return data;
}

/** Joins the business; sets the auth cookies like a login. */
export async function acceptInvite(body: InviteAccept): Promise<User> {
  const { data } = await apiClient.post<AuthResult>("/api/team/invites/accept/", body);
  return data.user;
}

/** Every member (for pickers such as the inbox's assignee; a team is small, the list is paginated all the same). */
export async function listAllMembers(): Promise<Member[]> {
  const members: Member[] = [];
  let next: string | null | undefined = null;
  do {
    const page: PaginatedMemberList = await listMembers(next);
    members.push(...page.results);
    next = page.next;
  } while (next);
  return members;
}
