"""Deleting the business after a grace period: the owner confirms with the slug and their password, the business
keeps working and every member is told when it goes, any owner can cancel, and the beat deletes what is due (schema,
routes, media, Redis keys) and nothing else. The public DeletionRequest row is the record that outlives it."""
import os
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context, schema_exists

from apps.audit.testing import AuditTrail
from apps.core.redis import redis_client
from apps.messaging.live import stream_key
from apps.messaging.tests.inbox_helpers import connect_number
from conftest import PASSWORD, Business
from tenants.models import DeletionRequest, PhoneNumberRoute, Role, Tenant, WabaRoute
from tenants.tasks import business_deletions_run

URL = "/api/business/deletion/"
_trail = AuditTrail()


@pytest.fixture(autouse=True)
def _fresh(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    settings.DELETION_GRACE_DAYS = 14
    _trail.forget()


@pytest.fixture
def owner(alpha):
    client = alpha.client(alpha.owner)
    _trail.mark(alpha)
    return client


@pytest.fixture
def ghost(db, tmp_path):
    """A business with a connected number, a media file, a live stream and cache keys."""
    from tenants.services import tenant_signup

    result = tenant_signup(business_name="Ghost Shop", slug="ghost", email="owner@ghost.example", password=PASSWORD)
    business = Business(result.tenant, result.user)
    schema = business.tenant.schema_name
    connect_number(business, "140000000000001", "240000000000001")
    os.makedirs(tmp_path / schema / "media")
    (tmp_path / schema / "media" / "photo.png").write_bytes(b"a customer's photo")
    redis_client().xadd(stream_key(schema), {"event": "message"})
    with schema_context(schema):
        cache.set("inbox:settings", "cached")
    connection.set_schema_to_public()
    return business


def _schedule(business, client=None):
    client = client or business.client(business.owner)
    response = client.post(URL, {"slug": business.tenant.slug, "password": PASSWORD}, format="json")
    assert response.status_code == 201, response.content
    return response.json()


def _make_due(business):
    DeletionRequest.objects.filter(tenant=business.tenant).update(due_at=timezone.now() - timedelta(minutes=1))


def test_the_owner_schedules_the_deletion_for_the_end_of_the_grace_period_and_the_business_keeps_working(
        alpha, owner):
    before = timezone.now()

    shown = _schedule(alpha, owner)

    request = DeletionRequest.objects.get(tenant=alpha.tenant)
    assert shown["scheduled"] is True and shown["grace_days"] == 14
    assert before + timedelta(days=14) <= request.due_at <= timezone.now() + timedelta(days=14)
    assert (request.requested_by, request.requested_by_email, request.source) == (
        alpha.owner, alpha.owner.email, "owner")
    event = _trail.only(alpha, "business.deletion_requested")
    assert (event.actor_label, event.detail["due_at"]) == (alpha.owner.email, request.due_at.isoformat())
    assert owner.post("/api/contacts/", {"phone": "+16505550199"}, format="json").status_code == 201
    agent = alpha.client(alpha.add_member("agent@alpha.example", Role.AGENT))
    banner = agent.get(URL).json()  # every member sees it: the app's banner
    assert (banner["scheduled"], banner["can_manage"], banner["requested_by_email"]) == (
        True, False, alpha.owner.email)


@pytest.mark.parametrize(("slug", "password", "wrong"), [("beta", PASSWORD, {"slug"}),
                                                          ("alpha", "not-my-password", {"password"}),
                                                          ("", "", {"slug", "password"})])
def test_without_the_slug_and_the_owners_password_nothing_is_scheduled(alpha, owner, slug, password, wrong):
    response = owner.post(URL, {"slug": slug, "password": password}, format="json")

    assert response.status_code == 400
    assert set(response.json()["errors"]) == wrong
    assert not DeletionRequest.objects.filter(tenant=alpha.tenant).exists()
    assert _trail.events(alpha) == []


@pytest.mark.parametrize("role", [Role.ADMIN, Role.AGENT])
def test_admins_and_agents_can_neither_schedule_nor_cancel(alpha, role):
    _schedule(alpha)
    client = alpha.client(alpha.add_member(f"{role}@alpha.example", role))

    for response in (client.post(URL, {"slug": "alpha", "password": PASSWORD}, format="json"),
                     client.post(f"{URL}cancel/")):
        assert response.status_code == 403 and response.json()["code"] == "permission_denied"
    assert DeletionRequest.objects.get(tenant=alpha.tenant).cancelled_at is None


def test_scheduling_twice_is_refused(alpha, owner):
    _schedule(alpha, owner)
    response = owner.post(URL, {"slug": "alpha", "password": PASSWORD}, format="json")

    assert response.status_code == 409 and response.json()["code"] == "deletion_scheduled"
    assert DeletionRequest.objects.filter(tenant=alpha.tenant).count() == 1


def test_any_owner_can_cancel_during_the_grace_period_and_it_is_audited(alpha, owner):
    _schedule(alpha, owner)
    co_owner = alpha.client(alpha.add_member("co-owner@alpha.example", Role.OWNER))

    response = co_owner.post(f"{URL}cancel/")

    assert response.status_code == 200 and response.json()["scheduled"] is False
    request = DeletionRequest.objects.get(tenant=alpha.tenant)
    assert request.cancelled_at is not None and request.cancelled_by_email == "co-owner@alpha.example"
    assert _trail.only(alpha, "business.deletion_cancelled").actor_label == "co-owner@alpha.example"
    again = co_owner.post(f"{URL}cancel/")
    assert again.status_code == 409 and again.json()["code"] == "no_deletion_scheduled"
    _schedule(alpha, owner)  # and it can be asked for again


def test_the_beat_deletes_a_due_business_schema_routes_media_and_redis_keys(
        ghost, alpha, beta, django_capture_on_commit_callbacks, tmp_path):
    schema = ghost.tenant.schema_name
    _schedule(ghost)
    _make_due(ghost)
    _schedule(alpha)  # not due yet
    _schedule(beta)
    beta.client(beta.owner).post(f"{URL}cancel/")
    DeletionRequest.objects.filter(tenant=beta.tenant).update(due_at=timezone.now() - timedelta(days=1))

    with django_capture_on_commit_callbacks(execute=True):
        business_deletions_run()

    assert not Tenant.objects.filter(slug="ghost").exists() and not schema_exists(schema)
    assert not PhoneNumberRoute.objects.filter(phone_number_id="140000000000001").exists()
    assert not WabaRoute.objects.filter(waba_id="240000000000001").exists()
    assert not os.path.exists(tmp_path / schema)
    assert not redis_client().exists(stream_key(schema))
    assert list(redis_client().scan_iter(match=f"{schema}:*")) == []
    record = DeletionRequest.objects.get(schema_name=schema)  # the record outlives the business
    assert (record.tenant, record.tenant_slug, record.requested_by_email) == (None, "ghost", "owner@ghost.example")
    assert record.completed_at is not None and record.archived_as == ""
    for kept in (alpha, beta):
        assert Tenant.objects.filter(pk=kept.tenant.pk).exists() and schema_exists(kept.tenant.schema_name)
    assert DeletionRequest.objects.get(tenant=alpha.tenant, cancelled_at=None).completed_at is None


def test_a_deletion_cancelled_at_the_last_moment_is_not_run(ghost, django_capture_on_commit_callbacks):
    _schedule(ghost)
    _make_due(ghost)
    ghost.client(ghost.owner).post(f"{URL}cancel/")

    with django_capture_on_commit_callbacks(execute=True):
        business_deletions_run()

    assert Tenant.objects.filter(slug="ghost").exists() and schema_exists(ghost.tenant.schema_name)


def test_the_operators_command_still_deletes_and_leaves_the_same_record(ghost, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("delete_business", "ghost", "--yes", "--drop")

    record = DeletionRequest.objects.get(tenant_slug="ghost")
    assert (record.source, record.tenant, record.requested_by) == ("operator", None, None)
    assert record.completed_at is not None


def test_an_operator_deleting_a_scheduled_business_completes_its_request(ghost, django_capture_on_commit_callbacks):
    _schedule(ghost)

    with django_capture_on_commit_callbacks(execute=True):
        call_command("delete_business", "ghost", "--yes")

    record = DeletionRequest.objects.get(tenant_slug="ghost")
    assert (record.source, record.requested_by_email) == ("owner", "owner@ghost.example")
    assert record.completed_at is not None and record.archived_as.startswith("archived_ghost_")


def test_a_read_only_business_can_still_take_its_data_out_and_delete_itself(alpha, owner,
                                                                             django_capture_on_commit_callbacks):
    from tenants.billing.models import Plan, Subscription, SubscriptionStatus

    Subscription.objects.update_or_create(tenant=alpha.tenant, defaults={  # payments stopped a month ago
        "plan": Plan.objects.get(code="trial"), "status": SubscriptionStatus.CANCELED,
        "unpaid_since": timezone.now() - timedelta(days=30)})
    assert owner.post("/api/contacts/", {"phone": "+16505550199"}, format="json").status_code == 402

    with django_capture_on_commit_callbacks(execute=False):
        assert owner.post("/api/business/exports/").status_code == 202
    _schedule(alpha, owner)
