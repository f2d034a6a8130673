"""Outbound webhook events of bulk changes and of the template sync: a CSV import emits a contact.created or
contact.updated per contact it wrote (chunk by chunk), bulk tag/untag/delete one event per contact changed, a delete
(one or bulk, or a merge) a contact.deleted; nothing, and no per-row work, when nobody subscribes; the hourly sync
tells a template's status change once, whichever of it and Meta's webhook saw the change first."""
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context

from apps.contacts import import_sql, imports
from apps.contacts.models import Contact
from apps.contacts.tests.conftest import import_now
from apps.developer import events, webhook_receivers
from apps.developer.webhook_models import WebhookDelivery

URL = "/api/developer/webhooks/"
HOOK = "http://127.0.0.1:9/hooks"  # never called: the test's transaction never commits, so nothing is enqueued


@pytest.fixture(autouse=True)
def _import_files_in_tmp(settings, tmp_path):
    settings.CONTACT_IMPORT_ROOT = str(tmp_path / "imports")


def _subscribe(business, events_):
    response = business.client(business.owner).post(URL, {"url": HOOK, "events": events_}, format="json")
    assert response.status_code == 201, response.content
    with schema_context(business.tenant.schema_name):
        cache.delete(events.SUBSCRIPTIONS_KEY)  # what the commit would do
    return response.json()


def _data(business, event_type):
    with schema_context(business.tenant.schema_name):
        return [d.payload["data"] for d in WebhookDelivery.objects.filter(event_type=event_type).order_by("created_at")]


def _contacts(business, *phones, **extra):
    with schema_context(business.tenant.schema_name):
        return [Contact.objects.create(phone=phone, **extra) for phone in phones]


FILE = "phone,name,email\n+14155550101,Ada,ada@example.com\n+14155550102,Bo,\n+14155550103,Cy,\nnot a phone,Dee,\n" \
       "+14155550101,,ada2@example.com\n"


# --- imports ---------------------------------------------------------------------------------------------------------

def test_an_import_emits_created_and_updated_per_contact_chunk_by_chunk(alpha, monkeypatch):
    monkeypatch.setattr(imports, "MIN_CHUNK", 2)
    monkeypatch.setattr(imports, "MAX_CHUNK", 2)
    _subscribe(alpha, ["contact.created", "contact.updated"])
    (existing,) = _contacts(alpha, "+14155550103", name="Old")
    sent_per_chunk = []
    real_emit_many = events.emit_many

    def counted(event_type, items):
        items = list(items)
        sent_per_chunk.append((event_type, len(items)))
        return real_emit_many(event_type, items)

    monkeypatch.setattr(events, "emit_many", counted)

    job = import_now(alpha.client(alpha.owner), alpha, FILE)

    assert (job.status, job.created, job.updated, job.duplicates, job.errors) == ("done", 2, 1, 1, 1)
    created = _data(alpha, "contact.created")
    updated = _data(alpha, "contact.updated")
    assert sorted(d["phone"] for d in created) == ["+14155550101", "+14155550102"]
    assert {d["phone"]: d["name"] for d in created} == {"+14155550101": "Ada", "+14155550102": "Bo"}
    # The existing contact, and Ada again: her later duplicate row (another chunk) was merged into her (it fills
    # blanks): each a contact.updated.
    assert sorted(d["phone"] for d in updated) == ["+14155550101", "+14155550103"]
    cy = next(d for d in updated if d["contact_id"] == existing.pk)
    assert cy["name"] == "Cy" and cy["changed"] == ["email", "name", "phone"]
    assert all(n <= webhook_receivers.BULK_BATCH for _, n in sent_per_chunk)
    assert len(sent_per_chunk) >= 3  # chunk by chunk, not once at the end


def test_an_import_emits_in_batches_of_bounded_size(alpha, monkeypatch):
    monkeypatch.setattr(webhook_receivers, "BULK_BATCH", 2)
    _subscribe(alpha, ["contact.created"])
    sizes = []
    real_emit_many = events.emit_many

    def counted(event_type, items):
        items = list(items)
        sizes.append(len(items))
        return real_emit_many(event_type, items)

    monkeypatch.setattr(events, "emit_many", counted)
    rows = "".join(f"+1415555{i:04d},Name {i}\n" for i in range(7))

    job = import_now(alpha.client(alpha.owner), alpha, "phone,name\n" + rows)

    assert job.created == 7
    assert sizes == [2, 2, 2, 1]
    assert len(_data(alpha, "contact.created")) == 7


def test_an_import_with_skip_emits_nothing_for_the_contacts_it_left_alone(alpha):
    _subscribe(alpha, ["contact.created", "contact.updated"])
    _contacts(alpha, "+14155550101", "+14155550102", "+14155550103")

    job = import_now(alpha.client(alpha.owner), alpha, FILE, on_existing="skip")

    assert job.skipped == 3
    assert _data(alpha, "contact.created") == [] and _data(alpha, "contact.updated") == []


def test_an_import_nobody_subscribes_to_collects_no_ids(alpha, monkeypatch):
    _subscribe(alpha, ["message.received"])  # an endpoint, but not for contacts
    collected = []
    real_upsert = import_sql.upsert

    def spy(cursor, **kwargs):
        collected.append(kwargs.get("changed"))
        return real_upsert(cursor, **kwargs)

    monkeypatch.setattr(import_sql, "upsert", spy)

    job = import_now(alpha.client(alpha.owner), alpha, FILE)

    assert job.created == 3 and collected == [None]  # the cheap path: counts only, no RETURNING of ids
    with schema_context(alpha.tenant.schema_name):
        assert not WebhookDelivery.objects.exists()


# --- bulk actions ----------------------------------------------------------------------------------------------------

def test_bulk_tag_and_untag_emit_an_update_per_contact_changed(alpha):
    _subscribe(alpha, ["contact.updated"])
    a, b, c = _contacts(alpha, "+14155550101", "+14155550102", "+14155550103")
    with schema_context(alpha.tenant.schema_name):
        Contact.objects.filter(pk=b.pk).update(tags=["vip"])
    owner = alpha.client(alpha.owner)

    response = owner.post("/api/contacts/bulk/", {"action": "tag", "tags": ["vip"], "filter": {}}, format="json")

    assert response.json() == {"action": "tag", "matched": 3, "affected": 2}
    tagged = _data(alpha, "contact.updated")
    assert sorted(d["contact_id"] for d in tagged) == [a.pk, c.pk]  # b already had the tag: unchanged
    assert all(d["tags"] == ["vip"] and d["changed"] == ["tags"] for d in tagged)

    response = owner.post("/api/contacts/bulk/", {"action": "untag", "tags": ["vip"], "ids": [a.pk, b.pk]},
                          format="json")
    assert response.json()["affected"] == 2
    untagged = _data(alpha, "contact.updated")[2:]
    assert sorted(d["contact_id"] for d in untagged) == [a.pk, b.pk] and all(d["tags"] == [] for d in untagged)


def test_deleting_contacts_emits_contact_deleted_for_each(alpha):
    _subscribe(alpha, ["contact.deleted"])
    a, b, c = _contacts(alpha, "+14155550101", "+14155550102", "+14155550103")
    owner = alpha.client(alpha.owner)

    assert owner.delete(f"/api/contacts/{a.pk}/").status_code == 204
    response = owner.post("/api/contacts/bulk/", {"action": "delete", "ids": [b.pk, c.pk]}, format="json")

    assert response.json()["affected"] == 2
    deleted = _data(alpha, "contact.deleted")
    assert [(d["contact_id"], d["phone"], d["merged_into"]) for d in deleted] == [
        (a.pk, "+14155550101", None), (b.pk, "+14155550102", None), (c.pk, "+14155550103", None)]


def test_a_large_bulk_delete_is_read_in_batches(alpha, monkeypatch):
    monkeypatch.setattr(webhook_receivers, "BULK_BATCH", 3)
    _subscribe(alpha, ["contact.deleted"])
    _contacts(alpha, *[f"+1415555{i:04d}" for i in range(8)])

    response = alpha.client(alpha.owner).post("/api/contacts/bulk/", {"action": "delete", "filter": {}},
                                              format="json")

    assert response.json()["affected"] == 8
    assert len({d["contact_id"] for d in _data(alpha, "contact.deleted")}) == 8


def test_a_merge_deletes_the_merged_contact_and_updates_the_survivor(alpha):
    _subscribe(alpha, ["contact.deleted", "contact.updated"])
    survivor, merged = _contacts(alpha, "+14155550101", "+14155550102")
    with schema_context(alpha.tenant.schema_name):
        Contact.objects.filter(pk=merged.pk).update(email="m@example.com")

    response = alpha.client(alpha.owner).post(f"/api/contacts/{survivor.pk}/merge/", {"merge_id": merged.pk},
                                              format="json")

    assert response.status_code == 200, response.content
    assert _data(alpha, "contact.deleted") == [{"contact_id": merged.pk, "phone": None, "wa_id": None,
                                                "wa_user_id": None, "merged_into": survivor.pk}]
    (update,) = _data(alpha, "contact.updated")
    assert update["contact_id"] == survivor.pk and update["email"] == "m@example.com" and "email" in update["changed"]


def test_bulk_actions_without_subscribers_emit_nothing_and_read_no_ids(alpha):
    a, b = _contacts(alpha, "+14155550101", "+14155550102")
    from apps.contacts.services import contacts_delete, contacts_tag

    with schema_context(alpha.tenant.schema_name):
        events.subscriptions()  # warm the cache: no endpoints
        with connection.execute_wrapper(_no_returning):
            assert contacts_tag(queryset=Contact.objects.all(), tags=["x"]) == 2
            assert contacts_delete(queryset=Contact.objects.filter(pk=a.pk)) == 1
        assert not WebhookDelivery.objects.exists()


def _no_returning(execute, sql, params, many, context):
    assert "RETURNING id" not in sql and "SELECT c.id, c.phone" not in sql
    return execute(sql, params, many, context)


# --- the template sync -----------------------------------------------------------------------------------------------

def _template_rows(business):
    from apps.templates.models import Template

    with schema_context(business.tenant.schema_name):
        return [Template.objects.create(meta_template_id=f"99{i}", waba_id="220000000000001", name=f"t{i}",
                                        language="en_US", category="UTILITY", status="PENDING") for i in range(3)]


def _listed(statuses):
    return [{"id": f"99{i}", "name": f"t{i}", "language": "en_US", "category": "UTILITY", "status": status}
            for i, status in enumerate(statuses)]


def _reconcile(business, statuses):
    from apps.templates.sync import reconcile

    with schema_context(business.tenant.schema_name):
        return reconcile("220000000000001", _listed(statuses), listed_since=timezone.now())


def test_the_sync_emits_status_changed_once_per_real_change(alpha):
    _subscribe(alpha, ["template.status_changed"])
    t0, t1, t2 = _template_rows(alpha)

    counts = _reconcile(alpha, ["APPROVED", "PENDING", "REJECTED"])
    assert counts["updated"] == 2
    changes = _data(alpha, "template.status_changed")
    assert [(d["template_id"], d["previous_status"], d["status"]) for d in changes] == [
        (t0.pk, "PENDING", "APPROVED"), (t2.pk, "PENDING", "REJECTED")]

    _reconcile(alpha, ["APPROVED", "PENDING", "REJECTED"])  # the next hour: nothing new
    assert len(_data(alpha, "template.status_changed")) == 2


def test_a_status_seen_by_the_webhook_first_is_not_told_again_by_the_sync_and_vice_versa(alpha):
    from apps.templates.models import Template, TemplateEvent
    from apps.templates.services import template_update_apply

    _subscribe(alpha, ["template.status_changed"])
    t0, t1, _ = _template_rows(alpha)
    with schema_context(alpha.tenant.schema_name):
        template_update_apply(template=Template.objects.get(pk=t0.pk), kind=TemplateEvent.Kind.STATUS,
                              value="APPROVED", changes={"status": "APPROVED"}, detail={"event": "APPROVED"})
    _reconcile(alpha, ["APPROVED", "PAUSED", "PENDING"])  # t0 already approved; t1 paused, seen by the sync first
    with schema_context(alpha.tenant.schema_name):
        template_update_apply(template=Template.objects.get(pk=t1.pk), kind=TemplateEvent.Kind.STATUS,
                              value="PAUSED", changes={"status": "PAUSED"}, detail={"event": "PAUSED"})

    changes = _data(alpha, "template.status_changed")
    assert [(d["template_id"], d["status"]) for d in changes] == [(t0.pk, "APPROVED"), (t1.pk, "PAUSED")]


def test_a_template_gone_from_metas_list_is_a_status_change_to_deleted(alpha):
    _subscribe(alpha, ["template.status_changed"])
    from apps.templates.models import Template
    from apps.templates.sync import reconcile

    t0, t1, t2 = _template_rows(alpha)
    with schema_context(alpha.tenant.schema_name):
        Template.objects.update(created_at=timezone.now() - timedelta(hours=1))
        reconcile("220000000000001", _listed(["PENDING", "PENDING"]), listed_since=timezone.now())

    assert [(d["template_id"], d["status"]) for d in _data(alpha, "template.status_changed")] == [
        (t2.pk, "DELETED")]
