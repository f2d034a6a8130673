"""The audit log of the inbox's configuration: canned replies and the inbox settings (automations, business hours,
who sees what) are recorded with who changed them and what changed, in the change's transaction; conversations,
messages, reads, assignments and notes are not (messages and their events already say who did them)."""
import json

import pytest
from django.db import transaction
from django_tenants.utils import schema_context

from apps.audit.models import AuditEvent
from apps.developer.tests.helpers import create_key, key_client
from apps.messaging import conversations
from apps.messaging.models import CannedReply, Conversation
from apps.messaging.tests.inbox_helpers import connect_number, customer_writes
from tenants.members import member_of
from tenants.models import Role

REPLY = {"shortcut": "/Hours", "title": "Opening hours", "body": "We're open 9-6."}


INBOX_AREAS = ("inbox.", "canned_reply.")


def events(business, *areas: str) -> list[AuditEvent]:
    """The business's events of these areas (the inbox's by default), oldest first; other apps' (a sign-in, the
    number connected for the test) are not this file's business."""
    with schema_context(business.tenant.schema_name):
        return [e for e in AuditEvent.objects.order_by("id") if e.action.startswith(areas or INBOX_AREAS)]


def test_a_canned_reply_created_changed_and_deleted_is_one_event_each_by_the_member(alpha):
    client = alpha.client(alpha.owner)

    reply_id = client.post("/api/canned-replies/", REPLY, format="json").json()["id"]
    assert client.put(f"/api/canned-replies/{reply_id}/", {**REPLY, "title": "Hours"}, format="json").status_code == 200
    assert client.put(f"/api/canned-replies/{reply_id}/", {**REPLY, "title": "Hours"}, format="json").status_code == 200
    assert client.delete(f"/api/canned-replies/{reply_id}/").status_code == 204

    created, updated, deleted = events(alpha)  # saving it unchanged is no event
    assert [e.action for e in (created, updated, deleted)] == ["canned_reply.created", "canned_reply.updated",
                                                               "canned_reply.deleted"]
    for event in (created, updated, deleted):
        assert (event.actor_type, event.actor_id, event.actor_label) == ("member", str(alpha.owner.pk),
                                                                         alpha.owner.email)
        assert (event.target_type, event.target_id) == ("cannedreply", str(reply_id))
    assert created.target_label == "/hours — Opening hours" and deleted.target_label == "/hours — Hours"
    assert updated.changes == {"title": ["Opening hours", "Hours"]}


def test_changing_the_inbox_settings_records_what_changed(alpha):
    client = alpha.client(alpha.owner)

    changed = client.patch("/api/inbox/settings/", {
        "away_enabled": True, "timezone": "Asia/Kolkata", "business_hours": {"mon": [["09:00", "18:00"]]},
        "agents_see_all": False}, format="json")  # agents_see_all is already off: not a change
    again = client.patch("/api/inbox/settings/", {"timezone": "Asia/Kolkata"}, format="json")

    assert changed.status_code == again.status_code == 200
    (event,) = events(alpha)
    assert (event.action, event.actor_type, event.target_label) == ("inbox.settings_changed", "member",
                                                                    "Inbox settings")
    assert event.changes == {"away_enabled": [False, True], "timezone": ["UTC", "Asia/Kolkata"],
                             "business_hours": [{}, {"mon": [["09:00", "18:00"]]}]}


def test_refused_changes_write_no_event(alpha):
    owner = alpha.client(alpha.owner)
    agent = alpha.client(alpha.add_member("agent@alpha.example", Role.AGENT))
    reply_id = owner.post("/api/canned-replies/", REPLY, format="json").json()["id"]

    assert owner.post("/api/canned-replies/", {**REPLY, "shortcut": "hours"}, format="json").status_code == 400
    assert owner.put(f"/api/canned-replies/{reply_id}/", {**REPLY, "shortcut": "no spaces"},
                     format="json").status_code == 400
    assert agent.post("/api/canned-replies/", {**REPLY, "shortcut": "x"}, format="json").status_code == 403
    assert agent.delete(f"/api/canned-replies/{reply_id}/").status_code == 403
    assert owner.delete("/api/canned-replies/999999/").status_code == 404
    assert owner.patch("/api/inbox/settings/", {"away_enabled": True}, format="json").status_code == 400  # no hours
    assert owner.patch("/api/inbox/settings/", {"timezone": "Mars/Olympus"}, format="json").status_code == 400
    assert agent.patch("/api/inbox/settings/", {"welcome_enabled": True}, format="json").status_code == 403

    assert [e.action for e in events(alpha)] == ["canned_reply.created"]


def test_an_api_key_cannot_change_the_inbox_configuration_and_leaves_no_event(alpha):
    key = create_key(alpha, scopes=("messages",))
    by_key = key_client(alpha, key["key"])

    assert by_key.patch("/api/inbox/settings/", {"welcome_enabled": True}, format="json").status_code == 403
    assert by_key.post("/api/canned-replies/", REPLY, format="json").status_code == 403

    assert events(alpha) == []


def test_a_change_that_rolls_back_leaves_no_event(alpha):
    with schema_context(alpha.tenant.schema_name):
        member = member_of(user=alpha.owner, tenant=alpha.tenant)
        with pytest.raises(RuntimeError), transaction.atomic():
            conversations.inbox_settings_update(actor=member, data={"welcome_enabled": True})
            conversations.canned_reply_save(actor=member, **REPLY)
            raise RuntimeError("something later in the same transaction failed")
        assert not CannedReply.objects.exists()

    assert events(alpha) == []


def test_conversation_work_is_not_in_the_audit_log(alpha):
    number = connect_number(alpha)
    customer_writes(alpha, number, "My card number is 4111", name="Alice Customer")
    with schema_context(alpha.tenant.schema_name):
        conversation = Conversation.objects.get()
    client = alpha.client(alpha.owner)

    assert client.post(f"/api/conversations/{conversation.pk}/read/").status_code in (200, 204)
    assert client.patch(f"/api/conversations/{conversation.pk}/", {"assignee_id": alpha.owner.pk, "status":
                                                                     "resolved"}, format="json").status_code == 200
    assert client.post(f"/api/conversations/{conversation.pk}/notes/", {"body": "VIP"},
                       format="json").status_code == 201
    assert client.post(f"/api/conversations/{conversation.pk}/messages/", {"type": "text", "text": {"body": "Hi"}},
                       format="json").status_code == 202

    assert events(alpha, "inbox.", "canned_reply.", "conversation", "message", "note") == []
    everything = events(alpha, "")
    assert "Alice" not in json.dumps([[e.target_label, e.changes, e.detail] for e in everything])
    assert "4111" not in json.dumps([[e.target_label, e.changes, e.detail] for e in everything])


def test_another_business_never_sees_these_events(alpha, beta):
    alpha.client(alpha.owner).post("/api/canned-replies/", REPLY, format="json")
    alpha.client(alpha.owner).patch("/api/inbox/settings/", {"welcome_enabled": True}, format="json")

    assert events(beta) == []
    for area in ("canned_reply", "inbox"):
        seen_by_beta = beta.client(beta.owner).get("/api/audit/events/", {"action": area})
        assert seen_by_beta.status_code == 200 and seen_by_beta.json()["results"] == []
    seen_by_alpha = alpha.client(alpha.owner).get("/api/audit/events/").json()["results"]
    assert {"canned_reply.created", "inbox.settings_changed"} <= {e["action"] for e in seen_by_alpha}
