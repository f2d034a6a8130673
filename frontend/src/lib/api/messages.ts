import { api, cursorOf, unwrap } from "@/lib/apiClient";
import type { Message, MessageDetail, MessageSend, PaginatedMessageList } from "./types";

/** Queues a message (202): `type` plus the object of that name, exactly as in Meta's message object. */
export async function sendMessage(body: MessageSend): Promise<Message> {
  return unwrap(api.POST("/api/messages/", { body }));
}

/** Newest first; the page behind a `next` link from a previous answer. */
export async function listMessages(nextUrl?: string | null): Promise<PaginatedMessageList> {
  return unwrap(api.GET("/api/messages/", { params: { query: { cursor: cursorOf(nextUrl) } } }));
}

/** One message with its status history. */
export async function getMessage(id: Message["id"]): Promise<MessageDetail> {
  return unwrap(api.GET("/api/messages/{message_id}/", { params: { path: { message_id: id } } }));
}
