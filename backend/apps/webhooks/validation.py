"""The edge: a routed change is checked for what Meta never sends before any handler sees it.

Small on purpose (full typed events are another piece of work): the identifiers and types the handlers write
into columns, and NUL bytes, which PostgreSQL text and jsonb cannot hold. A bad *item* (one message, status or
contact) is dropped with a reason and the rest of the change is still handled; a bad change outside those lists
(routing ids, NUL in the envelope) is rejected whole. Either way the reasons are logged and kept on the
WebhookChange row, and the raw body stays stored.
"""
import re

from apps.core.input_guards import contains_nul

# A WhatsApp id is the customer's phone number in digits, E.164 (at most 15 digits; contacts.Contact.phone
# holds "+" and those digits).
WA_ID = re.compile(r"[0-9]{1,15}")
# Business-scoped user ids: "US.13491208655302741918", "US.ENT.118..."; Meta allows up to 256 characters
# (Contact.wa_user_id is 256 long).
USER_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,255}")
META_ID = re.compile(r"[0-9]{1,32}")  # phone number ids and WABA ids (routing columns are 32 long)
FIELD = re.compile(r"[a-z_]{1,64}")
STATUS = re.compile(r"[a-z_]{1,10}")  # Message.status / PendingStatus.status are 10 long
TIMESTAMP = re.compile(r"[0-9]{1,12}")
WAMID_MAX = 128  # Message.wamid
CALLBACK_MAX = 512  # Meta's limit on biz_opaque_callback_data

ITEM_LISTS = ("messages", "statuses", "contacts")


def routing_problem(field: str, phone_number_id, waba_id) -> str | None:
    """Why the change's routing keys can't be Meta's, or None. Empty ids are fine (fields without a number)."""
    if not isinstance(field, str) or not FIELD.fullmatch(field):
        return "field is not a webhook field name"
    for name, value in (("metadata.phone_number_id", phone_number_id), ("entry.id", waba_id)):
        if value in (None, ""):
            continue
        if not isinstance(value, str | int) or isinstance(value, bool) or not META_ID.fullmatch(str(value)):
            return f"{name} is not a Meta id (digits, at most 32)"
    return None


def change_clean(field: str, value) -> tuple[dict | None, list[str]]:
    """(the value to handle, the problems found). The value is None when the whole change is rejected;
    otherwise it is `value` itself when nothing was wrong, or a copy without the bad items."""
    if not isinstance(value, dict):
        return None, ["value is not an object"]
    if field != "messages":
        return (None, ["a string contains a NUL byte"]) if contains_nul(value) else (value, [])
    problems: list[str] = []
    cleaned = dict(value)
    for name, check in (("messages", _message_problem), ("statuses", _status_problem),
                        ("contacts", _contact_problem)):
        if name not in value:
            continue
        items = value[name]
        if not isinstance(items, list):
            problems.append(f"{name} is not a list")
            cleaned[name] = []
            continue
        kept = []
        for index, item in enumerate(items):
            problem = "is not an object" if not isinstance(item, dict) else (
                "contains a NUL byte" if contains_nul(item) else check(item))
            if problem:
                problems.append(f"{name}[{index}]{problem}" if problem.startswith(".") else
                                f"{name}[{index}] {problem}")
            else:
                kept.append(item)
        cleaned[name] = kept
    if contains_nul({key: item for key, item in value.items() if key not in ITEM_LISTS}):
        return None, [*problems, "a string outside messages/statuses/contacts contains a NUL byte"]
    return (value if not problems else cleaned), problems


def _text(item: dict, key: str, *, required=False, pattern: re.Pattern | None = None, max_length: int = 0,
          what: str = "") -> str | None:
    """The problem with item[key] ("." + key + " ..."), or None."""
    if key not in item or item[key] is None:
        return f".{key} is missing" if required else None
    raw = item[key]
    if key == "timestamp" and isinstance(raw, int) and not isinstance(raw, bool):
        raw = str(raw)
    if not isinstance(raw, str):
        return f".{key} is not a string"
    if raw == "" and not required:
        return None
    if pattern is not None and not pattern.fullmatch(raw):
        return f".{key} is not {what}"
    if max_length and not 0 < len(raw) <= max_length:
        return f".{key} is not {what or f'1 to {max_length} characters'}"
    return None


def _first(*problems: str | None) -> str | None:
    return next((p for p in problems if p), None)


def _message_problem(message: dict) -> str | None:
    return _first(
        _text(message, "id", required=True, max_length=WAMID_MAX, what=f"a message id (at most {WAMID_MAX})"),
        _text(message, "from", pattern=WA_ID, what="a WhatsApp id (digits, at most 15)"),
        _text(message, "from_user_id", pattern=USER_ID, what="a business-scoped user id"),
        _text(message, "type", max_length=32, what="a message type"),
        _text(message, "timestamp", pattern=TIMESTAMP, what="a Unix time"),
    )


def _status_problem(status: dict) -> str | None:
    return _first(
        _text(status, "id", required=True, max_length=WAMID_MAX, what=f"a message id (at most {WAMID_MAX})"),
        _text(status, "status", required=True, pattern=STATUS, what="a status"),
        _text(status, "recipient_id", max_length=WAMID_MAX, what="a recipient id"),  # a number or a group id
        _text(status, "biz_opaque_callback_data", max_length=CALLBACK_MAX, what="callback data"),
        _text(status, "timestamp", pattern=TIMESTAMP, what="a Unix time"),
        _errors_problem(status.get("errors")),
        None if isinstance(status.get("pricing", {}), dict | None) else ".pricing is not an object",
    )


def _contact_problem(contact: dict) -> str | None:
    profile = contact.get("profile")
    return _first(
        _text(contact, "wa_id", pattern=WA_ID, what="a WhatsApp id (digits, at most 15)"),
        _text(contact, "user_id", pattern=USER_ID, what="a business-scoped user id"),
        None if profile is None or isinstance(profile, dict) else ".profile is not an object",
        None if not isinstance(profile, dict) or isinstance(profile.get("name", ""), str)
        else ".profile.name is not a string",
    )


def _errors_problem(errors) -> str | None:
    """Meta's error objects: the first one's code and title are stored (Message.error_code is an integer)."""
    if errors is None:
        return None
    if not isinstance(errors, list) or not all(isinstance(e, dict) for e in errors):
        return ".errors is not a list of objects"
    for error in errors:
        code = error.get("code")
        if code is not None and (isinstance(code, bool) or not isinstance(code, int) or abs(code) >= 2**31):
            return ".errors[].code is not an integer"
    return None
