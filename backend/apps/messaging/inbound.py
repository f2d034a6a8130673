"""Inbound storage: customers' messages, parsed at the edge into typed events (apps.whatsapp.webhook_events),
stored once each (unique wamid).

The sender becomes (or is matched to) a contact by contacts (`contact_for_sender`: business-scoped user id,
then phone number); the contact's activity moves forward; the message joins its conversation (which reopens
the 24-hour window) and the automations (opt-out keywords, welcome, away) may answer it.
"""
from collections.abc import Sequence
from datetime import datetime

from django.utils import timezone

from apps.contacts.models import Contact
from apps.contacts.services import contact_for_sender, contact_touch_inbound
from apps.messaging.automations import automations_run
from apps.messaging.conversations import conversation_for, conversation_on_inbound
from apps.messaging.models import Message
from apps.messaging.signals import message_received
from apps.whatsapp.models import PhoneNumber
from apps.whatsapp.webhook_events import InboundMessage
from tenants.billing.usage import MESSAGES_RECEIVED, usage_add_here


def inbound_store(number: PhoneNumber, messages: Sequence[InboundMessage]) -> list[Message]:
    """Store the customer messages Meta sent to `number` (one change's). Redeliveries change nothing."""
    stored = []
    for message in messages:
        profile = message.profile
        contact = contact_for_sender(wa_id=message.sender_wa_id or (profile.wa_id if profile else None),
                                     user_id=(profile.user_id if profile else None) or message.sender_user_id,
                                     name=profile.name if profile else "")
        at = message.sent_at or timezone.now()  # when the customer sent it (Meta's clock); ours when Meta gave none
        row, created = Message.objects.get_or_create(wamid=message.wamid, defaults={
            "direction": Message.Direction.INBOUND, "phone_number": number, "to": message.sender, "contact": contact,
            "type": message.type[:32] or "unknown", "payload": message.payload,
            "status": Message.Status.RECEIVED, "sent_at": at})
        if created:
            usage_add_here(MESSAGES_RECEIVED)  # metered once: a redelivered wamid isn't created again
        if created and contact is not None:
            contact_touch_inbound(contact, at=at)
            _into_conversation(row, contact=contact, number=number, at=at)
        if created:
            message_received.send(sender=Message, message=row)
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
