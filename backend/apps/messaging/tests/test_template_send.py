"""Sending a template (POST /api/messages/template/ and the inbox reply's template option): values given or filled
by the saved mapping, rendered by the preview's renderer, through the one send path to the sandbox, which renders
the same text. Only approved templates of the number's account go; consent and isolation still hold."""
import pytest
from django_tenants.utils import schema_context

from apps.contacts.models import Contact
from apps.messaging.models import Conversation, Message
from apps.messaging.outbox import message_send
from apps.messaging.tests.inbox_helpers import connect_number, customer_writes
from apps.templates.models import Template
from apps.whatsapp.models import PhoneNumber
from sandbox.demo_templates import demo_templates
from tenants.models import Role

ALICE = "+16505550101"  # a demo customer of the sandbox


@pytest.fixture
def demo(alpha, graph_sandbox):
    """alpha with the sandbox's demo number connected and our copy of its (approved) templates."""
    client = alpha.client(alpha.owner)
    values = graph_sandbox.demo
    response = client.post("/api/whatsapp/numbers/", {"waba_id": values["waba_id"], "phone_number_id": values[
        "phone_id"], "access_token": values["token"]}, format="json")
    assert response.status_code == 201, response.content
    with schema_context(alpha.tenant.schema_name):
        for i, definition in enumerate(demo_templates()):
            Template.objects.update_or_create(
                waba_id=values["waba_id"], name=definition["name"], language=definition["language"],
                defaults={"meta_template_id": f"demo-{i}", "status": "APPROVED", "category": definition["category"],
                          "components": definition["components"],
                          "parameter_format": definition["parameter_format"]})
    return client


def _template(business, name: str) -> Template:
    with schema_context(business.tenant.schema_name):
        return Template.objects.get(name=name)


def _send(client, body: dict, *, run: bool = True):
    response = client.post("/api/messages/template/", body, format="json")
    if response.status_code == 202 and run:
        message_send(response.json()["id"])  # the task's body, as the worker runs it
    return response


def _delivered(sandbox, message_id: str) -> dict:
    (copy,) = sandbox.control.get("/messages", params={"biz_opaque_callback_data": message_id}).json()["data"]
    return copy


def _preview(client, template_id: int, parameters: dict) -> dict:
    response = client.post(f"/api/templates/{template_id}/preview/", {"parameters": parameters}, format="json")
    assert response.status_code == 200, response.content
    return response.json()


@pytest.mark.parametrize(("name", "parameters"), [
    ("appointment_reminder", {"body": ["Ann", "June 1 at 9:00"]}),
    ("order_shipped", {"body": {"first_name": "Ann", "order_number": "A-17"},
                       "buttons": [{"index": 0, "value": "A17"}]}),
    ("order_confirmation", {"header": [{"link": "https://example.com/r.pdf", "filename": "r.pdf"}],
                            "body": ["Ann", "860198"]}),
    ("carousel_template_media_cards_v1", {"body": ["Ann", "30%", "C30"], "cards": [
        {"header": ["https://example.com/0.jpg"], "buttons": [{"index": 1, "value": "elf"}]},
        {"header": ["https://example.com/1.jpg"], "buttons": [{"index": 1, "value": "temple"}]}]}),
    ("authentication_code_copy_code_button", {"body": ["482913"]}),
], ids=["positional", "named", "media-header", "carousel", "one-time-code"])
def test_a_template_with_parameters_reaches_the_sandbox_as_the_preview_showed_it(demo, alpha, graph_sandbox, name,
                                                                                  parameters):
    template = _template(alpha, name)
    preview = _preview(demo, template.pk, parameters)

    response = _send(demo, {"template_id": template.pk, "to": ALICE, "parameters": parameters})

    assert response.status_code == 202, response.content
    assert response.json()["type"] == "template"
    assert demo.get(f"/api/messages/{response.json()['id']}/").json()["status"] == "sent"
    delivered = _delivered(graph_sandbox, response.json()["id"])
    assert delivered["payload"]["template"] == preview["payload"]
    assert delivered["rendered"]["body"] == preview["rendered"]["body"]
    for card, shown in zip(delivered["rendered"].get("cards", []), preview["rendered"]["cards"], strict=True):
        assert card.get("body", "") == shown["body"]


def test_without_parameters_the_mapping_fills_them_from_the_contact_with_fallbacks(demo, alpha, graph_sandbox):
    template = _template(alpha, "appointment_reminder")
    saved = demo.put(f"/api/templates/{template.pk}/mapping/", {"body": [
        {"field": "first_name", "fallback": "there"}, {"field": "attributes.slot", "value": "", "fallback": "soon"}]},
        format="json")
    assert saved.status_code == 400  # no such attribute yet
    assert demo.post("/api/contacts/attributes/", {"key": "slot", "label": "Slot", "type": "text"},
                     format="json").status_code == 201
    assert demo.put(f"/api/templates/{template.pk}/mapping/", {"body": [
        {"field": "first_name", "fallback": "there"}, {"field": "attributes.slot", "fallback": "soon"}]},
        format="json").status_code == 200
    with schema_context(alpha.tenant.schema_name):
        ann = Contact.objects.create(phone=ALICE, name="Ann Lee", attributes={"slot": "Monday at 10"})

    by_contact = _send(demo, {"template_id": template.pk, "contact_id": ann.pk})
    by_number = _send(demo, {"template_id": template.pk, "to": "+16505550102"})  # a new number: fallbacks

    assert by_contact.status_code == 202, by_contact.content
    assert _delivered(graph_sandbox, by_contact.json()["id"])["rendered"]["body"] == \
        "Hi Ann, this is a reminder of your appointment on Monday at 10. Can you make it?"
    assert by_number.status_code == 202, by_number.content
    assert _delivered(graph_sandbox, by_number.json()["id"])["rendered"]["body"] == \
        "Hi there, this is a reminder of your appointment on soon. Can you make it?"


def test_missing_parameters_are_refused_naming_each_and_nothing_is_queued(demo, alpha):
    named = _template(alpha, "order_shipped")
    mapped = _template(alpha, "appointment_reminder")
    with schema_context(alpha.tenant.schema_name):
        Template.objects.filter(pk=mapped.pk).update(mapping={"body": [
            {"field": "first_name", "value": "", "fallback": ""}, {"field": "", "value": "today", "fallback": ""}]})

    given = _send(demo, {"template_id": named.pk, "to": ALICE, "parameters": {"body": {"first_name": "Ann"}}})
    by_mapping = _send(demo, {"template_id": mapped.pk, "to": "+16505550177"})  # a new contact, no name

    assert given.status_code == 400
    assert given.json()["code"] == "template_parameters"
    assert given.json()["errors"] == {"parameters.body.order_number": ["{{order_number}} needs a value."],
                                      "parameters.buttons[0]": ["The link's ending is required."]}
    assert by_mapping.status_code == 400
    assert by_mapping.json()["errors"] == {
        "parameters.body[0]": ["{{1}}: this contact has no first_name and the mapping has no fallback."]}
    with schema_context(alpha.tenant.schema_name):
        assert not Message.objects.filter(direction="out").exists()
        assert not Contact.objects.filter(phone="+16505550177").exists()  # the refused send added no one


def test_only_approved_templates_of_the_number_s_account_go(demo, alpha):
    template = _template(alpha, "appointment_reminder")
    params = {"body": ["Ann", "May 5"]}
    for status in ("PENDING", "REJECTED", "PAUSED"):
        with schema_context(alpha.tenant.schema_name):
            Template.objects.filter(pk=template.pk).update(status=status)
        refused = _send(demo, {"template_id": template.pk, "to": ALICE, "parameters": params})
        assert refused.status_code == 400, status
        assert list(refused.json()["errors"]) == ["template_id"]
    with schema_context(alpha.tenant.schema_name):
        Template.objects.filter(pk=template.pk).update(status="APPROVED", waba_id="999")
    assert _send(demo, {"template_id": template.pk, "to": ALICE, "parameters": params}).status_code == 400
    with schema_context(alpha.tenant.schema_name):
        assert not Message.objects.exists()


def test_another_business_s_template_and_contact_are_404(demo, alpha, beta):
    connect_number(beta, "120000000000009", "220000000000009")
    with schema_context(beta.tenant.schema_name):  # ids alpha doesn't have (each schema counts its own)
        theirs = Template.objects.create(pk=5000, meta_template_id="beta-1", waba_id="220000000000009",
                                         name="beta_only", language="en_US", category="UTILITY", status="APPROVED",
                                         components=[{"type": "BODY", "text": "Hello from beta"}])
        their_contact = Contact.objects.create(pk=5000, phone="+16505550188", name="Bea")
    mine = _template(alpha, "hello_world")

    template_answer = _send(demo, {"template_id": theirs.pk, "to": ALICE})
    contact_answer = _send(demo, {"template_id": mine.pk, "contact_id": their_contact.pk})
    beta_answer = beta.client(beta.owner).post("/api/messages/template/", {"template_id": 4999, "to": ALICE},
                                                format="json")

    assert template_answer.status_code == 404 and template_answer.json()["code"] == "not_found"
    assert contact_answer.status_code == 404 and contact_answer.json()["code"] == "not_found"
    assert beta_answer.status_code == 404
    for business in (alpha, beta):
        with schema_context(business.tenant.schema_name):
            assert not Message.objects.exists()


def test_a_marketing_template_to_someone_who_opted_out_is_refused(demo, alpha):
    template = _template(alpha, "seasonal_promotion")
    with schema_context(alpha.tenant.schema_name):
        ann = Contact.objects.create(phone=ALICE, name="Ann")
    assert demo.post(f"/api/contacts/{ann.pk}/consent/", {"category": "marketing", "action": "opt_out",
                                                          "source": "agent", "proof": "asked"},
                     format="json").status_code == 201
    params = {"header": ["Spring Sale"], "body": ["Friday", "S10", "10%"]}

    refused = _send(demo, {"template_id": template.pk, "contact_id": ann.pk, "parameters": params})

    assert refused.status_code == 400 and refused.json()["code"] == "opted_out"
    utility = _template(alpha, "appointment_reminder")
    assert _send(demo, {"template_id": utility.pk, "contact_id": ann.pk,
                        "parameters": {"body": ["Ann", "May 5"]}}).status_code == 202


def test_the_inbox_replies_with_a_template_when_the_window_is_closed(demo, alpha, graph_sandbox):
    number = PhoneNumber(phone_number_id=graph_sandbox.demo["phone_id"])
    inbound = customer_writes(alpha, number, "Hi", wa_id=ALICE.lstrip("+"))
    with schema_context(alpha.tenant.schema_name):
        Contact.objects.filter(pk=inbound.contact_id).update(name="Ann Lee")
        Conversation.objects.filter(pk=inbound.conversation_id).update(last_inbound_at=None)
    url = f"/api/conversations/{inbound.conversation_id}/messages/"
    template = _template(alpha, "appointment_reminder")

    closed = demo.post(url, {"type": "text", "text": {"body": "Hello?"}}, format="json")
    reply = demo.post(url, {"template_id": template.pk, "parameters": {"body": ["Ann", "May 5"]}}, format="json")

    assert closed.status_code == 400 and closed.json()["code"] == "window_closed"
    assert reply.status_code == 202, reply.content
    message_send(reply.json()["id"])
    assert _delivered(graph_sandbox, reply.json()["id"])["rendered"]["body"].startswith("Hi Ann, this is a reminder")
    with schema_context(alpha.tenant.schema_name):
        Template.objects.filter(pk=template.pk).update(mapping={"body": [
            {"field": "first_name", "value": "", "fallback": ""}, {"field": "", "value": "May 6", "fallback": ""}]})
    mapped = demo.post(url, {"template_id": template.pk}, format="json")
    assert mapped.status_code == 202, mapped.content
    assert mapped.json()["payload"]["template"]["components"][0]["parameters"][0]["text"] == "Ann"
    bad = demo.post(url, {"type": "text", "text": {"body": "x"}, "template_id": template.pk}, format="json")
    assert bad.status_code == 400


def test_an_agent_who_may_not_see_the_conversation_can_t_reply_with_a_template_there(demo, alpha, graph_sandbox):
    number = PhoneNumber(phone_number_id=graph_sandbox.demo["phone_id"])
    inbound = customer_writes(alpha, number, "Hi", wa_id=ALICE.lstrip("+"))
    other = alpha.add_member("other@alpha.example", Role.AGENT)
    agent = alpha.add_member("agent@alpha.example", Role.AGENT)
    with schema_context(alpha.tenant.schema_name):
        Conversation.objects.filter(pk=inbound.conversation_id).update(assignee=other)
    template = _template(alpha, "hello_world")

    response = alpha.client(agent).post(f"/api/conversations/{inbound.conversation_id}/messages/",
                                        {"template_id": template.pk}, format="json")

    assert response.status_code == 404
