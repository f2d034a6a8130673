"""Test helpers for the inbox: a connected number and a customer who writes to it."""
import itertools
import time

from django.utils import timezone
from django_tenants.utils import schema_context

from apps.messaging.inbound import inbound_messages_store
from apps.webhooks.tests.support import connect

_wamids = itertools.count(1)


def connect_number(business, number_id: str = "120000000000001", waba_id: str = "220000000000001"):
    return connect(business, number_id, waba_id)


def customer_writes(business, number, text: str = "Hi there", *, wa_id: str = "16505550101", name: str = "Alice",
                    wamid: str | None = None, at=None, message: dict | None = None):
    """Store a customer's message as the `messages` webhook handler does, in the business's schema."""
    at = at or timezone.now()
    body = message or {"type": "text", "text": {"body": text}}
    value = {"messaging_product": "whatsapp",
             "metadata": {"display_phone_number": "15550000001", "phone_number_id": number.phone_number_id},
             "contacts": [{"profile": {"name": name}, "wa_id": wa_id}],
             "messages": [{"from": wa_id, "id": wamid or f"wamid.test.{next(_wamids)}.{time.time_ns()}",
                           "timestamp": str(int(at.timestamp())), **body}]}
    with schema_context(business.tenant.schema_name):
        (stored,) = inbound_messages_store(value)
    return stored
