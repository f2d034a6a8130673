"""Meta's shared webhook endpoint and the router: signatures, idempotency, routing to each business."""
import copy
import hashlib
import hmac
import json
from pathlib import Path

import pytest
from django.db import connection
from django_tenants.utils import schema_context
from rest_framework.test import APIClient

from apps.messaging.models import Message, PendingStatus
from apps.messaging.outbox import _mark_sent
from apps.webhooks.tests.support import connect
from apps.whatsapp.models import PhoneNumber
from tenants.ingress.models import WebhookChange, WebhookEvent
from tenants.ingress.replay import webhook_changes_replay
from tenants.ingress.router import webhook_event_route

SECRET = "test-app-secret"
CONFORMANCE = Path(__file__).resolve().parents[4] / "conformance" / "meta-webhooks"
NUMBER_A, WABA_A = "111000000000001", "211000000000001"
NUMBER_B, WABA_B = "111000000000002", "211000000000002"


@pytest.fixture(autouse=True)
def _secrets(settings):
    settings.WHATSAPP_APP_SECRET = SECRET
    settings.WHATSAPP_VERIFY_TOKEN = "verify-me"




def _post(body: bytes, signature: str | None = "valid"):
    headers = {}
    if signature == "valid":
        signature = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    if signature:
        headers["HTTP_X_HUB_SIGNATURE_256"] = signature
    return APIClient(HTTP_HOST="localhost").post("/webhooks/whatsapp", body, content_type="application/json",
                                                 **headers)


def _status_payload(number_id: str, waba_id: str, statuses: list[dict]) -> dict:
    value = {"messaging_product": "whatsapp", "statuses": statuses,
             "metadata": {"display_phone_number": "15550000000", "phone_number_id": number_id}}
    return {"object": "whatsapp_business_account",
            "entry": [{"id": waba_id, "changes": [{"field": "messages", "value": value}]}]}


def _status(wamid: str, status: str, **extra) -> dict:
    return {"id": wamid, "status": status, "timestamp": "1767225600", "recipient_id": "16505550101", **extra}


def _outbound(number: PhoneNumber, wamid: str | None, status="sent") -> Message:
    return Message.objects.create(phone_number=number, to="16505550101", type="text", payload={}, status=status,
                                  wamid=wamid)


def _route_all() -> None:
    for event_id in WebhookEvent.objects.exclude(status="processed").values_list("pk", flat=True):
        webhook_event_route(event_id)
    connection.set_schema_to_public()


# --- handshake and signatures ----------------------------------------------------------------------

def test_the_verification_handshake_echoes_the_challenge_only_for_our_token(db):
    client = APIClient(HTTP_HOST="localhost")
    ok = client.get("/webhooks/whatsapp", {"hub.mode": "subscribe", "hub.verify_token": "verify-me",
                                           "hub.challenge": "1158201444"})
    wrong = client.get("/webhooks/whatsapp", {"hub.mode": "subscribe", "hub.verify_token": "nope",
                                              "hub.challenge": "1"})

    assert (ok.status_code, ok.content) == (200, b"1158201444")
    assert wrong.status_code == 403


@pytest.mark.parametrize("signature", [None, "sha256=" + "0" * 64, "md5=abc", ""])
def test_a_missing_or_wrong_signature_is_401_and_nothing_is_stored(db, signature):
    response = _post(b'{"object":"whatsapp_business_account","entry":[]}', signature)

    assert response.status_code == 401
    assert response.json()["code"] == "invalid_signature"
    assert not WebhookEvent.objects.exists()


def test_a_body_tampered_after_signing_is_refused(db):
    body = b'{"object":"whatsapp_business_account","entry":[]}'
    signature = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()

    assert _post(body.replace(b"[]", b"[{}]"), signature).status_code == 401


def test_a_non_ascii_body_is_verified_on_its_raw_bytes(db):
    body = json.dumps({"object": "whatsapp_business_account", "entry": [], "note": "café ☕ ünïcode"},
                      ensure_ascii=False).encode()

    assert _post(body).status_code == 200
    assert "café ☕" in WebhookEvent.objects.get().body


def test_a_valid_post_is_stored_and_routed_after_commit(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = _post(json.dumps(_status_payload(NUMBER_A, WABA_A, [])).encode())

    assert (response.status_code, response.content) == (200, b"OK")
    assert WebhookEvent.objects.get().status == "received"
    assert len(callbacks) == 1


def test_the_same_payload_delivered_five_times_is_stored_and_applied_once(alpha):
    number = connect(alpha, NUMBER_A, WABA_A)
    with schema_context(alpha.tenant.schema_name):
        message = _outbound(number, "wamid.A1")
    body = json.dumps(_status_payload(NUMBER_A, WABA_A, [_status("wamid.A1", "delivered")])).encode()

    for _ in range(5):
        assert _post(body).status_code == 200
    _route_all()

    assert WebhookEvent.objects.count() == 1
    with schema_context(alpha.tenant.schema_name):
        message.refresh_from_db()
        assert message.status == "delivered"
        assert message.events.filter(status="delivered").count() == 1


# --- routing --------------------------------------------------------------------------------------

def test_one_post_with_changes_for_two_businesses_lands_each_in_its_own_schema(alpha, beta):
    number_a, number_b = connect(alpha, NUMBER_A, WABA_A), connect(beta, NUMBER_B, WABA_B)
    with schema_context(alpha.tenant.schema_name):
        message_a = _outbound(number_a, "wamid.SAME")
    with schema_context(beta.tenant.schema_name):
        message_b = _outbound(number_b, "wamid.B1")
    payload = _status_payload(NUMBER_A, WABA_A, [_status("wamid.SAME", "read")])
    payload["entry"] += _status_payload(NUMBER_B, WABA_B, [_status("wamid.B1", "delivered"),
                                                           _status("wamid.SAME", "failed")])["entry"]

    assert _post(json.dumps(payload).encode()).status_code == 200
    _route_all()

    with schema_context(alpha.tenant.schema_name):
        assert Message.objects.get(pk=message_a.pk).status == "read"
    with schema_context(beta.tenant.schema_name):
        assert Message.objects.get(pk=message_b.pk).status == "delivered"
        # beta's "failed" for a wamid it does not own is kept pending in beta, never applied in alpha
        assert PendingStatus.objects.filter(wamid="wamid.SAME").exists()
    assert set(WebhookChange.objects.values_list("tenant__slug", "status")) == {("alpha", "handled"),
                                                                                 ("beta", "handled")}


def test_an_unknown_number_is_kept_unroutable_and_replayed_once_connected(alpha, django_capture_on_commit_callbacks):
    body = json.dumps(_status_payload(NUMBER_A, WABA_A, [_status("wamid.U1", "delivered")])).encode()
    _post(body)
    _route_all()
    assert WebhookChange.objects.get().status == "unroutable"

    with django_capture_on_commit_callbacks(execute=True):  # connecting clears the cached "unknown"
        number = connect(alpha, NUMBER_A, WABA_A)
    with schema_context(alpha.tenant.schema_name):
        message = _outbound(number, "wamid.U1")
    assert webhook_changes_replay() == 1
    connection.set_schema_to_public()

    assert WebhookChange.objects.get().status == "handled"
    with schema_context(alpha.tenant.schema_name):
        assert Message.objects.get(pk=message.pk).status == "delivered"


def test_template_and_account_fields_route_by_the_waba_id(alpha):
    connect(alpha, NUMBER_A, WABA_A)
    payload = {"object": "whatsapp_business_account", "entry": [{"id": WABA_A, "time": 1, "changes": [
        {"field": "message_template_status_update", "value": {"event": "APPROVED", "message_template_id": 1,
                                                               "message_template_name": "x"}}]}]}

    _post(json.dumps(payload).encode())
    _route_all()

    assert WebhookChange.objects.get().tenant == alpha.tenant


# --- statuses -------------------------------------------------------------------------------------

def test_statuses_out_of_order_end_at_the_furthest_one(alpha):
    number = connect(alpha, NUMBER_A, WABA_A)
    with schema_context(alpha.tenant.schema_name):
        message = _outbound(number, "wamid.O1")
    for status in ("read", "sent", "delivered"):
        _post(json.dumps(_status_payload(NUMBER_A, WABA_A, [_status("wamid.O1", status)])).encode())
    _route_all()

    with schema_context(alpha.tenant.schema_name):
        assert Message.objects.get(pk=message.pk).status == "read"


def test_a_status_before_its_message_is_kept_and_applied_when_the_send_returns(alpha):
    from apps.messaging.outbox import _mark_sent

    number = connect(alpha, NUMBER_A, WABA_A)
    _post(json.dumps(_status_payload(NUMBER_A, WABA_A, [_status("wamid.EARLY", "delivered")])).encode())
    _route_all()

    with schema_context(alpha.tenant.schema_name):
        message = _outbound(number, None, status="sending")
        assert PendingStatus.objects.filter(wamid="wamid.EARLY").exists()
        _mark_sent(message, wamid="wamid.EARLY")
        assert Message.objects.get(pk=message.pk).status == "delivered"
        assert not PendingStatus.objects.exists()


def test_a_failed_status_stores_metas_error(alpha):
    number = connect(alpha, NUMBER_A, WABA_A)
    with schema_context(alpha.tenant.schema_name):
        message = _outbound(number, "wamid.F1")
    error = {"code": 131047, "title": "Re-engagement message", "message": "Re-engagement message",
             "error_data": {"details": "More than 24 hours have passed"}}
    _post(json.dumps(_status_payload(NUMBER_A, WABA_A, [_status("wamid.F1", "failed", errors=[error])])).encode())
    _route_all()

    with schema_context(alpha.tenant.schema_name):
        failed = Message.objects.get(pk=message.pk)
    assert (failed.status, failed.error_code, failed.error_details) == (
        "failed", 131047, "More than 24 hours have passed")


def test_the_pricing_meta_reports_is_stored_even_when_it_arrives_before_the_send_returns(alpha):
    number = connect(alpha, NUMBER_A, WABA_A)
    pricing = {"billable": True, "pricing_model": "PMP", "type": "regular", "category": "marketing"}
    _post(json.dumps(_status_payload(NUMBER_A, WABA_A, [_status("wamid.P1", "sent", pricing=pricing)])).encode())
    _route_all()
    with schema_context(alpha.tenant.schema_name):
        message = _outbound(number, None, status="sending")
        _mark_sent(message, wamid="wamid.P1")
        stored = Message.objects.get(pk=message.pk)
    assert (stored.pricing_category, stored.pricing_type, stored.billable) == ("marketing", "regular", True)


# --- every conformance payload ---------------------------------------------------------------------

def _conformance_payloads():
    for path in sorted(CONFORMANCE.glob("*.json")):
        for name, payload in json.loads(path.read_text()).items():
            yield pytest.param(payload, id=f"{path.stem}:{name}")


def _retarget(payload: dict) -> dict:
    """Point a conformance payload at alpha's number and account."""
    payload = copy.deepcopy(payload)
    for entry in payload.get("entry", []):
        entry["id"] = WABA_A
        for change in entry.get("changes", []):
            metadata = (change.get("value") or {}).get("metadata")
            if isinstance(metadata, dict) and "phone_number_id" in metadata:
                metadata["phone_number_id"] = NUMBER_A
    return payload


@pytest.mark.parametrize("payload", list(_conformance_payloads()))
def test_every_conformance_payload_is_accepted_routed_and_handled(alpha, payload):
    connect(alpha, NUMBER_A, WABA_A)

    assert _post(json.dumps(_retarget(payload)).encode()).status_code == 200
    _route_all()

    event = WebhookEvent.objects.get()
    expected = sum(len(entry.get("changes", [])) for entry in payload.get("entry", []))
    assert event.status == "processed"
    assert event.changes.count() == expected > 0
    assert set(event.changes.values_list("status", "tenant__slug")) == {("handled", "alpha")}


# --- inbound messages -----------------------------------------------------------------------------

def _inbound_payload(number_id: str, waba_id: str, wamid: str, *, wa_id="16505550101", user_id="US.111",
                     name="Alice", body="Hello") -> dict:
    value = {"messaging_product": "whatsapp",
             "metadata": {"display_phone_number": "15550000000", "phone_number_id": number_id},
             "contacts": [{"profile": {"name": name}, "wa_id": wa_id, "user_id": user_id}],
             "messages": [{"from": wa_id, "id": wamid, "timestamp": "1767225600", "type": "text",
                           "text": {"body": body}}]}
    return {"object": "whatsapp_business_account",
            "entry": [{"id": waba_id, "changes": [{"field": "messages", "value": value}]}]}


def test_an_inbound_message_creates_the_contact_and_is_stored_once(alpha):
    from apps.contacts.models import Contact

    connect(alpha, NUMBER_A, WABA_A)
    body = json.dumps(_inbound_payload(NUMBER_A, WABA_A, "wamid.IN1")).encode()
    for _ in range(5):
        _post(body)
    _post(json.dumps(_inbound_payload(NUMBER_A, WABA_A, "wamid.IN2", body="Again")).encode())
    _route_all()

    with schema_context(alpha.tenant.schema_name):
        contact = Contact.objects.get()
        assert (contact.phone, contact.wa_user_id, contact.name) == ("+16505550101", "US.111", "Alice")
        assert contact.last_inbound_at is not None and contact.first_seen_at is not None
        inbound = Message.objects.filter(direction="in").order_by("wamid")
        assert [(m.wamid, m.payload["text"]["body"], m.contact_id) for m in inbound] == [
            ("wamid.IN1", "Hello", contact.pk), ("wamid.IN2", "Again", contact.pk)]


def test_an_inbound_message_matches_an_existing_contact_by_user_id_without_a_phone(alpha):
    from apps.contacts.models import Contact

    connect(alpha, NUMBER_A, WABA_A)
    with schema_context(alpha.tenant.schema_name):
        known = Contact.objects.create(wa_user_id="US.777", name="Known")
    payload = _inbound_payload(NUMBER_A, WABA_A, "wamid.BS1", wa_id="", user_id="US.777")
    payload["entry"][0]["changes"][0]["value"]["messages"][0]["from_user_id"] = "US.777"

    _post(json.dumps(payload).encode())
    _route_all()

    with schema_context(alpha.tenant.schema_name):
        assert Contact.objects.count() == 1
        assert Message.objects.get(wamid="wamid.BS1").contact_id == known.pk


def test_a_customer_message_to_alphas_number_never_writes_in_beta(alpha, beta):
    from apps.contacts.models import Contact

    connect(alpha, NUMBER_A, WABA_A)
    connect(beta, NUMBER_B, WABA_B)

    _post(json.dumps(_inbound_payload(NUMBER_A, WABA_A, "wamid.ISO")).encode())
    _route_all()

    with schema_context(beta.tenant.schema_name):
        assert not Message.objects.exists() and not Contact.objects.exists()
    with schema_context(alpha.tenant.schema_name):
        assert Message.objects.filter(wamid="wamid.ISO").exists()


def test_the_fast_lane_stores_with_one_query_counts_the_route_and_keeps_the_request_id(db, settings,
                                                                                        django_assert_num_queries):
    """Meta's POSTs skip the middlewares after the request id (tenants.ingress.fast_lane): no host lookup, only the
    insert (on the driver's cursor, so Django counts no query at all); the metrics still see the route, and the
    answer still has its request id."""
    from apps.core.metrics import HTTP_REQUESTS

    settings.BASE_DOMAIN = "localhost"
    before = HTTP_REQUESTS.labels("webhooks/whatsapp", "POST", "200")._value.get()
    body = json.dumps(_status_payload(NUMBER_A, WABA_A, [_status("wamid.FAST", "sent")])).encode()
    with django_assert_num_queries(0):  # the normal way looks the host's Domain up first
        response = _post(body)
    assert response.status_code == 200 and response["X-Request-ID"]
    assert HTTP_REQUESTS.labels("webhooks/whatsapp", "POST", "200")._value.get() == before + 1
    assert WebhookEvent.objects.filter(sha256=hashlib.sha256(body).hexdigest()).exists()


def test_a_post_on_a_businesss_host_or_an_unknown_host_is_not_the_webhook(alpha):
    body = json.dumps(_status_payload(NUMBER_A, WABA_A, [_status("wamid.HOST", "sent")])).encode()
    signature = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    for host, status in (("alpha.localhost", 404), ("elsewhere.example", 404)):
        response = APIClient(HTTP_HOST=host).post("/webhooks/whatsapp", body, content_type="application/json",
                                                  HTTP_X_HUB_SIGNATURE_256=signature)
        assert response.status_code == status, host
    assert not WebhookEvent.objects.exists()


def test_the_fast_lane_answers_in_the_public_schema_after_a_business_request(alpha, django_capture_on_commit_callbacks):
    """The router task it wakes carries the connection's schema: a thread that last served a business must not send
    it there."""
    connection.set_tenant(alpha.tenant)
    body = json.dumps(_status_payload(NUMBER_A, WABA_A, [_status("wamid.SCHEMA", "sent")])).encode()
    with django_capture_on_commit_callbacks(execute=False):
        assert _post(body).status_code == 200
        assert connection.schema_name == "public"
