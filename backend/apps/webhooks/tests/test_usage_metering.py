"""Metered usage from Meta's webhooks (issue 13): customers' messages counted once when stored, and Meta's pricing
counted once per message by direction, category and charge, through the real endpoint and router; redeliveries
(the same body, or the same status in a new envelope) and the later statuses that repeat the pricing change
nothing, and each business's counters are its own."""
import pytest
from django_tenants.utils import schema_context

from apps.contacts.models import Contact
from apps.messaging.models import Message
from apps.webhooks.tests.support import (
    NUMBER_A,
    NUMBER_B,
    WABA_A,
    WABA_B,
    connect,
    deliver,
    envelope,
    use_secret,
)
from tenants.billing import usage

MARKETING = {"billable": True, "pricing_model": "PMP", "type": "regular", "category": "marketing"}
SERVICE = {"billable": False, "pricing_model": "PMP", "type": "free_customer_service", "category": "service"}


@pytest.fixture(autouse=True)
def _secret(settings):
    use_secret(settings)


def _value(number_id: str, *, statuses=(), messages=()) -> dict:
    value = {"messaging_product": "whatsapp",
             "metadata": {"display_phone_number": "15550000001", "phone_number_id": number_id}}
    if statuses:
        value["statuses"] = list(statuses)
    if messages:
        value["contacts"] = [{"profile": {"name": "Alice"}, "wa_id": "16505550101"}]
        value["messages"] = list(messages)
    return value


def _status(wamid: str, status: str, pricing: dict | None = None, ts: int = 1767225600) -> dict:
    return {"id": wamid, "status": status, "timestamp": str(ts), "recipient_id": "16505550101",
            **({"pricing": pricing} if pricing else {})}


def _inbound(wamid: str, text: str = "Hi") -> dict:
    return {"from": "16505550101", "id": wamid, "timestamp": "1767225600", "type": "text", "text": {"body": text}}


def _outbound(business, number, wamid: str) -> None:
    with schema_context(business.tenant.schema_name):
        Message.objects.create(phone_number=number, to="16505550101", type="text", payload={}, status="sending",
                               wamid=wamid)


def _metered(business) -> dict[str, int]:
    return {k: v for k, v in usage.usage_of(business.tenant.pk).items() if k.startswith("messages:")
            or k == usage.MESSAGES_RECEIVED}


def test_a_customers_message_is_counted_once_however_often_meta_delivers_it(alpha):
    connect(alpha, NUMBER_A, WABA_A)
    change = ("messages", _value(NUMBER_A, messages=[_inbound("wamid.IN1")]))

    deliver(envelope(WABA_A, change))
    deliver(envelope(WABA_A, change))  # the same body again: ingress keeps it once
    deliver(envelope(WABA_A, change, time=1767225999))  # a redelivery in a new envelope: stored already

    with schema_context(alpha.tenant.schema_name):
        assert Message.objects.filter(wamid="wamid.IN1").count() == 1
    assert _metered(alpha) == {usage.MESSAGES_RECEIVED: 1}


def test_meta_pricing_is_counted_once_per_message_by_category_and_charge(alpha):
    number = connect(alpha, NUMBER_A, WABA_A)
    _outbound(alpha, number, "wamid.M1")
    _outbound(alpha, number, "wamid.S1")
    _outbound(alpha, number, "wamid.U1")

    # Sent, delivered and read each repeat Meta's pricing; the read one also arrives twice in new envelopes.
    for status, ts in (("sent", 1767225600), ("delivered", 1767225601), ("read", 1767225602), ("read", 1767225602)):
        deliver(envelope(WABA_A, ("messages", _value(NUMBER_A, statuses=[
            _status("wamid.M1", status, MARKETING, ts), _status("wamid.S1", status, SERVICE, ts)])), time=ts))
    deliver(envelope(WABA_A, ("messages", _value(NUMBER_A, statuses=[_status("wamid.U1", "sent")]))))  # no pricing

    assert _metered(alpha) == {"messages:out:marketing:billable": 1, "messages:out:service:free": 1}
    with schema_context(alpha.tenant.schema_name):
        assert Message.objects.get(wamid="wamid.M1").status == "read"


def test_pricing_held_until_the_send_returns_is_counted_once_when_applied(alpha):
    from apps.messaging.outbox import _mark_sent

    number = connect(alpha, NUMBER_A, WABA_A)
    with schema_context(alpha.tenant.schema_name):
        message = Message.objects.create(phone_number=number, to="16505550101", type="text", payload={},
                                         status="sending")
    for status in ("sent", "delivered"):  # both before Meta's answer to the send: held
        deliver(envelope(WABA_A, ("messages", _value(NUMBER_A, statuses=[_status("wamid.H1", status, MARKETING)]))))
    assert _metered(alpha) == {}

    with schema_context(alpha.tenant.schema_name):
        _mark_sent(message, wamid="wamid.H1")

    assert _metered(alpha) == {"messages:out:marketing:billable": 1}


def test_each_business_is_metered_on_its_own(alpha, beta):
    number_a = connect(alpha, NUMBER_A, WABA_A)
    connect(beta, NUMBER_B, WABA_B)
    _outbound(alpha, number_a, "wamid.A1")

    deliver(envelope(WABA_A, ("messages", _value(NUMBER_A, statuses=[_status("wamid.A1", "sent", MARKETING)]))))
    deliver(envelope(WABA_B, ("messages", _value(NUMBER_B, messages=[_inbound("wamid.B1")]))))
    # beta can't price alpha's message by naming its wamid: the message isn't in beta's schema (held there).
    deliver(envelope(WABA_B, ("messages", _value(NUMBER_B, statuses=[_status("wamid.A1", "read", SERVICE)]))))

    assert _metered(alpha) == {"messages:out:marketing:billable": 1}
    assert _metered(beta) == {usage.MESSAGES_RECEIVED: 1}


def test_the_billing_overview_shows_the_months_counters_and_the_contacts_gauge(alpha, beta):
    number = connect(alpha, NUMBER_A, WABA_A)
    _outbound(alpha, number, "wamid.O1")
    deliver(envelope(WABA_A, ("messages", _value(NUMBER_A, statuses=[_status("wamid.O1", "sent", MARKETING)],
                                                 messages=[_inbound("wamid.I1")]))))
    with schema_context(beta.tenant.schema_name):
        Contact.objects.create(phone="+14155550199")
        Contact.objects.create(phone="+14155550198")

    body = alpha.client(alpha.owner).get("/api/billing/").json()
    other = beta.client(beta.owner).get("/api/billing/").json()

    assert body["counters"]["messages:out:marketing:billable"] == 1
    assert body["counters"][usage.MESSAGES_RECEIVED] == 1
    contacts = {row["limit"]: row for row in body["usage"]}["contacts"]
    assert contacts == {"limit": "contacts", "used": 1, "maximum": 1000}  # Alice, from her message
    assert {row["limit"]: row for row in other["usage"]}["contacts"]["used"] == 2
    assert other["counters"] == {}
