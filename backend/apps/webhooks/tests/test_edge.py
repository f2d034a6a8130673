"""The edge, end to end: every field Meta's parser knows has its handler registered with ingress; a bad item of a
calls or preferences change is dropped with its reason on the change's row while the rest is written; a change
that can't be Meta's is rejected whole; and a sender never takes another customer's profile."""
import pytest
from django_tenants.utils import schema_context

from apps.calls.models import Call
from apps.contacts.models import ConsentEvent, Contact
from apps.messaging.models import Message
from apps.templates.models import Template
from apps.webhooks.handlers import ROUTED
from apps.webhooks.tests.support import NUMBER_A, WABA_A, connect, deliver, envelope, use_secret, with_number
from apps.whatsapp.models import BusinessAccount, HealthEvent
from apps.whatsapp.webhook_events import PARSERS
from tenants.ingress.models import WebhookChange
from tenants.ingress.registry import handler_for


@pytest.fixture(autouse=True)
def _secret(settings):
    use_secret(settings)


def test_every_parsed_field_has_its_handler_registered_with_ingress():
    assert set(ROUTED) == set(PARSERS)
    assert all(handler_for(field) is ROUTED[field] for field in PARSERS)


def test_a_message_from_someone_else_than_the_only_profile_takes_neither_its_name_nor_user_id(alpha):
    connect(alpha, NUMBER_A, WABA_A)
    value = with_number({"messaging_product": "whatsapp",
                         "contacts": [{"profile": {"name": "Bob"}, "wa_id": "447911123456", "user_id": "US.BOB"}],
                         "messages": [{"from": "16505550101", "id": "wamid.E1", "timestamp": "1767225600",
                                       "type": "text", "text": {"body": "Hi"}}]}, NUMBER_A)

    deliver(envelope(WABA_A, ("messages", value)))

    assert WebhookChange.objects.get().status == "handled"
    with schema_context(alpha.tenant.schema_name):
        contact = Contact.objects.get()
        assert (contact.phone, contact.name, contact.wa_user_id) == ("+16505550101", "", None)
        assert Message.objects.get(wamid="wamid.E1").contact_id == contact.pk


def test_a_call_with_an_id_meta_never_sends_is_dropped_and_the_other_call_recorded(alpha):
    connect(alpha, NUMBER_A, WABA_A)
    good = {"id": "wacid.GOOD", "from": "16505550101", "to": "15550000001", "event": "connect",
            "timestamp": "1767225600", "direction": "USER_INITIATED"}
    value = with_number({"messaging_product": "whatsapp", "contacts": [{"profile": {"name": "Caller"},
                                                                         "wa_id": "16505550101"}],
                         "calls": [{**good, "id": "wacid.BAD", "from": "1" * 20}, good]}, NUMBER_A)

    deliver(envelope(WABA_A, ("calls", value)))

    change = WebhookChange.objects.get()
    assert change.status == "handled" and "calls[0].from is not a WhatsApp id" in change.error
    with schema_context(alpha.tenant.schema_name):
        call = Call.objects.get()
        assert (call.call_id, call.contact.name) == ("wacid.GOOD", "Caller")


def test_a_preference_with_a_bad_id_is_dropped_and_the_other_stop_recorded(alpha):
    connect(alpha, NUMBER_A, WABA_A)
    stop = {"wa_id": "16505550101", "category": "marketing_messages", "value": "stop", "timestamp": 1767225600}
    value = with_number({"messaging_product": "whatsapp",
                         "user_preferences": [{**stop, "wa_id": "+44 7911"}, {**stop, "user_id": "U" * 300}, stop]},
                        NUMBER_A)

    deliver(envelope(WABA_A, ("user_preferences", value)))

    change = WebhookChange.objects.get()
    assert change.status == "handled"
    assert "user_preferences[0].wa_id" in change.error and "user_preferences[1].user_id" in change.error
    with schema_context(alpha.tenant.schema_name):
        contact = Contact.objects.get()
        assert (contact.phone, contact.marketing_consent) == ("+16505550101", "opted_out")
        assert ConsentEvent.objects.count() == 1


@pytest.mark.parametrize(("field", "value", "reason"), [
    ("message_template_status_update", {"event": "APPROVED", "message_template_name": "x"},
     "message_template_id is missing"),
    ("template_category_update", {"message_template_id": {"id": 1}, "new_category": "UTILITY"},
     "message_template_id is not a string"),
    ("account_update", {"event": "DISABLED_UPDATE", "ban_info": ["DISABLE"]}, "ban_info is not an object"),
])
def test_a_one_event_change_meta_never_sends_is_rejected_whole_and_writes_nothing(alpha, field, value, reason):
    connect(alpha, NUMBER_A, WABA_A)

    deliver(envelope(WABA_A, (field, value)))

    change = WebhookChange.objects.get()
    assert (change.status, change.error) == ("rejected", reason)
    with schema_context(alpha.tenant.schema_name):
        assert not Template.objects.exists() and not HealthEvent.objects.exists()
        assert BusinessAccount.objects.get().health_event == ""
