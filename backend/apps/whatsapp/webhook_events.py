"""Meta's webhook payloads as typed events: parsed once, at the edge, before any handler sees them.

Like the Graph client beside it, this module is Meta's wire format only: it imports no models, no Django and
nothing of ConvoNest, so it runs (and is tested) on its own. A handler receives these dataclasses, never the raw
dicts.

`parse_change(field, value)` (or the `parse_<field>` functions) returns a `Parsed`: the change's events and the
problems found. What Meta never sends is refused here, with a reason:

- a bad *item* of a list (one message, status, contact, call or preference: a non-numeric or over-long WhatsApp
  id, a wrong type, a NUL byte) is dropped, its reason goes to `problems`, and the rest of the change is handled;
- a bad *change* (the value is not an object, a NUL byte outside the item lists, a wrong type in a change that is
  one event, such as a template or account update) raises `PayloadRejected`.

Either way the reasons are logged and kept on the stored change; the raw body stays stored. The checks are the
limits of the columns the handlers write (message ids 128, statuses 10, user ids 256, ...) and the shapes Meta
documents; every payload of the conformance corpus (`conformance/meta-webhooks/`) parses without a problem.

One timestamp parser (`timestamp`) and one profile matcher (`profile_for`) serve every field.
"""
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

# A WhatsApp id is the customer's phone number in digits, E.164 (at most 15 digits; contacts.Contact.phone
# holds "+" and those digits).
WA_ID = re.compile(r"[0-9]{1,15}")
# Business-scoped user ids: "US.13491208655302741918", "US.ENT.118..."; Meta allows up to 256 characters
# (Contact.wa_user_id is 256 long).
USER_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,255}")
META_ID = re.compile(r"[0-9]{1,32}")  # template, phone number and WABA ids
STATUS = re.compile(r"[a-z_]{1,10}")  # Message.status / PendingStatus.status are 10 long
TIMESTAMP = re.compile(r"[0-9]{1,12}")  # Unix seconds
WAMID_MAX = 128  # Message.wamid
CALL_ID_MAX = 200  # Call.call_id
CALLBACK_MAX = 512  # Meta's limit on biz_opaque_callback_data
PARTY_MAX = 128  # a status's recipient_id: a number, or a group's id
TYPE_MAX = 32  # Message.type

_WHATSAPP_ID = "a WhatsApp id (digits, at most 15)"
_USER_ID = "a business-scoped user id"


class PayloadRejected(Exception):
    """The whole change is unusable (str(exc) is why). Its raw body stays stored."""


# --- the events ---------------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class SenderProfile:
    """One entry of a change's `contacts[]`: who wrote, as Meta knows them."""

    wa_id: str | None  # the customer's phone number in digits (E.164 without "+")
    user_id: str | None  # business-scoped user id (BSUID), e.g. "US.13491208655302741918"
    name: str = ""  # profile.name, "" when absent


@dataclass(frozen=True, slots=True)
class InboundMessage:
    """One customer message of a `messages` change."""

    wamid: str  # Meta's message id (unique; redeliveries carry the same)
    type: str  # Meta's message type ("text", "image", ..., "unsupported"), at most 32 characters
    sender_wa_id: str | None  # `from`
    sender_user_id: str | None  # `from_user_id`
    profile: SenderProfile | None  # the contacts[] entry of this sender (the one profile matcher)
    sent_at: datetime | None  # Meta's `timestamp` (the one timestamp parser); None when missing or invalid
    payload: dict = field(default_factory=dict)  # the message object as Meta sent it (stored as is)

    @property
    def sender(self) -> str:
        """The sender as Meta addressed them: their number, else their user id."""
        return self.sender_wa_id or self.sender_user_id or ""


@dataclass(frozen=True, slots=True)
class StatusUpdate:
    """One entry of a `messages` change's `statuses[]`: what became of a message the business sent."""

    wamid: str
    status: str  # Meta's, lower case: "sent", "delivered", "read", "played", "failed", ...
    recipient: str  # recipient_id: the customer's WhatsApp id, or a group's id; "" when absent
    at: datetime | None
    callback_data: str | None  # biz_opaque_callback_data: our message's id when we sent one
    error: dict | None  # the first of Meta's `errors` (code, title, message, error_data)
    pricing: dict | None
    payload: dict = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class CallEvent:
    """One event of a `calls` change: a `calls[]` entry (connect, terminate) or a `statuses[]` entry of type
    call (RINGING, ACCEPTED, REJECTED, ... of a business-initiated call)."""

    call_id: str
    event: str  # calls[]: Meta's event in lower case ("connect", "terminate"); statuses[]: the status, upper case
    is_status: bool  # from statuses[]
    direction: str  # "USER_INITIATED", "BUSINESS_INITIATED", or "" (statuses are the business's calls)
    status: str  # upper case: how a terminated call ended ("COMPLETED", "FAILED", ...), a status's name; or ""
    from_number: str  # "" when absent
    to_number: str
    customer_wa_id: str | None  # the customer's end: `from` of their call, `to` / recipient_id of ours
    profile: SenderProfile | None  # the contacts[] entry of that customer (the one profile matcher)
    at: datetime | None
    started_at: datetime | None = None
    ended_at: datetime | None = None
    duration_seconds: int | None = None
    callback_data: str = ""
    sdp_offer: str | None = None  # the customer's SDP offer (session.sdp_type "offer"), else None
    sdp_answer: str | None = None  # Meta's SDP answer to the business's call (session.sdp_type "answer"), else None
    error_code: int | None = None  # the first of Meta's errors, when the event carries any
    error_message: str = ""
    detail: dict = field(default_factory=dict)  # the item as Meta sent it, without the session (SDP)


@dataclass(frozen=True, slots=True)
class PreferenceChange:
    """One entry of a `user_preferences` change: a customer stopped or resumed a category of messages."""

    wa_id: str | None
    user_id: str | None
    category: str  # "marketing_messages"; "" when absent
    choice: str  # Meta's `value`, lower case: "stop", "resume", "signup"
    detail: str
    at: datetime | None  # Meta's time as sent (a handler may clamp it)
    profile: SenderProfile | None  # the contacts[] entry of this customer (the one profile matcher)


@dataclass(frozen=True, slots=True)
class TemplateRef:
    """The template a template webhook is about."""

    meta_id: str  # message_template_id, in digits
    name: str
    language: str


@dataclass(frozen=True, slots=True)
class TemplateStatusUpdate:
    template: TemplateRef
    event: str  # upper case: "APPROVED", "REJECTED", "PAUSED", ...; "" when absent
    reason: str  # upper case: "NONE", "INVALID_FORMAT", ...
    category: str  # message_template_category, upper case; "" when absent
    reason_detail: str  # Meta's explanation (rejection_info, other_info or disable_info), one "key: text" a line
    detail: dict = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class TemplateQualityUpdate:
    template: TemplateRef
    new_score: str  # upper case: "GREEN", "YELLOW", "RED", "UNKNOWN"
    previous_score: str
    detail: dict = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class TemplateCategoryUpdate:
    """Done re-categorisations carry `previous_category`; announced ones `correct_category` (the one it will
    get) next to `new_category` (the current one)."""

    template: TemplateRef
    new_category: str  # upper case
    previous_category: str
    correct_category: str
    detail: dict = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class TemplateComponentsUpdate:
    template: TemplateRef
    detail: dict = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class AccountUpdate:
    """An account or number health notice: phone_number_quality_update, phone_number_name_update,
    account_update, account_review_update, account_alerts or business_capability_update."""

    field: str  # the webhook field
    event: str  # upper case: the event, decision or alert type; capability updates: the new limit as sent
    display_phone_number: str = ""  # the number it is about, as Meta formats it
    phone_number_id: str = ""  # an alert about one number (entity_type PHONE_NUMBER): its id
    messaging_limit: str = ""  # the messaging limit tier it reports
    verified_name: str = ""  # an approved name: the requested verified name
    ban_state: str = ""  # account_update's ban_info.waba_ban_state, upper case
    detail: dict = field(default_factory=dict)  # the change's value as Meta sent it


@dataclass(frozen=True, slots=True)
class Parsed:
    """One change, parsed: its events in order, and the items dropped (one reason each)."""

    events: tuple = ()
    problems: tuple[str, ...] = ()
    phone_number_id: str = ""  # metadata.phone_number_id; "" for fields without a number

    def of(self, kind: type) -> list:
        return [event for event in self.events if isinstance(event, kind)]


# --- the one timestamp parser and the one profile matcher ---------------------------------------------------

def timestamp(value) -> datetime | None:
    """Meta's Unix time (seconds, as a string of digits or an integer) as an aware UTC datetime; None when
    missing or not a time. Callers decide what None means (inbound storage: now; a status: unknown)."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not TIMESTAMP.fullmatch(value):
        return None
    try:
        return datetime.fromtimestamp(int(value), tz=UTC)
    except (ValueError, OverflowError, OSError):  # past year 9999
        return None


def profile_for(profiles: Sequence[SenderProfile], wa_id: str | None, user_id: str | None
                ) -> SenderProfile | None:
    """The `contacts[]` entry of the customer an item names. The rule, for every field: an exact match by
    WhatsApp id or by user id; the only profile when the item names neither id; otherwise none. A profile is
    never attached to a different customer (a name or user id would land on the wrong contact)."""
    if wa_id or user_id:
        return next((p for p in profiles if (wa_id and p.wa_id == wa_id) or (user_id and p.user_id == user_id)),
                    None)
    return profiles[0] if len(profiles) == 1 else None


# --- reading one item ---------------------------------------------------------------------------------------

def _contains_nul(data) -> bool:
    """True if any string (key or value) of parsed JSON contains NUL, which PostgreSQL text and jsonb cannot
    hold. Iterative, so a deeply nested value can't exhaust the stack. (apps.core.input_guards has the request
    version; it imports DRF, which this module doesn't.)"""
    pending = [data]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return True
        elif isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return False


class _Bad(Exception):
    """This item (or, in a one-event change, this change) is not Meta's: str(exc) says why."""


def _text(item: dict, key: str, *, required=False, pattern: re.Pattern | None = None, max_length: int = 0,
          what: str = "", numbers=False) -> str | None:
    """item[key] checked, or None when absent or "" (and not required). `numbers`: an integer is read as its
    digits (Meta sends some ids and limits as JSON numbers)."""
    raw = item.get(key)
    if raw is None:
        if required:
            raise _Bad(f".{key} is missing")
        return None
    if numbers and isinstance(raw, int) and not isinstance(raw, bool):
        raw = str(raw)
    if not isinstance(raw, str):
        raise _Bad(f".{key} is not a string")
    if raw == "" and not required:
        return None
    if pattern is not None and not pattern.fullmatch(raw):
        raise _Bad(f".{key} is not {what}")
    if max_length and not 0 < len(raw) <= max_length:
        raise _Bad(f".{key} is not {what or f'1 to {max_length} characters'}")
    return raw


def _word(item: dict, key: str) -> str:
    """A code-like text (event, status, category), stripped and upper case; "" when absent."""
    return (_text(item, key, numbers=True) or "").strip().upper()


def _time(item: dict, key: str) -> datetime | None:
    if item.get(key) in (None, ""):
        return None
    at = timestamp(item[key])
    if at is None:
        raise _Bad(f".{key} is not a Unix time")
    return at


def _object(item: dict, key: str) -> dict:
    raw = item.get(key)
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise _Bad(f".{key} is not an object")
    return raw


def _inside(item: dict, key: str, read: Callable[[dict], str]) -> str:
    """read() of the object at item[key] ({} when absent); its problems are named by their path
    (".ban_info.waba_ban_state is not a string")."""
    inner = _object(item, key)
    try:
        return read(inner)
    except _Bad as bad:
        raise _Bad(f".{key}{bad}") from None


def _errors(item: dict) -> list[dict]:
    """Meta's error objects. The first one's code is stored as an integer (Message.error_code, Call.error_code)."""
    errors = item.get("errors")
    if errors is None:
        return []
    if not isinstance(errors, list) or not all(isinstance(e, dict) for e in errors):
        raise _Bad(".errors is not a list of objects")
    for error in errors:
        code = error.get("code")
        if code is not None and (isinstance(code, bool) or not isinstance(code, int) or abs(code) >= 2**31):
            raise _Bad(".errors[].code is not an integer")
    return errors


def _items(value: dict, name: str, parse_one: Callable[[dict], object], problems: list[str]) -> list:
    """Parse every item of value[name]; a bad one is dropped and its reason added to `problems`."""
    items = value.get(name)
    if items is None:
        return []
    if not isinstance(items, list):
        problems.append(f"{name} is not a list")
        return []
    parsed = []
    for index, item in enumerate(items):
        try:
            if not isinstance(item, dict):
                raise _Bad("is not an object")
            if _contains_nul(item):
                raise _Bad("contains a NUL byte")
            parsed.append(parse_one(item))
        except _Bad as bad:
            reason = str(bad)
            problems.append(f"{name}[{index}]{reason}" if reason.startswith(".") else f"{name}[{index}] {reason}")
    return parsed


def _envelope(value, item_lists: tuple[str, ...]) -> dict:
    """The change's value, when it is an object without NUL outside its item lists (those are checked item by
    item); else the whole change is rejected."""
    if not isinstance(value, dict):
        raise PayloadRejected("value is not an object")
    if _contains_nul({key: item for key, item in value.items() if key not in item_lists}):
        where = "outside " + "/".join(item_lists) if item_lists else ""
        raise PayloadRejected(" ".join(filter(None, ["a string", where, "contains a NUL byte"])))
    return value


def _phone_number_id(value: dict) -> str:
    metadata = value.get("metadata")
    number_id = metadata.get("phone_number_id") if isinstance(metadata, dict) else None
    return "" if number_id is None else str(number_id)


def _profiles(value: dict, problems: list[str]) -> list[SenderProfile]:
    return _items(value, "contacts", _profile, problems)


def _profile(contact: dict) -> SenderProfile:
    wa_id = _text(contact, "wa_id", pattern=WA_ID, what=_WHATSAPP_ID)
    user_id = _text(contact, "user_id", pattern=USER_ID, what=_USER_ID)
    profile = _object(contact, "profile")
    name = profile.get("name")
    if name is not None and not isinstance(name, str):
        raise _Bad(".profile.name is not a string")
    return SenderProfile(wa_id=wa_id, user_id=user_id, name=name or "")


# --- messages -----------------------------------------------------------------------------------------------

def parse_messages(value) -> Parsed:
    """A `messages` change: status updates of what the business sent, then the customers' messages."""
    value = _envelope(value, ("messages", "statuses", "contacts"))
    message_problems: list[str] = []
    status_problems: list[str] = []
    contact_problems: list[str] = []
    profiles = _profiles(value, contact_problems)
    inbound = _items(value, "messages", lambda m: _inbound(m, profiles), message_problems)
    statuses = _items(value, "statuses", _status_update, status_problems)
    return Parsed(events=(*statuses, *inbound), problems=(*message_problems, *status_problems, *contact_problems),
                  phone_number_id=_phone_number_id(value))


def _inbound(message: dict, profiles: list[SenderProfile]) -> InboundMessage:
    wamid = _text(message, "id", required=True, max_length=WAMID_MAX, what=f"a message id (at most {WAMID_MAX})")
    wa_id = _text(message, "from", pattern=WA_ID, what=_WHATSAPP_ID)
    user_id = _text(message, "from_user_id", pattern=USER_ID, what=_USER_ID)
    kind = _text(message, "type", max_length=TYPE_MAX, what="a message type")
    return InboundMessage(wamid=wamid, type=kind or "unknown", sender_wa_id=wa_id, sender_user_id=user_id,
                          profile=profile_for(profiles, wa_id, user_id), sent_at=_time(message, "timestamp"),
                          payload=message)


def _status_update(status: dict) -> StatusUpdate:
    wamid = _text(status, "id", required=True, max_length=WAMID_MAX, what=f"a message id (at most {WAMID_MAX})")
    name = _text(status, "status", required=True, pattern=STATUS, what="a status")
    recipient = _text(status, "recipient_id", max_length=PARTY_MAX, what="a recipient id")
    callback = _text(status, "biz_opaque_callback_data", max_length=CALLBACK_MAX, what="callback data")
    at = _time(status, "timestamp")
    errors = _errors(status)
    pricing = status.get("pricing")
    if pricing is not None and not isinstance(pricing, dict):
        raise _Bad(".pricing is not an object")
    return StatusUpdate(wamid=wamid, status=name, recipient=recipient or "", at=at, callback_data=callback,
                        error=errors[0] if errors else None, pricing=pricing, payload=status)


# --- calls --------------------------------------------------------------------------------------------------

def parse_calls(value) -> Parsed:
    """A `calls` change: the calls' events (connect, terminate), then the statuses of the business's calls."""
    value = _envelope(value, ("calls", "statuses", "contacts"))
    problems: list[str] = []
    profiles = _profiles(value, problems)
    change_errors = value.get("errors")  # a terminate's errors may sit beside `calls`, not in it
    change_error = _first_error(change_errors) if isinstance(change_errors, list) else (None, "")
    calls = _items(value, "calls", lambda c: _call(c, profiles, change_error), problems)
    statuses = [s for s in _items(value, "statuses", lambda s: _call_status(s, profiles), problems) if s]
    return Parsed(events=(*calls, *statuses), problems=tuple(problems), phone_number_id=_phone_number_id(value))


def _first_error(errors: list) -> tuple[int | None, str]:
    first = errors[0] if errors and isinstance(errors[0], dict) else {}
    code = first.get("code")
    if isinstance(code, str) and code.lstrip("-").isdigit():
        code = int(code)
    if isinstance(code, bool) or not isinstance(code, int) or abs(code) >= 2**31:
        code = None
    message = first.get("message") or first.get("title")
    return code, message if isinstance(message, str) else ""


def _call(call: dict, profiles: list[SenderProfile], change_error: tuple[int | None, str]) -> CallEvent:
    call_id = _text(call, "id", required=True, max_length=CALL_ID_MAX, what=f"a call id (at most {CALL_ID_MAX})")
    from_number = _text(call, "from", pattern=WA_ID, what=_WHATSAPP_ID)
    to_number = _text(call, "to", pattern=WA_ID, what=_WHATSAPP_ID)
    direction = _word(call, "direction")
    session = _object(call, "session")
    duration = call.get("duration")
    if isinstance(duration, str) and duration.isdigit():
        duration = int(duration)
    if duration is not None and (isinstance(duration, bool) or not isinstance(duration, int) or duration < 0):
        raise _Bad(".duration is not a number of seconds")
    errors = _errors(call)
    code, message = _first_error(errors) if errors else change_error
    customer = to_number if direction == "BUSINESS_INITIATED" else from_number
    sdp = session.get("sdp")
    sdp = None if sdp is None else str(sdp)
    kind = session.get("sdp_type")
    return CallEvent(
        call_id=call_id, event=(_text(call, "event") or "unknown").lower(), is_status=False, direction=direction,
        status=_word(call, "status"), from_number=from_number or "", to_number=to_number or "",
        customer_wa_id=customer, profile=profile_for(profiles, customer, None), at=_time(call, "timestamp"),
        started_at=_time(call, "start_time"), ended_at=_time(call, "end_time"), duration_seconds=duration,
        callback_data=_text(call, "biz_opaque_callback_data", max_length=CALLBACK_MAX, what="callback data") or "",
        sdp_offer=sdp if kind == "offer" else None, sdp_answer=sdp if kind == "answer" else None,
        error_code=code, error_message=message,
        detail={key: item for key, item in call.items() if key != "session"})  # the SDP is kept once, on the call


def _call_status(status: dict, profiles: list[SenderProfile]) -> CallEvent | None:
    if status.get("type", "call") != "call":
        return None  # not a call's status: nothing for the call log
    call_id = _text(status, "id", required=True, max_length=CALL_ID_MAX, what=f"a call id (at most {CALL_ID_MAX})")
    recipient = _text(status, "recipient_id", pattern=WA_ID, what=_WHATSAPP_ID)
    name = _word(status, "status") or "UNKNOWN"
    code, message = _first_error(_errors(status))
    return CallEvent(
        call_id=call_id, event=name, is_status=True, direction="BUSINESS_INITIATED", status=name,
        from_number="", to_number=recipient or "", customer_wa_id=recipient,
        profile=profile_for(profiles, recipient, None), at=_time(status, "timestamp"),
        callback_data=_text(status, "biz_opaque_callback_data", max_length=CALLBACK_MAX, what="callback data") or "",
        error_code=code, error_message=message, detail=status)


@dataclass(frozen=True, slots=True)
class CallPermissionReply:
    """A customer's answer to a call permission request (an interactive `call_permission_reply` message, §7.3.2)."""

    accepted: bool  # response "accept"; "reject" (or anything else) is False
    permanent: bool  # is_permanent: the business may call until the customer revokes it
    expires_at: datetime | None  # expiration_timestamp of a temporary permission; None when absent
    source: str  # response_source: "user_action", "automatic" (granted by calling the business), ...
    request_wamid: str  # context.id: the request message answered; "" when absent


def call_permission_reply(message: dict) -> CallPermissionReply | None:
    """The reply an inbound message object carries (InboundMessage.payload), or None when it is not one or not
    Meta's shape."""
    interactive = message.get("interactive") if isinstance(message, dict) else None
    if not isinstance(interactive, dict) or interactive.get("type") != "call_permission_reply":
        return None
    reply, context = interactive.get("call_permission_reply"), message.get("context")
    if not isinstance(reply, dict):
        return None
    context_id = context.get("id") if isinstance(context, dict) else None
    source = reply.get("response_source")
    return CallPermissionReply(accepted=reply.get("response") == "accept", permanent=reply.get("is_permanent") is True,
                               expires_at=timestamp(reply.get("expiration_timestamp")),
                               source=source if isinstance(source, str) else "",
                               request_wamid=context_id if isinstance(context_id, str) else "")


# --- user preferences ---------------------------------------------------------------------------------------

def parse_user_preferences(value) -> Parsed:
    value = _envelope(value, ("user_preferences", "contacts"))
    problems: list[str] = []
    profiles = _profiles(value, problems)
    changes = _items(value, "user_preferences", lambda p: _preference(p, profiles), problems)
    return Parsed(events=tuple(changes), problems=tuple(problems), phone_number_id=_phone_number_id(value))


def _preference(preference: dict, profiles: list[SenderProfile]) -> PreferenceChange:
    wa_id = _text(preference, "wa_id", pattern=WA_ID, what=_WHATSAPP_ID)
    user_id = _text(preference, "user_id", pattern=USER_ID, what=_USER_ID)
    return PreferenceChange(
        wa_id=wa_id, user_id=user_id, category=_text(preference, "category", max_length=64) or "",
        choice=(_text(preference, "value", max_length=64) or "").lower(),
        detail=(_text(preference, "detail") or "").strip(), at=_time(preference, "timestamp"),
        profile=profile_for(profiles, wa_id, user_id))


# --- template updates (one event per change) ----------------------------------------------------------------

def _one(value, read: Callable[[dict], object]) -> Parsed:
    """A change that is one event: any value Meta never sends rejects the change."""
    value = _envelope(value, ())
    try:
        return Parsed(events=(read(value),))
    except _Bad as bad:
        raise PayloadRejected(str(bad).removeprefix(".")) from None


def _template(value: dict) -> TemplateRef:
    return TemplateRef(
        meta_id=_text(value, "message_template_id", required=True, pattern=META_ID, what="a Meta id", numbers=True),
        name=(_text(value, "message_template_name") or "").strip(),
        language=(_text(value, "message_template_language") or "").strip())


def _reason_detail(value: dict) -> str:
    """Meta's explanation, whichever of its shapes this event uses."""
    parts = []
    for key, names in (("rejection_info", ("reason", "recommendation")), ("other_info", ("title", "description")),
                       ("disable_info", ("disable_date",))):
        for name in names:
            text = _inside(value, key, lambda info, name=name: (_text(info, name, numbers=True) or "").strip())
            if text:
                parts.append(f"{name}: {text}")
    return "\n".join(parts)


def parse_template_status(value) -> Parsed:
    return _one(value, lambda v: TemplateStatusUpdate(
        template=_template(v), event=_word(v, "event"), reason=_word(v, "reason"),
        category=_word(v, "message_template_category"), reason_detail=_reason_detail(v), detail=v))


def parse_template_quality(value) -> Parsed:
    return _one(value, lambda v: TemplateQualityUpdate(
        template=_template(v), new_score=_word(v, "new_quality_score"),
        previous_score=_word(v, "previous_quality_score"), detail=v))


def parse_template_category(value) -> Parsed:
    return _one(value, lambda v: TemplateCategoryUpdate(
        template=_template(v), new_category=_word(v, "new_category"), previous_category=_word(v, "previous_category"),
        correct_category=_word(v, "correct_category"), detail=v))


def parse_template_components(value) -> Parsed:
    return _one(value, lambda v: TemplateComponentsUpdate(template=_template(v), detail=v))


# --- account and number health (one event per change) -------------------------------------------------------

def _plain(item: dict, key: str) -> str:
    return (_text(item, key, numbers=True) or "").strip()


def parse_phone_number_quality(value) -> Parsed:
    """`current_limit` went away in Feb 2026 in favour of the portfolio's `max_daily_conversations_per_business`;
    either is the number's messaging limit tier."""
    return _one(value, lambda v: AccountUpdate(
        field="phone_number_quality_update", event=_word(v, "event"),
        display_phone_number=_plain(v, "display_phone_number"),
        messaging_limit=_plain(v, "max_daily_conversations_per_business") or _plain(v, "current_limit"), detail=v))


def parse_phone_number_name(value) -> Parsed:
    return _one(value, lambda v: AccountUpdate(
        field="phone_number_name_update", event=_word(v, "decision"),
        display_phone_number=_plain(v, "display_phone_number"), verified_name=_plain(v, "requested_verified_name"),
        detail=v))


def parse_account_update(value) -> Parsed:
    return _one(value, lambda v: AccountUpdate(
        field="account_update", event=_word(v, "event"),
        ban_state=_inside(v, "ban_info", lambda info: _word(info, "waba_ban_state")), detail=v))


def parse_account_review(value) -> Parsed:
    return _one(value, lambda v: AccountUpdate(field="account_review_update", event=_word(v, "decision"), detail=v))


def parse_account_alerts(value) -> Parsed:
    """An alert about the account or, when `entity_type` says so, one of its numbers."""
    def read(v: dict) -> AccountUpdate:
        about_number = _word(v, "entity_type") == "PHONE_NUMBER"
        return AccountUpdate(field="account_alerts", event=_inside(v, "alert_info", lambda i: _word(i, "alert_type")),
                             phone_number_id=_plain(v, "entity_id") if about_number else "", detail=v)
    return _one(value, read)


def parse_business_capability(value) -> Parsed:
    """Messaging limits belong to the business portfolio since Oct 2025: every number of the account has it."""
    def read(v: dict) -> AccountUpdate:
        limit = _plain(v, "max_daily_conversations_per_business") or _plain(v, "max_daily_conversation_per_phone")
        return AccountUpdate(field="business_capability_update", event=limit, messaging_limit=limit,
                             detail=v)
    return _one(value, read)


PARSERS: dict[str, Callable[[object], Parsed]] = {
    "messages": parse_messages,
    "calls": parse_calls,
    "user_preferences": parse_user_preferences,
    "message_template_status_update": parse_template_status,
    "message_template_quality_update": parse_template_quality,
    "message_template_components_update": parse_template_components,
    "template_category_update": parse_template_category,
    "phone_number_quality_update": parse_phone_number_quality,
    "phone_number_name_update": parse_phone_number_name,
    "account_update": parse_account_update,
    "account_review_update": parse_account_review,
    "account_alerts": parse_account_alerts,
    "business_capability_update": parse_business_capability,
}


def parse_change(field_name: str, value) -> Parsed:
    """The typed events of one change of a field ConvoNest handles. Raises PayloadRejected for a change that
    can't be Meta's, and KeyError for a field without a parser."""
    return PARSERS[field_name](value)
