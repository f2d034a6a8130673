"""POST /api/messages/ through the outbox to the sandbox: every type, bad input, retries, no duplicates."""
import time

import pytest
from django_tenants.utils import schema_context

from apps.messaging.models import Message
from apps.messaging.outbox import message_send, message_status_apply
from apps.messaging.tests.inbox_helpers import customer_writes
from apps.whatsapp import builders as wb
from apps.whatsapp.client import GraphClient
from apps.whatsapp.models import PhoneNumber
from sandbox.demo_templates import demo_templates
from tenants.models import Role

ALICE = "+16505550101"  # a demo customer of the sandbox; the fixture has her write first (the 24-hour window)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def connected(alpha, graph_sandbox):
    """alpha with the sandbox's demo number connected, and a helper to send and run the outbox."""
    client = alpha.client(alpha.owner)
    demo = graph_sandbox.demo
    response = client.post("/api/whatsapp/numbers/", {"waba_id": demo["waba_id"], "phone_number_id": demo["phone_id"],
                                                      "access_token": demo["token"]}, format="json")
    assert response.status_code == 201, response.content
    customer_writes(alpha, PhoneNumber(phone_number_id=demo["phone_id"]), "Hi!", wa_id=ALICE.lstrip("+"))
    return client


def _send(client, body: dict, *, run: bool = True) -> dict:
    response = client.post("/api/messages/", {"to": ALICE, **body}, format="json")
    assert response.status_code == 202, response.content
    message = response.json()
    if run:
        # The task's body, inside the tenant's schema as the worker runs it (the test client left us there).
        message_send(message["id"])
    return message


def _sandbox_copy(sandbox, message_id: str) -> list[dict]:
    return sandbox.control.get("/messages", params={"biz_opaque_callback_data": message_id}).json()["data"]


def _upload(sandbox, mime: str, name: str) -> str:
    with GraphClient(sandbox.demo["token"]) as graph:
        return graph.upload_media(sandbox.demo["phone_id"], PNG, mime, name)


def _every_type(sandbox, inbound_wamid: str) -> dict[str, dict]:
    image = _upload(sandbox, "image/png", "a.png")
    return {
        "text": {"type": "text", "text": {"body": "Hello https://example.com", "preview_url": True}},
        "image": {"type": "image", "image": {"id": image, "caption": "Our shop"}},
        "image_link": {"type": "image", "image": {"link": "https://example.com/a.png"}},
        "video": {"type": "video", "video": {"link": "https://example.com/a.mp4", "caption": "Tour"}},
        "audio": {"type": "audio", "audio": {"link": "https://example.com/a.mp3"}},
        "document": {"type": "document", "document": {"link": "https://example.com/a.pdf", "filename": "menu.pdf",
                                                      "caption": "Menu"}},
        "sticker": {"type": "sticker", "sticker": {"link": "https://example.com/a.webp"}},
        "location": {"type": "location", "location": {"latitude": 52.52, "longitude": 13.405, "name": "Shop",
                                                      "address": "Main St 1"}},
        "contacts": {"type": "contacts", "contacts": [{"name": {"formatted_name": "Ada Shop", "first_name": "Ada"},
                                                       "phones": [{"phone": "+14155550123", "type": "WORK"}]}]},
        "reaction": {"type": "reaction", "reaction": {"message_id": inbound_wamid, "emoji": "\U0001F44D"}},
        "reply": {"type": "text", "text": {"body": "Replying"}, "context": {"message_id": inbound_wamid}},
        "template": {"type": "template", "template": {"name": "hello_world", "language": {"code": "en_US"}}},
        "buttons": {"type": "interactive", "interactive": {
            "type": "button", "body": {"text": "Tomorrow at 9?"},
            "action": {"buttons": [{"type": "reply", "reply": {"id": "yes", "title": "Yes"}},
                                   {"type": "reply", "reply": {"id": "no", "title": "No"}}]}}},
        "list": {"type": "interactive", "interactive": {
            "type": "list", "body": {"text": "Pick a size"},
            "action": {"button": "Sizes", "sections": [{"title": "Sizes", "rows": [
                {"id": "s", "title": "Small"}, {"id": "m", "title": "Medium", "description": "Most popular"}]}]}}},
        "cta_url": {"type": "interactive", "interactive": {
            "type": "cta_url", "body": {"text": "See the menu"},
            "action": {"name": "cta_url", "parameters": {"display_text": "Open", "url": "https://example.com"}}}},
        "location_request": {"type": "interactive", "interactive": {
            "type": "location_request_message", "body": {"text": "Where should we deliver?"},
            "action": {"name": "send_location"}}},
        "media_carousel": wb.carousel("New arrivals", [
            wb.carousel_card(display_text="Buy", url=f"https://example.com/{i}", image_id=image, body=f"Item {i}")
            for i in range(2)]),
        "flow": wb.flow("Book a table", "Book", flow_id="1234567890", flow_token="tok-1", flow_action="navigate",
                        screen="BOOKING", data={"party": 2}),
        **{f"template_{d['name']}": _template_from(d, image) for d in demo_templates()
           if d["name"] in TEMPLATES_WITH_PARAMETERS},
    }


# Positional and named body parameters, a copy-code (OTP) button, a media-card carousel, a limited-time offer.
TEMPLATES_WITH_PARAMETERS = {"appointment_reminder", "order_shipped", "authentication_code_copy_code_button",
                             "carousel_template_media_cards_v1", "limited_time_offer_caribbean_pkg_2023"}


def _template_from(definition: dict, image_id: str) -> dict:
    components = wb.example_components(definition, media={"image": {"id": image_id}, "video": {"id": image_id}})
    return wb.template_message(definition["name"], definition["language"], components)


def test_every_message_type_reaches_the_sandbox_and_shows_sent_with_a_wamid(connected, graph_sandbox, settings):
    settings.PAIR_RATE_BURST = 40  # sixteen messages to one person in a row: not what this test is about
    inbound = graph_sandbox.control.post("/customers/16505550101/messages", json={
        "phone_number_id": graph_sandbox.demo["phone_id"], "type": "text", "text": {"body": "hi"}}).json()
    inbound_wamid = inbound["messages"][0]["id"]

    types = _every_type(graph_sandbox, inbound_wamid)
    assert len(types) == 23

    for name, body in types.items():
        queued = _send(connected, body)
        assert queued["status"] == "queued"
        shown = connected.get(f"/api/messages/{queued['id']}/").json()
        assert shown["status"] == "sent", (name, shown)
        assert shown["wamid"].startswith("wamid."), name
        (copy,) = _sandbox_copy(graph_sandbox, queued["id"])
        assert copy["type"] == body["type"], name


def test_a_bad_payload_is_a_400_naming_the_field_and_nothing_is_queued(connected):
    too_many = {"type": "interactive", "interactive": {
        "type": "button", "body": {"text": "Choose"},
        "action": {"buttons": [{"type": "reply", "reply": {"id": str(i), "title": f"B{i}"}} for i in range(4)]}}}
    cases = [
        (too_many, "interactive.action.buttons"),
        ({"type": "text", "text": {}}, "text.body"),
        ({"type": "text"}, "text"),
        ({"type": "carrier_pigeon"}, "type"),
        ({"type": "text", "text": {"body": "x" * 4097}}, "text.body"),
    ]
    for body, field in cases:
        response = connected.post("/api/messages/", {"to": ALICE, **body}, format="json")
        assert response.status_code == 400, (body, response.content)
        assert response.json()["code"] == "validation_error"
        assert any(key.startswith(field) for key in response.json()["errors"]), (field, response.json())
    assert connected.post("/api/messages/", {"to": "+12", "type": "text", "text": {"body": "x"}},
                          format="json").json()["errors"] == {"to": ["Use international format, e.g. +14155550123."]}
    assert connected.post("/api/messages/", {"to": "999999", "type": "text", "text": {"body": "x"}},
                          format="json").json()["errors"] == {"to": ["No contact with this id in this business."]}
    assert not Message.objects.filter(direction="out").exists()


def test_sending_needs_a_connected_number(alpha):
    response = alpha.client(alpha.owner).post("/api/messages/", {"to": ALICE, "type": "text", "text": {"body": "x"}},
                                              format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "no_number"


def test_the_send_task_is_enqueued_only_after_commit(connected, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _send(connected, {"type": "text", "text": {"body": "x"}}, run=False)

    assert len(callbacks) == 2  # the live inbox event and the send task, neither before the row is committed


def test_a_task_delivered_twice_sends_once(connected, graph_sandbox):
    message = _send(connected, {"type": "text", "text": {"body": "once"}})

    message_send(message["id"])  # the broker redelivers the same task

    assert len(_sandbox_copy(graph_sandbox, message["id"])) == 1
    assert Message.objects.get(pk=message["id"]).attempts == 1


def test_a_worker_killed_after_the_claim_never_sends_again_and_the_webhook_settles_it(connected, graph_sandbox):
    message = _send(connected, {"type": "text", "text": {"body": "crash"}}, run=False)
    # The first worker claimed it, sent it, and died before storing the answer.
    Message.objects.filter(pk=message["id"]).update(status=Message.Status.SENDING)
    with GraphClient(graph_sandbox.demo["token"]) as graph:
        sent = graph.send_message(graph_sandbox.demo["phone_id"], ALICE.lstrip("+"), {"type": "text", "text": {
            "body": "crash"}}, biz_opaque_callback_data=message["id"])

    message_send(message["id"])  # the redelivered task
    settled = message_status_apply(status="sent", wamid=sent.wamid, callback_data=message["id"])

    assert len(_sandbox_copy(graph_sandbox, message["id"])) == 1
    assert (settled.status, settled.wamid) == ("sent", sent.wamid)


def test_statuses_only_move_forward_and_failed_is_terminal(connected):
    message = _send(connected, {"type": "text", "text": {"body": "x"}})
    wamid = Message.objects.get(pk=message["id"]).wamid

    for status in ("read", "delivered", "sent"):
        message_status_apply(status=status, wamid=wamid)
    assert Message.objects.get(pk=message["id"]).status == "read"
    message_status_apply(status="failed", wamid=wamid, error={"code": 131026, "title": "Message undeliverable"})
    message_status_apply(status="read", wamid=wamid)
    final = Message.objects.get(pk=message["id"])
    assert (final.status, final.error_code) == ("failed", 131026)


def test_5xx_from_meta_backs_off_and_retries_until_sent(connected, graph_sandbox):
    graph_sandbox.control.post("/faults", json={"error_rate": {"messages": 1.0}, "error_status": 503})
    message = _send(connected, {"type": "text", "text": {"body": "retry me"}})
    row = Message.objects.get(pk=message["id"])
    assert (row.status, row.attempts) == ("queued", 1)

    graph_sandbox.control.delete("/faults")
    message_send(message["id"])

    assert Message.objects.get(pk=message["id"]).status == "sent"
    assert len(_sandbox_copy(graph_sandbox, message["id"])) == 1


def test_meta_throughput_429_is_retried_later(connected, graph_sandbox):
    graph_sandbox.control.patch(f"/numbers/{graph_sandbox.demo['phone_id']}", json={"mps": 1})
    first = _send(connected, {"type": "text", "text": {"body": "1"}})
    second = _send(connected, {"type": "text", "text": {"body": "2"}})

    row = Message.objects.get(pk=second["id"])
    assert Message.objects.get(pk=first["id"]).status == "sent"
    assert row.status == "queued"
    assert row.events.filter(detail__error__code=130429).exists()
    time.sleep(1.1)
    message_send(second["id"])
    assert Message.objects.get(pk=second["id"]).status == "sent"


def test_a_permanent_error_fails_with_metas_code_and_title(connected, graph_sandbox):
    message = _send(connected, {"type": "template", "template": {"name": "no_such_template",
                                                                "language": {"code": "en_US"}}})

    shown = connected.get(f"/api/messages/{message['id']}/").json()
    assert shown["status"] == "failed"
    assert shown["error_code"] == 132001
    assert shown["error_title"]
    assert [e["status"] for e in shown["events"]] == ["queued", "sending", "failed"]


def test_our_pair_limit_paces_a_burst_to_one_person(connected, settings):
    settings.PAIR_RATE_BURST = 2
    ids = [_send(connected, {"type": "text", "text": {"body": str(i)}})["id"] for i in range(3)]

    statuses = [Message.objects.get(pk=pk).status for pk in ids]

    assert statuses == ["sent", "sent", "queued"]
    assert Message.objects.get(pk=ids[2]).events.filter(detail__reason="pair_rate").exists()


def test_another_business_can_neither_send_from_nor_see_this_number(connected, beta, graph_sandbox):
    message = _send(connected, {"type": "text", "text": {"body": "private"}})
    client_b = beta.client(beta.owner)

    send = client_b.post("/api/messages/", {"to": ALICE, "phone_number_id": graph_sandbox.demo["phone_id"],
                                            "type": "text", "text": {"body": "x"}}, format="json")
    assert send.status_code == 400
    assert send.json()["errors"] == {"phone_number_id": ["Not a number of this business."]}
    assert client_b.get(f"/api/messages/{message['id']}/").status_code == 404
    assert client_b.get("/api/messages/").json()["results"] == []
    with schema_context(beta.tenant.schema_name):
        assert not Message.objects.exists()


def test_agents_may_send(connected, alpha):
    agent = alpha.add_member("agent@alpha.example", Role.AGENT)

    response = alpha.client(agent).post("/api/messages/", {"to": ALICE, "type": "text", "text": {"body": "hi"}},
                                        format="json")

    assert response.status_code == 202


def test_mark_read_and_typing_reach_the_sandbox(connected, graph_sandbox, alpha):
    from apps.whatsapp.models import PhoneNumber

    inbound = graph_sandbox.control.post("/customers/16505550101/messages", json={
        "phone_number_id": graph_sandbox.demo["phone_id"], "type": "text", "text": {"body": "hi"}}).json()
    wamid = inbound["messages"][0]["id"]
    row = Message.objects.create(direction="in", phone_number=PhoneNumber.objects.get(), to="", type="text",
                                 payload={"text": {"body": "hi"}}, status="received", wamid=wamid)

    response = connected.post(f"/api/messages/{row.pk}/read/", {"typing_indicator": True}, format="json")

    assert response.status_code == 200, response.content
    chat = graph_sandbox.control.get(f"/chats/{graph_sandbox.demo['phone_id']}/16505550101").json()
    assert chat["typing"] is True
    outbound = _send(connected, {"type": "text", "text": {"body": "x"}})
    assert connected.post(f"/api/messages/{outbound['id']}/read/", {}, format="json").json()["code"] == "not_inbound"


def test_reading_a_conversation_marks_the_customers_newest_message_read_even_if_it_arrived_first(
        connected, graph_sandbox, alpha):
    from datetime import timedelta

    from django.utils import timezone

    from apps.messaging.outbox import conversation_mark_read_at_meta

    def customer_says(text):
        return graph_sandbox.control.post("/customers/16505550101/messages", json={
            "phone_number_id": graph_sandbox.demo["phone_id"], "type": "text", "text": {"body": text}}).json()[
            "messages"][0]["id"]

    older, newer = customer_says("first"), customer_says("second")
    number = PhoneNumber.objects.get()
    now = timezone.now()
    customer_writes(alpha, number, "second", wa_id=ALICE.lstrip("+"), wamid=newer, at=now)  # webhooks reordered
    stored = customer_writes(alpha, number, "first", wa_id=ALICE.lstrip("+"), wamid=older,
                             at=now - timedelta(seconds=2))

    conversation_mark_read_at_meta(stored.conversation_id)

    chat = graph_sandbox.control.get(f"/chats/{graph_sandbox.demo['phone_id']}/16505550101").json()["messages"]
    assert {m["id"]: m["status"] for m in chat if m["id"] in (older, newer)} == {older: "read", newer: "read"}


# --- sending to contacts --------------------------------------------------------------------------

def test_sending_to_a_contact_id_uses_its_phone_and_records_activity(connected):
    from apps.contacts.models import Contact

    contact = Contact.objects.get(phone="+16505550101")  # she wrote first (the fixture)

    message = _send(connected, {"to": str(contact.pk), "type": "text", "text": {"body": "Hi Alice"}})

    row = Message.objects.get(pk=message["id"])
    assert (row.to, row.contact_id, row.status) == ("16505550101", contact.pk, "sent")
    assert Contact.objects.get(pk=contact.pk).last_outbound_at is not None


def test_a_contact_of_another_business_is_a_field_error_and_one_without_a_phone_is_reached_by_its_user_id(
        connected, beta):
    from apps.contacts.models import Contact

    no_phone = Contact.objects.create(wa_user_id="US.123", name="No phone")
    alpha_ids = set(Contact.objects.values_list("pk", flat=True))
    with schema_context(beta.tenant.schema_name):  # ids are per schema: take one alpha doesn't also have
        of_beta = Contact.objects.create(phone="+447700900123")
        while of_beta.pk in alpha_ids:
            of_beta = Contact.objects.create(phone=f"+4477009001{of_beta.pk % 100:02d}")

    response = connected.post("/api/messages/", {"to": str(of_beta.pk), "type": "text", "text": {"body": "x"}},
                              format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {"to": ["No contact with this id in this business."]}
    # Contacts' one recipient rule (WhatsApp id, else phone, else user id), as the inbox reply has it.
    template = {"type": "template", "template": {"name": "hello_world", "language": {"code": "en_US"}}}
    response = connected.post("/api/messages/", {"to": str(no_phone.pk), **template}, format="json")
    assert response.status_code == 202, response.content
    assert (response.json()["to"], response.json()["contact_id"]) == ("US.123", no_phone.pk)


def test_erasing_a_contact_anonymises_its_messages(connected, alpha):
    from apps.contacts.models import Contact
    from apps.contacts.services import contact_erase

    contact = Contact.objects.get(phone="+16505550101")  # she wrote first (the fixture)
    message = _send(connected, {"to": str(contact.pk), "type": "text", "text": {"body": "secret"}})

    contact_erase(contact=contact)

    row = Message.objects.get(pk=message["id"])
    assert (row.payload, row.to, row.status) == ({}, "", "sent")


def test_the_sweeper_requeues_only_sends_that_never_reached_meta_in_every_business(
        connected, alpha, beta, settings, django_capture_on_commit_callbacks):
    from datetime import timedelta

    from django.db import connection
    from django.utils import timezone

    from apps.messaging.tasks import messages_reconcile_all

    settings.MESSAGE_RECONCILE_AFTER_SECONDS = 60
    lost = _send(connected, {"type": "text", "text": {"body": "lost"}}, run=False)
    answered = _send(connected, {"type": "text", "text": {"body": "answered"}}, run=False)
    long_ago = timezone.now() - timedelta(minutes=5)
    Message.objects.filter(pk=lost["id"]).update(status="sending", claimed_at=long_ago)
    Message.objects.filter(pk=answered["id"]).update(status="sending", claimed_at=long_ago, wamid="wamid.known")
    connection.set_schema_to_public()

    with django_capture_on_commit_callbacks() as callbacks:
        messages_reconcile_all()

    with schema_context(alpha.tenant.schema_name):
        assert Message.objects.get(pk=lost["id"]).status == "queued"
        assert Message.objects.get(pk=answered["id"]).status == "sending"  # Meta has it: the webhook settles it
    assert len(callbacks) == 1
