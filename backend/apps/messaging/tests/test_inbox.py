"""The team inbox: conversations and the 24-hour window, assignment and who sees what, notes, canned
replies, settings, and the live event stream, each tried across two businesses."""
from datetime import timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from apps.contacts.models import Contact
from apps.messaging.models import Conversation, Message
from apps.messaging.tests.inbox_helpers import connect_number, customer_writes
from tenants.models import Role

TEXT = {"type": "text", "text": {"body": "Your order ships today"}}
TEMPLATE = {"type": "template", "template": {"name": "order_update", "language": {"code": "en_US"}}}


@pytest.fixture
def number(alpha):
    return connect_number(alpha)


def _only_conversation(business) -> Conversation:
    with schema_context(business.tenant.schema_name):
        return Conversation.objects.select_related("contact").get()


def test_a_customer_message_opens_a_conversation_with_its_window_and_an_unread_count(alpha, number):
    customer_writes(alpha, number, "Is my order shipped?")
    customer_writes(alpha, number, "Order #1042")
    page = alpha.client(alpha.owner).get("/api/conversations/").json()
    (conversation,) = page["results"]
    assert conversation["unread_count"] == 2
    assert conversation["window_open"] is True
    assert conversation["last_message_preview"] == "Order #1042"
    assert conversation["contact"]["phone"] == "+16505550101"
    thread = alpha.client(alpha.owner).get(f"/api/conversations/{conversation['id']}/messages/").json()
    assert [m["payload"]["text"]["body"] for m in thread["results"]] == ["Order #1042", "Is my order shipped?"]


def test_a_free_form_reply_outside_the_24_hour_window_is_refused_and_a_template_is_not(alpha, number):
    customer_writes(alpha, number, at=timezone.now() - timedelta(hours=24, minutes=1))
    conversation = _only_conversation(alpha)
    client = alpha.client(alpha.owner)
    refused = client.post(f"/api/conversations/{conversation.pk}/messages/", TEXT, format="json")
    assert refused.status_code == 400
    assert refused.json()["code"] == "window_closed"
    assert "template" in refused.json()["message"]
    accepted = client.post(f"/api/conversations/{conversation.pk}/messages/", TEMPLATE, format="json")
    assert accepted.status_code == 202, accepted.content
    with schema_context(alpha.tenant.schema_name):
        assert list(Message.objects.filter(direction="out").values_list("type", flat=True)) == ["template"]


def test_the_window_is_open_for_24_hours_after_the_customers_last_message(alpha, number):
    customer_writes(alpha, number, at=timezone.now() - timedelta(hours=23, minutes=59))
    conversation = _only_conversation(alpha)
    response = alpha.client(alpha.owner).post(f"/api/conversations/{conversation.pk}/messages/", TEXT, format="json")
    assert response.status_code == 202, response.content
    assert response.json()["conversation_id"] == conversation.pk


def test_a_free_form_message_to_someone_who_never_wrote_is_refused_and_nothing_is_stored(alpha, number):
    response = alpha.client(alpha.owner).post("/api/messages/", {"to": "+14155550123", **TEXT}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "window_closed"
    with schema_context(alpha.tenant.schema_name):
        assert not Contact.objects.filter(phone="+14155550123").exists()
        assert not Message.objects.exists()


def test_a_template_to_a_new_number_adds_the_contact_and_starts_a_conversation(alpha, number):
    response = alpha.client(alpha.owner).post("/api/messages/", {"to": "+14155550123", **TEMPLATE}, format="json")
    assert response.status_code == 202, response.content
    conversation = _only_conversation(alpha)
    assert conversation.contact.phone == "+14155550123"
    assert conversation.last_message_preview == "Template: order_update"
    assert conversation.last_inbound_at is None


def test_a_resolved_conversation_reopens_when_the_customer_writes_again(alpha, number):
    customer_writes(alpha, number)
    conversation = _only_conversation(alpha)
    client = alpha.client(alpha.owner)
    assert client.patch(f"/api/conversations/{conversation.pk}/", {"status": "resolved"}, format="json").json()[
        "status"] == "resolved"
    customer_writes(alpha, number, "One more thing")
    assert client.get(f"/api/conversations/{conversation.pk}/").json()["status"] == "open"


def test_reading_clears_unread_and_queues_the_read_at_meta_and_a_persons_reply_clears_it_too(
        alpha, number, django_capture_on_commit_callbacks):
    customer_writes(alpha, number)
    conversation = _only_conversation(alpha)
    client = alpha.client(alpha.owner)
    with django_capture_on_commit_callbacks() as callbacks:
        body = client.post(f"/api/conversations/{conversation.pk}/read/").json()
    assert body["unread_count"] == 0
    assert len(callbacks) == 2  # the live event, and the task that marks the customer's message read
    customer_writes(alpha, number, "Hello?")
    client.post(f"/api/conversations/{conversation.pk}/messages/", TEXT, format="json")
    assert client.get(f"/api/conversations/{conversation.pk}/").json()["unread_count"] == 0


# --- assignment and visibility ---------------------------------------------------------------------

def test_agents_see_their_own_and_unassigned_conversations_unless_allowed_to_see_all(alpha, number):
    agent = alpha.add_member("agent@alpha.example", Role.AGENT)
    other = alpha.add_member("other@alpha.example", Role.AGENT)
    customer_writes(alpha, number, wa_id="16505550101")
    customer_writes(alpha, number, wa_id="16505550102", name="Ben")
    with schema_context(alpha.tenant.schema_name):
        theirs = Conversation.objects.get(contact__phone="+16505550102")
        theirs.assignee = other
        theirs.save()
    client = alpha.client(agent)
    visible = [c["id"] for c in client.get("/api/conversations/").json()["results"]]
    assert theirs.pk not in visible and len(visible) == 1
    assert client.get(f"/api/conversations/{theirs.pk}/").status_code == 404
    assert client.get(f"/api/conversations/{theirs.pk}/messages/").status_code == 404
    assert client.post(f"/api/conversations/{theirs.pk}/messages/", TEXT, format="json").status_code == 404
    alpha.client(alpha.owner).patch("/api/inbox/settings/", {"agents_see_all": True}, format="json")
    assert len(client.get("/api/conversations/").json()["results"]) == 2


def test_agents_take_conversations_for_themselves_and_managers_assign_anyone_in_the_business(alpha, beta, number):
    agent = alpha.add_member("agent@alpha.example", Role.AGENT)
    other = alpha.add_member("other@alpha.example", Role.AGENT)
    customer_writes(alpha, number)
    url = f"/api/conversations/{_only_conversation(alpha).pk}/"
    as_agent = alpha.client(agent)
    assert as_agent.patch(url, {"assignee_id": other.pk}, format="json").status_code == 403
    taken = as_agent.patch(url, {"assignee_id": agent.pk}, format="json")
    assert taken.status_code == 200 and taken.json()["assignee"]["email"] == "agent@alpha.example"
    assert alpha.client(other).patch(url, {"assignee_id": other.pk}, format="json").status_code == 404
    owner = alpha.client(alpha.owner)
    assert owner.patch(url, {"assignee_id": other.pk}, format="json").json()["assignee"]["id"] == other.pk
    outsider = owner.patch(url, {"assignee_id": beta.owner.pk}, format="json")
    assert outsider.status_code == 400 and "assignee_id" in outsider.json()["errors"]


def test_filters_mine_unassigned_status_and_search(alpha, number):
    customer_writes(alpha, number, wa_id="16505550101", name="Alice")
    customer_writes(alpha, number, wa_id="16505550102", name="Ben")
    client = alpha.client(alpha.owner)
    alice = next(c for c in client.get("/api/conversations/").json()["results"] if c["contact"]["name"] == "Alice")
    client.patch(f"/api/conversations/{alice['id']}/", {"assignee_id": alpha.owner.pk, "status": "pending"},
                 format="json")

    def names(query):
        return [c["contact"]["name"] for c in client.get(f"/api/conversations/?{query}").json()["results"]]

    assert names("view=mine") == ["Alice"]
    assert names("view=unassigned") == ["Ben"]
    assert names("status=pending") == ["Alice"]
    assert names("q=ben") == ["Ben"]
    assert names("q=550102") == ["Ben"]


# --- notes, canned replies, settings --------------------------------------------------------------

def test_notes_are_kept_in_order_with_their_author(alpha, number):
    customer_writes(alpha, number)
    url = f"/api/conversations/{_only_conversation(alpha).pk}/notes/"
    client = alpha.client(alpha.owner)
    assert client.post(url, {"body": "   "}, format="json").status_code == 400
    client.post(url, {"body": "VIP, be quick"}, format="json")
    client.post(url, {"body": "Refund approved"}, format="json")
    notes = client.get(url).json()["results"]
    assert [n["body"] for n in notes] == ["VIP, be quick", "Refund approved"]
    assert notes[0]["author"]["email"] == alpha.owner.email


def test_everyone_reads_canned_replies_and_only_managers_write_them(alpha):
    agent = alpha.add_member("agent@alpha.example", Role.AGENT)
    owner = alpha.client(alpha.owner)
    created = owner.post("/api/canned-replies/", {"shortcut": "/Hours", "title": "Opening hours",
                                                   "body": "We're open 9-6."}, format="json")
    assert created.status_code == 201 and created.json()["shortcut"] == "hours"
    duplicate = owner.post("/api/canned-replies/", {"shortcut": "hours", "title": "x", "body": "y"}, format="json")
    assert duplicate.status_code == 400 and "shortcut" in duplicate.json()["errors"]
    as_agent = alpha.client(agent)
    assert [r["shortcut"] for r in as_agent.get("/api/canned-replies/?q=ho").json()["results"]] == ["hours"]
    assert as_agent.post("/api/canned-replies/", {"shortcut": "x", "title": "x", "body": "y"},
                         format="json").status_code == 403
    assert as_agent.delete(f"/api/canned-replies/{created.json()['id']}/").status_code == 403


def test_inbox_settings_are_validated_and_only_managers_change_them(alpha):
    agent = alpha.add_member("agent@alpha.example", Role.AGENT)
    owner = alpha.client(alpha.owner)
    assert owner.patch("/api/inbox/settings/", {"away_enabled": True}, format="json").status_code == 400
    assert owner.patch("/api/inbox/settings/", {"timezone": "Mars/Olympus"}, format="json").status_code == 400
    bad_hours = owner.patch("/api/inbox/settings/", {"business_hours": {"mon": [["18:00", "09:00"]]}}, format="json")
    assert bad_hours.status_code == 400 and "business_hours" in bad_hours.json()["errors"]
    ok = owner.patch("/api/inbox/settings/", {"away_enabled": True, "timezone": "Asia/Kolkata",
                                              "business_hours": {"mon": [["09:00", "18:00"]]}}, format="json")
    assert ok.status_code == 200 and ok.json()["away_enabled"] is True
    assert alpha.client(agent).get("/api/inbox/settings/").json()["timezone"] == "Asia/Kolkata"
    assert alpha.client(agent).patch("/api/inbox/settings/", {"welcome_enabled": True},
                                     format="json").status_code == 403


# --- contacts' lifecycle --------------------------------------------------------------------------

def test_merging_two_contacts_merges_their_threads_on_the_same_number(alpha, number):
    customer_writes(alpha, number, wa_id="16505550101", name="Alice")
    customer_writes(alpha, number, wa_id="16505550102", name="Alice (work)")
    with schema_context(alpha.tenant.schema_name):
        survivor, merged = Contact.objects.order_by("pk")
    response = alpha.client(alpha.owner).post(f"/api/contacts/{survivor.pk}/merge/", {"merge_id": merged.pk},
                                              format="json")
    assert response.status_code == 200, response.content
    conversation = _only_conversation(alpha)
    with schema_context(alpha.tenant.schema_name):
        assert conversation.messages.count() == 2 and conversation.unread_count == 2


def test_deleting_a_contact_removes_the_conversation_and_keeps_the_messages(alpha, number):
    customer_writes(alpha, number)
    contact = _only_conversation(alpha).contact
    assert alpha.client(alpha.owner).delete(f"/api/contacts/{contact.pk}/").status_code == 204
    with schema_context(alpha.tenant.schema_name):
        assert not Conversation.objects.exists()
        assert Message.objects.get().conversation_id is None


# --- isolation ---------------------------------------------------------------------------------------

def test_another_business_can_neither_see_nor_touch_a_conversation(alpha, beta, number):
    connect_number(beta, "120000000000002", "220000000000002")
    customer_writes(alpha, number)
    conversation = _only_conversation(alpha)
    as_beta = beta.client(beta.owner)
    assert as_beta.get("/api/conversations/").json()["results"] == []
    for method, path, body in [("get", "", None), ("patch", "", {"status": "resolved"}), ("get", "messages/", None),
                               ("post", "messages/", TEMPLATE), ("post", "notes/", {"body": "x"}),
                               ("post", "read/", None)]:
        response = getattr(as_beta, method)(f"/api/conversations/{conversation.pk}/{path}", body, format="json")
        assert response.status_code == 404, (method, path)
    # beta's owner on alpha's host is not a member there
    intruder = alpha.client()
    intruder.post("/api/auth/login/", {"email": beta.owner.email, "password": "x"}, format="json")
    assert intruder.get("/api/conversations/").status_code in (401, 403)
    assert _only_conversation(alpha).status == "open"


def test_a_sender_whose_number_phonenumbers_does_not_know_still_gets_a_contact_and_a_thread(alpha, number):
    customer_writes(alpha, number, "Do you deliver on Sundays?", wa_id="447700900123", name="Ben")  # reserved range
    conversation = _only_conversation(alpha)
    assert (conversation.contact.phone, conversation.contact.name) == ("+447700900123", "Ben")
