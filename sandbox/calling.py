"""The Business Calling API as the sandbox plays it (reference §9): a number's calling settings, the calls
themselves (`POST /{phone-number-id}/calls`: connect, pre_accept, accept, reject, terminate), call permissions
and their limits, and the customer's side (calling a number, answering the business's call, answering a
permission request). Calls and permissions live in memory; settings are kept in the state (and its snapshot).

Rules enforced, with Meta's codes: calling off, or SIP on, refuses every call action (138000); enabling needs
the portfolio's messaging limit at 2,000 or more (138015) and an app subscribed to the WABA (138018); a business
call needs the customer's permission (138006), at most 10 connected business calls per 24 h per pair (138012),
no call already in progress with them (138003); permission requests 1 per 24 h and 2 per 7 days, reset by a
connected call (138009), none while a permanent permission exists (138017); accept's SDP must equal pre_accept's;
a customer's call not accepted within `call_accept_timeout_s` (Meta: 30-60 s) ends with a terminate webhook.

The customer's phone is a real WebRTC peer per call (sandbox/phone_peer.py): its SDP offer goes in the connect webhook
of the customer's call, its SDP answer (Meta's) in the connect webhook of the business's call, and audio flows once
the business applies it. An SDP the peer can't use (a hand-written one without ICE credentials, as the API tests
send) is no signalling error, as Meta documents no such check: the call goes on without media, and the meters say
why.
"""
from __future__ import annotations

import base64
import copy
import datetime as dt
import re
import secrets
import zoneinfo
from dataclasses import dataclass

from .errors import GraphError, bad_param, invalid, missing
from .phone_peer import PhonePeers
from .state import Message, PhoneNumber, SandboxState
from .webhooks import Dispatcher, Item

DAY = 86400
PERMISSION_SECONDS = 7 * DAY
REQUESTS_PER_DAY, REQUESTS_PER_WEEK = 1, 2
CONNECTED_CALLS_PER_DAY = 10
LIMIT_TIER_OK = ("TIER_2K", "TIER_10K", "TIER_100K", "TIER_UNLIMITED")  # 138015 below 2,000
DAYS = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")
ACTIONS = ("connect", "pre_accept", "accept", "reject", "terminate")
LIVE = ("ringing", "pre_accepted", "accepted")
DEFAULT_SETTINGS = {"status": "DISABLED", "call_icon_visibility": "DEFAULT", "callback_permission_status": "DISABLED",
                    "call_hours": {"status": "DISABLED"}, "sip": {"status": "DISABLED", "servers": []}}
_HHMM = re.compile(r"([01][0-9]|2[0-3])[0-5][0-9]")
_SWITCH = ("ENABLED", "DISABLED")


class CallRefused(ValueError):
    """The customer's call does not go through (calling off, outside the call hours, no call icon)."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason


@dataclass
class SandboxCall:
    id: str
    phone_number_id: str
    wa_id: str
    direction: str  # USER_INITIATED | BUSINESS_INITIATED
    offer_sdp: str
    created_at: float
    status: str = "ringing"  # ringing | pre_accepted | accepted | ended
    answer_sdp: str = ""  # the business's pre_accept/accept SDP, or the customer's phone's (business calls)
    accepted_at: float | None = None
    ended_at: float | None = None
    callback_data: str | None = None

    def view(self) -> dict:
        return {"id": self.id, "phone_number_id": self.phone_number_id, "wa_id": self.wa_id,
                "direction": self.direction, "status": self.status, "created_at": self.created_at,
                "accepted_at": self.accepted_at, "ended_at": self.ended_at, "offer_sdp": self.offer_sdp,
                "answer_sdp": self.answer_sdp, "biz_opaque_callback_data": self.callback_data}


def opus_sdp(kind: str) -> str:
    """A syntactically valid RFC 8866 offer or answer with one Opus audio m-line, as a WebRTC peer writes it: what the
    sandbox sends when its phone peer can't make a real one (it could not use the business's offer)."""
    session = secrets.randbelow(2**62)
    fingerprint = ":".join(f"{b:02X}" for b in secrets.token_bytes(32))
    lines = ["v=0", f"o=- {session} 2 IN IP4 127.0.0.1", "s=-", "t=0 0", "a=group:BUNDLE 0",
             "a=msid-semantic: WMS", "m=audio 9 UDP/TLS/RTP/SAVPF 111", "c=IN IP4 0.0.0.0", "a=rtcp:9 IN IP4 0.0.0.0",
             f"a=ice-ufrag:{secrets.token_hex(4)}", f"a=ice-pwd:{secrets.token_hex(12)}",
             f"a=fingerprint:sha-256 {fingerprint}", f"a=setup:{'actpass' if kind == 'offer' else 'active'}",
             "a=mid:0", "a=sendrecv", "a=rtcp-mux", "a=rtpmap:111 opus/48000/2",
             "a=fmtp:111 minptime=10;useinbandfec=1"]
    return "\r\n".join(lines) + "\r\n"


def _session(body: dict, sdp_type: str) -> str:
    session = body.get("session")
    if session is None:
        raise missing("session")
    if not isinstance(session, dict):
        raise bad_param("session", "must be an object")
    if session.get("sdp_type") != sdp_type:
        raise invalid("session.sdp_type", f"must be \"{sdp_type}\"")
    sdp = session.get("sdp")
    if not isinstance(sdp, str) or not sdp:
        raise missing("session.sdp")
    lines = sdp.replace("\r\n", "\n").split("\n")
    if lines[0] != "v=0" or not any(line.startswith("m=audio ") for line in lines):
        raise invalid("session.sdp", "not an RFC 8866 session description with an audio m-line")
    return sdp


# --- settings ---------------------------------------------------------------------------------------------------

def _times(item: dict, path: str, start: str, end: str) -> None:
    for key in (start, end):
        if not isinstance(item.get(key), str) or not _HHMM.fullmatch(item[key]):
            raise GraphError(100, f"Parameter '{path}.{key}' is invalid: use HHMM (0000-2359).")
    if item[start] >= item[end]:
        raise GraphError(100, f"Parameter '{path}' is invalid: {start} must be before {end}.")


def _check_hours(hours, path: str) -> dict:
    if not isinstance(hours, dict) or hours.get("status") not in _SWITCH:
        raise GraphError(100, f"Parameter '{path}.status' must be ENABLED or DISABLED.")
    if hours["status"] == "ENABLED":
        try:
            zoneinfo.ZoneInfo(str(hours.get("timezone_id")))
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise GraphError(100, f"Parameter '{path}.timezone_id' is not a known time zone.") from None
    per_day: dict[str, list[tuple[str, str]]] = {}
    for i, item in enumerate(hours.get("weekly_operating_hours") or []):
        where = f"{path}.weekly_operating_hours[{i}]"
        if not isinstance(item, dict) or item.get("day_of_week") not in DAYS:
            raise GraphError(100, f"Parameter '{where}.day_of_week' must be a weekday name (MONDAY...SUNDAY).")
        _times(item, where, "open_time", "close_time")
        ranges = per_day.setdefault(item["day_of_week"], [])
        if len(ranges) == 2:
            raise GraphError(100, f"Parameter '{where}' is invalid: at most 2 ranges per day.")
        if any(item["open_time"] < close and open_ < item["close_time"] for open_, close in ranges):
            raise GraphError(100, f"Parameter '{where}' is invalid: it overlaps another range of that day.")
        ranges.append((item["open_time"], item["close_time"]))
    holidays = hours.get("holiday_schedule") or []
    if len(holidays) > 20:
        raise GraphError(100, f"Parameter '{path}.holiday_schedule' is invalid: at most 20 holidays.")
    for i, item in enumerate(holidays):
        where = f"{path}.holiday_schedule[{i}]"
        try:
            dt.date.fromisoformat(str(item.get("date")))
        except (AttributeError, ValueError):
            raise GraphError(100, f"Parameter '{where}.date' must be YYYY-MM-DD.") from None
        _times(item, where, "start_time", "end_time")
    return copy.deepcopy(hours)


def merge_settings(current: dict, body) -> dict:
    """The settings after `POST /settings` with `body`: each section given replaces the stored one (so a
    call_hours without holiday_schedule clears the holidays, as at Meta)."""
    calling = body.get("calling") if isinstance(body, dict) else None
    if not isinstance(calling, dict) or not calling:
        raise GraphError(100, "Parameter 'calling' is required and must be an object.")
    known = {"status", "call_icon_visibility", "call_icons", "callback_permission_status", "call_hours", "sip"}
    for key in calling:
        if key not in known:
            raise GraphError(100, f"Unexpected key \"{key}\" on param \"calling\".")
    merged = copy.deepcopy(current)
    for key in ("status", "callback_permission_status"):
        if key in calling:
            if calling[key] not in _SWITCH:
                raise GraphError(100, f"Parameter 'calling.{key}' must be ENABLED or DISABLED.")
            merged[key] = calling[key]
    if "call_icon_visibility" in calling:
        if calling["call_icon_visibility"] not in ("DEFAULT", "DISABLE_ALL"):
            raise GraphError(100, "Parameter 'calling.call_icon_visibility' must be DEFAULT or DISABLE_ALL.")
        merged["call_icon_visibility"] = calling["call_icon_visibility"]
    if "call_icons" in calling:
        merged["call_icons"] = copy.deepcopy(calling["call_icons"])
    if "call_hours" in calling:
        merged["call_hours"] = _check_hours(calling["call_hours"], "calling.call_hours")
    if "sip" in calling:
        sip = calling["sip"]
        if not isinstance(sip, dict) or sip.get("status") not in _SWITCH:
            raise GraphError(100, "Parameter 'calling.sip.status' must be ENABLED or DISABLED.")
        merged["sip"] = {"status": sip["status"], "servers": copy.deepcopy(sip.get("servers") or [])}
    return merged


def closed_reason(calling: dict, now: float) -> str | None:
    """Why a customer can't reach the number by call at `now`, or None: calling off, SIP (no Graph calls), or
    outside the call hours (a holiday, or no weekly range open)."""
    if calling.get("status") != "ENABLED":
        return "calling_disabled"
    if (calling.get("sip") or {}).get("status") == "ENABLED":
        return "sip_enabled"
    hours = calling.get("call_hours") or {}
    if hours.get("status") != "ENABLED":
        return None
    local = dt.datetime.fromtimestamp(now, zoneinfo.ZoneInfo(hours["timezone_id"]))
    hhmm, day = local.strftime("%H%M"), local.date().isoformat()
    for holiday in hours.get("holiday_schedule") or []:
        if holiday["date"] == day and holiday["start_time"] <= hhmm < holiday["end_time"]:
            return "holiday"
    weekday = DAYS[local.weekday()]
    for item in hours.get("weekly_operating_hours") or []:
        if item["day_of_week"] == weekday and item["open_time"] <= hhmm < item["close_time"]:
            return None
    return "outside_call_hours"


_REFUSALS = {
    "calling_disabled": "Calling is not enabled on this number: the customer sees no call button.",
    "sip_enabled": "This number takes calls over SIP: the Graph calling API and calls webhooks are not used.",
    "holiday": "The number's call hours mark today as a holiday: the customer is offered a chat or a callback.",
    "outside_call_hours": "Outside the number's call hours: the customer is offered a chat or a callback.",
    "icon_hidden": "The number hides its call icon (call_icon_visibility DISABLE_ALL): only a call button in a "
                   "message can start a call.",
}


class Calling:
    def __init__(self, state: SandboxState, dispatcher: Dispatcher, messaging):
        self.state = state
        self.dispatcher = dispatcher
        self.messaging = messaging
        self.phones = PhonePeers()
        self.reset()

    def reset(self) -> None:
        self.phones.reset()
        with self.state.lock:
            self.calls: dict[str, SandboxCall] = {}
            self.permissions: dict[tuple[str, str], dict] = {}  # (number, wa_id) -> {"status", "expires_at"}
            self.requests: dict[tuple[str, str], list[float]] = {}  # permission requests sent
            self.connected: dict[tuple[str, str], list[float]] = {}  # business calls the customer accepted

    # --- settings -------------------------------------------------------------------------------------------
    def settings(self, number: PhoneNumber) -> dict:
        with self.state.lock:
            return copy.deepcopy(self.state.call_settings.get(number.id) or DEFAULT_SETTINGS)

    def update_settings(self, number: PhoneNumber, body) -> None:
        merged = merge_settings(self.settings(number), body)
        state = self.state
        if merged["status"] == "ENABLED":
            waba = state.wabas.get(number.waba_id)
            business = state.businesses.get(waba.business_id) if waba else None
            if business is None or business.messaging_limit not in LIMIT_TIER_OK:
                raise GraphError(138015, "Calling can't be enabled: the business portfolio's messaging limit is "
                                         "below 2,000.")
            if waba is None or not waba.subscriptions:
                raise GraphError(138018, "Calling can't be enabled: no app is subscribed to the WhatsApp Business "
                                         "Account's webhooks (the calls field is needed).")
        with state.lock:
            state.call_settings[number.id] = merged
            state.dirty = True

    def _callable(self, number: PhoneNumber) -> None:
        reason = closed_reason(self.settings(number), self.state.now())
        if reason in ("calling_disabled", "sip_enabled"):
            raise GraphError(138000, _REFUSALS[reason])

    # --- permissions ----------------------------------------------------------------------------------------
    def _permission(self, key: tuple[str, str]) -> dict:
        held = self.permissions.get(key)
        if held and (held["status"] == "permanent" or (held["expires_at"] or 0) > self.state.now()):
            return held
        return {"status": "no_permission", "expires_at": None}

    def _recent(self, times: list[float], seconds: float, key: tuple[str, str]) -> int:
        # Meta: any connected call resets the request limits (reference §9.5).
        since = max(self.state.now() - seconds, max(self.connected.get(key, [0.0])))
        return sum(1 for at in times if at > since)

    def _request_counts(self, key) -> tuple[int, int]:
        times = self.requests.get(key, [])
        return self._recent(times, DAY, key), self._recent(times, 7 * DAY, key)

    def permission_view(self, number: PhoneNumber, wa_id: str) -> dict:
        key = (number.id, wa_id)
        with self.state.lock:
            held = self._permission(key)
            day, week = self._request_counts(key)
            now = self.state.now()
            calls = sum(1 for at in self.connected.get(key, []) if at > now - DAY)
        permission = {"status": held["status"]}
        if held["status"] == "temporary":
            permission["expiration_time"] = int(held["expires_at"])
        may_ask = held["status"] != "permanent" and day < REQUESTS_PER_DAY and week < REQUESTS_PER_WEEK
        return {"messaging_product": "whatsapp", "permission": permission, "actions": [
            {"action_name": "send_call_permission_request", "can_perform_action": may_ask,
             "limits": [{"time_period": "PT24H", "max_allowed": REQUESTS_PER_DAY, "current_usage": day},
                        {"time_period": "P7D", "max_allowed": REQUESTS_PER_WEEK, "current_usage": week}]},
            {"action_name": "start_call",
             "can_perform_action": held["status"] != "no_permission" and calls < CONNECTED_CALLS_PER_DAY,
             "limits": [{"time_period": "PT24H", "max_allowed": CONNECTED_CALLS_PER_DAY, "current_usage": calls}]}]}

    def on_permission_request(self, number: PhoneNumber, wa_id: str) -> None:
        """A `call_permission_request` message is about to be accepted: Meta's limits first (138017, 138009)."""
        key = (number.id, wa_id)
        with self.state.lock:
            if self._permission(key)["status"] == "permanent":
                raise GraphError(138017, "The customer already gave this number permanent permission to call.")
            day, week = self._request_counts(key)
            if day >= REQUESTS_PER_DAY or week >= REQUESTS_PER_WEEK:
                raise GraphError(138009, "Call permission request limit reached: 1 per 24 hours and 2 per 7 days "
                                         "for this customer.")
            self.requests.setdefault(key, []).append(self.state.now())

    def grant(self, number: PhoneNumber, wa_id: str, *, permanent: bool) -> float:
        """The customer allowed calls (a reply, or calling with callback permission on); returns the expiry."""
        expires = self.state.now() + PERMISSION_SECONDS
        with self.state.lock:
            self.permissions[(number.id, wa_id)] = {"status": "permanent" if permanent else "temporary",
                                                    "expires_at": None if permanent else expires}
        return expires

    def permission_reply(self, number: PhoneNumber, wa_id: str, *, accept: bool, permanent: bool = False) -> Message:
        """The customer answers the business's latest call permission request (a `messages` webhook)."""
        request = next((m for m in reversed(self.state.chat(number.id, wa_id)) if m.direction == "out"
                        and (m.payload.get("interactive") or {}).get("type") == "call_permission_request"), None)
        if request is None:
            raise ValueError("the business has sent this customer no call permission request")
        reply: dict = {"response": "accept" if accept else "reject"}
        if accept:
            expires = self.grant(number, wa_id, permanent=permanent)
            reply["is_permanent"] = permanent
            if not permanent:
                reply["expiration_timestamp"] = int(expires)
        else:
            with self.state.lock:
                self.permissions.pop((number.id, wa_id), None)
        reply["response_source"] = "user_action"
        message = {"type": "interactive", "interactive": {"type": "call_permission_reply",
                                                           "call_permission_reply": reply}}
        return self.messaging.inbound(number, wa_id, message, request.id)

    # --- the business's call actions ------------------------------------------------------------------------
    async def act(self, number: PhoneNumber, body) -> dict:
        if not isinstance(body, dict):
            raise GraphError(100, "The request body must be a JSON object.")
        if body.get("messaging_product") != "whatsapp":
            raise invalid("messaging_product", "must be \"whatsapp\"")
        action = body.get("action")
        if action not in ACTIONS:
            raise invalid("action", f"must be one of {', '.join(ACTIONS)}")
        self._callable(number)
        if action == "connect":
            return await self._connect(number, body)
        call = self.calls.get(str(body.get("call_id") or ""))
        if call is None or call.phone_number_id != number.id:
            raise invalid("call_id", "no call of this phone number has this id")
        if call.status == "ended":
            raise GraphError(100, f"Call {call.id} has already ended.")
        if action == "terminate":
            self._end(number, call)
        elif call.direction != "USER_INITIATED":
            raise GraphError(100, f"{action} applies to calls the customer made; this call was made by the business.")
        elif action == "reject":
            if call.status == "accepted":
                raise GraphError(100, "An accepted call can't be rejected: terminate it.")
            self._end(number, call)
        else:
            sdp = _session(body, "answer")
            self._answer(call, action, sdp)
            await self.phones.accept(call.id, sdp)  # the customer's phone takes the answer: ICE, DTLS, audio
        return {"messaging_product": "whatsapp", "success": True}

    def _answer(self, call: SandboxCall, action: str, sdp: str) -> None:
        with self.state.lock:
            if action == "pre_accept":
                if call.status != "ringing":
                    raise GraphError(100, f"Only a ringing call can be pre-accepted (this one is {call.status}).")
                call.answer_sdp, call.status = sdp, "pre_accepted"
                return
            if call.status == "accepted":
                raise GraphError(100, "The call was already accepted.")
            if call.status == "pre_accepted" and sdp != call.answer_sdp:
                raise invalid("session.sdp", "must be the SDP answer sent with pre_accept for this call")
            call.answer_sdp, call.status, call.accepted_at = sdp, "accepted", self.state.now()

    async def _connect(self, number: PhoneNumber, body: dict) -> dict:
        to = str(body.get("to") or "").lstrip("+")
        if not to.isdigit():
            raise missing("to") if not to else invalid("to", "must be the customer's phone number")
        offer = _session(body, "offer")
        key, now = (number.id, to), self.state.now()
        with self.state.lock:
            if self._permission(key)["status"] == "no_permission":
                raise GraphError(138006, "No permission to call this customer: ask them first (call permission "
                                         "request).")
            if sum(1 for at in self.connected.get(key, []) if at > now - DAY) >= CONNECTED_CALLS_PER_DAY:
                raise GraphError(138012, "Business-initiated call limit reached: 10 connected calls per 24 hours to "
                                         "this customer.")
            if any(c.status in LIVE and c.wa_id == to and c.phone_number_id == number.id for c in self.calls.values()):
                raise GraphError(138003, "A call with this customer is already in progress.")
            call = SandboxCall(id=_call_id(), phone_number_id=number.id, wa_id=to, direction="BUSINESS_INITIATED",
                               offer_sdp=offer, created_at=now, callback_data=body.get("biz_opaque_callback_data"))
            self.calls[call.id] = call  # registered before the await: a second connect meanwhile is 138003
        # Meta answers at once, for the phone that is only ringing (its mic muted until the customer picks up), so
        # the media path is up before ACCEPTED, as at Meta (reference §9.4).
        call.answer_sdp = await self.phones.answer(call.id, offer) or opus_sdp("answer")
        self.state.ensure_customer(to)
        self._emit_call(number, call, "connect", session={"sdp_type": "answer", "sdp": call.answer_sdp})
        self._emit_status(number, call, "RINGING")
        self._schedule_timeout(call)
        return {"messaging_product": "whatsapp", "calls": [{"id": call.id}]}

    def _end(self, number: PhoneNumber, call: SandboxCall, *, status: str = "COMPLETED") -> None:
        with self.state.lock:
            if call.status == "ended":
                return
            answered = call.accepted_at is not None
            call.status, call.ended_at = "ended", self.state.now()
        self.phones.hang_up(call.id)
        extra: dict = {"status": status}
        if answered:
            extra.update({"start_time": str(int(call.accepted_at)), "end_time": str(int(call.ended_at)),
                          "duration": int(call.ended_at - call.accepted_at)})
        self._emit_call(number, call, "terminate", **extra)

    def _schedule_timeout(self, call: SandboxCall) -> None:
        call_id = call.id
        self.dispatcher.schedule(self.state.config.call_accept_timeout_s, lambda: self._timeout(call_id))

    def _timeout(self, call_id: str) -> None:
        """Nobody picked up in time: Meta ends the call (the caller sees "Not answered")."""
        call = self.calls.get(call_id)
        number = self.state.numbers.get(call.phone_number_id) if call else None
        if call is not None and number is not None and call.status in ("ringing", "pre_accepted"):
            self._end(number, call)

    # --- the customer's side --------------------------------------------------------------------------------
    async def customer_calls(self, number: PhoneNumber, wa_id: str, *, sdp: str | None = None,
                             cta_payload: str | None = None, deeplink_payload: str | None = None) -> SandboxCall:
        """The customer taps call: a `connect` webhook with their SDP offer, when the number takes calls now. The
        offer is the phone peer's, unless `sdp` is given (then whoever gave it plays the phone's media)."""
        settings = self.settings(number)
        reason = closed_reason(settings, self.state.now())
        if reason is None and settings.get("call_icon_visibility") == "DISABLE_ALL" and not cta_payload:
            reason = "icon_hidden"  # unsolicited calls need the icon; a call button in a message still works
        if reason is not None:
            raise CallRefused(reason, _REFUSALS[reason])
        if sdp is not None:
            _session({"session": {"sdp_type": "offer", "sdp": sdp}}, "offer")
        self.state.ensure_customer(wa_id)
        with self.state.lock:
            if any(c.status in LIVE and c.wa_id == wa_id and c.phone_number_id == number.id
                   for c in self.calls.values()):
                raise CallRefused("busy", "This customer is already on a call with this number.")
            call = SandboxCall(id=_call_id(), phone_number_id=number.id, wa_id=wa_id, direction="USER_INITIATED",
                               offer_sdp=sdp or "", created_at=self.state.now())
            self.calls[call.id] = call  # registered before the await: a second call meanwhile is busy
        if sdp is None:
            call.offer_sdp = await self.phones.offer(call.id) or opus_sdp("offer")
        self.state.open_window(number.id, wa_id)  # a call opens the customer service window (reference §8.5)
        if settings.get("callback_permission_status") == "ENABLED":
            self.grant(number, wa_id, permanent=False)
        extra = {k: v for k, v in (("cta_payload", cta_payload), ("deeplink_payload", deeplink_payload)) if v}
        self._emit_call(number, call, "connect", session={"sdp_type": "offer", "sdp": call.offer_sdp}, **extra)
        self._schedule_timeout(call)
        return call

    def customer_acts(self, call_id: str, action: str) -> SandboxCall:
        """The customer answers, rejects or hangs up (`answer`, `reject`, `hangup`)."""
        call = self.calls.get(call_id)
        if call is None:
            raise KeyError(f"no call {call_id}")
        number = self.state.numbers[call.phone_number_id]
        if call.status == "ended":
            raise ValueError("the call has ended")
        if action == "hangup":
            self._end(number, call)
            return call
        if call.direction != "BUSINESS_INITIATED" or call.status != "ringing":
            raise ValueError(f"only a ringing call from the business can be answered or rejected ({call.status})")
        if action == "answer":
            with self.state.lock:
                call.status, call.accepted_at = "accepted", self.state.now()
                self.connected.setdefault((number.id, call.wa_id), []).append(call.accepted_at)
            self.phones.picked_up(call.id)  # the business hears the customer from now on
            self.state.open_window(number.id, call.wa_id)  # accepting the business's call opens it too
            self._emit_status(number, call, "ACCEPTED")
        elif action == "reject":
            self._emit_status(number, call, "REJECTED")
            self._end(number, call)
        else:
            raise ValueError("action must be answer, reject or hangup")
        return call

    # --- webhooks -------------------------------------------------------------------------------------------
    def _value(self, number: PhoneNumber, wa_id: str) -> dict:
        return {"messaging_product": "whatsapp",
                "metadata": {"display_phone_number": number.digits, "phone_number_id": number.id},
                "contacts": [self.state.contact_for(number, wa_id)]}

    def _emit_call(self, number: PhoneNumber, call: SandboxCall, event: str, **extra) -> None:
        business = call.direction == "BUSINESS_INITIATED"
        item = {"id": call.id, "from": number.digits if business else call.wa_id,
                "to": call.wa_id if business else number.digits, "event": event,
                "timestamp": str(int(self.state.now())), "direction": call.direction, **extra}
        if call.callback_data:
            item["biz_opaque_callback_data"] = call.callback_data
        self._enqueue(number, {**self._value(number, call.wa_id), "calls": [item]})

    def _emit_status(self, number: PhoneNumber, call: SandboxCall, status: str) -> None:
        item = {"id": call.id, "timestamp": str(int(self.state.now())), "type": "call", "status": status,
                "recipient_id": call.wa_id}
        if call.callback_data:
            item["biz_opaque_callback_data"] = call.callback_data
        self._enqueue(number, {**self._value(number, call.wa_id), "statuses": [item]})

    def _enqueue(self, number: PhoneNumber, value: dict) -> None:
        self.dispatcher.enqueue(Item(field="calls", waba_id=number.waba_id, phone_number_id=number.id, value=value,
                                     time=int(self.state.now())))


def _call_id() -> str:
    return "wacid." + base64.urlsafe_b64encode(secrets.token_bytes(24)).decode().rstrip("=")
