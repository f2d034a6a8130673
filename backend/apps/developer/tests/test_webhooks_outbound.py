"""Outbound webhooks: signed deliveries to a local receiver for the events an endpoint chose, retries with back-off,
dead after the schedule, auto-disable with one notice, replay, SSRF refusals, isolation between businesses, and a
secret that appears once."""
import hashlib
import hmac
import json
import logging
import time
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context

from apps.developer import events
from apps.developer.tests.webhook_support import Receiver
from apps.developer.webhook_delivery import deliveries_sweep, delivery_attempt
from apps.developer.webhook_models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from apps.developer.webhook_signing import verify
from apps.developer.webhook_ssrf import address_problem
from apps.messaging.models import Message
from apps.messaging.statuses import StatusIn, statuses_apply
from apps.messaging.tests.inbox_helpers import connect_number, customer_writes
from apps.webhooks.tests.support import deliver, envelope, use_secret, with_number

URL = "/api/developer/webhooks/"


@pytest.fixture
def receiver():
    with Receiver() as r:
        yield r


def _create(client, url, events_, **extra):
    response = client.post(URL, {"url": url, "events": events_, **extra}, format="json")
    assert response.status_code == 201, response.content
    return response.json()


def _deliveries(business, **filters):
    with schema_context(business.tenant.schema_name):
        return list(WebhookDelivery.objects.filter(**filters).select_related("endpoint").order_by("created_at"))


def _attempt_all(business, django_capture_on_commit_callbacks=None):
    """What the worker does: attempt every due delivery (the tasks the commit enqueued)."""
    with schema_context(business.tenant.schema_name):
        return [delivery_attempt(d.pk) for d in WebhookDelivery.objects.filter(
            status__in=["pending", "failed"], next_attempt_at__lte=timezone.now())]


def _documented_verify(secret: str, header: str, body: bytes) -> bool:
    """The receiver's snippet of docs/webhooks-outbound.md, written out again here (not our module's code)."""
    parts = [p.split("=", 1) for p in header.split(",")]
    t = next(v for k, v in parts if k == "t")
    if abs(time.time() - int(t)) > 300:
        return False
    expected = hmac.new(secret.encode(), f"{t}.".encode() + body, hashlib.sha256).hexdigest()
    return any(k == "v1" and hmac.compare_digest(v, expected) for k, v in parts)


# --- signing and the events an endpoint chose ----------------------------------------------------------------------

def test_a_created_contact_reaches_a_subscribed_endpoint_signed(alpha, receiver):
    owner = alpha.client(alpha.owner)
    created = _create(owner, receiver.url, ["contact.created"], description="CRM")
    secret = created["secret"]
    assert secret.startswith("whsec_")

    contact = owner.post("/api/contacts/", {"phone": "+14155550123", "name": "Ada"}, format="json").json()
    (delivery,) = _deliveries(alpha)
    _attempt_all(alpha)

    (request,) = receiver.requests
    body = json.loads(request.body)
    assert body["type"] == "contact.created" and body["id"] == str(delivery.event_id)
    assert body["data"]["contact_id"] == contact["id"] and body["data"]["name"] == "Ada"
    assert request.headers["convonest-event"] == "contact.created"
    assert request.headers["convonest-delivery"] == str(delivery.pk)
    assert request.headers["content-type"] == "application/json"
    assert _documented_verify(secret, request.headers["convonest-signature"], request.body)
    assert verify(secret, request.headers["convonest-signature"], request.body)
    assert not _documented_verify(secret, request.headers["convonest-signature"], request.body + b" ")
    assert not _documented_verify("whsec_other", request.headers["convonest-signature"], request.body)
    (delivery,) = _deliveries(alpha)
    assert (delivery.status, delivery.attempts, delivery.last_response_status) == ("succeeded", 1, 200)


def test_only_subscribed_active_endpoints_get_an_event(alpha, receiver):
    owner = alpha.client(alpha.owner)
    statuses = _create(owner, receiver.url, ["message.status_changed"])
    received = _create(owner, receiver.url, ["message.received", "contact.created"])
    disabled = _create(owner, receiver.url, ["message.received", "message.status_changed"])
    with schema_context(alpha.tenant.schema_name):
        WebhookEndpoint.objects.filter(pk=disabled["id"]).update(is_active=False)
        events.subscriptions_forget()
    connection.set_schema_to_public()
    number = connect_number(alpha)

    customer_writes(alpha, number, "Hello", wa_id="16505550111")
    kinds = {(d.endpoint_id, d.event_type) for d in _deliveries(alpha)}
    assert kinds == {(received["id"], "message.received"), (received["id"], "contact.created")}

    with schema_context(alpha.tenant.schema_name):
        message = Message.objects.create(phone_number_id=number.pk, to="16505550111", type="text",
                                         payload={"type": "text"}, status="sending", wamid="wamid.hooks.1")
        statuses_apply([StatusIn("sent", "wamid.hooks.1"), StatusIn("delivered", "wamid.hooks.1"),
                        StatusIn("sent", "wamid.hooks.1")])  # the late "sent" is ignored: no event
    status_events = _deliveries(alpha, event_type="message.status_changed")
    assert [d.endpoint_id for d in status_events] == [statuses["id"]] * 2
    assert [d.payload["data"]["status"] for d in status_events] == ["sent", "delivered"]
    assert status_events[0].payload["data"]["message_id"] == str(message.pk)
    assert len({d.event_id for d in status_events}) == 2


def test_a_business_without_endpoints_pays_no_query_per_event(alpha, django_assert_num_queries):
    with schema_context(alpha.tenant.schema_name):
        events.subscriptions()  # warm the cache
        with django_assert_num_queries(0):
            assert events.emit("contact.created", {"contact_id": 1}) == 0
            assert not events.wants("message.status_changed")


def test_status_events_arrive_signed_from_metas_webhook_on_a_local_endpoint(alpha, receiver, settings):
    """Done when: the signed status events are received on a local endpoint, from Meta's webhook through ingress."""
    use_secret(settings)
    owner = alpha.client(alpha.owner)
    secret = _create(owner, receiver.url, ["message.status_changed"])["secret"]
    number = connect_number(alpha, number_id="120000000000077", waba_id="220000000000077")
    with schema_context(alpha.tenant.schema_name):
        Message.objects.create(phone_number_id=number.pk, to="16505550100", type="text", payload={"type": "text"},
                               status="sending", wamid="wamid.meta.1")
    value = with_number({"messaging_product": "whatsapp", "statuses": [
        {"id": "wamid.meta.1", "status": "sent", "timestamp": str(int(time.time())), "recipient_id": "16505550100"},
        {"id": "wamid.meta.1", "status": "delivered", "timestamp": str(int(time.time()) + 1),
         "recipient_id": "16505550100", "pricing": {"billable": True, "category": "utility", "type": "regular"}}]},
        "120000000000077")
    deliver(envelope("220000000000077", ("messages", value)))
    _attempt_all(alpha)

    assert [json.loads(r.body)["data"]["status"] for r in receiver.requests] == ["sent", "delivered"]
    for request in receiver.requests:
        assert _documented_verify(secret, request.headers["convonest-signature"], request.body)
    assert json.loads(receiver.requests[1].body)["data"]["pricing"]["category"] == "utility"


# --- retries, dead, auto-disable, replay ---------------------------------------------------------------------------

def _endpoint_and_event(business, receiver, event="contact.created"):
    owner = business.client(business.owner)
    endpoint = _create(owner, receiver.url, [event])
    owner.post("/api/contacts/", {"phone": "+14155550199"}, format="json")
    (delivery,) = _deliveries(business)
    return endpoint, delivery


def _due_now(business, delivery):
    with schema_context(business.tenant.schema_name):
        WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())


def test_failed_attempts_back_off_and_a_later_success_settles_it(alpha, settings):
    settings.OUTBOUND_WEBHOOK_RETRY_SCHEDULE = [60, 300, 1800]
    with Receiver([500, 503, 200]) as receiver:
        _, delivery = _endpoint_and_event(alpha, receiver)
        _attempt_all(alpha)
        (delivery,) = _deliveries(alpha)
        assert (delivery.status, delivery.attempts, delivery.last_response_status) == ("failed", 1, 500)
        wait = (delivery.next_attempt_at - timezone.now()).total_seconds()
        assert 50 < wait < 70  # 60 s ± 10 % jitter
        assert len(delivery.last_response_body) <= 2048 and delivery.last_error == "The endpoint answered 500."
        assert _attempt_all(alpha) == []  # not due yet: nothing is sent early

        _due_now(alpha, delivery)
        _attempt_all(alpha)
        (delivery,) = _deliveries(alpha)
        wait = (delivery.next_attempt_at - timezone.now()).total_seconds()
        assert delivery.status == "failed" and 260 < wait < 340

        _due_now(alpha, delivery)
        _attempt_all(alpha)
        (delivery,) = _deliveries(alpha)
        assert (delivery.status, delivery.attempts, delivery.last_response_status) == ("succeeded", 3, 200)
        assert len({json.loads(r.body)["id"] for r in receiver.requests}) == 1  # one event id across retries
        assert [r.headers["convonest-delivery"] for r in receiver.requests] == [str(delivery.pk)] * 3
        with schema_context(alpha.tenant.schema_name):
            assert list(WebhookAttempt.objects.filter(delivery=delivery).values_list("response_status", flat=True)) \
                == [500, 503, 200]
            assert WebhookEndpoint.objects.get().failure_streak == 0


def test_a_delivery_is_dead_after_the_schedule_and_can_be_replayed(alpha, settings):
    settings.OUTBOUND_WEBHOOK_RETRY_SCHEDULE = [1, 1]
    with Receiver([500, 500, 500, 200]) as receiver:
        _, delivery = _endpoint_and_event(alpha, receiver)
        for _ in range(3):
            _due_now(alpha, delivery)
            _attempt_all(alpha)
        (delivery,) = _deliveries(alpha)
        assert (delivery.status, delivery.attempts, delivery.next_attempt_at) == ("dead", 3, None)
        _due_now(alpha, delivery)
        assert _attempt_all(alpha) == []  # dead stays dead

        owner = alpha.client(alpha.owner)
        response = owner.post(f"{URL}deliveries/{delivery.pk}/replay/")
        assert response.status_code == 202
        replay = response.json()
        assert replay["event_id"] == str(delivery.event_id) and replay["replay_of_id"] == str(delivery.pk)
        _attempt_all(alpha)
        assert len(receiver.requests) == 4
        assert json.loads(receiver.requests[-1].body)["id"] == str(delivery.event_id)
        detail = owner.get(f"{URL}deliveries/{replay['id']}/").json()
        assert detail["status"] == "succeeded" and len(detail["attempt_rows"]) == 1
        assert detail["payload"]["type"] == "contact.created"


def test_an_endpoint_failing_long_enough_is_disabled_and_the_owners_told_once(alpha, settings,
                                                                           django_capture_on_commit_callbacks):
    settings.OUTBOUND_WEBHOOK_RETRY_SCHEDULE = [1, 1, 1, 1, 1]
    settings.OUTBOUND_WEBHOOK_DISABLE_AFTER_FAILURES = 3
    settings.OUTBOUND_WEBHOOK_DISABLE_AFTER_HOURS = 1
    with Receiver([500]) as receiver:
        endpoint, delivery = _endpoint_and_event(alpha, receiver)
        for _ in range(2):  # two failures: not yet three
            _due_now(alpha, delivery)
            _attempt_all(alpha)
        with schema_context(alpha.tenant.schema_name):
            WebhookEndpoint.objects.update(failing_since=timezone.now() - timedelta(hours=2))
        _due_now(alpha, delivery)
        with django_capture_on_commit_callbacks(execute=True):
            _attempt_all(alpha)
        with schema_context(alpha.tenant.schema_name):
            row = WebhookEndpoint.objects.get()
        assert not row.is_active and "3 failed attempts" in row.disabled_reason
        assert len(mail.outbox) == 1 and mail.outbox[0].to == [alpha.owner.email]
        assert receiver.url in mail.outbox[0].body

        _due_now(alpha, delivery)
        with django_capture_on_commit_callbacks(execute=True):
            assert _attempt_all(alpha) == [None]  # a disabled endpoint's deliveries wait
            with schema_context(alpha.tenant.schema_name):
                assert deliveries_sweep() == 0
        assert len(mail.outbox) == 1 and len(receiver.requests) == 3

        receiver.statuses = [200]
        owner = alpha.client(alpha.owner)
        with django_capture_on_commit_callbacks(execute=False):
            enabled = owner.post(f"{URL}{endpoint['id']}/enable/").json()
        assert enabled["is_active"] and enabled["failure_streak"] == 0
        _attempt_all(alpha)
        assert _deliveries(alpha)[0].status == "succeeded" and len(receiver.requests) == 4


def test_the_sweeper_enqueues_due_deliveries_whose_task_was_lost(alpha, receiver, monkeypatch):
    _endpoint_and_event(alpha, receiver)
    sent = []
    monkeypatch.setattr("apps.developer.webhook_tasks.webhook_deliver_task.apply_async",
                        lambda args, **kw: sent.append(args[0]))
    with schema_context(alpha.tenant.schema_name):
        assert deliveries_sweep() == 1


def test_a_redirect_is_a_failure_and_is_not_followed(alpha, settings):
    with Receiver([302]) as receiver:
        _endpoint_and_event(alpha, receiver)
        _attempt_all(alpha)
        (delivery,) = _deliveries(alpha)
        assert delivery.status == "failed" and "Redirects are not followed" in delivery.last_error
        assert len(receiver.requests) == 1


def test_the_test_ping_is_sent_at_once_and_shown(alpha, receiver):
    owner = alpha.client(alpha.owner)
    endpoint = _create(owner, receiver.url, ["contact.created"])
    response = owner.post(f"{URL}{endpoint['id']}/test/")
    assert response.status_code == 200
    assert response.json()["status"] == "succeeded" and response.json()["event_type"] == "ping"
    assert json.loads(receiver.requests[0].body)["type"] == "ping"
    assert response.json()["attempt_rows"][0]["response_status"] == 200


def test_rolling_the_secret_signs_with_both_during_the_overlap(alpha, receiver):
    owner = alpha.client(alpha.owner)
    endpoint = _create(owner, receiver.url, ["contact.created"])
    rolled = owner.post(f"{URL}{endpoint['id']}/roll-secret/").json()
    assert rolled["secret"] != endpoint["secret"]
    owner.post(f"{URL}{endpoint['id']}/test/")
    request = receiver.requests[0]
    assert _documented_verify(rolled["secret"], request.headers["convonest-signature"], request.body)
    assert _documented_verify(endpoint["secret"], request.headers["convonest-signature"], request.body)


# --- SSRF ----------------------------------------------------------------------------------------------------------

def _resolver_to(address):
    return lambda host, port: [address]


@pytest.mark.parametrize("url", [
    "http://127.0.0.1/hook", "http://10.1.2.3/hook", "http://192.168.0.10/", "http://172.16.5.4/",
    "http://169.254.169.254/latest/meta-data/", "http://[::1]/hook", "http://[fe80::1]/", "http://[fc00::1]/",
    "http://[::ffff:127.0.0.1]/", "http://[::ffff:10.0.0.1]/", "http://0.0.0.0/", "http://100.64.0.1/",
    "http://224.0.0.1/", "http://localhost:8000/", "http://internal.example.com/",
    "ftp://hooks.example.com/", "file:///etc/passwd", "http://user:pass@hooks.example.com/",
])
def test_private_addresses_are_refused_when_not_allowed(alpha, settings, url):
    settings.OUTBOUND_WEBHOOKS_ALLOW_PRIVATE = False
    settings.OUTBOUND_WEBHOOKS_RESOLVER = "apps.developer.tests.test_webhooks_outbound.resolve_private"
    response = alpha.client(alpha.owner).post(URL, {"url": url, "events": ["contact.created"]}, format="json")
    assert response.status_code == 400, response.content
    assert "url" in response.json()["errors"]
    with schema_context(alpha.tenant.schema_name):
        assert not WebhookEndpoint.objects.exists()


def resolve_private(host, port):
    """A resolver that puts every name on a private network (as an attacker's DNS would)."""
    return ["10.9.8.7"]


def resolve_public(host, port):
    return ["93.184.215.14"]


def test_a_public_address_is_accepted(alpha, settings):
    settings.OUTBOUND_WEBHOOKS_ALLOW_PRIVATE = False
    settings.OUTBOUND_WEBHOOKS_RESOLVER = "apps.developer.tests.test_webhooks_outbound.resolve_public"
    response = alpha.client(alpha.owner).post(URL, {"url": "https://hooks.example.com/x", "events": [
        "contact.created"]}, format="json")
    assert response.status_code == 201


def test_the_address_is_checked_again_at_delivery_time(alpha, receiver, settings):
    _endpoint_and_event(alpha, receiver)  # created while private addresses were allowed (dev)
    settings.OUTBOUND_WEBHOOKS_ALLOW_PRIVATE = False
    _attempt_all(alpha)
    (delivery,) = _deliveries(alpha)
    assert delivery.status == "failed" and "public addresses only" in delivery.last_error
    assert receiver.requests == []


def test_the_request_goes_to_the_address_resolved_and_checked(alpha, receiver, settings):
    """No second DNS lookup (rebinding): the connection is made to the checked address, with the URL's Host."""
    settings.OUTBOUND_WEBHOOKS_RESOLVER = "apps.developer.tests.test_webhooks_outbound.resolve_loopback"
    owner = alpha.client(alpha.owner)
    _create(owner, f"http://hooks.customer.example:{receiver.port}/in?x=1", ["contact.created"])
    owner.post("/api/contacts/", {"phone": "+14155550177"}, format="json")
    _attempt_all(alpha)
    (request,) = receiver.requests
    assert request.headers["host"] == f"hooks.customer.example:{receiver.port}" and request.path == "/in?x=1"


def resolve_loopback(host, port):
    return ["127.0.0.1"]


@pytest.mark.parametrize(("address", "allowed"), [
    ("8.8.8.8", True), ("2606:4700:4700::1111", True), ("127.0.0.2", False), ("::", False),
    ("64:ff9b::a00:1", False), ("2002:a00:1::", False), ("::ffff:169.254.169.254", False), ("fe80::1%eth0", False),
    ("198.18.0.1", False), ("240.0.0.1", False), ("255.255.255.255", False),
])
def test_address_classes(address, allowed):
    assert (address_problem(address) == "") is allowed


# --- isolation, permissions, the secret ----------------------------------------------------------------------------

def test_another_business_sees_none_of_it(alpha, beta, receiver):
    _, delivery = _endpoint_and_event(alpha, receiver)
    endpoint_id = delivery.endpoint_id
    other = beta.client(beta.owner)
    assert other.get(URL).json()["results"] == []
    for path in (f"{URL}{endpoint_id}/", f"{URL}{endpoint_id}/deliveries/", f"{URL}deliveries/{delivery.pk}/"):
        assert other.get(path).status_code == 404, path
    for path in (f"{URL}deliveries/{delivery.pk}/replay/", f"{URL}{endpoint_id}/test/",
                 f"{URL}{endpoint_id}/roll-secret/", f"{URL}{endpoint_id}/enable/"):
        assert other.post(path).status_code == 404, path
    assert other.delete(f"{URL}{endpoint_id}/").status_code == 404
    assert len(_deliveries(alpha)) == 1 and receiver.requests == []


def test_agents_may_not_see_or_manage_webhooks(alpha):
    agent = alpha.add_member("agent@alpha.example", "agent")
    client = alpha.client(agent)
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"url": "http://127.0.0.1:9/", "events": ["contact.created"]},
                       format="json").status_code == 403


def test_the_secret_is_shown_once_encrypted_at_rest_and_never_logged(alpha, receiver, caplog):
    caplog.set_level(logging.DEBUG)
    owner = alpha.client(alpha.owner)
    created = _create(owner, receiver.url, ["contact.created"])
    secret = created["secret"]
    owner.post("/api/contacts/", {"phone": "+14155550155"}, format="json")
    _attempt_all(alpha)
    endpoint_id = created["id"]
    (delivery,) = _deliveries(alpha)
    answers = [owner.get(URL), owner.get(f"{URL}{endpoint_id}/"), owner.get(f"{URL}{endpoint_id}/deliveries/"),
               owner.get(f"{URL}deliveries/{delivery.pk}/"),
               owner.patch(f"{URL}{endpoint_id}/", {"description": "x"}, format="json"),
               owner.post(f"{URL}{endpoint_id}/test/")]
    for answer in answers:
        assert answer.status_code == 200 and secret not in answer.content.decode()
        assert "secret" not in answer.json()
    assert secret not in caplog.text and secret not in receiver.requests[0].headers.values()
    with schema_context(alpha.tenant.schema_name), connection.cursor() as cursor:
        cursor.execute("SELECT secret FROM developer_webhookendpoint")
        (stored,) = cursor.fetchone()
        assert secret not in stored
        cursor.execute("SELECT request_headers::text FROM developer_webhookattempt")
        assert all(secret not in row[0] for row in cursor.fetchall())


def test_unknown_events_are_refused(alpha, receiver):
    response = alpha.client(alpha.owner).post(URL, {"url": receiver.url, "events": ["message.deleted"]},
                                              format="json")
    assert response.status_code == 400 and "events.0" in response.json()["errors"]
    assert alpha.client(alpha.owner).get(f"{URL}event-types/").json()[0]["type"] == "call.updated"


def test_erasing_a_contact_redacts_their_events(alpha, receiver):
    owner = alpha.client(alpha.owner)
    _create(owner, receiver.url, ["contact.created"])
    contact = owner.post("/api/contacts/", {"phone": "+14155550166", "name": "Eve"}, format="json").json()
    from apps.contacts.models import Contact
    from apps.contacts.services import contact_erase

    with schema_context(alpha.tenant.schema_name):
        contact_erase(contact=Contact.objects.get(pk=contact["id"]))
    (delivery,) = _deliveries(alpha)
    assert delivery.payload == {"redacted": True}
    assert owner.post(f"{URL}deliveries/{delivery.pk}/replay/").json()["code"] == "webhook_delivery_redacted"


# --- the other apps' events ----------------------------------------------------------------------------------------

def test_consent_campaign_template_and_call_events(alpha, receiver):
    from apps.calls.services import call_event_apply
    from apps.campaigns.models import Campaign
    from apps.campaigns.services import campaign_transition
    from apps.contacts.models import Contact
    from apps.contacts.services import consent_record, contact_update
    from apps.templates.models import Template, TemplateEvent
    from apps.templates.services import template_update_apply

    owner = alpha.client(alpha.owner)
    _create(owner, receiver.url, ["contact.opted_out", "contact.updated", "campaign.finished",
                                  "template.status_changed", "call.updated"])
    number = connect_number(alpha)
    with schema_context(alpha.tenant.schema_name):
        contact = Contact.objects.create(phone="+14155550144", name="Bo")
        consent_record(contact=contact, category="marketing", action="opt_out", source="keyword", keyword="STOP")
        consent_record(contact=contact, category="marketing", action="opt_in", source="web_form", proof="signed up")
        contact_update(contact=contact, data={"name": "Bob"})
        campaign = Campaign.objects.create(name="Spring", phone_number_id=number.pk, status="running", audience={})
        campaign_transition(campaign, "paused")  # not final: nothing
        campaign = campaign_transition(Campaign.objects.get(pk=campaign.pk), "cancelled")
        template = Template.objects.create(meta_template_id="9901", waba_id="220000000000001", name="order_update",
                                           language="en_US", category="UTILITY", status="PENDING")
        template_update_apply(template=template, kind=TemplateEvent.Kind.STATUS, value="APPROVED",
                              changes={"status": "APPROVED"}, detail={"event": "APPROVED"})
        template_update_apply(template=template, kind=TemplateEvent.Kind.QUALITY, value="GREEN",
                              changes={"quality_score": "GREEN"}, detail={"new": "GREEN"})  # not a status
        call_event_apply(call_id="wacid.1", event="connect", at=timezone.now(), detail={}, number=None,
                         signal="connect", fields={"direction": "user_initiated"}, contact=contact)
        call_event_apply(call_id="wacid.1", event="connect", at=None, detail={}, number=None, signal=None, fields={})
    got = [(d.event_type, d.payload["data"]) for d in _deliveries(alpha)]
    assert [t for t, _ in got] == ["contact.opted_out", "contact.updated", "campaign.finished",
                                   "template.status_changed", "call.updated", "call.updated"]
    assert got[0][1]["category"] == "marketing" and got[0][1]["keyword"] == "STOP"
    assert got[1][1]["name"] == "Bob" and got[1][1]["changed"] == ["name"]
    assert got[2][1]["status"] == "cancelled" and got[2][1]["campaign_id"] == campaign.pk
    assert (got[3][1]["status"], got[3][1]["previous_status"]) == ("APPROVED", "PENDING")
    assert got[4][1]["event"] == "connect" and got[4][1]["contact_id"] == contact.pk


def test_old_deliveries_and_their_attempts_are_deleted_by_the_hourly_cleanup(alpha, receiver, settings):
    from tenants.retention import tenant_rows_prune

    _, delivery = _endpoint_and_event(alpha, receiver)
    _attempt_all(alpha)
    with schema_context(alpha.tenant.schema_name):
        WebhookDelivery.objects.update(created_at=timezone.now() - timedelta(days=31))
    connection.set_schema_to_public()
    assert tenant_rows_prune()["developer.WebhookDelivery"] == 2  # the delivery and its attempt
    with schema_context(alpha.tenant.schema_name):
        assert not WebhookDelivery.objects.exists() and not WebhookAttempt.objects.exists()
