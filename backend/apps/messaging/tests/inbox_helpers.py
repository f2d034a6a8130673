"""Test helpers for the inbox: a connected number and a customer who writes to it."""
import itertools
import time

from django.utils import timezone
from django_tenants.utils import schema_context

from apps.messaging.inbound import inbound_store
from apps.webhooks.tests.support import connect
from apps.whatsapp.models import PhoneNumber
from apps.whatsapp.webhook_events import InboundMessage, SenderProfile

_wamids = itertools.count(1)


def connect_number(business, number_id: str = "120000000000001", waba_id: str = "220000000000001"):
    return connect(business, number_id, waba_id)


def customer_writes(business, number, text: str = "Hi there", *, wa_id: str = "16505550101", name: str = "Alice",
                    wamid: str | None = None, at=None, message: dict | None = None):
    """Store a customer's message as the `messages` webhook handler does (typed, as the edge parses it), in the
    business's schema."""
    at = at or timezone.now()
    body = message or {"type": "text", "text": {"body": text}}
    wamid = wamid or f"wamid.test.{next(_wamids)}.{time.time_ns()}"
    payload = {"from": wa_id, "id": wamid, "timestamp": str(int(at.timestamp())), **body}
    inbound = InboundMessage(wamid=wamid, type=body["type"], sender_wa_id=wa_id, sender_user_id=None,
                             profile=SenderProfile(wa_id=wa_id, user_id=None, name=name),
                             sent_at=at.replace(microsecond=0), payload=payload)
    with schema_context(business.tenant.schema_name):
        (stored,) = inbound_store(PhoneNumber.objects.get(phone_number_id=number.phone_number_id), [inbound])
    return stored
