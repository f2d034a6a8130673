"""The live inbox stream (server-sent events over a per-business Redis stream)."""
import json

import pytest
from django_tenants.utils import schema_context

from apps.messaging.models import Conversation
from apps.messaging.services import message_status_apply
from apps.messaging.tests.inbox_helpers import connect_number, customer_writes
from tenants.models import Role


@pytest.fixture(autouse=True)
def _short_streams(settings):
    settings.INBOX_STREAM_SECONDS = 0.3


def _events(client, **headers) -> list[dict]:
    response = client.get("/api/inbox/events/", HTTP_ACCEPT="text/event-stream", **headers)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/event-stream"
    body = b"".join(response.streaming_content).decode()
    events = []
    for block in body.split("\n\n"):
        fields = dict(line.split(": ", 1) for line in block.splitlines() if ": " in line and not line.startswith(":"))
        if "event" in fields:
            events.append({"id": fields["id"], "event": fields["event"], **json.loads(fields["data"])})
    return events


def _writes(business, number, django_capture_on_commit_callbacks, **kwargs):
    with django_capture_on_commit_callbacks(execute=True):
        return customer_writes(business, number, **kwargs)


def test_a_customer_message_and_its_reply_status_reach_the_stream(alpha, django_capture_on_commit_callbacks):
    number = connect_number(alpha)
    client = alpha.client(alpha.owner)
    stored = _writes(alpha, number, django_capture_on_commit_callbacks)
    (event,) = _events(client, HTTP_LAST_EVENT_ID="0-0")
    assert event["event"] == "message" and event["message_id"] == str(stored.pk)
    assert event["conversation_id"] == stored.conversation_id

    with django_capture_on_commit_callbacks(execute=True):
        reply = client.post(f"/api/conversations/{stored.conversation_id}/messages/",
                            {"type": "text", "text": {"body": "On its way"}}, format="json").json()
    with schema_context(alpha.tenant.schema_name), django_capture_on_commit_callbacks(execute=True):
        message_status_apply(status="read", wamid="wamid.reply", callback_data=reply["id"])
    kinds = [(e["event"], e["message_id"]) for e in _events(client, HTTP_LAST_EVENT_ID=event["id"])]
    assert kinds == [("message", reply["id"]), ("status", reply["id"])]


def test_a_new_connection_starts_at_now_and_a_bad_last_event_id_is_ignored(alpha, django_capture_on_commit_callbacks):
    number = connect_number(alpha)
    _writes(alpha, number, django_capture_on_commit_callbacks)
    client = alpha.client(alpha.owner)
    assert _events(client) == []
    assert _events(client, HTTP_LAST_EVENT_ID="drop table") == []


def test_an_agent_hears_nothing_of_a_conversation_assigned_to_someone_else(alpha, django_capture_on_commit_callbacks):
    number = connect_number(alpha)
    agent = alpha.add_member("agent@alpha.example", Role.AGENT)
    other = alpha.add_member("other@alpha.example", Role.AGENT)
    stored = _writes(alpha, number, django_capture_on_commit_callbacks)
    with schema_context(alpha.tenant.schema_name):
        Conversation.objects.filter(pk=stored.conversation_id).update(assignee=other)
    _writes(alpha, number, django_capture_on_commit_callbacks, text="Still there?")
    heard = _events(alpha.client(agent), HTTP_LAST_EVENT_ID="0-0")
    assert [e["assignee_id"] for e in heard] == [None]  # only the event from before the assignment
    assert len(_events(alpha.client(other), HTTP_LAST_EVENT_ID="0-0")) == 2


def test_one_business_never_hears_anothers_events(alpha, beta, django_capture_on_commit_callbacks):
    number = connect_number(alpha)
    connect_number(beta, "120000000000002", "220000000000002")
    _writes(alpha, number, django_capture_on_commit_callbacks)
    assert _events(beta.client(beta.owner), HTTP_LAST_EVENT_ID="0-0") == []
    assert alpha.client().get("/api/inbox/events/", HTTP_ACCEPT="text/event-stream").status_code == 401


def test_a_quiet_stream_waits_longer_than_the_redis_clients_default_socket_timeout(alpha):
    from apps.messaging.live import read_after

    assert read_after(alpha.tenant.schema_name, "0-0", block_ms=5_500) == []  # redis-py would time out at 5 s
