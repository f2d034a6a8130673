import { api, cursorOf, unwrap, type RequestBody } from "@/lib/apiClient";
import { collectPages } from "./pages";
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
  return unwrap(
    api.GET("/api/conversations/", {
      params: {
        query: {
          view: query.view,
          status: query.status || undefined,
          q: query.q || undefined,
          phone_number_id: query.phoneNumberId || undefined,
          cursor: cursorOf(nextUrl),
        },
      },
    }),
  );
}

const conversation = (id: number) => ({ params: { path: { conversation_id: id } } });

export async function getConversation(id: number): Promise<Conversation> {
  return unwrap(api.GET("/api/conversations/{conversation_id}/", conversation(id)));
}

/** Status and/or assignee (a user id; null unassigns). Agents may only take or release for themselves. */
export async function updateConversation(id: number, body: ConversationUpdate): Promise<Conversation> {
  return unwrap(api.PATCH("/api/conversations/{conversation_id}/", { ...conversation(id), body }));
}

/** Clears unread and marks the customer's messages read at WhatsApp (they see blue ticks). */
export async function markConversationRead(id: number): Promise<Conversation> {
  return unwrap(api.POST("/api/conversations/{conversation_id}/read/", conversation(id)));
}

/** The thread, newest first; `next` pages back in time. */
export async function listConversationMessages(id: number, nextUrl?: string | null): Promise<PaginatedMessageList> {
  return unwrap(
    api.GET("/api/conversations/{conversation_id}/messages/", {
      params: { path: { conversation_id: id }, query: { cursor: cursorOf(nextUrl) } },
    }),
  );
}

/** Queues a reply (202): Meta's message object without `to`; the conversation says who and from where. */
export async function replyToConversation(id: number, message: { type: string; [key: string]: unknown }): Promise<Message> {
  // The schema names the fixed fields only; the object named by `type` is Meta's, passed through as is.
  const body = message as RequestBody<"/api/conversations/{conversation_id}/messages/", "post">;
  return unwrap(api.POST("/api/conversations/{conversation_id}/messages/", { ...conversation(id), body }));
}

/** Every note of a conversation, oldest first (a thread has few; the list is paginated all the same). */
export async function listAllNotes(id: number): Promise<Note[]> {
  return collectPages((nextUrl) =>
    unwrap(api.GET("/api/conversations/{conversation_id}/notes/", { params: { path: { conversation_id: id }, query: { cursor: cursorOf(nextUrl) } } })),
  );
}

export async function createNote(id: number, body: string): Promise<Note> {
  return unwrap(api.POST("/api/conversations/{conversation_id}/notes/", { ...conversation(id), body: { body } }));
}

export async function listCannedReplies(q = "", nextUrl?: string | null): Promise<PaginatedCannedReplyList> {
  return unwrap(api.GET("/api/canned-replies/", { params: { query: { q: q || undefined, cursor: cursorOf(nextUrl) } } }));
}

export async function createCannedReply(body: CannedReplyWrite): Promise<CannedReply> {
  return unwrap(api.POST("/api/canned-replies/", { body }));
}

export async function updateCannedReply(id: number, body: CannedReplyWrite): Promise<CannedReply> {
  return unwrap(api.PUT("/api/canned-replies/{reply_id}/", { params: { path: { reply_id: id } }, body }));
}

export async function deleteCannedReply(id: number): Promise<void> {
  await unwrap(api.DELETE("/api/canned-replies/{reply_id}/", { params: { path: { reply_id: id } } }));
}

export async function getInboxSettings(): Promise<InboxSettings> {
  return unwrap(api.GET("/api/inbox/settings/")) as Promise<InboxSettings>;
}

export async function updateInboxSettings(body: InboxSettingsPatch): Promise<InboxSettings> {
  // business_hours is free JSON and timezone an enum in the schema; types.ts narrows/widens both on purpose.
  const patch = body as RequestBody<"/api/inbox/settings/", "patch">;
  return unwrap(api.PATCH("/api/inbox/settings/", { body: patch })) as Promise<InboxSettings>;
}

/** Where the live events come from (server-sent events through the Next.js proxy). */
export const INBOX_EVENTS_URL = "/api/inbox/events/";
