"""Routers claim stored events in batches (tenants.ingress.claim): each event by one router, in order per number,
a router's crash leaves the rest for the next claim, and the endpoint wakes a router without one task per event."""
import json
import threading
import uuid
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone
from django_tenants.utils import schema_context

from apps.messaging.models import PendingStatus
from apps.webhooks.tests.outage import redis_down
from apps.webhooks.tests.support import (
    DISPLAY_B,
    NUMBER_A,
    NUMBER_B,
    WABA_A,
    WABA_B,
    connect,
    envelope,
    post,
    use_secret,
    with_number,
)
from tenants.ingress import registry
from tenants.ingress.claim import PIN_PLAN, claim_statement, order_key_of, webhook_events_claim
from tenants.ingress.models import WebhookChange, WebhookEvent
from tenants.ingress.router import webhook_events_route_due
from tenants.ingress.tasks import webhook_events_sweep
from tenants.ingress.wake import router_woken


@pytest.fixture(autouse=True)
def _secret(settings):
    use_secret(settings)


def _status(number_id: str, waba_id: str, wamid: str) -> dict:
    return envelope(waba_id, ("messages", with_number(
        {"messaging_product": "whatsapp", "statuses": [{"id": wamid, "status": "sent", "timestamp": "1767225600",
                                                       "recipient_id": "16505550101"}]}, number_id)))


def _events(*numbers: str) -> list[int]:
    """One stored status event per number given, in that order; their ids."""
    for i, number in enumerate(numbers):
        post(_status(number, WABA_A if number == NUMBER_A else WABA_B, f"wamid.C{i}"))
    return list(WebhookEvent.objects.order_by("pk").values_list("pk", flat=True))


def _ids(claimed) -> list[int]:
    return [c.event_id for c in claimed]


def _queue_length(settings) -> int:
    from apps.core.redis import redis_client

    return redis_client().llen(settings.WORKLOAD_QUEUES["routing"])


def test_the_order_key_is_the_first_phone_number_id_or_empty():
    assert order_key_of(json.dumps(_status(NUMBER_B, WABA_B, "wamid.K"))) == NUMBER_B
    assert order_key_of('{"entry":[{"id":"211000000000001","changes":[{"field":"message_template_status_update",'
                        '"value":{"event":"APPROVED"}}]}]}') == ""


def test_two_claims_never_take_the_same_event(db):
    first, second, third = _events(NUMBER_A, NUMBER_B, "111000000000003")

    assert _ids(webhook_events_claim(2)) == [first, second]
    assert _ids(webhook_events_claim(10)) == [third]
    assert webhook_events_claim(10) == []
    assert set(WebhookEvent.objects.values_list("attempts", flat=True)) == {1}


def test_a_numbers_later_events_wait_while_a_router_holds_an_earlier_one(alpha):
    connect(alpha, NUMBER_A, WABA_A)
    connect(alpha, NUMBER_B, WABA_B, DISPLAY_B)
    a1, b1, a2, b2 = _events(NUMBER_A, NUMBER_B, NUMBER_A, NUMBER_B)

    assert _ids(webhook_events_claim(1)) == [a1]  # one router holds number A
    assert _ids(webhook_events_claim(10)) == [b1, b2]  # another takes B's, in order; A's second waits
    assert webhook_events_claim(10) == []

    WebhookEvent.objects.filter(pk=a1).update(status="processed", lease_until=None)
    assert _ids(webhook_events_claim(10)) == [a2]


def test_a_claim_reads_the_backlog_once_not_once_per_event_it_takes(db):
    """A burst of 3,000 events waits (the statistics, taken before it, say nothing does), one number's second event
    held by another router: the claim finds the held events once. Looked up per candidate, they were read again
    and again (250 events/s after a 12,000-event burst in bench-webhook)."""
    WebhookEvent.objects.bulk_create([  # yesterday's, handled: the statistics say nothing waits
        WebhookEvent(body="{}", sha256=f"{i:064x}", order_key=NUMBER_A, status="processed") for i in range(5000)])
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {WebhookEvent._meta.db_table}")
    WebhookEvent.objects.bulk_create([  # then a burst
        WebhookEvent(body=json.dumps({"n": i}), sha256=f"{10_000 + i:064x}", order_key=key)
        for i, key in enumerate([NUMBER_B] * 5 + [NUMBER_A] * 3000)])
    WebhookEvent.objects.filter(pk=WebhookEvent.objects.filter(order_key=NUMBER_B).order_by("pk")[1].pk).update(
        lease_until=timezone.now() + timedelta(minutes=1))  # held: B's later events wait
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(PIN_PLAN)
        sql, params = claim_statement(100)
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql, params)
        plan = cursor.fetchone()[0]
        transaction.set_rollback(True)
    top = (plan if isinstance(plan, list) else json.loads(plan))[0]["Plan"]

    # ~2,600 buffers; the held events looked up per candidate read ~19,800 here
    assert top["Shared Hit Blocks"] + top["Shared Read Blocks"] < 8_000
    claimed = _ids(webhook_events_claim(100))
    b_ids = list(WebhookEvent.objects.filter(order_key=NUMBER_B).order_by("pk").values_list("pk", flat=True))
    assert claimed[:1] == b_ids[:1] and not set(b_ids[2:]) & set(claimed) and len(claimed) == 100


def _recording(monkeypatch, fail_on: str | None = None) -> list[list[str]]:
    """The `messages` handler replaced: each call's status ids (or message ids) recorded; raises when `fail_on`
    is among them."""
    calls = []

    def handler(value, **_):
        ids = [item["id"] for item in value.get("statuses", []) + value.get("messages", [])]
        calls.append(ids)
        if fail_on in ids:
            raise RuntimeError("the database hiccuped")
    monkeypatch.setitem(registry._HANDLERS, "messages", handler)
    return calls


def test_a_numbers_status_events_are_handled_together_in_order(alpha, monkeypatch):
    connect(alpha, NUMBER_A, WABA_A)
    connect(alpha, NUMBER_B, WABA_B, DISPLAY_B)
    _events(NUMBER_A, NUMBER_B, NUMBER_A, NUMBER_A)
    calls = _recording(monkeypatch)

    assert webhook_events_route_due() == 4

    assert sorted(calls) == [["wamid.C0", "wamid.C2", "wamid.C3"], ["wamid.C1"]]
    assert set(WebhookEvent.objects.values_list("status", flat=True)) == {"processed"}
    assert WebhookChange.objects.filter(status="handled").count() == 4


def _status_with_contact(wamid: str, contacts) -> dict:
    """A status as Meta sends it since 2026: the customer listed in `contacts` beside it (conformance payloads)."""
    body = _status(NUMBER_A, WABA_A, wamid)
    body["entry"][0]["changes"][0]["value"]["contacts"] = contacts
    return body


def test_statuses_listing_their_customers_as_meta_sends_them_are_handled_together(alpha, monkeypatch):
    connect(alpha, NUMBER_A, WABA_A)
    for i in range(3):
        post(_status_with_contact(f"wamid.P{i}", [{"profile": {"name": f"Customer {i}"}, "wa_id": "16505550101",
                                                   "user_id": f"US.{i}"}]))
    values = []
    monkeypatch.setitem(registry._HANDLERS, "messages", lambda value, **_: values.append(value))

    assert webhook_events_route_due() == 3

    assert len(values) == 1  # one change: the merged run
    assert [s["id"] for s in values[0]["statuses"]] == ["wamid.P0", "wamid.P1", "wamid.P2"]
    assert [c["user_id"] for c in values[0]["contacts"]] == ["US.0", "US.1", "US.2"]
    assert WebhookChange.objects.filter(status="handled").count() == 3


def test_a_status_event_whose_contacts_meta_would_never_send_goes_the_one_event_way(alpha, monkeypatch):
    connect(alpha, NUMBER_A, WABA_A)
    post(_status_with_contact("wamid.Q0", []))
    post(_status_with_contact("wamid.Q1", "not a list"))
    post(_status_with_contact("wamid.Q2", []))
    calls = _recording(monkeypatch)

    webhook_events_route_due()

    assert calls == [["wamid.Q0"], ["wamid.Q1"], ["wamid.Q2"]]  # the odd one out splits the run, order kept


def test_an_inbound_message_between_statuses_keeps_its_place(alpha, monkeypatch):
    connect(alpha, NUMBER_A, WABA_A)
    post(_status(NUMBER_A, WABA_A, "wamid.S1"))
    post(envelope(WABA_A, ("messages", with_number({"messaging_product": "whatsapp", "contacts": [], "messages": [
        {"from": "16505550101", "id": "wamid.M1", "timestamp": "1767225600", "type": "text",
         "text": {"body": "Hi"}}]}, NUMBER_A))))
    post(_status(NUMBER_A, WABA_A, "wamid.S2"))
    calls = _recording(monkeypatch)

    webhook_events_route_due()

    assert calls == [["wamid.S1"], ["wamid.M1"], ["wamid.S2"]]


def test_a_failed_event_stops_holding_its_number_while_it_backs_off(alpha, monkeypatch):
    connect(alpha, NUMBER_A, WABA_A)
    first, second = _events(NUMBER_A, NUMBER_A)
    calls = _recording(monkeypatch, fail_on="wamid.C0")

    assert webhook_events_route_due() == 2

    # Together first; that failed, so one event at a time: only the first fails.
    assert calls == [["wamid.C0", "wamid.C1"], ["wamid.C0"], ["wamid.C1"]]
    assert dict(WebhookEvent.objects.values_list("pk", "status")) == {first: "failed", second: "processed"}
    assert dict(WebhookChange.objects.values_list("event_id", "status")) == {first: "failed", second: "handled"}


def test_a_router_that_dies_mid_batch_leaves_the_rest_for_the_next_claim_and_handles_nothing_twice(alpha):
    connect(alpha, NUMBER_A, WABA_A)
    _events(NUMBER_A, NUMBER_A, NUMBER_A)
    from tenants.ingress.router import webhook_event_route

    claimed = webhook_events_claim(10)
    webhook_event_route(claimed[0].event_id)  # the router routed the first event, then died
    assert webhook_events_claim(10) == []  # the rest is still leased to it

    WebhookEvent.objects.update(lease_until=timezone.now() - timedelta(seconds=1))
    assert webhook_events_route_due() == 2

    assert set(WebhookEvent.objects.values_list("status", flat=True)) == {"processed"}
    assert WebhookChange.objects.filter(status="handled").count() == 3
    with schema_context(alpha.tenant.schema_name):
        assert PendingStatus.objects.count() == 3  # each status held once


def test_a_change_already_handled_by_an_overlapping_attempt_is_not_handled_again(alpha, monkeypatch):
    connect(alpha, NUMBER_A, WABA_A)
    (event_id,) = _events(NUMBER_A)
    calls = _recording(monkeypatch)
    webhook_events_route_due()

    # A second router whose lease overlapped, with its stale view of the change (pending), routes it again.
    WebhookChange.objects.update(status="pending")
    stale = WebhookChange.objects.get()
    WebhookChange.objects.update(status="handled")
    from tenants.ingress.router import _handle

    assert _handle(stale, {"field": "messages", "value": {"statuses": []}, "waba_id": WABA_A}) == ""
    assert len(calls) == 1
    assert WebhookEvent.objects.get(pk=event_id).status == "processed"


def test_a_burst_wakes_one_router_not_one_per_event(db, settings, django_capture_on_commit_callbacks):
    router_woken()
    before = _queue_length(settings)

    with django_capture_on_commit_callbacks(execute=True):
        for i in range(5):
            post(_status(NUMBER_A, WABA_A, f"wamid.W{i}"))
    assert _queue_length(settings) - before == 1

    router_woken()  # the router claims: the next insert wakes one again
    with django_capture_on_commit_callbacks(execute=True):
        post(_status(NUMBER_A, WABA_A, "wamid.W5"))
    assert _queue_length(settings) - before == 2


def test_with_redis_and_the_broker_down_events_are_stored_then_routed_by_the_next_run(
        alpha, django_capture_on_commit_callbacks):
    connect(alpha, NUMBER_A, WABA_A)
    router_woken()

    with redis_down(), django_capture_on_commit_callbacks(execute=True):
        for i in range(3):
            post(_status(NUMBER_A, WABA_A, f"wamid.D{i}"))  # 200 each: stored

    assert WebhookEvent.objects.filter(status="received", lease_until=None).count() == 3
    assert webhook_events_sweep() == 3  # beat's run, once Redis is back
    assert WebhookChange.objects.filter(status="handled").count() == 3


def _in_own_connection(work):
    """Run `work` in a thread: its own database connection, outside the test's transaction (its writes commit)."""
    from django.db import connection

    outcome = {}

    def run():
        connection.set_schema_to_public()
        try:
            outcome["value"] = work()
        except Exception as exc:  # handed to the test
            outcome["error"] = exc
        finally:
            connection.close()
    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


def _joined(thread, outcome):
    thread.join(30)
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("value")


def test_concurrent_routers_never_claim_the_same_event(db):
    """Two routers on their own connections, claiming a committed backlog at once: each event exactly once."""
    def store():
        return [WebhookEvent.objects.create(body="{}", sha256=uuid.uuid4().hex * 2, order_key=str(i)).pk
                for i in range(60)]

    def claim_until_empty():
        taken = []
        while batch := webhook_events_claim(7):
            taken.extend(_ids(batch))
        return taken

    stored = _joined(*_in_own_connection(store))
    try:
        routers = [_in_own_connection(claim_until_empty) for _ in range(2)]
        taken = [_joined(*router) for router in routers]
        assert sorted(taken[0] + taken[1]) == sorted(stored)
        assert not set(taken[0]) & set(taken[1])
    finally:
        _joined(*_in_own_connection(lambda: WebhookEvent.objects.filter(pk__in=stored).delete()))
