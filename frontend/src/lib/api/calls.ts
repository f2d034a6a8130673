import { api, cursorOf, unwrap } from "@/lib/apiClient";
import type { Call, CallDetail, CallPermission, CallStatus, PaginatedCallList, CallSettingsRow } from "./types";

/*
 * WhatsApp calls (issue 17, docs/calls.md): the log, one call with its SDPs, the agent's actions and
 * permission to call a contact. The browser does the media (components/calls/webrtc.ts); these carry
 * its SDP to our API, which does the signalling with Meta.
 */

export type { Call, CallDetail, CallPermission, CallStatus };

export interface CallQuery {
  contact?: number;
  conversation?: number;
  agent?: number;
  direction?: "user_initiated" | "business_initiated";
  status?: CallStatus;
}

/** Newest first; `next` pages back in time. */
export async function listCalls(query: CallQuery, nextUrl?: string | null): Promise<PaginatedCallList> {
  return unwrap(api.GET("/api/calls/", { params: { query: { ...query, cursor: cursorOf(nextUrl) } } }));
}

const call = (id: number) => ({ params: { path: { call_id: id } } });

export async function getCall(id: number): Promise<CallDetail> {
  return unwrap(api.GET("/api/calls/{call_id}/", call(id)));
}

/** Takes a ringing customer call with the browser's SDP answer (409 `call_taken` when someone was first). */
export async function answerCall(id: number, sdp: string): Promise<CallDetail> {
  return unwrap(api.POST("/api/calls/{call_id}/answer/", { ...call(id), body: { sdp } }));
}

export async function declineCall(id: number): Promise<CallDetail> {
  return unwrap(api.POST("/api/calls/{call_id}/reject/", call(id)));
}

export async function hangUpCall(id: number): Promise<CallDetail> {
  return unwrap(api.POST("/api/calls/{call_id}/hangup/", call(id)));
}

/** Calls the contact with the browser's SDP offer; Meta's answer arrives later (a `call` event with `has_sdp_answer`). */
export async function placeCall(contactId: number, phoneNumberId: string, sdp: string): Promise<CallDetail> {
  return unwrap(api.POST("/api/calls/", { body: { contact_id: contactId, phone_number_id: phoneNumberId, sdp } }));
}

/** May the business call this contact from this number, and may it ask (Meta's limits, counted here). */
export async function getCallPermission(contactId: number, phoneNumberId: string, refresh = false): Promise<CallPermission> {
  return unwrap(api.GET("/api/calls/permission/", { params: { query: { contact_id: contactId, phone_number_id: phoneNumberId, refresh } } }));
}

/** Sends the contact WhatsApp's "may we call you?" message (inside the 24-hour window). */
export async function requestCallPermission(contactId: number, phoneNumberId: string): Promise<CallPermission> {
  return unwrap(api.POST("/api/calls/permission/", { body: { contact_id: contactId, phone_number_id: phoneNumberId } }));
}

/** Meta's `calling` settings of a number (reference §9.1), as our API passes them through. */
export interface CallingSettings {
  status?: "ENABLED" | "DISABLED";
  call_icon_visibility?: "DEFAULT" | "DISABLE_ALL";
  callback_permission_status?: "ENABLED" | "DISABLED";
  call_hours?: {
    status: "ENABLED" | "DISABLED";
    timezone_id?: string;
    weekly_operating_hours?: { day_of_week: string; open_time: string; close_time: string }[];
    holiday_schedule?: { date: string; start_time: string; end_time: string }[];
  };
  sip?: { status: "ENABLED" | "DISABLED" };
}

export type CallSettings = Omit<CallSettingsRow, "calling"> & { calling: CallingSettings };
export type CallSettingsPatch = { calling?: CallingSettings; missed_call_reply_enabled?: boolean; missed_call_reply_text?: string };

const number = (id: number) => ({ params: { path: { number_id: id } } });

/** Reads the number's settings from Meta (and our missed-call reply). */
export async function getCallSettings(numberId: number): Promise<CallSettings> {
  return (await unwrap(api.GET("/api/calls/numbers/{number_id}/settings/", number(numberId)))) as CallSettings;
}

/** Owners and admins: the sections of `calling` given replace Meta's; the missed-call reply is ours. */
export async function updateCallSettings(numberId: number, body: CallSettingsPatch): Promise<CallSettings> {
  return (await unwrap(api.PATCH("/api/calls/numbers/{number_id}/settings/", { ...number(numberId), body }))) as CallSettings;
}
