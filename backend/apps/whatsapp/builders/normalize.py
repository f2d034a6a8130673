"""Validate and normalise a message as a client sends it to our API, in Meta's message-object shape:
`{"type": "text", "text": {"body": "hi"}}`, optionally with `"context": {"message_id": "wamid…"}`.

`POST /api/messages/` calls `normalize_message`; the result is what the outbox stores and the client
sends. Errors are BuilderError naming the field as the client wrote it (e.g. `interactive.action.buttons[3]`).
"""
from __future__ import annotations

from apps.whatsapp.errors import BuilderError

from . import _check as c
from .interactive import check_interactive
from .messages import (
    MEDIA_KINDS,
    check_contacts,
    check_context,
    check_location,
    check_media,
    check_reaction,
    check_text,
)
from .template import check_template

_CHECKS = {
    "text": check_text,
    **{kind: (lambda value, kind=kind: check_media(kind, value)) for kind in MEDIA_KINDS},
    "location": check_location,
    "contacts": check_contacts,
    "reaction": check_reaction,
    "interactive": check_interactive,
    "template": check_template,
}
MESSAGE_TYPES = tuple(_CHECKS)


def normalize_message(data) -> dict:
    """Return `{"type", <type>: {...}, ["context"]}` checked against Meta's rules, or raise BuilderError.

    Keys other than `type`, its object and `context` are ignored (the API reads `to`, `phone_number_id`
    itself), except the object of another message type, which is refused as ambiguous.
    """
    if not isinstance(data, dict):
        raise BuilderError("type", "the message must be an object with a type")
    kind = data.get("type")
    if kind is None:
        raise BuilderError("type", "is required")
    c.choice(kind, "type", MESSAGE_TYPES)
    if data.get(kind) is None:
        raise BuilderError(kind, "is required")
    for other in MESSAGE_TYPES:
        if other != kind and data.get(other) is not None:
            raise BuilderError(other, f"not allowed in a {kind} message")
    message = {"type": kind, kind: _CHECKS[kind](data[kind])}
    if data.get("context") is not None:
        if kind == "reaction":
            raise BuilderError("context", "a reaction cannot be sent as a reply")
        message["context"] = check_context(data["context"])
    return message
