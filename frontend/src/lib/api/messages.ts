import { apiClient, toRelativeUrl } from "@/lib/apiClient";
import type { Message, MessageDetail, MessageSend, PaginatedMessageList } from "./types";

/** Queues a message (202): `type` plus the object of that name, exactly as in Meta's message object. */
export async function sendMessage(body: MessageSend): Promise<Message> {
  const { data } = await apiClient.post<Message>("/api/messages/", body);
  return data;
}

/** Newest first; the page behind a `next` link from a previous answer. */
export async function listMessages(nextUrl?: string | null): Promise<PaginatedMessageList> {
  const { data } = await apiClient.get<PaginatedMessageList>(nextUrl ? toRelativeUrl(nextUrl) : "/api/messages/");
  return data;
}

/** One message with its status history. */
export async function getMessage(id: Message["id"]): Promise<MessageDetail> {
  const { data } = await apiClient.get<MessageDetail>(`/api/messages/${id}/`);
  return data;
}
