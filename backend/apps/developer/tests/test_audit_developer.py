"""The audit log of the developer platform: API keys created, rotated (with their grace) and revoked, webhook endpoints
created, changed, deleted, their secrets rolled, enabled again, disabled by the delivery automation, and deliveries
replayed: one event each, naming the key by name and prefix and the endpoint by host (never a secret, nor the URL's
path or query); refused requests and rolled-back changes write nothing; another business never sees them."""
import json
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tenants.utils import schema_context

from apps.audit.testing import AuditTrail
from apps.developer import services
from apps.developer.models import ApiKey
from apps.developer.tests.helpers import create_key
from apps.developer.webhook_delivery import _count_failure
from apps.developer.webhook_models import WebhookDelivery, WebhookEndpoint
from tenants.members import Member
from tenants.models import Role

URL = "/api/developer/webhooks/"
HOOK = "http://127.0.0.1:9/hooks/in?token=receiver-own-token-123"


_trail = AuditTrail()
_mark, _events, _only = _trail.mark, _trail.events, _trail.only


@pytest.fixture(autouse=True)
def _fresh_marks():
    _trail.forget()


@pytest.fixture
def owner(alpha):
    client = alpha.client(alpha.owner)
    _mark(alpha)
    return client


def test_api_key_create_rotate_revoke_write_one_event_each_without_the_secret(alpha, owner):
    created = create_key(alpha, ["contacts"])
    rotated = owner.post(f"/api/developer/api-keys/{created['id']}/rotate/", {"grace_hours": 6}, format="json").json()
    assert owner.delete(f"/api/developer/api-keys/{created['id']}/").status_code == 204

    made = _only(alpha, "api_key.created")
    assert (made.actor_type, made.actor_label, made.target_type, made.target_id) == (
        "member", alpha.owner.email, "apikey", str(created["id"]))
    assert made.target_label == f"CI ({created['prefix']}…)" and made.detail["scopes"] == ["contacts"]
    turned = _only(alpha, "api_key.rotated")
    assert turned.detail == {"grace_hours": 6} and turned.target_label == f"CI ({rotated['prefix']}…)"
    _only(alpha, "api_key.revoked")
    text = json.dumps([[e.target_label, e.changes, e.detail] for e in _events(alpha)])
    for secret in (created["key"], rotated["key"]):
        assert secret not in text and secret[len("cn_live_"):] not in text


def test_webhook_endpoint_changes_write_one_event_each_naming_the_host(alpha, owner):
    endpoint = owner.post(URL, {"url": HOOK, "events": ["contact.created"]}, format="json").json()
    path = f"{URL}{endpoint['id']}/"
    assert owner.patch(path, {"events": ["contact.created", "contact.deleted"],
                              "url": "http://127.0.0.1:9/other?token=another-token-456"},
                       format="json").status_code == 200
    assert owner.post(f"{path}roll-secret/").status_code == 200
    with schema_context(alpha.tenant.schema_name):
        WebhookEndpoint.objects.filter(pk=endpoint["id"]).update(is_active=False, disabled_reason="down")
    assert owner.post(f"{path}enable/").status_code == 200
    assert owner.delete(path).status_code == 204

    created = _only(alpha, "webhook_endpoint.created")
    assert (created.target_label, created.detail) == ("127.0.0.1", {"events": ["contact.created"]})
    updated = _only(alpha, "webhook_endpoint.updated")
    assert updated.changes == {"url": ["[changed]", "[changed]"],
                               "events": [["contact.created"], ["contact.created", "contact.deleted"]]}
    assert _only(alpha, "webhook_endpoint.secret_rolled").detail == {
        "overlap_hours": settings.OUTBOUND_WEBHOOK_SECRET_OVERLAP_HOURS}
    assert _only(alpha, "webhook_endpoint.enabled").detail == {"disabled_reason": "down"}
    _only(alpha, "webhook_endpoint.deleted")
    text = json.dumps([[e.target_label, e.changes, e.detail] for e in _events(alpha)])
    assert "token" not in text and "whsec_" not in text and endpoint["secret"] not in text


def test_a_replay_is_recorded_by_the_member_and_auto_disable_by_the_automation(alpha, owner):
    endpoint = owner.post(URL, {"url": HOOK, "events": ["contact.created"]}, format="json").json()
    with schema_context(alpha.tenant.schema_name):
        delivery = WebhookDelivery.objects.create(endpoint_id=endpoint["id"], event_type="contact.created",
                                                  event_id="00000000-0000-0000-0000-000000000001",
                                                  payload={"data": {"contact_id": 1}}, status="dead")
    assert owner.post(f"{URL}deliveries/{delivery.pk}/replay/").status_code in (200, 201, 202)
    replayed = _only(alpha, "webhook_delivery.replayed")
    assert replayed.actor_type == "member" and replayed.detail["replay_of"] == str(delivery.pk)
    assert replayed.detail["endpoint"] == "127.0.0.1"

    now = timezone.now()
    with schema_context(alpha.tenant.schema_name):
        WebhookEndpoint.objects.filter(pk=endpoint["id"]).update(
            failure_streak=settings.OUTBOUND_WEBHOOK_DISABLE_AFTER_FAILURES,
            failing_since=now - timedelta(hours=settings.OUTBOUND_WEBHOOK_DISABLE_AFTER_HOURS + 1))
        _count_failure(endpoint["id"], now=now)
        _count_failure(endpoint["id"], now=now)  # already disabled: not again
    disabled = _only(alpha, "webhook_endpoint.disabled")
    assert (disabled.actor_type, disabled.actor_id) == ("automation", "webhook_delivery")
    assert "failed attempts" in disabled.detail["reason"]


def test_refused_requests_write_nothing(alpha, owner):
    created = create_key(alpha, ["contacts"])
    agent = alpha.client(alpha.add_member("agent@alpha.example", Role.AGENT))
    _mark(alpha)
    assert agent.post("/api/developer/api-keys/", {"name": "x", "scopes": ["contacts"]},
                      format="json").status_code == 403
    assert agent.post(f"/api/developer/api-keys/{created['id']}/rotate/").status_code == 403
    assert owner.post(f"/api/developer/api-keys/{created['id']}/rotate/", {"grace_hours": 500},
                      format="json").status_code == 400
    assert owner.post("/api/developer/api-keys/", {"name": "x", "scopes": ["read_only"]},
                      format="json").status_code == 400
    assert owner.post(URL, {"url": "ftp://example.com/", "events": ["contact.created"]},
                      format="json").status_code == 400
    assert agent.post(URL, {"url": HOOK, "events": ["contact.created"]}, format="json").status_code == 403
    assert _events(alpha) == []


def test_a_rolled_back_rotation_leaves_no_event_and_the_old_secret(alpha, owner):
    created = create_key(alpha, ["contacts"])
    _mark(alpha)
    member = Member(user=alpha.owner, tenant=alpha.tenant, role=Role.OWNER)
    with schema_context(alpha.tenant.schema_name):
        with pytest.raises(RuntimeError), transaction.atomic():
            services.api_key_rotate(actor=member, api_key=ApiKey.objects.get(pk=created["id"]), grace_hours=0)
            raise RuntimeError("fails after the rotation")
        assert ApiKey.objects.get(pk=created["id"]).prefix == created["prefix"]
    assert _events(alpha) == []


def test_another_business_never_sees_alphas_developer_events(alpha, beta, owner):
    beta_client = beta.client(beta.owner)
    _mark(beta)
    create_key(alpha, ["contacts"])
    owner.post(URL, {"url": HOOK, "events": ["contact.created"]}, format="json")
    assert len(_events(alpha)) == 2
    assert _events(beta) == []
    assert [e["action"] for e in beta_client.get("/api/audit/events/").json()["results"]] in ([], ["auth.login"])
