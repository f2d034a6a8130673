"""Pure functions producing the exact JSON of Meta's message objects, checking Meta's limits first.

    from apps.whatsapp import builders as wb
    wb.text("Hi", preview_url=True)                      # {"type": "text", "text": {...}}
    wb.reply_buttons("Tomorrow 9am?", [("yes", "Yes"), ("no", "No")])
    wb.template_message("order_confirmation", "en_US", [wb.template.body("Jessica", "SKBUP2")])
    wb.normalize_message(request_json)                  # what POST /api/messages/ accepts
    wb.envelope("+16505551234", message)                 # the POST /{phone-number-id}/messages body

Every rule that fails raises `apps.whatsapp.errors.BuilderError(field, message)`; nothing here does I/O.
"""
from . import limits, template
from .calling import CALL_ACTIONS, check_calling_settings, check_sdp
from .definitions import check_against_definition, example_components, slots
from .interactive import (
    INTERACTIVE_TYPES,
    call_permission_request,
    carousel,
    carousel_card,
    check_interactive,
    cta_url,
    flow,
    header_media,
    list_message,
    location_request,
    reply_buttons,
)
from .messages import (
    MEDIA_KINDS,
    audio,
    check_contacts,
    check_context,
    check_location,
    check_media,
    check_reaction,
    check_text,
    contacts,
    document,
    envelope,
    image,
    location,
    mark_read,
    media,
    reaction,
    recipient,
    reply_to,
    sticker,
    text,
    video,
)
from .normalize import MESSAGE_TYPES, normalize_message
from .template import authentication as authentication_template
from .template import check_template
from .template import template as template_message

__all__ = [
    "CALL_ACTIONS", "INTERACTIVE_TYPES", "MEDIA_KINDS", "MESSAGE_TYPES", "audio", "authentication_template",
    "call_permission_request", "carousel", "carousel_card", "check_against_definition", "check_calling_settings",
    "check_contacts", "check_context", "check_interactive", "check_location", "check_media", "check_reaction",
    "check_sdp", "check_template", "check_text", "contacts", "cta_url", "document", "envelope", "example_components",
    "flow", "header_media", "image", "limits", "list_message", "location", "location_request", "mark_read", "media",
    "normalize_message", "reaction", "recipient", "reply_buttons", "reply_to", "slots", "sticker", "template",
    "template_message", "text", "video",
]
