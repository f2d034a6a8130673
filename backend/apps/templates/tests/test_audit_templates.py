"""The audit log of templates: a member's (or an API key's) create, edit, delete, acknowledge, mapping and sync each
write one event naming the template; Meta's status changes (its webhook, or the sync finding one) are Meta's, once
per change; the hourly sync is the "Template sync" automation; refusals and rolled-back changes write nothing; another
business never sees them."""
import copy

import pytest
from django.db import transaction
from django.utils import timezone
from django_tenants.utils import schema_context

from apps.audit.testing import AuditTrail
from apps.developer.tests.helpers import create_key, key_client
from apps.templates.models import Template, TemplateEvent
from apps.templates.tests.support import ORDER_READY, connect_sandbox, sync
from apps.webhooks.tests.support import NUMBER_A, WABA_A, connect, deliver, envelope, use_secret
from tenants.models import Role

_trail = AuditTrail()
_mark, _events, _only = _trail.mark, _trail.events, _trail.only


@pytest.fixture(autouse=True)
def _fresh_marks():
    _trail.forget()


@pytest.fixture
def owner(alpha, graph_sandbox):
    connect_sandbox(alpha, graph_sandbox)
    client = alpha.client(alpha.owner)
    _mark(alpha)
    return client


def _row(business, **lookup) -> Template:
    with schema_context(business.tenant.schema_name):
        return Template.objects.get(**lookup)


def test_a_members_template_changes_write_one_event_each(alpha, owner):
    created = owner.post("/api/templates/", ORDER_READY, format="json")
    assert created.status_code == 201, created.content
    event = _only(alpha, "template.created")
    assert (event.actor_type, event.actor_label) == ("member", alpha.owner.email)
    assert (event.target_type, event.target_id, event.target_label) == (
        "template", str(created.json()["id"]), "order_ready (en_US)")

    assert owner.post("/api/templates/sync/", {}, format="json").status_code == 202
    synced = _only(alpha, "templates.synced")
    assert synced.actor_type == "member" and synced.detail["trigger"] == "member"

    sync(alpha)  # what the sync's task does: rows for Meta's templates
    template = _row(alpha, name="appointment_reminder")
    components = copy.deepcopy(template.components)
    components[0]["text"] = "Hi {{1}}, a reminder of your visit on {{2}}. Can you make it?"
    components[0]["example"] = {"body_text": [["Pablo", "May 5"]]}
    assert owner.patch(f"/api/templates/{template.pk}/", {"components": components}, format="json").status_code == 200
    updated = _only(alpha, "template.updated")
    assert updated.detail == {"fields": ["components"], "status_before": "APPROVED"}
    assert updated.target_label == "appointment_reminder (en_US)"

    hello = _row(alpha, name="hello_world")
    with schema_context(alpha.tenant.schema_name):
        Template.objects.filter(pk=hello.pk).update(attention="Paused: FIRST_PAUSE")
    assert owner.post(f"/api/templates/{hello.pk}/acknowledge/").status_code == 200
    assert _only(alpha, "template.acknowledged").detail == {"attention": "Paused: FIRST_PAUSE"}

    assert owner.delete(f"/api/templates/{hello.pk}/").status_code in (200, 204)
    deleted = _only(alpha, "template.deleted")
    assert deleted.target_id == str(hello.pk) and deleted.detail == {"all_languages": False}


def test_an_api_key_is_the_actor_of_its_template_changes(alpha, owner):
    key = create_key(alpha, ["templates"])
    _mark(alpha)
    response = key_client(alpha, key["key"]).post("/api/templates/", ORDER_READY, format="json")
    assert response.status_code == 201, response.content
    event = _only(alpha, "template.created")
    assert (event.actor_type, event.actor_id) == ("api_key", str(key["id"]))


def test_refused_template_changes_write_nothing(alpha, owner):
    agent = alpha.client(alpha.add_member("agent@alpha.example", Role.AGENT))
    _mark(alpha)
    assert agent.post("/api/templates/", ORDER_READY, format="json").status_code == 403
    assert agent.post("/api/templates/sync/", {}, format="json").status_code == 403
    bad = {**ORDER_READY, "name": "Not A Name"}
    assert owner.post("/api/templates/", bad, format="json").status_code == 400
    assert _events(alpha) == []


def test_metas_status_webhook_is_recorded_as_meta_once(alpha, settings):
    use_secret(settings)
    connect(alpha, NUMBER_A, WABA_A)
    _mark(alpha)
    status = ("message_template_status_update", {
        "event": "REJECTED", "message_template_id": 5550001, "message_template_name": "order_ready",
        "message_template_language": "en_US", "reason": "INVALID_FORMAT"})
    deliver(envelope(WABA_A, status))
    deliver(envelope(WABA_A, status))  # redelivered: nothing changes
    event = _only(alpha, "template.status_changed")
    assert (event.actor_type, event.actor_id) == ("meta", "meta")
    assert event.detail == {"old": "UNKNOWN", "new": "REJECTED", "reason": "INVALID_FORMAT", "via": "webhook"}
    assert event.target_label == "order_ready (en_US)"


def test_the_hourly_sync_is_the_template_sync_automation_and_its_status_finds_are_metas(alpha, owner,
                                                                                        django_capture_on_commit_callbacks):
    from apps.templates.tasks import templates_sync_all

    with django_capture_on_commit_callbacks():  # the sync's task is enqueued after commit: not run here
        templates_sync_all()
    synced = _only(alpha, "templates.synced")
    assert (synced.actor_type, synced.actor_id, synced.actor_label) == ("automation", "template_sync", "Template sync")
    assert synced.detail["trigger"] == "schedule"

    with schema_context(alpha.tenant.schema_name):
        template = Template.objects.create(meta_template_id="9901", waba_id="220000000000001", name="order_update",
                                           language="en_US", category="UTILITY", status="PENDING")
        from apps.templates.sync import reconcile

        reconcile("220000000000001", [{"id": "9901", "name": "order_update", "language": "en_US",
                                       "category": "UTILITY", "status": "APPROVED"}], listed_since=timezone.now())
    event = _only(alpha, "template.status_changed")
    assert event.actor_type == "meta" and event.target_id == str(template.pk)
    assert event.detail == {"old": "PENDING", "new": "APPROVED", "reason": "", "via": "sync"}


def test_a_rolled_back_status_change_leaves_no_event(alpha):
    from apps.templates.services import template_update_apply

    _mark(alpha)
    with schema_context(alpha.tenant.schema_name):
        template = Template.objects.create(meta_template_id="9902", name="x", language="en", status="PENDING")
        with pytest.raises(RuntimeError), transaction.atomic():
            template_update_apply(template=template, kind=TemplateEvent.Kind.STATUS, value="APPROVED",
                                  changes={"status": "APPROVED"}, detail={"event": "APPROVED"})
            raise RuntimeError("the webhook's transaction fails")
    assert _events(alpha) == []


def test_another_business_never_sees_alphas_template_events(alpha, beta, owner):
    beta_client = beta.client(beta.owner)
    _mark(beta)
    assert owner.post("/api/templates/", ORDER_READY, format="json").status_code == 201
    assert len(_events(alpha)) == 1
    assert _events(beta) == []
    assert [e["action"] for e in beta_client.get("/api/audit/events/").json()["results"]] in ([], ["auth.login"])
