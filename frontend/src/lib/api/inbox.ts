import { apiClient, toRelativeUrl } from "@/lib/apiClient";
import type {
  CannedReply,
  CannedReplyWrite,
  Conversation,
  ConversationStatus,
  ConversationUpdate,
  InboxSettings,
  InboxSettingsPatch,
  Message,
  Note,
  PaginatedCannedReplyList,
  PaginatedConversationList,
  PaginatedMessageList,
  PaginatedNoteList,
  PaginatedTemplateList,
  Template,
} from "./types";

export type InboxView = "all" | "mine" | "unassigned";

export interface ConversationQuery {
  view: InboxView;
  status?: ConversationStatus | "";
  q?: string;
  phoneNumberId?: string;
}

/** Most recent first; the page behind a `next` link keeps the query it was made with. */
export async function listConversations(query: ConversationQuery, nextUrl?: string | null): Promise<PaginatedConversationList> {
  if (nextUrl) {
    const { data } = await apiClient.get<PaginatedConversationList>(toRelativeUrl(nextUrl));
    return data;
  }
  const params: Record<string, string> = { view: query.view };
  if (query.status) params.status = query.status;
  if (query.q) params.q = query.q;
  if (query.phoneNumberId) params.phone_number_id = query.phoneNumberId;
  const { data } = await apiClient.get<PaginatedConversationList>("/api/conversations/", { params });
  return data;
}

export async function getConversation(id: number): Promise<Conversation> {
  const { data } = await apiClient.get<Conversation>(`/api/conversations/${id}/`);
  return data;
}

/** Status and/or assignee (a user id; null unassigns). Agents may only take or release for themselves. */
export async function updateConversation(id: number, body: ConversationUpdate): Promise<Conversation> {
  const { data } = await apiClient.patch<Conversation>(`/api/conversations/${id}/`, body);
  return data;
}

/** Clears unread and marks the customer's messages read at WhatsApp (they see blue ticks). */
export async function markConversationRead(id: number): Promise<Conversation> {
  const { data } = await apiClient.post<Conversation>(`/api/conversations/${id}/read/`);
  return data;
}

/** The thread, newest first; `next` pages back in time. */
export async function listConversationMessages(id: number, nextUrl?: string | null): Promise<PaginatedMessageList> {
  const { data } = await apiClient.get<PaginatedMessageList>(nextUrl ? toRelativeUrl(nextUrl) : `/api/conversations/${id}/messages/`);
  return data;
}

/** Queues a reply (202): Meta's message object without `to`; the conversation says who and from where. */
export async function replyToConversation(id: number, message: { type: string; [key: string]: unknown }): Promise<Message> {
  const { data } = await apiClient.post<Message>(`/api/conversations/${id}/messages/`, message);
  return data;
}

/** Every note of a conversation, oldest first (a thread has few; the list is paginated all the same). */
export async function listAllNotes(id: number): Promise<Note[]> {
  const notes: Note[] = [];
  let next: string | null | undefined = null;
  do {
    const { data }: { data: PaginatedNoteList } = await apiClient.get<PaginatedNoteList>(
      next ? toRelativeUrl(next) : `/api/conversations/${id}/notes/`,
    );
    notes.push(...data.results);
    next = data.next;
  } while (next);
  return notes;
}

export async function createNote(id: number, body: string): Promise<Note> {
  const { data } = await apiClient.post<Note>(`/api/conversations/${id}/notes/`, { body });
  return data;
}

export async function listCannedReplies(q = "", nextUrl?: string | null): Promise<PaginatedCannedReplyList> {
  const { data } = await apiClient.get<PaginatedCannedReplyList>(
    nextUrl ? toRelativeUrl(nextUrl) : "/api/canned-replies/",
    nextUrl ? undefined : { params: q ? { q } : {} },
  );
  return data;
}

export async function createCannedReply(body: CannedReplyWrite): Promise<CannedReply> {
  const { data } = await apiClient.post<CannedReply>("/api/canned-replies/", body);
  return data;
}

export async function updateCannedReply(id: number, body: CannedReplyWrite): Promise<CannedReply> {
  const { data } = await apiClient.put<CannedReply>(`/api/canned-replies/${id}/`, body);
  return data;
}

export async function deleteCannedReply(id: number): Promise<void> {
  await apiClient.delete(`/api/canned-replies/${id}/`);
}

export async function getInboxSettings(): Promise<InboxSettings> {
  const { data } = await apiClient.get<InboxSettings>("/api/inbox/settings/");
  return data;
}

export async function updateInboxSettings(body: InboxSettingsPatch): Promise<InboxSettings> {
  const { data } = await apiClient.patch<InboxSettings>("/api/inbox/settings/", body);
  return data;
}

/** The approved templates (for the reply box outside the 24-hour window); the list has no filter yet. */
export async function listApprovedTemplates(): Promise<Template[]> {
  const templates: Template[] = [];
  let next: string | null | undefined = null;
  do {
    const { data }: { data: PaginatedTemplateList } = await apiClient.get<PaginatedTemplateList>(
      next ? toRelativeUrl(next) : "/api/templates/",
      next ? undefined : { params: { page_size: 200 } },
    );
    templates.push(...data.results);
    next = data.next;
  } while (next);
  return templates.filter((t) => t.status.toUpperCase() === "APPROVED");
}

/** Where the live events come from (server-sent events through the Next.js proxy). */
export const INBOX_EVENTS_URL = "/api/inbox/events/";
