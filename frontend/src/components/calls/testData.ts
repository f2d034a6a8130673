/** Fixtures for the calls' tests. */
import type { Call, CallDetail, CallPermission } from "@/lib/api/calls";

export function call(overrides: Partial<Call> = {}): Call {
  return {
    id: 31,
    call_id: "wacid.TEST31",
    phone_number_id: "100000000000001",
    contact_id: 70,
    conversation_id: 7,
    agent_id: null,
    direction: "user_initiated",
    from_number: "16505550101",
    to_number: "15550100001",
    status: "ringing",
    last_event: "connect",
    ringing_at: new Date().toISOString(),
    answered_at: null,
    started_at: null,
    ended_at: null,
    duration_seconds: null,
    error_code: null,
    error_message: "",
    created_at: new Date().toISOString(),
    updated_at: new Date().toISOString(),
    ...overrides,
  };
}

export function callDetail(overrides: Partial<CallDetail> = {}): CallDetail {
  return { ...call(overrides), sdp_offer: "v=0\r\noffer\r\n", sdp_answer: "", ...overrides };
}

export function permission(overrides: Partial<CallPermission> = {}): CallPermission {
  return {
    status: "no_permission",
    expires_at: null,
    source: "",
    requests_24h: 0,
    requests_7d: 0,
    may_request: true,
    next_request_at: null,
    connected_calls_24h: 0,
    may_call: false,
    next_call_at: null,
    ...overrides,
  };
}
