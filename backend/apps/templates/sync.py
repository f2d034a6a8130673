"""Reconciling a WABA's templates with Meta's list: additions, edits and deletions made in Meta's tools.

One `TemplateSync` row per run, for the sync button's progress. Meta's list is read first, page after page
(cursor paging, any count), with no lock held; then, in one transaction under the WABA's lock
(`services.waba_lock`, shared with submissions and webhooks), rows are added, changed (each change a `synced`
event saying what changed) or marked DELETED when Meta no longer lists them. So two syncs of one WABA, or a
sync and a webhook, never insert the same template twice.
"""
import logging
from datetime import timedelta

from django.db import connection, transaction
from django.utils import timezone
from django_tenants.utils import schema_context

from apps.audit.context import automation
from apps.audit.recorder import record
from apps.templates.models import Template, TemplateEvent, TemplateSync
from apps.templates.services import (
    attention_for,
    client_for,
    meta_fields,
    template_status_changed_by_meta,
    waba_lock,
)
from apps.whatsapp.errors import GraphError
from apps.whatsapp.models import BusinessAccount
from tenants.members import Member

logger = logging.getLogger(__name__)

# Every field Meta documents for a template that we keep (reference §5.1); `fields=` asks for them all.
LIST_FIELDS = ("id,name,language,status,category,sub_category,components,parameter_format,message_send_ttl_seconds,"
               "quality_score,rejected_reason,rejection_info,previous_category,correct_category,library_template_name")
PAGE_SIZE = 100
SCHEDULER = automation("template_sync", "Template sync")  # the hourly sync (and one on connecting), in the audit log
# A run still "running" after this long lost its task (a sync takes seconds).
STALE_AFTER = timedelta(hours=1)
# Columns a sync compares; components are compared whole and reported as "components".
COMPARED = ("name", "language", "category", "status", "sub_category", "quality_score", "rejected_reason",
            "reason_detail", "parameter_format", "components", "message_send_ttl_seconds", "previous_category",
            "pending_category", "library_template_name")


@transaction.atomic
def templates_sync_start(*, actor: Member | None = None, waba_id: str, trigger: str) -> TemplateSync:
    """A sync row for the WABA, run by a task after commit (the caller's transaction holds the row). The audit log's
    `templates.synced` is written here, by who asked: a member (the sync button) or, with no actor, whoever is
    bound (the hourly sync, a newly connected account)."""
    from apps.templates.tasks import templates_sync_task

    sync = TemplateSync.objects.create(waba_id=waba_id, trigger=trigger)
    record(actor, "templates.synced", target=sync, target_label=f"WhatsApp account {waba_id}",
           detail={"waba_id": waba_id, "trigger": trigger})
    schema = connection.schema_name

    def enqueue() -> None:
        try:
            with schema_context(schema):  # the task runs in the schema it is enqueued from
                templates_sync_task.delay(sync.pk)
        except Exception as exc:  # kombu/redis raise several unrelated types for "broker unreachable"
            logger.warning("template sync %s of %s not enqueued: %s", sync.pk, waba_id, exc)
            with schema_context(schema):
                TemplateSync.objects.filter(pk=sync.pk, status=TemplateSync.Status.RUNNING).update(
                    status=TemplateSync.Status.FAILED, error="Could not start (queue unavailable).",
                    finished_at=timezone.now())

    transaction.on_commit(enqueue, robust=True)
    return sync


def templates_sync_run(sync_id: int) -> TemplateSync | None:
    """Run one sync: read Meta's list, reconcile, record the counts (or the failure) on the row."""
    sync = TemplateSync.objects.filter(pk=sync_id).first()
    if sync is None or sync.status != TemplateSync.Status.RUNNING:
        return sync
    account = BusinessAccount.objects.filter(waba_id=sync.waba_id).exclude(access_token="").first()
    if account is None:
        return _finish(sync, error="The WhatsApp account is no longer connected.")
    started = timezone.now()
    try:
        listed = list(client_for(account).iter_templates(account.waba_id, fields=LIST_FIELDS, limit=PAGE_SIZE))
    except GraphError as exc:
        logger.warning("template sync of %s failed: %s", sync.waba_id, exc)
        return _finish(sync, error=f"WhatsApp answered: {exc.title or type(exc).__name__}"[:500])
    with transaction.atomic():
        waba_lock(account.waba_id)
        counts = reconcile(account.waba_id, listed, listed_since=started)
    return _finish(sync, **counts)


def _finish(sync: TemplateSync, *, error: str = "", **counts) -> TemplateSync:
    for field, value in counts.items():
        setattr(sync, field, value)
    sync.status = TemplateSync.Status.FAILED if error else TemplateSync.Status.DONE
    sync.error = error
    sync.finished_at = timezone.now()
    sync.save()
    return sync


# Meta's key -> our column, for keys Meta may leave out of an answer (or send empty): an absent key says
# nothing, so the column keeps what a webhook or an earlier sync told us.
OPTIONAL_KEYS = {"sub_category": "sub_category", "quality_score": "quality_score", "rejected_reason": "rejected_reason",
                 "rejection_info": "reason_detail", "parameter_format": "parameter_format", "components": "components",
                 "message_send_ttl_seconds": "message_send_ttl_seconds", "previous_category": "previous_category",
                 "correct_category": "pending_category", "library_template_name": "library_template_name"}


def _changes(template: Template, meta: dict, fields: dict) -> dict:
    absent = {column for key, column in OPTIONAL_KEYS.items() if meta.get(key) in (None, "", [], {})}
    if fields["status"] != template.status:
        absent -= {"rejected_reason", "reason_detail"}  # a new status clears the old reason
    return {f: fields[f] for f in COMPARED if f not in absent and getattr(template, f) != fields[f]}


def reconcile(waba_id: str, listed: list[dict], *, listed_since) -> dict:
    """Make our rows of the WABA match Meta's list (the caller holds the WABA's lock). Rows created after
    `listed_since` are left alone: the list was read before they existed."""
    now = timezone.now()
    counts = {"seen": 0, "added": 0, "updated": 0, "removed": 0}
    seen_ids = set()
    existing = {t.meta_template_id: t for t in Template.objects.select_for_update().filter(
        meta_template_id__in=[str(m.get("id")) for m in listed if m.get("id") is not None])}
    for meta in listed:
        if not isinstance(meta, dict) or meta.get("id") is None:
            continue
        meta_id = str(meta["id"])[:64]
        if meta_id in seen_ids:
            continue
        seen_ids.add(meta_id)
        counts["seen"] += 1
        fields = meta_fields(meta)
        template = existing.get(meta_id)
        if template is None:
            template = Template.objects.create(meta_template_id=meta_id, waba_id=waba_id, synced_at=now, **fields)
            _synced_event(template, "added", {"status": template.status})
            counts["added"] += 1
            continue
        changes = _changes(template, meta, fields)
        attention = attention_for(
            status=fields["status"] if "status" in changes else "",
            reason=fields["rejected_reason"],
            quality=fields["quality_score"] if "quality_score" in changes else "",
            category_from=template.category if "category" in changes else "",
            category_to=fields["category"] if "category" in changes else "")
        previous_status = template.status
        for field, value in changes.items():
            setattr(template, field, value)
        template.synced_at = now
        if not template.waba_id:
            template.waba_id = waba_id
        if attention:
            template.attention, template.attention_since = attention[:64], now
        template.save()
        if changes:
            detail = {f: v for f, v in changes.items() if f != "components"}
            if "components" in changes:
                detail["components"] = "changed"
            _synced_event(template, ", ".join(sorted(changes)), detail)
            counts["updated"] += 1
        if "status" in changes:  # Meta changed it and its webhook didn't tell us (or not yet): said once, here
            template_status_changed_by_meta(template, previous_status=previous_status, via="sync")
    gone = Template.objects.select_for_update().filter(waba_id=waba_id, created_at__lt=listed_since).exclude(
        meta_template_id__in=seen_ids).exclude(status=Template.Status.DELETED)
    for template in gone:
        previous_status = template.status
        template.status = Template.Status.DELETED
        template.synced_at = now
        template.save(update_fields=["status", "synced_at", "updated_at"])
        _synced_event(template, "deleted", {"status": Template.Status.DELETED})
        template_status_changed_by_meta(template, previous_status=previous_status, via="sync")
        counts["removed"] += 1
    return counts


def _synced_event(template: Template, value: str, detail: dict) -> None:
    TemplateEvent.objects.create(template=template, kind=TemplateEvent.Kind.SYNCED, value=value[:64],
                                 source=TemplateEvent.Source.SYNC, detail=detail)


def stale_syncs_close(*, older_than: timedelta = STALE_AFTER) -> int:
    """Runs whose task was lost (a worker restarted mid-run) would show "running" forever: close them."""
    return TemplateSync.objects.filter(status=TemplateSync.Status.RUNNING,
                                       started_at__lt=timezone.now() - older_than).update(
        status=TemplateSync.Status.FAILED, error="Did not finish; the next sync will catch up.",
        finished_at=timezone.now())


def templates_sync_now(*, waba_id: str, trigger: str) -> TemplateSync:
    """Sync inline, without the worker (bootstrap_demo before the worker is up, tests)."""
    sync = TemplateSync.objects.create(waba_id=waba_id, trigger=trigger)
    return templates_sync_run(sync.pk)
