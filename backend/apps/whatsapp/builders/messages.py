"""Plain messages: text, media, location, contacts, reaction; replies; the send envelope; read receipts.

Every `check_*` takes the object as Meta expects it (the value under the message's `type` key) and
returns a normalised copy (None values dropped) or raises BuilderError naming the field. The builder
functions assemble that object from arguments and run the same check.
"""
from __future__ import annotations

import re

from apps.whatsapp.errors import BuilderError

from . import _check as c
from . import limits as L

MEDIA_KINDS = ("image", "video", "audio", "document", "sticker")
_CAPTIONED = ("image", "video", "document")
_TO_RE = re.compile(r"^\+?[0-9][0-9 ()\-]{4,30}$")
_BIRTHDAY_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


# --- text ---------------------------------------------------------------------------------------

def check_text(value, path: str = "text") -> dict:
    data = c.obj(value, path, ("body", "preview_url"), ("body",))
    c.text(data["body"], f"{path}.body", max_len=L.TEXT_BODY)
    if "preview_url" in data:
        c.boolean(data["preview_url"], f"{path}.preview_url")
    return data


def text(body: str, *, preview_url: bool = False) -> dict:
    """A text message; `preview_url` asks WhatsApp to render a preview of the first URL."""
    obj = {"body": body}
    if preview_url:
        obj["preview_url"] = True
    return {"type": "text", "text": check_text(obj)}


# --- media --------------------------------------------------------------------------------------

def check_media(kind: str, value, path: str | None = None, *, in_header: bool = False) -> dict:
    """An image/video/audio/document/sticker object: exactly one of `id` (uploaded) or `link` (HTTPS)."""
    path = path or kind
    allowed = {"id", "link"}
    if kind in _CAPTIONED and not in_header:
        allowed.add("caption")
    if kind == "document":
        allowed.add("filename")
    if kind == "audio" and not in_header:
        allowed.add("voice")
    if isinstance(value, dict) and value.get("caption") is not None and "caption" not in allowed:
        where = "in a header" if in_header else f"on {kind}"
        raise BuilderError(f"{path}.caption", f"a caption is not allowed {where}")
    data = c.obj(value, path, allowed)
    if ("id" in data) == ("link" in data):
        raise BuilderError(path, "give exactly one of id or link")
    if "id" in data:
        c.text(data["id"], f"{path}.id", max_len=256)
    else:
        c.url(data["link"], f"{path}.link", max_len=L.URL)
    c.optional_text(data, "caption", path, max_len=L.CAPTION)
    c.optional_text(data, "filename", path, max_len=L.FILENAME)
    if "voice" in data:
        c.boolean(data["voice"], f"{path}.voice")
    return data


def media(kind: str, *, media_id: str | None = None, link: str | None = None, caption: str | None = None,
          filename: str | None = None, voice: bool = False) -> dict:
    """Any media message; prefer the named helpers below."""
    c.choice(kind, "type", MEDIA_KINDS)
    obj = {"id": media_id, "link": link, "caption": caption, "filename": filename, "voice": True if voice else None}
    return {"type": kind, kind: check_media(kind, obj)}


def image(*, media_id=None, link=None, caption=None) -> dict:
    return media("image", media_id=media_id, link=link, caption=caption)


def video(*, media_id=None, link=None, caption=None) -> dict:
    return media("video", media_id=media_id, link=link, caption=caption)


def audio(*, media_id=None, link=None, voice: bool = False) -> dict:
    """`voice=True` renders a voice note (the file must be OGG/OPUS)."""
    return media("audio", media_id=media_id, link=link, voice=voice)


def document(*, media_id=None, link=None, caption=None, filename=None) -> dict:
    return media("document", media_id=media_id, link=link, caption=caption, filename=filename)


def sticker(*, media_id=None, link=None) -> dict:
    return media("sticker", media_id=media_id, link=link)


# --- location -----------------------------------------------------------------------------------

def check_location(value, path: str = "location") -> dict:
    data = c.obj(value, path, ("latitude", "longitude", "name", "address"), ("latitude", "longitude"))
    c.coordinate(data["latitude"], f"{path}.latitude", 90)
    c.coordinate(data["longitude"], f"{path}.longitude", 180)
    c.optional_text(data, "name", path, max_len=1000)
    c.optional_text(data, "address", path, max_len=1000)
    return data


def location(latitude, longitude, *, name: str | None = None, address: str | None = None) -> dict:
    obj = {"latitude": latitude, "longitude": longitude, "name": name, "address": address}
    return {"type": "location", "location": check_location(obj)}


# --- contacts -----------------------------------------------------------------------------------

_CONTACT_LISTS = {
    "phones": ("phone", "type", "wa_id"),
    "emails": ("email", "type"),
    "addresses": ("street", "city", "state", "zip", "country", "country_code", "type"),
    "urls": ("url", "type"),
}


def _check_contact(value, path: str) -> dict:
    data = c.obj(value, path, ("name", "org", "birthday", *_CONTACT_LISTS), ("name",))
    name_path = f"{path}.name"
    name = c.obj(data["name"], name_path,
                 ("formatted_name", "first_name", "last_name", "middle_name", "suffix", "prefix"), ("formatted_name",))
    for key in name:
        c.text(name[key], f"{name_path}.{key}", max_len=1000)
    data["name"] = name
    for key, fields in _CONTACT_LISTS.items():
        if key in data:
            items = c.array(data[key], f"{path}.{key}", max_items=20)
            checked = []
            for index, item in enumerate(items):
                item_path = f"{path}.{key}[{index}]"
                item = c.obj(item, item_path, fields)
                for field in item:
                    c.text(item[field], f"{item_path}.{field}", max_len=1000)
                checked.append(item)
            data[key] = checked
    if "org" in data:
        data["org"] = c.obj(data["org"], f"{path}.org", ("company", "department", "title"))
        for key, item in data["org"].items():
            c.text(item, f"{path}.org.{key}", max_len=1000)
    if "birthday" in data and not (isinstance(data["birthday"], str) and _BIRTHDAY_RE.match(data["birthday"])):
        raise BuilderError(f"{path}.birthday", "must be YYYY-MM-DD")
    return data


def check_contacts(value, path: str = "contacts") -> list:
    items = c.array(value, path, min_items=1, max_items=L.CONTACTS_PER_MESSAGE)
    return [_check_contact(item, f"{path}[{index}]") for index, item in enumerate(items)]


def contacts(cards: list[dict]) -> dict:
    """Contact cards in Meta's shape; only `name.formatted_name` is required per card."""
    return {"type": "contacts", "contacts": check_contacts(cards)}


# --- reaction -----------------------------------------------------------------------------------

def check_reaction(value, path: str = "reaction") -> dict:
    data = c.obj(value, path, ("message_id", "emoji"), ("message_id",))
    c.text(data["message_id"], f"{path}.message_id", max_len=256)
    emoji = data.get("emoji", "")
    if not isinstance(emoji, str):
        raise BuilderError(f"{path}.emoji", "must be a string")
    if emoji and (len(emoji) > 16 or any(ch.isspace() or (ch.isascii() and ch.isalpha()) for ch in emoji)):
        raise BuilderError(f"{path}.emoji", "must be a single emoji, or \"\" to remove the reaction")
    data["emoji"] = emoji
    return data


def reaction(message_id: str, emoji: str) -> dict:
    """React to `message_id`; `emoji=""` removes our reaction."""
    return {"type": "reaction", "reaction": check_reaction({"message_id": message_id, "emoji": emoji})}


# --- replies, envelope, read receipts -------------------------------------------------------------

def check_context(value, path: str = "context") -> dict:
    data = c.obj(value, path, ("message_id",), ("message_id",))
    c.text(data["message_id"], f"{path}.message_id", max_len=256)
    return data


def reply_to(message: dict, message_id: str) -> dict:
    """The same message as a quoted reply to `message_id` (any type but reaction)."""
    if message.get("type") == "reaction":
        raise BuilderError("context", "a reaction cannot be sent as a reply")
    return {**message, "context": check_context({"message_id": message_id})}


def recipient(to: str) -> str:
    """E.164 with '+': Meta prepends the *business number's* country code to a number without it.

    A bare digit string is a wa_id (country code included, no '+'), so it only needs the '+'.
    """
    if not isinstance(to, str) or not _TO_RE.match(to.strip()):
        raise BuilderError("to", "must be a phone number in international format, e.g. +16505551234")
    to = to.strip()
    return to if to.startswith("+") else "+" + to


def envelope(to: str, message: dict, *, biz_opaque_callback_data: str | None = None) -> dict:
    """The body of `POST /{phone-number-id}/messages` for one (already built) message."""
    if not isinstance(message, dict) or not isinstance(message.get("type"), str) or message["type"] not in message:
        raise BuilderError("type", "the message needs a type and the object of that name")
    body = {"messaging_product": "whatsapp", "recipient_type": "individual", "to": recipient(to), **message}
    if biz_opaque_callback_data is not None:
        body["biz_opaque_callback_data"] = c.text(
            biz_opaque_callback_data, "biz_opaque_callback_data", max_len=L.BIZ_OPAQUE_CALLBACK_DATA)
    return body


def mark_read(message_id: str, typing_indicator: bool = False) -> dict:
    """Mark an inbound message (and those before it) read; with `typing_indicator`, show "typing…" too."""
    body = {"messaging_product": "whatsapp", "status": "read",
            "message_id": c.text(message_id, "message_id", max_len=256)}
    if typing_indicator:
        body["typing_indicator"] = {"type": "text"}
    return body
