"""Syncing with Meta's list (the sandbox): every template, page after page; additions, edits, deletions and status
changes made in Meta's tools reconciled with a history; one run at a time per WABA; started by connecting, by the
sync button and hourly in every business; a sync of one business never touches another."""
import io

import pytest
from django.core.management import call_command
from django.db import OperationalError, connection, connections
from django_tenants.utils import schema_context

from apps.templates import sync as sync_module
from apps.templates.models import Template, TemplateEvent, TemplateSync
from apps.templates.services import waba_lock_key
from apps.templates.tests.support import ORDER_READY, connect_sandbox, meta, meta_templates, review, sync
from apps.webhooks.tests.support import DISPLAY_B, NUMBER_B, WABA_B, connect

DEMO_NAMES = {"hello_world", "appointment_reminder", "order_shipped", "seasonal_promotion", "order_confirmation",
              "order_delivery_update", "coupon_code_fall2023_25off", "authentication_code_copy_code_button",
              "carousel_template_media_cards_v1", "limited_time_offer_caribbean_pkg_2023"}


@pytest.fixture
def small_pages(monkeypatch):
    """Meta's pages of 3: the ten demo templates take four pages."""
    monkeypatch.setattr(sync_module, "PAGE_SIZE", 3)
    from apps.whatsapp.client import GraphClient

    pages = []
    original = GraphClient.list_templates

    def counted(self, *args, **kwargs):
        page = original(self, *args, **kwargs)
        pages.append(len(page.templates))
        return page

    monkeypatch.setattr(GraphClient, "list_templates", counted)
    return pages


@pytest.fixture
def connected(alpha, graph_sandbox):
    connect_sandbox(alpha, graph_sandbox)
    return alpha


def _rows(business) -> dict[str, Template]:
    with schema_context(business.tenant.schema_name):
        return {t.name: t for t in Template.objects.all()}


def test_a_sync_imports_every_template_page_after_page(connected, graph_sandbox, small_pages):
    result = sync(connected)

    assert small_pages == [3, 3, 3, 1]
    assert (result.status, result.seen, result.added, result.updated, result.removed) == ("done", 10, 10, 0, 0)
    rows = _rows(connected)
    assert set(rows) == DEMO_NAMES
    order = rows["order_shipped"]
    assert (order.status, order.category, order.parameter_format, order.waba_id) == (
        "APPROVED", "UTILITY", "NAMED", graph_sandbox.demo["waba_id"])
    assert order.components[0]["type"] == "BODY" and order.synced_at is not None
    assert rows["authentication_code_copy_code_button"].category == "AUTHENTICATION"
    with schema_context(connected.tenant.schema_name):
        assert set(TemplateEvent.objects.values_list("kind", "source", "value")) == {("synced", "sync", "added")}


def test_additions_edits_deletions_and_status_changes_made_at_meta_are_reconciled(connected, graph_sandbox):
    sync(connected)
    at_meta = {t["name"]: t for t in meta_templates(graph_sandbox)}
    graph = meta(graph_sandbox)
    graph.create_template(graph_sandbox.demo["waba_id"], ORDER_READY)
    review(graph_sandbox)
    edited = at_meta["appointment_reminder"]
    graph.edit_template(edited["id"], components=[
        {"type": "BODY", "text": "Hello {{1}}, see you on {{2}}. Can you make it?",
         "example": {"body_text": [["Pablo", "May 5"]]}}])
    graph.delete_template(graph_sandbox.demo["waba_id"], "hello_world")
    graph_sandbox.control.post(f"/templates/{at_meta['seasonal_promotion']['id']}/status",
                               json={"status": "PAUSED"}).raise_for_status()

    result = sync(connected)

    assert (result.seen, result.added, result.updated, result.removed) == (10, 1, 2, 1)
    rows = _rows(connected)
    assert rows["order_ready"].status == "APPROVED"
    assert rows["hello_world"].status == "DELETED"
    reminder = rows["appointment_reminder"]
    assert reminder.status == "PENDING" and reminder.components[0]["text"].startswith("Hello {{1}}")
    assert (rows["seasonal_promotion"].status, rows["seasonal_promotion"].attention) == ("PAUSED", "Paused")
    with schema_context(connected.tenant.schema_name):
        said = {e.template.name: (e.value, e.detail) for e in TemplateEvent.objects.filter(value__contains=",")}
        assert "components" in said["appointment_reminder"][0] and "status" in said["appointment_reminder"][0]
        assert said["appointment_reminder"][1]["status"] == "PENDING"
        assert rows["hello_world"].events.get(value="deleted").source == "sync"

    again = sync(connected)

    assert (again.added, again.updated, again.removed) == (0, 0, 0)


def test_a_sync_leaves_webhook_details_meta_does_not_list(connected, graph_sandbox):
    sync(connected)
    with schema_context(connected.tenant.schema_name):
        Template.objects.filter(name="hello_world").update(previous_category="MARKETING")

    assert sync(connected).updated == 0
    assert _rows(connected)["hello_world"].previous_category == "MARKETING"


def test_a_template_submitted_while_the_list_was_read_is_not_taken_for_deleted(connected, graph_sandbox, monkeypatch):
    """The list is read before the lock; a row written after the read started is not in it, and stays."""
    original = sync_module.reconcile

    def submit_meanwhile(waba_id, listed, *, listed_since):
        with schema_context(connected.tenant.schema_name):
            Template.objects.create(meta_template_id="999123", waba_id=waba_id, name="brand_new", status="PENDING")
        return original(waba_id, listed, listed_since=listed_since)

    monkeypatch.setattr(sync_module, "reconcile", submit_meanwhile)

    result = sync(connected)

    assert result.removed == 0 and _rows(connected)["brand_new"].status == "PENDING"


def test_a_sync_waits_for_another_run_of_the_same_waba(connected, graph_sandbox):
    """Reconciling takes the WABA's lock: while another transaction holds it (another sync, a submission, a
    webhook creating a row), ours waits instead of inserting the same templates again."""
    other = connections.create_connection("default")
    key = waba_lock_key(connected.tenant.schema_name, graph_sandbox.demo["waba_id"])
    try:
        other.set_autocommit(False)
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL lock_timeout = '300ms'")
        with pytest.raises(OperationalError, match="lock timeout"):
            sync(connected)
    finally:
        other.rollback()
        other.close()
    assert _rows(connected) == {}


def test_a_sync_that_meta_refuses_is_recorded_as_failed(connected, graph_sandbox):
    graph_sandbox.control.delete(f"/tokens/{graph_sandbox.demo['token']}").raise_for_status()

    result = sync(connected)

    assert result.status == "failed" and "WhatsApp answered" in result.error
    assert _rows(connected) == {}


def test_a_sync_of_alpha_never_touches_beta(connected, beta, graph_sandbox):
    connect(beta, NUMBER_B, WABA_B, DISPLAY_B)
    with schema_context(beta.tenant.schema_name):
        Template.objects.create(meta_template_id="555", waba_id=WABA_B, name="beta_only", status="APPROVED")

    sync(connected)

    with schema_context(beta.tenant.schema_name):
        assert list(Template.objects.values_list("name", "status")) == [("beta_only", "APPROVED")]
        assert not TemplateEvent.objects.exists() and not TemplateSync.objects.exists()


# --- what starts a sync -------------------------------------------------------------------------------------

@pytest.fixture
def enqueued(monkeypatch):
    """Each sync the code enqueues, with the schema it was enqueued from (which is where it will run), run at once."""
    from apps.templates.tasks import templates_sync_task

    runs = []

    def delay(sync_id):
        runs.append((connection.schema_name, sync_id))
        sync_module.templates_sync_run(sync_id)

    monkeypatch.setattr(templates_sync_task, "delay", delay)
    return runs


def test_connecting_a_number_imports_its_templates(alpha, graph_sandbox, enqueued, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        connect_sandbox(alpha, graph_sandbox)

    assert [schema for schema, _ in enqueued] == [alpha.tenant.schema_name]
    assert set(_rows(alpha)) == DEMO_NAMES
    with schema_context(alpha.tenant.schema_name):
        assert TemplateSync.objects.get().trigger == "connect"


def test_the_sync_button_answers_at_once_and_the_run_is_listed(connected, enqueued, django_capture_on_commit_callbacks):
    owner = connected.client(connected.owner)
    with django_capture_on_commit_callbacks(execute=True):
        response = owner.post("/api/templates/sync/", {}, format="json")

    assert response.status_code == 202
    assert (response.json()["status"], response.json()["trigger"]) == ("running", "member")
    syncs = owner.get("/api/templates/syncs/").json()["results"]
    assert [(s["id"], s["status"], s["seen"]) for s in syncs] == [(response.json()["id"], "done", 10)]


def test_the_hourly_sync_runs_in_every_business_in_its_own_schema(connected, beta, enqueued,
                                                                   django_capture_on_commit_callbacks):
    from apps.templates.tasks import templates_sync_all

    connect(beta, NUMBER_B, WABA_B, DISPLAY_B)

    with django_capture_on_commit_callbacks(execute=True):
        templates_sync_all()

    assert sorted(schema for schema, _ in enqueued) == sorted([connected.tenant.schema_name, beta.tenant.schema_name])
    assert set(_rows(connected)) == DEMO_NAMES
    with schema_context(beta.tenant.schema_name):
        assert TemplateSync.objects.get().status == "failed"  # beta's fake account: the sandbox knows no such token
        assert not Template.objects.exists()


def test_the_demo_lists_the_sandboxs_ten_templates_after_bootstrap(alpha, graph_sandbox, settings):
    settings.DEMO_TENANT_SLUG, settings.DEMO_EMAIL = "alpha", alpha.owner.email
    settings.WHATSAPP_ACCESS_TOKEN = graph_sandbox.demo["token"]
    settings.WHATSAPP_PHONE_ID = graph_sandbox.demo["phone_id"]
    settings.WHATSAPP_BUSINESS_ID = graph_sandbox.demo["waba_id"]

    call_command("bootstrap_demo", stdout=io.StringIO(), stderr=io.StringIO())
    call_command("bootstrap_demo", stdout=io.StringIO(), stderr=io.StringIO())  # twice: nothing more

    assert set(_rows(alpha)) == DEMO_NAMES
    with schema_context(alpha.tenant.schema_name):
        assert TemplateSync.objects.filter(status="done").count() == 1


def test_a_run_that_lost_its_task_is_closed_by_the_hourly_sync(connected, enqueued):
    from datetime import timedelta

    from django.utils import timezone

    from apps.templates.tasks import templates_sync_all

    with schema_context(connected.tenant.schema_name):
        lost = TemplateSync.objects.create(waba_id="1", trigger="member")
        TemplateSync.objects.filter(pk=lost.pk).update(started_at=timezone.now() - timedelta(hours=2))

    templates_sync_all()

    with schema_context(connected.tenant.schema_name):
        lost.refresh_from_db()
        assert (lost.status, lost.finished_at is not None) == ("failed", True)
