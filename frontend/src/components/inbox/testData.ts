/** Fixtures for the inbox's tests. */
import type { Conversation, Message } from "@/lib/api/types";

export const NOW = Date.parse("2026-11-27T12:00:00Z");

export function conversation(overrides: Partial<Conversation> = {}): Conversation {
  return {
    id: 7,
    status: "open",
    contact: { id: 70, name: "Alice Customer", phone: "+16505550101", wa_user_id: null, marketing_consent: "opted_in" },
    phone_number: { phone_number_id: "100000000000001", display_phone_number: "+1 555-010-0001", verified_name: "Demo" },
    assignee: null,
    unread_count: 0,
    last_message_at: "2026-11-27T11:55:00Z",
    last_message_preview: "Hello there",
    last_message_direction: "in",
    last_inbound_at: "2026-11-27T11:55:00Z",
    window_expires_at: "2026-11-28T11:55:00Z",
    window_open: true,
    created_at: "2026-11-20T10:00:00Z",
    ...overrides,
  };
}

let seq = 0;

export function message(overrides: Partial<Message> = {}): Message {
  seq += 1;
  return {
    id: `00000000-0000-4000-8000-${String(seq).padStart(12, "0")}`,
    direction: "in",
    phone_number_id: "100000000000001",
    to: "16505550101",
    contact_id: 70,
    conversation_id: 7,
    automation: "",
    created_by_id: null,
    type: "text",
    payload: { type: "text", text: { body: "Hello there" } },
    status: "received",
    wamid: `wamid.${seq}`,
    error_code: null,
    error_title: "",
    error_details: "",
    pricing_category: "",
    pricing_type: "",
    billable: null,
    attempts: 0,
    created_at: "2026-11-27T11:55:00Z",
    sent_at: null,
    delivered_at: null,
    read_at: null,
    failed_at: null,
    ...overrides,
  };
}
