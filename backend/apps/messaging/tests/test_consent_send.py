"""Consent is enforced at send time (the outbox's one send path, message_send_to): a template goes only to someone who
has not opted out of its category, erased people on the suppression list included; service replies and the
automations still go."""
import pytest
from django_tenants.utils import schema_context

from apps.contacts.models import Contact, Suppression
from apps.messaging.consent import consent_require
from apps.messaging.models import Message
from apps.messaging.outbox import message_send_to
from apps.messaging.tests.inbox_helpers import connect_number, customer_writes
from apps.templates.models import Template
from apps.whatsapp.models import PhoneNumber

ALICE = "+16505550101"
WABA = "220000000000001"


def _template(name: str) -> dict:
    return {"type": "template", "template": {"name": name, "language": {"code": "en_US"}}}


TEXT = {"type": "text", "text": {"body": "Your parcel is at the door"}}


@pytest.fixture
def number(alpha):
    number = connect_number(alpha, waba_id=WABA)
    _templates(alpha, WABA)
    return number


def _templates(business, waba_id: str) -> None:
    with schema_context(business.tenant.schema_name):
        for i, (name, category) in enumerate([("spring_sale", "MARKETING"), ("order_update", "UTILITY"),
                                              ("login_code", "AUTHENTICATION")]):
            Template.objects.create(meta_template_id=f"{waba_id}{i}", waba_id=waba_id, name=name, language="en_US",
                                    category=category, status="APPROVED")


def _opt_out(business, contact_id: int, category: str = "marketing"):
    response = business.client(business.owner).post(f"/api/contacts/{contact_id}/consent/", {
        "category": category, "action": "opt_out", "source": "agent", "proof": "asked on the phone"}, format="json")
    assert response.status_code == 201, response.content


def _alice(business) -> Contact:
    with schema_context(business.tenant.schema_name):
        return Contact.objects.get(phone=ALICE)


def _send(business, to, message: dict):
    return business.client(business.owner).post("/api/messages/", {"to": str(to), **message}, format="json")


def _outbound(business) -> list[str]:
    with schema_context(business.tenant.schema_name):
        return list(Message.objects.filter(direction="out").values_list("payload__template__name", flat=True))


def _refused(response) -> None:
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "opted_out", response.content
    assert "opted out" in response.json()["message"]


def test_a_marketing_template_to_a_contact_who_opted_out_is_refused_and_nothing_is_queued(alpha, number):
    customer_writes(alpha, number, wa_id=ALICE.lstrip("+"))
    alice = _alice(alpha)
    _opt_out(alpha, alice.pk)

    _refused(_send(alpha, alice.pk, _template("spring_sale")))
    _refused(_send(alpha, ALICE, _template("spring_sale")))  # by number, no contact id: the same person

    assert _outbound(alpha) == []


def test_utility_and_authentication_templates_follow_their_own_categories(alpha, number):
    customer_writes(alpha, number, wa_id=ALICE.lstrip("+"))
    alice = _alice(alpha)
    _opt_out(alpha, alice.pk, "marketing")

    assert _send(alpha, alice.pk, _template("order_update")).status_code == 202
    assert _send(alpha, alice.pk, _template("login_code")).status_code == 202

    _opt_out(alpha, alice.pk, "utility")
    _refused(_send(alpha, alice.pk, _template("order_update")))
    # A one-time code is asked for by the person at that moment; the ledger has no category for it.
    assert _send(alpha, alice.pk, _template("login_code")).status_code == 202
    assert sorted(_outbound(alpha)) == ["login_code", "login_code", "order_update"]


def test_a_template_we_do_not_know_is_treated_as_marketing_for_someone_who_opted_out(alpha, number):
    customer_writes(alpha, number, wa_id=ALICE.lstrip("+"))
    customer_writes(alpha, number, wa_id="16505550102")
    alice = _alice(alpha)
    _opt_out(alpha, alice.pk)

    response = _send(alpha, alice.pk, _template("never_synced"))
    _refused(response)
    assert "never_synced" in response.json()["message"]
    assert _send(alpha, "+16505550102", _template("never_synced")).status_code == 202  # nobody opted out


def test_a_template_moving_to_marketing_counts_as_marketing(alpha, number):
    customer_writes(alpha, number, wa_id=ALICE.lstrip("+"))
    _opt_out(alpha, _alice(alpha).pk)
    with schema_context(alpha.tenant.schema_name):
        Template.objects.filter(name="order_update").update(pending_category="MARKETING")
    _refused(_send(alpha, ALICE, _template("order_update")))


def test_service_replies_inside_the_window_and_the_stop_confirmation_still_go(alpha, number):
    customer_writes(alpha, number, "STOP", wa_id=ALICE.lstrip("+"))
    alice = _alice(alpha)
    assert alice.marketing_consent == "opted_out"
    with schema_context(alpha.tenant.schema_name):
        assert Message.objects.filter(automation="opt_out", status="queued").exists()
    customer_writes(alpha, number, "Where is my parcel?", wa_id=ALICE.lstrip("+"))

    assert _send(alpha, alice.pk, TEXT).status_code == 202
    with schema_context(alpha.tenant.schema_name):
        conversation_id = alice.conversations.get().pk
    reply = alpha.client(alpha.owner).post(f"/api/conversations/{conversation_id}/messages/", TEXT,
                                           format="json")
    assert reply.status_code == 202, reply.content
    inbox_template = alpha.client(alpha.owner).post(f"/api/conversations/{conversation_id}/messages/",
                                                    _template("spring_sale"), format="json")
    _refused(inbox_template)


def test_an_erased_person_on_the_suppression_list_is_refused_even_without_a_contact(alpha, number):
    customer_writes(alpha, number, wa_id=ALICE.lstrip("+"))
    alice = _alice(alpha)
    _opt_out(alpha, alice.pk)
    assert alpha.client(alpha.owner).post(f"/api/contacts/{alice.pk}/erase/").status_code == 200
    with schema_context(alpha.tenant.schema_name):
        assert Suppression.objects.count() == 1
        assert not Contact.objects.filter(phone=ALICE).exists()

    _refused(_send(alpha, ALICE, _template("spring_sale")))

    with schema_context(alpha.tenant.schema_name):
        assert not Contact.objects.filter(phone=ALICE).exists()  # the refused send left no contact behind
        # The check itself, with no contact at all: the suppression list alone refuses.
        with pytest.raises(Exception) as refused:
            consent_require(payload=_template("spring_sale"), to=ALICE.lstrip("+"), contact=None, waba_id=WABA)
        assert getattr(refused.value, "code", None) == "opted_out"
        # The send service, to a bare number (e.g. a campaign's or the public API's caller).
        sender = PhoneNumber.objects.get(pk=number.pk)
        with pytest.raises(Exception) as refused:
            message_send_to(actor=None, number=sender, to=ALICE, message=_template("spring_sale"))
        assert getattr(refused.value, "code", None) == "opted_out"
        assert not Contact.objects.filter(phone=ALICE).exists()
        message_send_to(actor=None, number=sender, to=ALICE, message=_template("order_update"))  # utility: allowed
    assert _outbound(alpha) == ["order_update"]


def test_an_opt_out_in_one_business_does_not_block_another(alpha, beta, number):
    beta_number = connect_number(beta, "120000000000002", "220000000000002")
    _templates(beta, "220000000000002")
    customer_writes(alpha, number, wa_id=ALICE.lstrip("+"))
    customer_writes(beta, beta_number, wa_id=ALICE.lstrip("+"))
    alice = _alice(alpha)
    _opt_out(alpha, alice.pk)
    alpha.client(alpha.owner).post(f"/api/contacts/{alice.pk}/erase/")  # and a suppression hash in alpha

    assert _send(beta, ALICE, _template("spring_sale")).status_code == 202
    assert _outbound(beta) == ["spring_sale"]
    _refused(_send(alpha, ALICE, _template("spring_sale")))


def test_a_suppression_made_before_the_hash_key_rotated_still_refuses(alpha, number, settings):
    settings.CONTACT_HASH_KEY, settings.CONTACT_HASH_KEY_FALLBACKS = "old-contact-hash-key", []
    customer_writes(alpha, number, wa_id=ALICE.lstrip("+"))
    alice = _alice(alpha)
    _opt_out(alpha, alice.pk)
    assert alpha.client(alpha.owner).post(f"/api/contacts/{alice.pk}/erase/").status_code == 200

    settings.CONTACT_HASH_KEY, settings.CONTACT_HASH_KEY_FALLBACKS = "new-contact-hash-key", ["old-contact-hash-key"]
    _refused(_send(alpha, ALICE, _template("spring_sale")))
    assert _outbound(alpha) == []
