"""Acting as the customer: turn a control-API request into an inbound message object shaped exactly like
Meta's `messages[]` items (conformance `message.json`, `callback_button.json`, `callback_selection.json`).
"""
from __future__ import annotations

import base64
import json
import struct
import zlib

from .state import Message, PhoneNumber, SandboxState

INBOUND_TYPES = ("text", "image", "video", "audio", "document", "sticker", "location", "contacts", "interactive",
                 "button", "reaction", "unsupported")
PLACEHOLDER_MIME = {"image": "image/jpeg", "video": "video/mp4", "audio": "audio/ogg; codecs=opus",
                    "document": "application/pdf", "sticker": "image/webp"}


class CustomerInputError(ValueError):
    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def _require(obj: dict, key: str, path: str):
    value = obj.get(key)
    if value is None or value == "":
        raise CustomerInputError(f"{path}.{key} is required", f"{path}.{key}")
    return value


def build_inbound(state: SandboxState, number: PhoneNumber, wa_id: str, body: dict) -> tuple[dict, str | None]:
    """(message object without from/id/timestamp, id of the message replied to)."""
    kind = body.get("type")
    if kind not in INBOUND_TYPES:
        raise CustomerInputError(f"type must be one of {', '.join(INBOUND_TYPES)}", "type")
    context = body.get("context") or {}
    if not isinstance(context, dict):
        raise CustomerInputError("context must be an object", "context")
    context_id = context.get("message_id")
    content = body.get(kind) if kind != "unsupported" else body.get("unsupported", {})
    if kind != "unsupported" and content is None and kind not in PLACEHOLDER_MIME:
        raise CustomerInputError(f"{kind} is required", kind)
    msg: dict = {}
    if context.get("forwarded") or context.get("frequently_forwarded"):
        msg["context"] = {"frequently_forwarded": True} if context.get("frequently_forwarded") else {"forwarded": True}
    if kind == "text":
        msg.update({"text": {"body": str(_require(content, "body", "text"))}, "type": "text"})
    elif kind in PLACEHOLDER_MIME:
        msg.update({"type": kind, kind: _inbound_media(state, number, kind, content or {})})
    elif kind == "location":
        location = {}
        for key in ("latitude", "longitude"):
            try:
                location[key] = float(_require(content, key, "location"))
            except (TypeError, ValueError):
                raise CustomerInputError(f"location.{key} must be a number", f"location.{key}") from None
        for key in ("name", "address", "url"):
            if content.get(key):
                location[key] = str(content[key])
        msg.update({"location": location, "type": "location"})
    elif kind == "contacts":
        if not isinstance(content, list) or not content:
            raise CustomerInputError("contacts must be a non-empty array", "contacts")
        for i, contact in enumerate(content):
            if not isinstance(contact, dict) or not (contact.get("name") or {}).get("formatted_name"):
                raise CustomerInputError(f"contacts[{i}].name.formatted_name is required",
                                         f"contacts[{i}].name.formatted_name")
        msg.update({"type": "contacts", "contacts": content})
    elif kind == "interactive":
        msg.update({"type": "interactive", "interactive": _interactive_reply(state, content, context_id)})
    elif kind == "button":
        msg.update({"type": "button", "button": _template_reply(state, content, context_id)})
    elif kind == "reaction":
        target = str(_require(content, "message_id", "reaction"))
        if state.messages.get(target) is None:
            raise CustomerInputError("reaction.message_id is not a known message", "reaction.message_id")
        reaction = {"message_id": target}
        if content.get("emoji"):
            reaction["emoji"] = str(content["emoji"])
        msg.update({"type": "reaction", "reaction": reaction})
    else:  # unsupported: what Meta sends for message types it can't pass on
        msg["errors"] = [{"code": 131051, "title": "Message type unknown", "message": "Message type unknown",
                          "error_data": {"details": "Message type is currently not supported."}}]
        msg["type"] = "unsupported"
        if isinstance(content, dict) and content.get("type"):
            msg["unsupported"] = {"type": str(content["type"])}
    return msg, context_id


def _inbound_media(state: SandboxState, number: PhoneNumber, kind: str, content: dict) -> dict:
    if not isinstance(content, dict):
        raise CustomerInputError(f"{kind} must be an object", kind)
    media = None
    if content.get("id"):
        media = state.media.get(str(content["id"]))
        if media is None:
            raise CustomerInputError(f"{kind}.id is not a known media id (upload it with POST /_sandbox/media)",
                                     f"{kind}.id")
        if media.phone_number_id != number.id:  # the business reads it through its own number
            media = state.add_media(number.id, media.data, media.mime_type, media.filename, origin="customer")
    elif content.get("content_base64"):
        try:
            data = base64.b64decode(content["content_base64"], validate=True)
        except ValueError:
            raise CustomerInputError(f"{kind}.content_base64 is not base64", f"{kind}.content_base64") from None
        media = state.add_media(number.id, data, content.get("mime_type") or PLACEHOLDER_MIME[kind],
                                content.get("filename"), origin="customer")
    else:
        data, mime = placeholder(kind)
        media = state.add_media(number.id, data, mime, content.get("filename") or
                                ("document.pdf" if kind == "document" else None), origin="customer")
    obj: dict = {}
    if kind in ("image", "video", "document") and content.get("caption"):
        obj["caption"] = str(content["caption"])
    if kind == "document":
        obj["filename"] = content.get("filename") or media.filename or "document.pdf"
    mime = media.mime_type
    if kind == "audio" and mime.startswith("audio/ogg") and "codecs" not in mime:
        mime = "audio/ogg; codecs=opus"
    obj.update({"mime_type": mime, "sha256": media.sha256, "id": media.id})
    if kind == "audio":
        obj["voice"] = bool(content.get("voice", False))
    if kind == "sticker":
        obj["animated"] = bool(content.get("animated", False))
    return obj


def _business_message(state: SandboxState, context_id: str | None, what: str) -> Message:
    if not context_id:
        raise CustomerInputError(f"a {what} replies to a message: give context.message_id", "context.message_id")
    message = state.messages.get(context_id)
    if message is None or message.direction != "out":
        raise CustomerInputError("context.message_id is not a message the business sent", "context.message_id")
    return message


def _interactive_reply(state: SandboxState, content: dict, context_id: str | None) -> dict:
    if not isinstance(content, dict):
        raise CustomerInputError("interactive must be an object", "interactive")
    kind = content.get("type")
    if kind == "button_reply":
        reply = content.get("button_reply") or {}
        button_id = str(_require(reply, "id", "interactive.button_reply"))
        source = _business_message(state, context_id, "button reply")
        buttons = (source.payload.get("interactive") or {}).get("action", {}).get("buttons") or []
        match = next((b["reply"] for b in buttons if b.get("reply", {}).get("id") == button_id), None)
        if match is None:
            raise CustomerInputError(f"message {context_id} has no reply button {button_id!r}",
                                     "interactive.button_reply.id")
        return {"type": "button_reply", "button_reply": {"id": button_id, "title": reply.get("title")
                                                         or match["title"]}}
    if kind == "list_reply":
        reply = content.get("list_reply") or {}
        row_id = str(_require(reply, "id", "interactive.list_reply"))
        source = _business_message(state, context_id, "list reply")
        sections = (source.payload.get("interactive") or {}).get("action", {}).get("sections") or []
        row = next((r for s in sections for r in s.get("rows", []) if r.get("id") == row_id), None)
        if row is None:
            raise CustomerInputError(f"message {context_id} has no list row {row_id!r}", "interactive.list_reply.id")
        out = {"id": row_id, "title": reply.get("title") or row["title"]}
        if row.get("description"):
            out["description"] = row["description"]
        return {"type": "list_reply", "list_reply": out}
    if kind == "nfm_reply":
        reply = content.get("nfm_reply") or {}
        response = reply.get("response_json", {})
        if not isinstance(response, str):
            response = json.dumps(response, separators=(",", ":"))
        return {"type": "nfm_reply", "nfm_reply": {"response_json": response, "body": reply.get("body", "Sent"),
                                                   "name": reply.get("name", "flow")}}
    raise CustomerInputError("interactive.type must be button_reply, list_reply or nfm_reply", "interactive.type")


def _template_reply(state: SandboxState, content: dict, context_id: str | None) -> dict:
    """A tap on a template's quick-reply button: payload is what the business put in the send (else the text)."""
    if not isinstance(content, dict):
        raise CustomerInputError("button must be an object", "button")
    source = _business_message(state, context_id, "template button reply")
    buttons = [b for b in (source.rendered or {}).get("buttons", []) if b.get("type") == "QUICK_REPLY"]
    for card in (source.rendered or {}).get("cards", []):
        buttons += [b for b in card.get("buttons", []) if b.get("type") == "QUICK_REPLY"]
    text, payload = content.get("text"), content.get("payload")
    match = next((b for b in buttons if (text and b["text"] == text) or (payload and b["payload"] == payload)), None)
    if match is None:
        raise CustomerInputError(f"message {context_id} has no quick-reply button {text or payload!r}", "button.text")
    return {"payload": match["payload"], "text": match["text"]}


def placeholder(kind: str) -> tuple[bytes, str]:
    """A small valid-looking file of each kind, for customer media sent without content."""
    if kind == "image":
        return _png(96, 96, (37, 211, 102)), "image/png"
    if kind == "document":
        return (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
                b"trailer<</Root 1 0 R>>\n%%EOF\n"), "application/pdf"
    if kind == "audio":
        return b"OggS\x00\x02" + b"\x00" * 58, "audio/ogg; codecs=opus"
    if kind == "video":
        return b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 32, "video/mp4"
    return b"RIFF\x1a\x00\x00\x00WEBPVP8L\x0d\x00\x00\x00/\x00\x00\x00\x10\x07\x10\x11\x11\x88\x88\xfe\x07\x00", \
        "image/webp"


def _png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)
    row = b"\x00" + bytes(rgb) * width
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(row * height)) + chunk(b"IEND", b""))
