"""Customers' messages from Meta's `messages` webhooks, stored once each (unique wamid).

The sender becomes (or is matched to) a contact by their business-scoped user id and/or phone number;
the contact's conversation activity moves forward; the message joins its conversation (which reopens the
24-hour window) and the automations (opt-out keywords, welcome, away) may answer it.
"""
import logging
from datetime import UTC, datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.db.models.functions import Greatest
from django.utils import timezone

from apps.contacts.models import Contact
from apps.contacts.services import contact_create_for_sender
from apps.core.errors import Conflict
from apps.messaging.automations import automations_run
from apps.messaging.conversations import conversation_for, conversation_on_inbound
from apps.messaging.models import Message
from apps.whatsapp.models import PhoneNumber

logger = logging.getLogger(__name__)


def _sent_at(message: dict) -> datetime:
    try:
        return datetime.fromtimestamp(int(message.get("timestamp")), tz=UTC)
    except (TypeError, ValueError, OverflowError):
        return timezone.now()


def sender_contact(*, wa_id: str | None, user_id: str | None, name: str = "") -> Contact | None:
    """The contact behind a sender: matched by user id, then phone; created when new."""
    phone = f"+{wa_id}" if wa_id else None
    matches = Q(pk__in=[])
    if user_id:
        matches |= Q(wa_user_id=user_id)
    if phone:
        matches |= Q(phone=phone)
    contact = Contact.objects.filter(matches, erased_at__isnull=True).order_by("pk").first()
    if contact is not None:
        if wa_id and contact.wa_id != wa_id:
            Contact.objects.filter(pk=contact.pk).update(wa_id=wa_id)
        if name and not contact.name:
            Contact.objects.filter(pk=contact.pk).update(name=name[:200])
        return contact
    if not phone and not user_id:
        return None
    try:
        with transaction.atomic():
            contact = contact_create_for_sender(wa_id=wa_id, user_id=user_id, name=name)
    except (ValidationError, IntegrityError, Conflict):
        # A concurrent webhook created them first, or the number didn't parse: match again, or go on without.
        contact = Contact.objects.filter(matches, erased_at__isnull=True).order_by("pk").first()
    if contact is not None and wa_id:
        Contact.objects.filter(pk=contact.pk).update(wa_id=wa_id)
    return contact


def inbound_messages_store(value: dict) -> list[Message]:
    """Store every customer message of one `messages` change. Redeliveries change nothing."""
    number = PhoneNumber.objects.filter(phone_number_id=str((value.get("metadata") or {}).get("phone_number_id"))
                                        ).first()
    if number is None:
        logger.warning("inbound messages for a number this business no longer has; kept raw only")
        return []
    profiles = {c.get("wa_id") or c.get("user_id"): c for c in value.get("contacts") or [] if isinstance(c, dict)}
    stored = []
    for message in value.get("messages") or []:
        if not isinstance(message, dict) or not message.get("id"):
            continue
        sender = message.get("from") or message.get("from_user_id") or ""
        profile = profiles.get(sender) or (next(iter(profiles.values())) if len(profiles) == 1 else {})
        contact = sender_contact(wa_id=message.get("from") or profile.get("wa_id"),
                                 user_id=profile.get("user_id") or message.get("from_user_id"),
                                 name=(profile.get("profile") or {}).get("name", ""))
        at = _sent_at(message)
        row, created = Message.objects.get_or_create(wamid=message["id"], defaults={
            "direction": Message.Direction.INBOUND, "phone_number": number, "to": sender, "contact": contact,
            "type": str(message.get("type") or "unknown")[:32], "payload": message,
            "status": Message.Status.RECEIVED, "sent_at": at})  # when the customer sent it (Meta's clock)
        if created and contact is not None:
            Contact.objects.filter(pk=contact.pk).update(
                last_inbound_at=Greatest("last_inbound_at", at, output_field=Contact.last_inbound_at.field),
                last_seen_at=Greatest("last_seen_at", at, output_field=Contact.last_seen_at.field))
            Contact.objects.filter(pk=contact.pk, first_seen_at__isnull=True).update(first_seen_at=at)
            _into_conversation(row, contact=contact, number=number, at=at)
        stored.append(row)
    return stored


def _into_conversation(message: Message, *, contact: Contact, number: PhoneNumber, at: datetime) -> None:
    """File a new customer message in its conversation, then let the automations answer it."""
    conversation = conversation_for(contact=contact, number=number)
    first_contact = conversation.last_inbound_at is None
    Message.objects.filter(pk=message.pk).update(conversation=conversation)
    message.conversation = conversation
    conversation_on_inbound(conversation=conversation, message=message, at=at)
    if message.type in ("reaction", "unsupported", "system", "errors"):
        return  # nothing a person typed: no welcome, away or keyword
    automations_run(message=message, conversation=conversation, first_contact=first_contact, at=at)
