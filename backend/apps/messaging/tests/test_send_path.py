"""One send path (issue 10): every door (POST /api/messages/, the inbox reply, the automations) goes through
outbox.message_send_to, which asks contacts whom to send to (one recipient rule, numbers read with the business's
default region), and no module of messaging writes the Contact table."""
import ast
from pathlib import Path

import pytest
from django_tenants.utils import schema_context

from apps.contacts.models import Contact
from apps.contacts.services import contact_settings_update
from apps.messaging.models import Message
from apps.messaging.outbox import message_send_to
from apps.messaging.tests.inbox_helpers import connect_number, customer_writes
from apps.whatsapp.models import PhoneNumber

TEXT = {"type": "text", "text": {"body": "Your order ships today"}}
TEMPLATE = {"type": "template", "template": {"name": "order_update", "language": {"code": "en_US"}}}
MESSAGING = Path(__file__).resolve().parents[1]


@pytest.fixture
def number(alpha):
    return connect_number(alpha)


def _outbound_to(business) -> list[str]:
    with schema_context(business.tenant.schema_name):
        return list(Message.objects.filter(direction="out").order_by("created_at").values_list("to", flat=True))


def test_a_contact_gets_the_same_to_through_post_messages_with_its_id_and_through_the_inbox_reply(alpha, number):
    # Meta's wa_id for a Brazilian mobile drops the ninth digit the stored number has: the two doors used to differ.
    inbound = customer_writes(alpha, number, wa_id="551187654321", name="Bia")
    with schema_context(alpha.tenant.schema_name):
        Contact.objects.filter(pk=inbound.contact_id).update(phone="+5511987654321")
    client = alpha.client(alpha.owner)

    by_id = client.post("/api/messages/", {"to": str(inbound.contact_id), **TEXT}, format="json")
    reply = client.post(f"/api/conversations/{inbound.conversation_id}/messages/", TEXT, format="json")

    assert (by_id.status_code, reply.status_code) == (202, 202), (by_id.content, reply.content)
    assert by_id.json()["to"] == reply.json()["to"] == "551187654321"  # the number the customer writes from
    assert by_id.json()["contact_id"] == reply.json()["contact_id"] == inbound.contact_id
    assert by_id.json()["conversation_id"] == reply.json()["conversation_id"] == inbound.conversation_id
    assert by_id.json()["created_by_id"] == reply.json()["created_by_id"] == alpha.owner.pk


def test_a_number_typed_for_the_contact_and_the_automations_reach_the_same_to(alpha, number):
    client = alpha.client(alpha.owner)
    client.patch("/api/inbox/settings/", {"welcome_enabled": True}, format="json")
    inbound = customer_writes(alpha, number, wa_id="16505550101")  # the welcome answers it

    typed = client.post("/api/messages/", {"to": "+16505550101", **TEXT}, format="json")

    assert typed.status_code == 202, typed.content
    assert typed.json()["contact_id"] == inbound.contact_id
    assert _outbound_to(alpha) == ["16505550101", "16505550101"]


def test_a_contact_known_only_by_its_user_id_is_sent_to_by_it_through_every_door(alpha, number):
    with schema_context(alpha.tenant.schema_name):
        bsuid_only = Contact.objects.create(wa_user_id="US.13491208655302741918", name="No phone")
    client = alpha.client(alpha.owner)

    response = client.post("/api/messages/", {"to": str(bsuid_only.pk), **TEMPLATE}, format="json")

    assert response.status_code == 202, response.content
    assert response.json()["to"] == "US.13491208655302741918"


def test_a_phone_in_national_format_is_read_with_the_business_default_region(alpha, number):
    with schema_context(alpha.tenant.schema_name):
        sender = PhoneNumber.objects.get(pk=number.pk)
        with pytest.raises(Exception) as refused:  # no default region: a national number is no number
            message_send_to(actor=None, number=sender, to="07400 123456", message=TEMPLATE)
        assert refused.value.errors == {"to": ["Use international format, e.g. +14155550123."]}
        contact_settings_update(default_region="GB")

        message = message_send_to(actor=None, number=sender, to="07400 123456", message=TEMPLATE)

        assert message.to == "447400123456"
        assert message.contact.phone == "+447400123456"
        again = message_send_to(actor=None, number=sender, to="+44 7400 123456", message=TEMPLATE)
        assert again.contact_id == message.contact_id  # the same contact, whichever way the number was written


def test_a_recipient_is_named_exactly_one_way(alpha, number):
    with schema_context(alpha.tenant.schema_name):
        sender = PhoneNumber.objects.get(pk=number.pk)
        for recipient in ({}, {"to": "+16505550101", "contact_id": 1}):
            with pytest.raises(TypeError):
                message_send_to(actor=None, number=sender, message=TEMPLATE, **recipient)


def test_an_erased_contact_in_a_thread_has_no_one_to_send_to(alpha, number):
    inbound = customer_writes(alpha, number)
    client = alpha.client(alpha.owner)
    assert client.post(f"/api/contacts/{inbound.contact_id}/erase/").status_code == 200

    response = client.post(f"/api/conversations/{inbound.conversation_id}/messages/", TEMPLATE, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "no_recipient"
    assert _outbound_to(alpha) == []


# --- structure -------------------------------------------------------------------------------------

def _contact_manager_uses(tree: ast.AST) -> list[int]:
    """Lines using `Contact.objects` (or `Contact._default_manager`): contacts' tables are read through its
    selectors and written through its services only."""
    return [node.lineno for node in ast.walk(tree)
            if isinstance(node, ast.Attribute) and node.attr in ("objects", "_default_manager")
            and isinstance(node.value, ast.Name) and node.value.id == "Contact"]


def test_no_module_of_messaging_reads_or_writes_the_contact_table_itself():
    offenders = {}
    for path in sorted(MESSAGING.rglob("*.py")):
        if "tests" in path.relative_to(MESSAGING).parts or "migrations" in path.parts:
            continue
        source = path.read_text()
        lines = _contact_manager_uses(ast.parse(source))
        raw = [marker for marker in ("UPDATE contacts_contact", "INSERT INTO contacts_contact",
                                     "DELETE FROM contacts_contact") if marker in source]
        if lines or raw:
            offenders[path.name] = lines + raw

    assert offenders == {}, f"go through apps.contacts.services / selectors instead: {offenders}"
    assert (MESSAGING / "outbox.py").exists()  # the scan sees the modules, not an empty folder


def test_the_structural_scan_spots_a_write():
    assert _contact_manager_uses(ast.parse("Contact.objects.filter(pk=1).update(name='x')")) == [1]
