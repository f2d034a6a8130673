"""Meta's user_preferences webhook: a marketing stop is a meta_preference opt-out in the consent ledger, once."""
import pytest
from django_tenants.utils import schema_context

from apps.contacts.models import ConsentEvent, Contact
from apps.webhooks.tests.support import (
    DISPLAY_B,
    NUMBER_A,
    NUMBER_B,
    WABA_A,
    WABA_B,
    conformance_changes,
    connect,
    deliver,
    envelope,
    use_secret,
    with_number,
)
from tenants.models import WebhookChange


@pytest.fixture(autouse=True)
def _secret(settings):
    use_secret(settings)


def _preferences(number_id: str, value="stop", *, wa_id="16505550101", user_id="US.555", timestamp=1767225600,
                 name="Alice") -> tuple[str, dict]:
    return "user_preferences", with_number({
        "messaging_product": "whatsapp",
        "contacts": [{"profile": {"name": name}, "wa_id": wa_id, "user_id": user_id}],
        "user_preferences": [{"wa_id": wa_id, "detail": f"User requested to {value} marketing messages",
                              "category": "marketing_messages", "value": value, "timestamp": timestamp}]},
        number_id)


@pytest.mark.parametrize(("case", "field", "value"), conformance_changes("user_marketing_preferences"),
                         ids=lambda x: x if isinstance(x, str) else None)
def test_conformance_resume_and_signup_are_handled_without_an_opt_in(alpha, case, field, value):
    connect(alpha, NUMBER_A, WABA_A)

    deliver(envelope(WABA_A, (field, with_number(value, NUMBER_A))))

    assert WebhookChange.objects.get().status == "handled"
    with schema_context(alpha.tenant.schema_name):
        contact = Contact.objects.get(phone="+16505551234")  # the preference's wa_id, not the other profile's
        assert contact.wa_user_id is None  # the user id in `contacts[]` belongs to another wa_id
        assert not ConsentEvent.objects.exists()  # the ledger takes only opt-outs from Meta's preference


def test_a_stop_creates_the_contact_and_records_the_opt_out_once(alpha):
    connect(alpha, NUMBER_A, WABA_A)
    deliver(envelope(WABA_A, _preferences(NUMBER_A)))
    # Redelivered in another batch (different body), and the stored change routed again: still one row.
    deliver(envelope(WABA_A, _preferences(NUMBER_A), _preferences(NUMBER_A, wa_id="447911123456", user_id="")))

    with schema_context(alpha.tenant.schema_name):
        contact = Contact.objects.get(phone="+16505550101")
        assert (contact.wa_user_id, contact.name, contact.marketing_consent) == ("US.555", "Alice", "opted_out")
        event = ConsentEvent.objects.get(contact=contact)
        assert (event.category, event.action, event.source) == ("marketing", "opt_out", "meta_preference")
        assert event.occurred_at.timestamp() == 1767225600 and "stop" in event.proof
        assert Contact.objects.get(phone="+447911123456").marketing_consent == "opted_out"


def test_a_stop_matches_an_existing_contact_by_user_id(alpha):
    connect(alpha, NUMBER_A, WABA_A)
    with schema_context(alpha.tenant.schema_name):
        known = Contact.objects.create(wa_user_id="US.777", name="Known")

    deliver(envelope(WABA_A, _preferences(NUMBER_A, wa_id="", user_id="US.777")))

    with schema_context(alpha.tenant.schema_name):
        assert Contact.objects.count() == 1
        known.refresh_from_db()
        assert known.marketing_consent == "opted_out"


def test_a_later_stop_is_a_new_ledger_row(alpha):
    connect(alpha, NUMBER_A, WABA_A)
    deliver(envelope(WABA_A, _preferences(NUMBER_A, timestamp=1767225600)))
    deliver(envelope(WABA_A, _preferences(NUMBER_A, timestamp=1767229200)))

    with schema_context(alpha.tenant.schema_name):
        assert ConsentEvent.objects.count() == 2


def test_a_stop_on_alphas_number_never_writes_in_beta(alpha, beta):
    connect(alpha, NUMBER_A, WABA_A)
    connect(beta, NUMBER_B, WABA_B, DISPLAY_B)

    deliver(envelope(WABA_A, _preferences(NUMBER_A)))

    with schema_context(beta.tenant.schema_name):
        assert not Contact.objects.exists() and not ConsentEvent.objects.exists()
    with schema_context(alpha.tenant.schema_name):
        assert ConsentEvent.objects.count() == 1
