"""Automatic answers to a customer's new message, each switchable in the inbox settings.

They run once per stored inbound message (a redelivered webhook stores nothing new, so nothing runs
twice), inside the webhook's transaction; their replies go through the outbox's one send path (to the contact,
by contacts' one recipient rule) like any other send.

    opt-out keyword (STOP, UNSUBSCRIBE, ...)  marketing opt-out in the consent ledger + one confirmation
    opt-in keyword (START, ...)               the same switch; recorded as a WhatsApp-conversation opt-in
    welcome                                   the first message a contact ever sends this number
    away                                      outside business hours, at most once per AWAY_COOLDOWN
"""
import logging
import re
import unicodedata
import zoneinfo
from datetime import datetime, timedelta

from apps.contacts.models import ConsentAction, ConsentCategory, ConsentSource, ConsentState, Contact
from apps.contacts.services import consent_record
from apps.messaging.models import (
    DEFAULT_OPT_IN_KEYWORDS,
    DEFAULT_OPT_OUT_KEYWORDS,
    WEEKDAYS,
    Conversation,
    InboxSettings,
    Message,
)
from apps.messaging.selectors import inbox_settings_get

logger = logging.getLogger(__name__)

AWAY_COOLDOWN = timedelta(hours=12)


def keyword_of(message: Message) -> str:
    """The customer's words, reduced for matching: no case, accents kept, punctuation and emoji gone."""
    body = message.content
    if message.type == "text":
        text = body.get("body", "")
    elif message.type == "button":  # a template's quick-reply button, e.g. "Stop promotions"
        text = body.get("text", "")
    elif message.type == "interactive":
        text = (body.get("button_reply") or body.get("list_reply") or {}).get("title", "")
    else:
        return ""
    text = unicodedata.normalize("NFC", str(text)).casefold()
    text = "".join(ch for ch in text if not unicodedata.category(ch).startswith(("P", "S")))
    return re.sub(r"\s+", " ", text).strip()


def _opt_out_keywords(config: InboxSettings) -> set[str]:
    return {k.casefold() for k in (config.opt_out_keywords or DEFAULT_OPT_OUT_KEYWORDS)}


def is_business_hours(config: InboxSettings, at: datetime) -> bool:
    """True when `at` falls in one of today's intervals, in the business's time zone."""
    if not config.business_hours:
        return True
    local = at.astimezone(zoneinfo.ZoneInfo(config.timezone))
    now = local.strftime("%H:%M")
    return any(start <= now < end for start, end in config.business_hours.get(WEEKDAYS[local.weekday()], []))


def _reply(conversation: Conversation, text: str, automation: str) -> Message:
    from apps.messaging.outbox import message_send_to

    return message_send_to(actor=None, number=conversation.phone_number, contact=conversation.contact,
                           message={"type": "text", "text": {"body": text}}, automation=automation)


def _consent(contact: Contact, action: str, source: str, message: Message, keyword: str, at: datetime) -> None:
    consent_record(contact=contact, category=ConsentCategory.MARKETING, action=action, source=source,
                   keyword=keyword, proof=f"WhatsApp message {message.wamid}: {keyword!r}", occurred_at=at)


def automations_run(*, message: Message, conversation: Conversation, first_contact: bool, at: datetime) -> str | None:
    """Run what applies to this new inbound message; returns the automation that answered, if any."""
    config = inbox_settings_get()
    contact = conversation.contact
    keyword = keyword_of(message)
    if config.opt_out_enabled and keyword:
        if keyword in _opt_out_keywords(config):
            _consent(contact, ConsentAction.OPT_OUT, ConsentSource.KEYWORD, message, keyword, at)
            _reply(conversation, config.opt_out_reply, "opt_out")
            return "opt_out"
        if keyword in DEFAULT_OPT_IN_KEYWORDS and contact.marketing_consent == ConsentState.OPTED_OUT:
            _consent(contact, ConsentAction.OPT_IN, ConsentSource.WHATSAPP, message, keyword, at)
            _reply(conversation, config.opt_in_reply, "opt_in")
            return "opt_in"
    if config.welcome_enabled and first_contact:
        _reply(conversation, config.welcome_text, "welcome")
        return "welcome"
    if config.away_enabled and not is_business_hours(config, at):
        recent = conversation.away_sent_at and at - conversation.away_sent_at < AWAY_COOLDOWN
        if not recent:
            Conversation.objects.filter(pk=conversation.pk).update(away_sent_at=at)
            _reply(conversation, config.away_text, "away")
            return "away"
    return None
