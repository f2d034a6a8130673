"""Statuses applied a change at a time: a fixed number of statements whatever the change's size, the same end state
as one by one (in any order, with duplicates, failures, unknown messages and callback-only matches), parallel
workers without deadlocks, and nothing crossing from one business to another."""
import json
import random
import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context

from apps.core.redis import redis_client
from apps.developer.events import subscriptions as webhook_subscriptions
from apps.messaging import live
from apps.messaging.models import Message, MessageEvent, PendingStatus
from apps.messaging.statuses import StatusIn, pending_apply, statuses_apply
from apps.messaging.tests.inbox_helpers import connect_number, customer_writes
from tenants.billing.models import UsageCounter

FIELDS = ("status", "wamid", "sent_at", "delivered_at", "read_at", "failed_at", "error_code", "error_title",
          "error_details", "pricing_category", "pricing_type", "billable")


def _messages(business, n: int, *, with_wamid: bool = True, first: int = 0) -> list[Message]:
    number = connect_number(business)
    with schema_context(business.tenant.schema_name):
        from apps.whatsapp.models import PhoneNumber

        number = PhoneNumber.objects.get(phone_number_id=number.phone_number_id)
        return Message.objects.bulk_create([
            Message(phone_number=number, to=f"1650555{i:04d}", type="template", payload={}, status="sending",
                    wamid=f"wamid.batch.{i}" if with_wamid else None) for i in range(first, first + n)])


def _statuses(messages, rng: random.Random, *, answer_lost=()) -> list[StatusIn]:
    """Meta's statuses for `messages` (sent, delivered, some read, some failed, redeliveries), shuffled, plus one for
    a message nobody knows. `answer_lost`: messages whose send's answer never came (no wamid here): their statuses
    carry the wamid Meta gave and our id, and a few only the wamid."""
    now = timezone.now().replace(microsecond=0)
    pricing = {"category": "marketing", "billable": True, "type": "regular"}
    updates = []
    for i, m in enumerate(messages):
        updates += [StatusIn("sent", m.wamid, str(m.pk), now, None, pricing),
                    StatusIn("delivered", m.wamid, str(m.pk), now, None, pricing)]
        if i % 3 == 0:
            updates.append(StatusIn("read", m.wamid, None, now))
        if i % 7 == 0:
            updates.append(StatusIn("failed", m.wamid, None, now, {"code": 131049, "title": "Not delivered"}))
        if i % 5 == 0:
            updates.append(StatusIn("delivered", m.wamid, None, now))  # a redelivery
        if i % 4 == 0:
            updates.append(StatusIn("sent", m.wamid, "campaign:7", now))  # someone else's callback data: ignored
    for i, m in enumerate(answer_lost):
        wamid = f"wamid.lost.{i}"
        updates += [StatusIn("sent", wamid, str(m.pk), now + timedelta(seconds=1), None, pricing),
                    StatusIn("read", wamid, str(m.pk), now + timedelta(seconds=2), None, pricing),
                    StatusIn("delivered", wamid, None, now)]  # found only once its wamid is known, else held
        if i % 2:
            updates.append(StatusIn("failed", wamid, str(m.pk), now, {"code": 131026, "title": "Undeliverable",
                                                                      "error_data": {"details": "x"}}))
    updates.append(StatusIn("delivered", "wamid.nobody-knows", None, now))
    rng.shuffle(updates)
    return updates


def _state(business) -> dict:
    """Every message's columns and its history (status and detail of each event, in order)."""
    with schema_context(business.tenant.schema_name):
        events = {}
        for message_id, status, detail in MessageEvent.objects.order_by("id").values_list("message_id", "status",
                                                                                           "detail"):
            events.setdefault(message_id, []).append((status, detail))
        return {m["id"]: (tuple(m[f] for f in FIELDS), events.get(m["id"], []))
                for m in Message.objects.values("id", *FIELDS)}


def _held(business) -> list:
    with schema_context(business.tenant.schema_name):
        return sorted(PendingStatus.objects.values_list("wamid", "status"))


def _metered(business) -> dict:
    return dict(UsageCounter.objects.filter(tenant=business.tenant).values_list("metric", "value"))


def _reset(business, messages, lost) -> None:
    with schema_context(business.tenant.schema_name):
        Message.objects.filter(pk__in=[m.pk for m in messages]).update(
            status="sending", sent_at=None, delivered_at=None, read_at=None, failed_at=None, error_code=None,
            error_title="", error_details="", pricing_category="", pricing_type="", billable=None)
        Message.objects.filter(pk__in=[m.pk for m in lost]).update(
            wamid=None, status="sending", sent_at=None, delivered_at=None, read_at=None, failed_at=None,
            error_code=None, error_title="", error_details="", pricing_category="", pricing_type="", billable=None)
        PendingStatus.objects.all().delete()
        MessageEvent.objects.all().delete()
    UsageCounter.objects.filter(tenant=business.tenant).delete()


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_a_batch_ends_exactly_as_applying_its_statuses_one_by_one(alpha, seed):
    messages = _messages(alpha, 30)
    lost = _messages(alpha, 6, with_wamid=False, first=100)
    updates = _statuses(messages, random.Random(seed), answer_lost=lost)
    with schema_context(alpha.tenant.schema_name):
        for update in updates:
            statuses_apply([update])
    one_by_one = (_state(alpha), _held(alpha), _metered(alpha))
    _reset(alpha, messages, lost)

    with schema_context(alpha.tenant.schema_name):
        found = statuses_apply(updates)

    assert (_state(alpha), _held(alpha), _metered(alpha)) == one_by_one
    assert one_by_one[2] == {"messages:out:marketing:billable": 36}  # each priced message metered once
    assert found.count(None) == len(one_by_one[1]) >= 1  # the unknown wamid (and maybe early ones) wait


def test_a_change_takes_the_same_few_statements_for_ten_statuses_as_for_a_hundred(alpha,
                                                                                  django_assert_max_num_queries):
    messages = _messages(alpha, 100)
    now = timezone.now()
    small = [StatusIn("delivered", m.wamid, None, now) for m in messages[:10]]
    large = [StatusIn("read", m.wamid, None, now) for m in messages]
    with schema_context(alpha.tenant.schema_name):
        Message.objects.exists()  # the schema switch happens on the first query: out of the counts below
        webhook_subscriptions()  # outbound webhooks' lookup, cached for a minute (apps.developer.events): warm
        with django_assert_max_num_queries(8) as few:
            statuses_apply(small)
        with django_assert_max_num_queries(8) as many:
            statuses_apply(large)
    assert len(many.captured_queries) == len(few.captured_queries)


def test_a_send_whose_answer_was_lost_is_found_by_our_id_and_learns_its_wamid(alpha):
    (message,) = _messages(alpha, 1, with_wamid=False)
    with schema_context(alpha.tenant.schema_name):
        statuses_apply([StatusIn("delivered", "wamid.late", str(message.pk), timezone.now())])
        message.refresh_from_db()
    assert (message.wamid, message.status) == ("wamid.late", "delivered")
    assert message.sent_at is not None


def test_statuses_that_beat_their_message_are_applied_when_it_is_known(alpha):
    (message,) = _messages(alpha, 1, with_wamid=False)
    with schema_context(alpha.tenant.schema_name):
        statuses_apply([StatusIn("read", "wamid.early", None, timezone.now())])
        assert PendingStatus.objects.filter(wamid="wamid.early").exists()
        Message.objects.filter(pk=message.pk).update(wamid="wamid.early", status="sent")
        pending_apply(["wamid.early"])
        message.refresh_from_db()
        assert message.status == "read" and not PendingStatus.objects.exists()


def test_meta_s_pricing_is_metered_once_per_message_however_often_it_arrives(alpha):
    messages = _messages(alpha, 3)
    pricing = {"category": "marketing", "billable": True, "type": "regular"}
    with schema_context(alpha.tenant.schema_name):
        statuses_apply([StatusIn(s, m.wamid, None, timezone.now(), None, pricing)
                        for m in messages for s in ("sent", "delivered", "read")])
        statuses_apply([StatusIn("read", m.wamid, None, timezone.now(), None, pricing) for m in messages])
    counted = UsageCounter.objects.get(tenant=alpha.tenant, metric="messages:out:marketing:billable")
    assert counted.value == 3


def test_a_status_naming_another_business_s_message_changes_nothing_there(alpha, beta):
    (message,) = _messages(alpha, 1)
    with schema_context(beta.tenant.schema_name):
        found = statuses_apply([StatusIn("failed", message.wamid, str(message.pk), timezone.now(),
                                         {"code": 131026, "title": "x"})])
    assert found == [None]
    with schema_context(alpha.tenant.schema_name):
        message.refresh_from_db()
        assert message.status == "sending" and not MessageEvent.objects.filter(message=message).exists()


def test_each_message_a_change_moves_announces_one_live_event_after_commit(alpha, django_capture_on_commit_callbacks):
    number = connect_number(alpha)
    thread = customer_writes(alpha, number).conversation_id
    messages = _messages(alpha, 5)
    with schema_context(alpha.tenant.schema_name):
        Message.objects.filter(pk__in=[m.pk for m in messages[:4]]).update(conversation_id=thread)
        stream = live.stream_key(connection.schema_name)
        before = live.latest_id(alpha.tenant.schema_name)
        now = timezone.now()
        with django_capture_on_commit_callbacks(execute=True):
            statuses_apply([StatusIn(s, m.wamid, None, now) for m in messages for s in ("delivered", "read")]
                           + [StatusIn("sent", messages[0].wamid, None, now)])  # older: nothing moves twice
    published = [json.loads(fields[b"data"]) for _, fields in redis_client().xrange(stream, min=f"({before}")]
    # The fifth message has no thread: nobody's inbox shows it.
    assert sorted(e["message_id"] for e in published) == sorted(str(m.pk) for m in messages[:4])
    assert {(e["kind"], e["conversation_id"]) for e in published} == {("status", thread)}


def test_two_workers_applying_overlapping_changes_at_once_finish_without_a_deadlock(committed_business):
    messages = _messages(committed_business, 200)
    now = timezone.now()
    changes = [[StatusIn(s, m.wamid, None, now) for m in sorted(messages, key=lambda _: rng.random())]
               for s, rng in (("delivered", random.Random(1)), ("read", random.Random(2)))]
    errors = []

    def work(change) -> None:
        try:
            with schema_context(committed_business.tenant.schema_name):
                for _ in range(5):
                    statuses_apply(change)
        except Exception as exc:  # a deadlock would surface here
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(change,)) for change in changes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    assert {_state(committed_business)[m.pk][0][0] for m in messages} == {"read"}
