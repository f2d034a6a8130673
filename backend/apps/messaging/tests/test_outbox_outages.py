"""The outbox survives a Redis/broker outage after commit, sweeps what was never enqueued, and the reconciler
re-sends a message at most once before asking a person."""
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context

from apps.messaging.models import Message, MessageEvent
from apps.messaging.outbox import message_send_to, message_status_apply, messages_reconcile
from apps.messaging.tests.inbox_helpers import connect_number, customer_writes
from apps.webhooks.tests.outage import redis_down

TEXT = {"type": "text", "text": {"body": "On its way"}}


@pytest.fixture
def thread(alpha):
    """alpha's number and a customer who just wrote (the 24-hour window is open)."""
    number = connect_number(alpha)
    inbound = customer_writes(alpha, number)
    connection.set_schema_to_public()
    return number, inbound.contact


def _queue(alpha, thread) -> Message:
    number, contact = thread
    with schema_context(alpha.tenant.schema_name):
        return message_send_to(actor=None, number=number, contact=contact, message=TEXT)


def _age(message: Message, seconds: int) -> None:
    MessageEvent.objects.filter(message=message).update(created_at=timezone.now() - timedelta(seconds=seconds))


def test_a_send_queued_while_redis_is_down_is_committed_and_no_error_escapes(
        alpha, thread, django_capture_on_commit_callbacks):
    with redis_down(), django_capture_on_commit_callbacks(execute=True) as callbacks:
        message = _queue(alpha, thread)

    assert len(callbacks) == 2  # the send task, then the live event: both failed, neither raised
    with schema_context(alpha.tenant.schema_name):
        assert Message.objects.get(pk=message.pk).status == "queued"


def test_the_send_is_enqueued_before_the_live_event_is_published(alpha, thread, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _queue(alpha, thread)

    assert [c.__qualname__ for c in callbacks] == ["enqueue_on_commit.<locals>.enqueue", "publish.<locals>.<lambda>"]


def test_a_queued_send_nobody_enqueued_is_swept_and_enqueued_once(
        alpha, thread, settings, django_capture_on_commit_callbacks):
    settings.MESSAGE_QUEUED_SWEEP_AFTER_SECONDS = 120
    with redis_down(), django_capture_on_commit_callbacks(execute=True):
        lost = _queue(alpha, thread)
    fresh = _queue(alpha, thread)
    with schema_context(alpha.tenant.schema_name):
        _age(lost, 600)

        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            messages_reconcile()
        with django_capture_on_commit_callbacks(execute=True) as again:
            messages_reconcile()  # the sweep itself counts as activity: not re-enqueued every cycle

        assert len(callbacks) == 1 and len(again) == 0
        assert MessageEvent.objects.filter(message=lost, detail__reason="swept").count() == 1
        assert not MessageEvent.objects.filter(message=fresh, detail__reason="swept").exists()


def _stuck_in_sending(message: Message, minutes: int = 120) -> None:
    Message.objects.filter(pk=message.pk).update(status="sending", claimed_at=timezone.now() - timedelta(
        minutes=minutes))


def test_the_reconciler_resends_at_most_once_then_asks_a_person(
        alpha, thread, settings, django_capture_on_commit_callbacks):
    settings.MESSAGE_RECONCILE_AFTER_SECONDS = 3600
    message = _queue(alpha, thread)
    client = alpha.client(alpha.owner)
    with schema_context(alpha.tenant.schema_name):
        _stuck_in_sending(message, minutes=30)  # within the window: Meta's status may still come
        with django_capture_on_commit_callbacks(execute=True) as early:
            messages_reconcile()
        assert Message.objects.get(pk=message.pk).status == "sending" and not early

        _stuck_in_sending(message)
        with django_capture_on_commit_callbacks(execute=True) as first:
            messages_reconcile()
        row = Message.objects.get(pk=message.pk)
        assert (row.status, row.reconcile_attempts, len(first)) == ("queued", 1, 1)

        _stuck_in_sending(message)  # the re-send was ambiguous too
        with django_capture_on_commit_callbacks(execute=True) as second:
            messages_reconcile()
            messages_reconcile()
        row = Message.objects.get(pk=message.pk)
        assert (row.status, row.reconcile_attempts) == ("unknown", 1)
        assert [c.__qualname__ for c in second] == ["publish.<locals>.<lambda>"]  # the inbox hears; no send

    shown = client.get(f"/api/messages/{message.pk}/")
    assert shown.status_code == 200 and shown.json()["status"] == "unknown"
    connection.set_schema_to_public()
    with schema_context(alpha.tenant.schema_name):
        # Meta's late status settles it after all.
        settled = message_status_apply(status="delivered", wamid="wamid.late", callback_data=str(message.pk))
        assert settled.status == "delivered"


def test_the_reconciler_never_touches_another_business(alpha, beta, thread):
    message = _queue(alpha, thread)
    with schema_context(alpha.tenant.schema_name):
        _stuck_in_sending(message)
    with schema_context(beta.tenant.schema_name):
        assert messages_reconcile() == 0
    with schema_context(alpha.tenant.schema_name):
        assert Message.objects.get(pk=message.pk).status == "sending"
