"""Checks of `POST /{phone-number-id}/messages` bodies, type by type, with Meta's limits (reference §2).

Which code answers what (the details always name the field, e.g. `interactive.action.buttons[0].reply.title`):
- a required field is missing: 131008;
- a field has the wrong JSON type, or a key does not belong there: 100;
- a value breaks a limit or a rule (length, count, enum, format, unknown media id): 131009;
- the message `type` is not one WhatsApp knows: 131051.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .errors import GraphError, bad_param, invalid, missing

MESSAGE_TYPES = ("text", "image", "video", "audio", "document", "sticker", "location", "contacts", "reaction",
                 "interactive", "template")
MEDIA_TYPES = ("image", "video", "audio", "document", "sticker")
MEDIA_KEYS = {"image": {"id", "link", "caption"}, "video": {"id", "link", "caption"}, "audio": {"id", "link", "voice"},
              "document": {"id", "link", "caption", "filename"}, "sticker": {"id", "link"}}
INTERACTIVE_TYPES = ("button", "list", "cta_url", "location_request_message", "flow", "carousel", "product",
                     "product_list", "catalog_message", "call_permission_request", "voice_call")
ENVELOPE_KEYS = {"messaging_product", "recipient_type", "to", "recipient", "type", "context",
                 "biz_opaque_callback_data", "recipient_identity_key_hash"}
URL_RE = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.I)
PHONE_CHARS = re.compile(r"^\+?[\d\s\-().]+$")

TEXT_BODY = 4096
CAPTION = 1024
BIZ_OPAQUE = 512
HEADER_TEXT = 60
FOOTER_TEXT = 60
INTERACTIVE_BODY = 1024
LIST_BODY = 4096


@dataclass
class Outbound:
    """What the rest of the send path needs from a valid request."""

    type: str
    to: str | None  # digits of `to`
    to_input: str | None
    recipient: str | None  # a BSUID given in `recipient`
    context_id: str | None
    biz_opaque_callback_data: str | None
    media: list[tuple[str, str, str]] = field(default_factory=list)  # (path, kind, media id)
    reaction_target: str | None = None


# --- small typed getters --------------------------------------------------------------------------------

def as_obj(value, path: str) -> dict:
    if not isinstance(value, dict):
        raise bad_param(path, "must be an object")
    return value


def only(obj: dict, path: str, allowed: set[str]) -> None:
    for key in obj:
        if key not in allowed:
            raise GraphError(100, f"Unexpected key \"{key}\" on param \"{path}\".")


def get(obj: dict, key: str):
    value = obj.get(key)
    return None if value is None else value


def req_str(obj: dict, key: str, path: str, *, max_len: int | None = None, allow_empty: bool = False) -> str:
    value = get(obj, key)
    if value is None or (value == "" and not allow_empty):
        raise missing(f"{path}.{key}")
    if not isinstance(value, str):
        raise bad_param(f"{path}.{key}", "must be a string")
    if max_len is not None and len(value) > max_len:
        raise invalid(f"{path}.{key}", f"must be at most {max_len} characters (got {len(value)})")
    return value


def opt_str(obj: dict, key: str, path: str, *, max_len: int | None = None) -> str | None:
    if get(obj, key) is None:
        return None
    return req_str(obj, key, path, max_len=max_len, allow_empty=True)


def req_list(obj: dict, key: str, path: str, *, min_len: int = 1, max_len: int | None = None) -> list:
    value = get(obj, key)
    if value is None:
        raise missing(f"{path}.{key}")
    if not isinstance(value, list):
        raise bad_param(f"{path}.{key}", "must be an array")
    if len(value) < min_len or (max_len is not None and len(value) > max_len):
        bound = f"between {min_len} and {max_len}" if max_len is not None else f"at least {min_len}"
        raise invalid(f"{path}.{key}", f"must have {bound} items (got {len(value)})")
    return value


def req_obj(obj: dict, key: str, path: str) -> dict:
    value = get(obj, key)
    if value is None:
        raise missing(f"{path}.{key}")
    return as_obj(value, f"{path}.{key}")


def check_url(value: str, path: str) -> None:
    if not URL_RE.match(value) or len(value) > 2000:
        raise invalid(path, "must be an http(s) URL of at most 2000 characters")


def coordinate(obj: dict, key: str, path: str, limit: float) -> float:
    value = get(obj, key)
    if value is None or value == "":
        raise missing(f"{path}.{key}")
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise bad_param(f"{path}.{key}", "must be a number")
    try:
        number = float(value)
    except ValueError:
        raise invalid(f"{path}.{key}", "must be a decimal number") from None
    if not -limit <= number <= limit:
        raise invalid(f"{path}.{key}", f"must be between -{limit} and {limit}")
    return number


def phone_digits(value, path: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise bad_param(path, "must be a phone number string")
    if not PHONE_CHARS.match(value.strip()):
        raise invalid(path, "must be a phone number with its country code, e.g. +16505551234")
    digits = re.sub(r"\D", "", value)
    if not 7 <= len(digits) <= 15:
        raise invalid(path, "must be a phone number with its country code, e.g. +16505551234")
    return digits


# --- the message ------------------------------------------------------------------------------------------

def validate_message(body: dict) -> Outbound:
    if get(body, "messaging_product") is None:
        raise missing("messaging_product")
    if body["messaging_product"] != "whatsapp":
        raise invalid("messaging_product", "must be \"whatsapp\"")
    msg_type = get(body, "type") or "text"
    if not isinstance(msg_type, str):
        raise bad_param("type", "must be a string")
    if msg_type not in MESSAGE_TYPES:
        raise GraphError(131051, f"Message type '{msg_type}' is not supported. Use one of: {', '.join(MESSAGE_TYPES)}.")
    only(body, "message", ENVELOPE_KEYS | {msg_type})
    recipient_type = get(body, "recipient_type") or "individual"
    if recipient_type != "individual":
        raise invalid("recipient_type", "must be \"individual\" (groups are not emulated)")
    to_input = get(body, "to")
    recipient = get(body, "recipient")
    to = None
    if to_input is not None:
        to = phone_digits(to_input, "to")
    elif recipient is not None:
        if not isinstance(recipient, str) or not re.match(r"^[A-Z]{2}\.(ENT\.)?\d{1,250}$", recipient):
            raise invalid("recipient", "must be a business-scoped user id such as US.13491208655302741918")
    else:
        raise missing("to")
    context_id = None
    if get(body, "context") is not None:
        context = as_obj(body["context"], "context")
        only(context, "context", {"message_id"})
        context_id = req_str(context, "message_id", "context")
    opaque = opt_str(body, "biz_opaque_callback_data", "message", max_len=BIZ_OPAQUE)
    if opaque is not None and len(opaque) > BIZ_OPAQUE:
        raise invalid("biz_opaque_callback_data", f"must be at most {BIZ_OPAQUE} characters")
    out = Outbound(type=msg_type, to=to, to_input=to_input if isinstance(to_input, str) else None,
                   recipient=recipient if to is None else None, context_id=context_id,
                   biz_opaque_callback_data=opaque)
    if get(body, msg_type) is None:
        raise missing(msg_type)
    content = body[msg_type]
    if msg_type == "contacts":
        _contacts(content, out)
    else:
        as_obj(content, msg_type)
        VALIDATORS[msg_type](content, out)
    return out


def _text(text: dict, out: Outbound) -> None:
    only(text, "text", {"body", "preview_url"})
    req_str(text, "body", "text", max_len=TEXT_BODY)
    if get(text, "preview_url") is not None and not isinstance(text["preview_url"], bool):
        raise bad_param("text.preview_url", "must be a boolean")


def _media(kind: str):
    def check(media: dict, out: Outbound, path: str | None = None) -> None:
        path = path or kind
        only(media, path, MEDIA_KEYS[kind])
        media_id, link = get(media, "id"), get(media, "link")
        if media_id is None and link is None:
            raise missing(f"{path}.id")
        if media_id is not None and link is not None:
            raise invalid(path, "give either id or link, not both")
        if media_id is not None:
            if not isinstance(media_id, (str, int)) or isinstance(media_id, bool):
                raise bad_param(f"{path}.id", "must be a string")
            out.media.append((f"{path}.id", kind, str(media_id)))
        else:
            if not isinstance(link, str):
                raise bad_param(f"{path}.link", "must be a string")
            check_url(link, f"{path}.link")
        if "caption" in MEDIA_KEYS[kind]:
            opt_str(media, "caption", path, max_len=CAPTION)
        if kind == "document":
            opt_str(media, "filename", path, max_len=240)
        if kind == "audio" and get(media, "voice") is not None and not isinstance(media["voice"], bool):
            raise bad_param(f"{path}.voice", "must be a boolean")
    return check


def _location(location: dict, out: Outbound) -> None:
    only(location, "location", {"latitude", "longitude", "name", "address"})
    coordinate(location, "latitude", "location", 90)
    coordinate(location, "longitude", "location", 180)
    opt_str(location, "name", "location", max_len=1000)
    opt_str(location, "address", "location", max_len=1000)


def _contacts(contacts, out: Outbound) -> None:
    if not isinstance(contacts, list):
        raise bad_param("contacts", "must be an array")
    if not 1 <= len(contacts) <= 257:
        raise invalid("contacts", "must have between 1 and 257 contacts")
    lists = {"phones": {"phone", "type", "wa_id"}, "emails": {"email", "type"},
             "addresses": {"street", "city", "state", "zip", "country", "country_code", "type"},
             "urls": {"url", "type"}}
    for i, contact in enumerate(contacts):
        path = f"contacts[{i}]"
        as_obj(contact, path)
        only(contact, path, {"name", "birthday", "org", *lists})
        name = req_obj(contact, "name", path)
        only(name, f"{path}.name", {"formatted_name", "first_name", "last_name", "middle_name", "prefix", "suffix"})
        req_str(name, "formatted_name", f"{path}.name")
        for key in ("first_name", "last_name", "middle_name", "prefix", "suffix"):
            opt_str(name, key, f"{path}.name")
        birthday = opt_str(contact, "birthday", path)
        if birthday and not re.match(r"^\d{4}-\d{2}-\d{2}$", birthday):
            raise invalid(f"{path}.birthday", "must be YYYY-MM-DD")
        if get(contact, "org") is not None:
            org = as_obj(contact["org"], f"{path}.org")
            only(org, f"{path}.org", {"company", "department", "title"})
        for key, allowed in lists.items():
            if get(contact, key) is None:
                continue
            items = contact[key]
            if not isinstance(items, list):
                raise bad_param(f"{path}.{key}", "must be an array")
            for j, item in enumerate(items):
                as_obj(item, f"{path}.{key}[{j}]")
                only(item, f"{path}.{key}[{j}]", allowed)


def _reaction(reaction: dict, out: Outbound) -> None:
    only(reaction, "reaction", {"message_id", "emoji"})
    out.reaction_target = req_str(reaction, "message_id", "reaction")
    emoji = get(reaction, "emoji")
    if emoji is None:
        raise missing("reaction.emoji")
    if not isinstance(emoji, str):
        raise bad_param("reaction.emoji", "must be a string")
    if emoji and (len(emoji) > 10 or re.search(r"[A-Za-z0-9\s]", emoji)):
        raise invalid("reaction.emoji", "must be a single emoji (or \"\" to remove the reaction)")
    if out.context_id:
        raise invalid("context", "a reaction can't be sent as a reply")


# --- interactive ------------------------------------------------------------------------------------------

def _header(header: dict, path: str, out: Outbound, *, text_only: bool = False) -> None:
    as_obj(header, path)
    kind = req_str(header, "type", path)
    allowed = ("text",) if text_only else ("text", "image", "video", "document")
    if kind not in allowed:
        raise invalid(f"{path}.type", f"must be one of {', '.join(allowed)}")
    only(header, path, {"type", kind})
    if kind == "text":
        req_str(header, "text", path, max_len=HEADER_TEXT)
    else:
        media = req_obj(header, kind, path)
        _media(kind)(media, out, f"{path}.{kind}")


def _body(interactive: dict, limit: int, *, required: bool = True) -> None:
    if get(interactive, "body") is None:
        if required:
            raise missing("interactive.body")
        return
    body = as_obj(interactive["body"], "interactive.body")
    only(body, "interactive.body", {"text"})
    req_str(body, "text", "interactive.body", max_len=limit)


def _footer(interactive: dict) -> None:
    if get(interactive, "footer") is not None:
        footer = as_obj(interactive["footer"], "interactive.footer")
        only(footer, "interactive.footer", {"text"})
        req_str(footer, "text", "interactive.footer", max_len=FOOTER_TEXT)


def _unique(values: list[str], path: str, what: str) -> None:
    if len(set(values)) != len(values):
        raise invalid(path, f"{what} must be unique")


def _interactive(interactive: dict, out: Outbound) -> None:
    kind = req_str(interactive, "type", "interactive")
    if kind not in INTERACTIVE_TYPES:
        raise invalid("interactive.type", f"must be one of {', '.join(INTERACTIVE_TYPES)}")
    base = {"type", "body", "action"}
    with_header = base | {"header", "footer"}
    action = req_obj(interactive, "action", "interactive")
    path = "interactive.action"
    if kind == "button":
        only(interactive, "interactive", with_header)
        if get(interactive, "header") is not None:
            _header(interactive["header"], "interactive.header", out)
        _body(interactive, INTERACTIVE_BODY)
        _footer(interactive)
        only(action, path, {"buttons"})
        buttons = req_list(action, "buttons", path, max_len=3)
        ids, titles = [], []
        for i, button in enumerate(buttons):
            bpath = f"{path}.buttons[{i}]"
            as_obj(button, bpath)
            only(button, bpath, {"type", "reply"})
            if req_str(button, "type", bpath) != "reply":
                raise invalid(f"{bpath}.type", "must be \"reply\"")
            reply = req_obj(button, "reply", bpath)
            only(reply, f"{bpath}.reply", {"id", "title"})
            ids.append(req_str(reply, "id", f"{bpath}.reply", max_len=256))
            titles.append(req_str(reply, "title", f"{bpath}.reply", max_len=20))
        _unique(ids, f"{path}.buttons", "reply ids")
        _unique(titles, f"{path}.buttons", "reply titles")
    elif kind == "list":
        only(interactive, "interactive", with_header)
        if get(interactive, "header") is not None:
            _header(interactive["header"], "interactive.header", out, text_only=True)
        _body(interactive, LIST_BODY)
        _footer(interactive)
        only(action, path, {"button", "sections"})
        req_str(action, "button", path, max_len=20)
        sections = req_list(action, "sections", path, max_len=10)
        row_ids, total = [], 0
        for i, section in enumerate(sections):
            spath = f"{path}.sections[{i}]"
            as_obj(section, spath)
            only(section, spath, {"title", "rows"})
            if len(sections) > 1:
                req_str(section, "title", spath, max_len=24)
            else:
                opt_str(section, "title", spath, max_len=24)
            rows = req_list(section, "rows", spath)
            for j, row in enumerate(rows):
                rpath = f"{spath}.rows[{j}]"
                as_obj(row, rpath)
                only(row, rpath, {"id", "title", "description"})
                row_ids.append(req_str(row, "id", rpath, max_len=200))
                req_str(row, "title", rpath, max_len=24)
                opt_str(row, "description", rpath, max_len=72)
            total += len(rows)
        if total > 10:
            raise invalid(f"{path}.sections", f"at most 10 rows in all sections (got {total})")
        _unique(row_ids, f"{path}.sections", "row ids")
    elif kind == "cta_url":
        only(interactive, "interactive", with_header)
        if get(interactive, "header") is not None:
            _header(interactive["header"], "interactive.header", out)
        _body(interactive, INTERACTIVE_BODY)
        _footer(interactive)
        _cta_action(action, path)
    elif kind == "location_request_message":
        only(interactive, "interactive", base)
        _body(interactive, INTERACTIVE_BODY)
        only(action, path, {"name"})
        if req_str(action, "name", path) != "send_location":
            raise invalid(f"{path}.name", "must be \"send_location\"")
    elif kind == "flow":
        only(interactive, "interactive", with_header)
        if get(interactive, "header") is not None:
            _header(interactive["header"], "interactive.header", out)
        _body(interactive, INTERACTIVE_BODY)
        _footer(interactive)
        _flow_action(action, path)
    elif kind == "carousel":
        only(interactive, "interactive", base)
        _body(interactive, INTERACTIVE_BODY)
        _carousel(action, path, out)
    elif kind in ("product", "product_list", "catalog_message"):
        only(interactive, "interactive", with_header)
        if kind == "product_list":
            _header(req_obj(interactive, "header", "interactive"), "interactive.header", out, text_only=True)
        elif get(interactive, "header") is not None:
            _header(interactive["header"], "interactive.header", out)
        _body(interactive, INTERACTIVE_BODY, required=kind != "product")
        _footer(interactive)
        if kind == "product":
            req_str(action, "catalog_id", path)
            req_str(action, "product_retailer_id", path)
        elif kind == "product_list":
            req_str(action, "catalog_id", path)
            sections = req_list(action, "sections", path, max_len=10)
            items = sum(len(req_list(as_obj(s, f"{path}.sections[{i}]"), "product_items", f"{path}.sections[{i}]"))
                        for i, s in enumerate(sections))
            if items > 30:
                raise invalid(f"{path}.sections", "at most 30 products")
        else:
            if req_str(action, "name", path) != "catalog_message":
                raise invalid(f"{path}.name", "must be \"catalog_message\"")
    else:  # call_permission_request, voice_call
        only(interactive, "interactive", base)
        _body(interactive, INTERACTIVE_BODY)
        if req_str(action, "name", path) != kind:
            raise invalid(f"{path}.name", f"must be \"{kind}\"")


def _cta_action(action: dict, path: str) -> None:
    only(action, path, {"name", "parameters"})
    if req_str(action, "name", path) != "cta_url":
        raise invalid(f"{path}.name", "must be \"cta_url\"")
    params = req_obj(action, "parameters", path)
    only(params, f"{path}.parameters", {"display_text", "url"})
    req_str(params, "display_text", f"{path}.parameters", max_len=20)
    check_url(req_str(params, "url", f"{path}.parameters"), f"{path}.parameters.url")


def _flow_action(action: dict, path: str) -> None:
    only(action, path, {"name", "parameters"})
    if req_str(action, "name", path) != "flow":
        raise invalid(f"{path}.name", "must be \"flow\"")
    params = req_obj(action, "parameters", path)
    ppath = f"{path}.parameters"
    only(params, ppath, {"flow_message_version", "flow_id", "flow_name", "flow_cta", "flow_token", "mode",
                         "flow_action", "flow_action_payload"})
    if req_str(params, "flow_message_version", ppath) != "3":
        raise invalid(f"{ppath}.flow_message_version", "must be \"3\"")
    if get(params, "flow_id") is None and get(params, "flow_name") is None:
        raise missing(f"{ppath}.flow_id")
    if get(params, "flow_id") is not None and get(params, "flow_name") is not None:
        raise invalid(ppath, "give flow_id or flow_name, not both")
    req_str(params, "flow_cta", ppath, max_len=30)
    opt_str(params, "flow_token", ppath)
    mode = opt_str(params, "mode", ppath)
    if mode is not None and mode not in ("draft", "published"):
        raise invalid(f"{ppath}.mode", "must be draft or published")
    flow_action = opt_str(params, "flow_action", ppath) or "navigate"
    if flow_action not in ("navigate", "data_exchange"):
        raise invalid(f"{ppath}.flow_action", "must be navigate or data_exchange")
    if get(params, "flow_action_payload") is not None:
        if flow_action != "navigate":
            raise invalid(f"{ppath}.flow_action_payload", "is only for flow_action navigate")
        payload = as_obj(params["flow_action_payload"], f"{ppath}.flow_action_payload")
        only(payload, f"{ppath}.flow_action_payload", {"screen", "data"})
        req_str(payload, "screen", f"{ppath}.flow_action_payload")
        if "data" in payload and (not isinstance(payload["data"], dict) or not payload["data"]):
            raise invalid(f"{ppath}.flow_action_payload.data", "must be a non-empty object when present")


def _carousel(action: dict, path: str, out: Outbound) -> None:
    only(action, path, {"cards"})
    cards = req_list(action, "cards", path, min_len=2, max_len=10)
    indexes, header_types = [], set()
    for i, card in enumerate(cards):
        cpath = f"{path}.cards[{i}]"
        as_obj(card, cpath)
        index = get(card, "card_index")
        if index is None:
            raise missing(f"{cpath}.card_index")
        if not isinstance(index, int) or isinstance(index, bool) or not 0 <= index <= 9:
            raise invalid(f"{cpath}.card_index", "must be an integer from 0 to 9")
        indexes.append(index)
        card_type = req_str(card, "type", cpath)
        if card_type == "product":
            only(card, cpath, {"card_index", "type", "action"})
            card_action = req_obj(card, "action", cpath)
            req_str(card_action, "product_retailer_id", f"{cpath}.action")
            req_str(card_action, "catalog_id", f"{cpath}.action")
            header_types.add("product")
            continue
        if card_type != "cta_url":
            raise invalid(f"{cpath}.type", "must be cta_url or product")
        only(card, cpath, {"card_index", "type", "header", "body", "action"})
        header = req_obj(card, "header", cpath)
        htype = req_str(header, "type", f"{cpath}.header")
        if htype not in ("image", "video"):
            raise invalid(f"{cpath}.header.type", "must be image or video")
        header_types.add(htype)
        only(header, f"{cpath}.header", {"type", htype})
        _media(htype)(req_obj(header, htype, f"{cpath}.header"), out, f"{cpath}.header.{htype}")
        if get(card, "body") is not None:
            body = as_obj(card["body"], f"{cpath}.body")
            text = req_str(body, "text", f"{cpath}.body", max_len=160)
            if text.count("\n") > 2:
                raise invalid(f"{cpath}.body.text", "at most 2 line breaks")
        _cta_action(req_obj(card, "action", cpath), f"{cpath}.action")
    _unique([str(i) for i in indexes], f"{path}.cards", "card_index values")
    if len(header_types) > 1:
        raise invalid(f"{path}.cards", "all cards must have the same header type")


def _template_shape(template: dict, out: Outbound) -> None:
    only(template, "template", {"name", "language", "components", "namespace"})
    req_str(template, "name", "template", max_len=512)
    language = req_obj(template, "language", "template")
    only(language, "template.language", {"code", "policy"})
    req_str(language, "code", "template.language")
    if get(language, "policy") is not None and language["policy"] != "deterministic":
        raise invalid("template.language.policy", "must be \"deterministic\"")
    if get(template, "components") is not None and not isinstance(template["components"], list):
        raise bad_param("template.components", "must be an array")


VALIDATORS = {
    "text": _text,
    "location": _location,
    "reaction": _reaction,
    "interactive": _interactive,
    "template": _template_shape,
    **{kind: _media(kind) for kind in MEDIA_TYPES},
}


def media_kind_matches(kind: str, mime_type: str) -> bool:
    """Whether a stored media's MIME type fits the message type it is sent as (else 131053, async)."""
    mime = mime_type.split(";")[0].strip()
    return mime in SUPPORTED_MEDIA.get(kind, {})


# kind -> {mime: max bytes}  (reference §2.4)
_MB = 1024 * 1024
SUPPORTED_MEDIA = {
    "image": {"image/jpeg": 5 * _MB, "image/png": 5 * _MB},
    "video": {"video/mp4": 16 * _MB, "video/3gpp": 16 * _MB},
    "audio": {"audio/aac": 16 * _MB, "audio/amr": 16 * _MB, "audio/mpeg": 16 * _MB, "audio/mp4": 16 * _MB,
              "audio/ogg": 16 * _MB},
    "document": {m: 100 * _MB for m in (
        "text/plain", "application/pdf", "application/msword", "application/vnd.ms-excel",
        "application/vnd.ms-powerpoint",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation")},
    "sticker": {"image/webp": 500 * 1024},
}


def media_limit(mime_type: str) -> int | None:
    mime = mime_type.split(";")[0].strip()
    for table in SUPPORTED_MEDIA.values():
        if mime in table:
            return table[mime]
    return None
