"""Webhook intake never loses Meta's data: body size, odd signatures, outages, leases and back-off, dead events,
edge validation, and retention of raw bodies."""
import hashlib
import hmac
import json
import logging
import re
from datetime import timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context
from rest_framework.test import APIClient

from apps.contacts.models import Contact
from apps.messaging.models import Message, PendingStatus
from apps.webhooks.tests.outage import redis_down
from apps.webhooks.tests.support import (
    CONFORMANCE,
    NUMBER_A,
    NUMBER_B,
    SECRET,
    WABA_A,
    WABA_B,
    connect,
    envelope,
    route_all,
    use_secret,
    with_number,
)
from apps.whatsapp.webhook_events import PARSERS, parse_change
from tenants.ingress import registry
from tenants.ingress.models import WebhookChange, WebhookEvent
from tenants.ingress.replay import webhook_changes_replay
from tenants.ingress.retention import webhook_retention_run
from tenants.ingress.router import webhook_event_route
from tenants.ingress.tasks import webhook_events_sweep


@pytest.fixture(autouse=True)
def _secrets(settings):
    use_secret(settings)
    settings.WHATSAPP_VERIFY_TOKEN = "verify-me"


def _signed_post(body: bytes, signature: str | None = None):
    signature = signature or "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    return APIClient(HTTP_HOST="localhost").post("/webhooks/whatsapp", body, content_type="application/json",
                                                 HTTP_X_HUB_SIGNATURE_256=signature)


def _statuses(number_id: str, waba_id: str, statuses: list[dict]) -> dict:
    return envelope(waba_id, ("messages", with_number({"messaging_product": "whatsapp", "statuses": statuses},
                                                      number_id)))


def _inbound(wamid: str, *, wa_id: str = "16505550101", text: str = "Hello", **extra) -> dict:
    return {"from": wa_id, "id": wamid, "timestamp": "1767225600", "type": "text", "text": {"body": text}, **extra}


def _messages(number_id: str, waba_id: str, messages: list, contacts: list | None = None, **value) -> dict:
    return envelope(waba_id, ("messages", with_number({"messaging_product": "whatsapp", "contacts": contacts or [],
                                                       "messages": messages, **value}, number_id)))


# --- M4: Meta's bodies up to 3 MB; the rest of the site stays at 2.5 MB ------------------------------------

def test_a_signed_2_9_mb_batch_is_stored_and_routed(alpha):
    connect(alpha, NUMBER_A, WABA_A)
    details = "x" * 4700
    statuses = [{"id": f"wamid.BIG{i}", "status": "failed", "timestamp": "1767225600", "recipient_id": "16505550101",
                 "errors": [{"code": 131026, "title": "Undeliverable", "error_data": {"details": details}}]}
                for i in range(600)]
    body = json.dumps(_statuses(NUMBER_A, WABA_A, statuses)).encode()
    assert 2_700_000 < len(body) < 3_000_000

    response = _signed_post(body)
    route_all()

    assert response.status_code == 200, response.content[:300]
    event = WebhookEvent.objects.get()
    assert event.status == "processed" and event.changes.get().status == "handled"
    with schema_context(alpha.tenant.schema_name):
        assert PendingStatus.objects.count() == 600


def test_a_webhook_body_over_its_own_cap_is_413_in_the_envelope_and_not_stored(db, settings):
    settings.WEBHOOK_MAX_BODY_BYTES = 1000

    response = _signed_post(json.dumps({"object": "whatsapp_business_account", "pad": "x" * 2000}).encode())

    assert response.status_code == 413
    assert response.json()["code"] == "request_too_large"
    assert not WebhookEvent.objects.exists()


def test_other_endpoints_still_refuse_bodies_over_2_5_mb_with_a_413_and_no_error_log(alpha, caplog):
    body = json.dumps({"email": "owner@alpha.example", "password": "x" * 3_000_000})

    with caplog.at_level(logging.INFO):
        response = alpha.client().post("/api/auth/login/", body, content_type="application/json")

    assert response.status_code == 413, response.content[:300]
    assert response.json()["code"] == "request_too_large"
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


# --- L2: odd signatures and verify tokens are refusals, not crashes ---------------------------------------

@pytest.mark.parametrize("signature", ["sha256=é", "sha256=" + "zz" * 32, "sha256=" + "é" * 64,
                                       "sha256=" + "a" * 63, "sha256=" + "A" * 64 + " "])
def test_a_non_hex_or_non_ascii_signature_is_401(db, signature):
    response = _signed_post(b'{"entry":[]}', signature)

    assert response.status_code == 401
    assert response.json()["code"] == "invalid_signature"


def test_an_upper_case_hex_signature_is_accepted(db):
    body = b'{"object":"whatsapp_business_account","entry":[]}'
    signature = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest().upper()

    assert _signed_post(body, signature).status_code == 200


def test_a_non_ascii_verify_token_is_403(db):
    response = APIClient(HTTP_HOST="localhost").get("/webhooks/whatsapp", {
        "hub.mode": "subscribe", "hub.verify_token": "é", "hub.challenge": "1"})

    assert response.status_code == 403
    assert response.json()["code"] == "verification_failed"


# --- L3: deeply nested JSON is dead at once, with a reason ------------------------------------------------

def test_deeply_nested_json_is_dead_at_once_with_a_reason_and_never_swept(db):
    body = b'{"object":"whatsapp_business_account","entry":' + b"[" * 200_000 + b"]" * 200_000 + b"}"
    assert _signed_post(body).status_code == 200
    event = WebhookEvent.objects.get()

    webhook_event_route(event.pk)
    WebhookEvent.objects.filter(pk=event.pk).update(received_at=timezone.now() - timedelta(hours=1))

    event.refresh_from_db()
    assert (event.status, event.attempts) == ("dead", 1)
    assert "nest" in event.error
    assert webhook_events_sweep() == 0


# --- M5: a Redis outage after commit never answers 500 for a stored event, nor fails a handled change --------

def test_meta_gets_200_for_a_stored_event_while_redis_is_down(db, django_capture_on_commit_callbacks):
    body = json.dumps(_statuses(NUMBER_A, WABA_A, [])).encode()

    with redis_down(), django_capture_on_commit_callbacks(execute=True):
        response = _signed_post(body)

    assert response.status_code == 200
    event = WebhookEvent.objects.get()
    assert (event.status, event.lease_until) == ("received", None)  # no task holds it: the next sweep takes it


def test_a_change_whose_live_event_could_not_be_published_is_handled_not_failed(
        alpha, django_capture_on_commit_callbacks):
    connect(alpha, NUMBER_A, WABA_A)
    now = str(int(timezone.now().timestamp()))  # the window is open: the opt-out confirmation may go
    _signed_post(json.dumps(_messages(NUMBER_A, WABA_A, [{**_inbound("wamid.OUT1", text="STOP"),
                                                          "timestamp": now}])).encode())

    with redis_down(), django_capture_on_commit_callbacks(execute=True):
        route_all()

    assert WebhookChange.objects.get().status == "handled"
    with schema_context(alpha.tenant.schema_name):
        reply = Message.objects.get(direction="out")
        assert (reply.automation, reply.status) == ("opt_out", "queued")  # the outbox sweeper sends it later


# --- M7: leases, back-off, dead events --------------------------------------------------------------------

def _backlog(count: int) -> list[int]:
    for i in range(count):
        _signed_post(json.dumps(_statuses(NUMBER_A, WABA_A, [{"id": f"wamid.L{i}", "status": "sent"}])).encode())
    # Stored a while ago; a router claimed them and died: the lease it took has run out.
    WebhookEvent.objects.update(received_at=timezone.now() - timedelta(minutes=5),
                                lease_until=timezone.now() - timedelta(seconds=1))
    return list(WebhookEvent.objects.values_list("pk", flat=True))


def test_two_sweeps_route_a_backlog_once(alpha):
    connect(alpha, NUMBER_A, WABA_A)
    _backlog(3)

    assert webhook_events_sweep() == 3
    assert webhook_events_sweep() == 0

    assert set(WebhookEvent.objects.values_list("status", "attempts")) == {("processed", 1)}
    assert WebhookChange.objects.filter(status="handled").count() == 3


def test_an_event_held_by_a_router_is_left_alone(db):
    _signed_post(json.dumps(_statuses(NUMBER_A, WABA_A, [])).encode())
    WebhookEvent.objects.update(lease_until=timezone.now() + timedelta(seconds=30))  # a router is routing it

    assert webhook_events_sweep() == 0


def _handler_fails(monkeypatch):
    def explode(value, **_):
        raise RuntimeError("the database hiccuped")
    monkeypatch.setitem(registry._HANDLERS, "messages", explode)


def test_failed_events_back_off_exponentially(alpha, monkeypatch, settings):
    settings.WEBHOOK_RETRY_BASE_SECONDS = 60
    connect(alpha, NUMBER_A, WABA_A)
    (event_id,) = _backlog(1)
    _handler_fails(monkeypatch)

    waits = []
    for _ in range(3):
        started = timezone.now()
        webhook_event_route(event_id)
        event = WebhookEvent.objects.get(pk=event_id)
        waits.append(round((event.lease_until - started).total_seconds()))
        assert event.status == "failed" and "hiccuped" in event.error
        assert webhook_events_sweep() == 0  # backing off
    assert waits == [60, 120, 240]


def test_an_event_out_of_attempts_is_dead_logged_once_and_listed_for_staff(
        alpha, monkeypatch, settings, caplog, public_client):
    from tenants.models import User
    from tenants.staff_auth import platform_token_for

    settings.WEBHOOK_MAX_ATTEMPTS = 3
    connect(alpha, NUMBER_A, WABA_A)
    (event_id,) = _backlog(1)
    _handler_fails(monkeypatch)

    with caplog.at_level(logging.INFO):
        for _ in range(5):
            WebhookEvent.objects.filter(pk=event_id).update(lease_until=timezone.now() - timedelta(seconds=1))
            webhook_events_sweep()
            webhook_event_route(event_id)

    event = WebhookEvent.objects.get(pk=event_id)
    assert (event.status, event.attempts) == ("dead", 3)
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1 and f"webhook event {event_id}" in errors[0].getMessage()

    staff = User.objects.create_user(email="ops@convonest.example", password="x-long-password-1", is_staff=True)
    listed = public_client.get("/api/platform/webhook-events/", {"status": "dead"},
                               HTTP_AUTHORIZATION=f"Bearer {platform_token_for(staff)}")
    assert listed.status_code == 200, listed.content
    (row,) = listed.json()["results"]
    assert (row["id"], row["status"], row["attempts"]) == (event_id, "dead", 3)
    assert "hiccuped" in row["error"] and "wamid" not in listed.content.decode()


# --- Edge validation: what Meta never sends is rejected item by item --------------------------------------

def test_a_from_that_is_not_a_whatsapp_id_is_rejected_and_the_rest_of_the_change_is_handled(alpha, caplog):
    connect(alpha, NUMBER_A, WABA_A)
    with schema_context(alpha.tenant.schema_name):
        outbound = Message.objects.create(phone_number=alpha_number(alpha), to="16505550101", type="text",
                                          payload={}, status="sent", wamid="wamid.MIX")
        Contact.objects.create(phone="+16505550101", wa_id="16505550101", name="Alice")
    payload = _messages(NUMBER_A, WABA_A, [_inbound("wamid.BAD", wa_id="1" * 28), _inbound("wamid.GOOD")],
                        contacts=[{"profile": {"name": "Alice"}, "wa_id": "16505550101"}],
                        statuses=[{"id": "wamid.MIX", "status": "delivered", "timestamp": "1767225600"}])

    with caplog.at_level(logging.WARNING):
        _signed_post(json.dumps(payload).encode())
        route_all()

    change = WebhookChange.objects.get()
    assert change.status == "handled"
    assert "messages[0].from" in change.error
    assert any("messages[0].from" in r.getMessage() for r in caplog.records)
    with schema_context(alpha.tenant.schema_name):
        assert list(Message.objects.filter(direction="in").values_list("wamid", flat=True)) == ["wamid.GOOD"]
        assert Message.objects.get(pk=outbound.pk).status == "delivered"
        assert Contact.objects.get().wa_id == "16505550101"


def alpha_number(alpha):
    from apps.whatsapp.models import PhoneNumber

    return PhoneNumber.objects.get(phone_number_id=NUMBER_A)


@pytest.mark.parametrize("bad, where", [
    ({"text": {"body": "nul \x00 inside"}}, "messages[0]"),
    ({"id": 12345}, "messages[0].id"),
    ({"timestamp": {"when": "now"}}, "messages[0].timestamp"),
    ({"from": "+16505550101"}, "messages[0].from"),
])
def test_nul_bytes_and_wrong_types_in_one_message_reject_only_that_message(alpha, bad, where):
    connect(alpha, NUMBER_A, WABA_A)
    payload = _messages(NUMBER_A, WABA_A, [{**_inbound("wamid.X1"), **bad}, _inbound("wamid.X2")])

    _signed_post(json.dumps(payload).encode())
    route_all()

    change = WebhookChange.objects.get()
    assert change.status == "handled" and where in change.error
    with schema_context(alpha.tenant.schema_name):
        assert list(Message.objects.values_list("wamid", flat=True)) == ["wamid.X2"]


def test_a_routing_id_that_is_not_metas_rejects_that_change_only(alpha):
    connect(alpha, NUMBER_A, WABA_A)
    bad = with_number({"messaging_product": "whatsapp", "messages": [_inbound("wamid.R1")]}, "9" * 40)
    payload = envelope(WABA_A, ("messages", bad), ("messages", with_number(
        {"messaging_product": "whatsapp", "messages": [_inbound("wamid.R2")]}, NUMBER_A)))

    _signed_post(json.dumps(payload).encode())
    route_all()

    assert list(WebhookChange.objects.order_by("position").values_list("status", flat=True)) == [
        "rejected", "handled"]
    assert WebhookEvent.objects.get().status == "processed"
    with schema_context(alpha.tenant.schema_name):
        assert list(Message.objects.values_list("wamid", flat=True)) == ["wamid.R2"]


def test_a_nul_byte_outside_the_items_rejects_the_change(alpha):
    connect(alpha, NUMBER_A, WABA_A)
    payload = envelope(WABA_A, ("message_template_status_update", {"event": "APPROVED\x00",
                                                                   "message_template_id": 1}))

    _signed_post(json.dumps(payload).encode())
    route_all()

    change = WebhookChange.objects.get()
    assert change.status == "rejected" and "NUL" in change.error


def test_every_conformance_payload_passes_the_edge_untouched():
    # Meta's examples name some ids by placeholder ("<WHATSAPP_USER_PHONE_NUMBER>"): those become real-looking ids.
    for path in sorted(CONFORMANCE.glob("*.json")):
        text = re.sub(r'"<[A-Z_]+>"', '"16505551234"', path.read_text())
        for case, payload in json.loads(text).items():
            for entry in payload["entry"]:
                for change in entry["changes"]:
                    if change["field"] not in PARSERS:
                        continue  # no handler yet: stored raw, never parsed
                    parsed = parse_change(change["field"], change["value"])
                    assert parsed.problems == (), (path.stem, case, parsed.problems)
                    items = sum(len(change["value"].get(name, [])) for name in (
                        "messages", "statuses", "calls", "user_preferences")) or 1
                    assert len(parsed.events) == items, (path.stem, case)  # nothing dropped


# --- Retention: raw bodies are redacted after processing; the hash still deduplicates -------------------------

def _processed_event(alpha, wamid: str) -> WebhookEvent:
    _signed_post(json.dumps(_messages(NUMBER_A, WABA_A, [_inbound(wamid)])).encode())
    route_all()
    return WebhookEvent.objects.get(changes__status="handled", body__contains=wamid)


def test_processed_bodies_are_redacted_after_the_retention_and_a_redelivery_is_a_no_op(alpha, settings, caplog):
    settings.WEBHOOK_BODY_RETENTION_HOURS = 72
    connect(alpha, NUMBER_A, WABA_A)
    old = _processed_event(alpha, "wamid.OLD")
    recent = _processed_event(alpha, "wamid.NEW")
    WebhookEvent.objects.filter(pk=old.pk).update(processed_at=timezone.now() - timedelta(hours=73))
    body = old.body.encode()

    webhook_retention_run()

    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.body, old.sha256) == ("{}", hashlib.sha256(body).hexdigest()) and old.redacted_at is not None
    assert "wamid.NEW" in recent.body and recent.redacted_at is None
    caplog.clear()  # the retention run logs "redacted" too
    with caplog.at_level(logging.INFO):
        assert _signed_post(body).status_code == 200  # Meta redelivers the same bytes
    assert WebhookEvent.objects.count() == 2
    assert [r.getMessage() for r in caplog.records if "redelivery" in r.getMessage()] == [
        f"webhook redelivery of event {old.pk} ignored (its body was redacted after processing)"]
    assert webhook_changes_replay(event_ids=[old.pk]) == 0


def test_retention_zero_redacts_right_after_processing_but_keeps_unroutable_bodies_for_replay(alpha, settings):
    settings.WEBHOOK_BODY_RETENTION_HOURS = 0
    connect(alpha, NUMBER_A, WABA_A)
    handled = _processed_event(alpha, "wamid.H1")
    _signed_post(json.dumps(_messages(NUMBER_B, WABA_B, [_inbound("wamid.U1")])).encode())
    route_all()
    unroutable = WebhookEvent.objects.exclude(pk=handled.pk).get()

    webhook_retention_run()

    assert WebhookEvent.objects.get(pk=handled.pk).redacted_at is not None
    assert "wamid.U1" in WebhookEvent.objects.get(pk=unroutable.pk).body


def test_replaying_a_redacted_event_is_a_no_op_that_says_so(alpha, settings, caplog):
    settings.WEBHOOK_BODY_RETENTION_HOURS = 0
    _signed_post(json.dumps(_messages(NUMBER_A, WABA_A, [_inbound("wamid.GONE")])).encode())
    route_all()  # nobody owns the number yet: unroutable
    event = WebhookEvent.objects.get()
    WebhookEvent.objects.filter(pk=event.pk).update(body="{}", redacted_at=timezone.now())  # redacted by hand
    connect(alpha, NUMBER_A, WABA_A)

    with caplog.at_level(logging.WARNING):
        assert webhook_changes_replay() == 0

    assert any("redacted" in r.getMessage() for r in caplog.records)
    assert WebhookChange.objects.get().status == "unroutable"


# --- BSUIDs up to Meta's 256 characters ------------------------------------------------------------------

def test_a_200_character_bsuid_is_stored_and_one_over_256_is_rejected(alpha):
    connect(alpha, NUMBER_A, WABA_A)
    long_id, too_long = "US." + "7" * 197, "US." + "8" * 254
    messages = [{**_inbound("wamid.BSUID"), "from": "", "from_user_id": long_id},
                {**_inbound("wamid.TOO_LONG"), "from": "", "from_user_id": too_long}]
    contacts = [{"profile": {"name": "Bea"}, "user_id": long_id}]

    _signed_post(json.dumps(_messages(NUMBER_A, WABA_A, messages, contacts=contacts)).encode())
    route_all()

    assert "messages[1].from_user_id" in WebhookChange.objects.get().error
    with schema_context(alpha.tenant.schema_name):
        contact = Contact.objects.get(wa_user_id=long_id)
        assert len(contact.wa_user_id) == 200 and contact.name == "Bea"
        assert list(Message.objects.filter(direction="in").values_list("wamid", "contact")) == [
            ("wamid.BSUID", contact.pk)]
