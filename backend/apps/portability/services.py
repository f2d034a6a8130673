"""The business as a whole: its export (requested here, written by a task, downloaded by the owner until it expires)
and its deletion (scheduled and cancelled here, in the control plane's tenants.deletion_schedule, with this business's
audit log written in the same transaction). Who may: Capability.BUSINESS_DATA, the owner's alone.
"""
import logging
import tempfile
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.utils import timezone

from apps.audit.recorder import record
from apps.core.errors import ApplicationError, Conflict
from apps.portability.archive import archive_write
from apps.portability.models import BusinessExport
from tenants import deletion_schedule
from tenants.members import Member
from tenants.models import DeletionRequest, Tenant

logger = logging.getLogger(__name__)

Status = BusinessExport.Status
IN_PROGRESS = (Status.PENDING, Status.RUNNING)
# A task's hard time limit (tasks.business_export_task), under the broker's visibility timeout: a run older than this
# died with its worker.
EXPORT_TIME_LIMIT_SECONDS = 6600
# A pending export untouched this long lost its task (the broker was down after commit): enqueued again.
EXPORT_PENDING_SWEEP_SECONDS = 600


def progress_key(export_id) -> str:
    return f"business-export:{export_id}:progress"  # the default cache prefixes the schema


# --- Export --------------------------------------------------------------------------------------------------------

@transaction.atomic
def export_request(*, actor: Member) -> BusinessExport:
    """Queue an export of the whole business. One at a time: a second request while one is prepared is a 409."""
    with connection.cursor() as cursor:  # two requests at once: the second waits, then sees the first
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"{connection.schema_name}:business-export"])
    if BusinessExport.objects.filter(status__in=IN_PROGRESS).exists():
        raise Conflict("An export of the business is already being prepared.", code="export_in_progress")
    export = BusinessExport.objects.create(requested_by=actor.user, requested_by_email=actor.user.email)
    record(actor, "business.export_requested", target=export)
    export_enqueue_on_commit(export.pk)
    return export


def export_enqueue_on_commit(export_id) -> None:
    """After commit, hand the export to a worker. A broker outage is logged and leaves it pending: the hourly sweep
    (exports_expire) enqueues it again."""
    from apps.portability.tasks import business_export_task

    def enqueue() -> None:
        try:
            business_export_task.delay(str(export_id))
        except Exception as exc:  # kombu/redis raise several unrelated types for "broker unreachable"
            logger.warning("business export %s not enqueued (left for the sweep): %s", export_id, exc)

    transaction.on_commit(enqueue, robust=True)


def export_run(export_id) -> BusinessExport | None:
    """Write the archive of a pending export (the task, in the business's schema). Claimed first, so a redelivered
    task does nothing; a failure leaves the export `failed` with its reason, never half a file."""
    now = timezone.now()
    if not BusinessExport.objects.filter(pk=export_id, status=Status.PENDING).update(status=Status.RUNNING,
                                                                                        started_at=now):
        return None
    export = BusinessExport.objects.get(pk=export_id)
    tenant = Tenant.objects.get(schema_name=connection.schema_name)
    try:
        with tempfile.TemporaryFile() as scratch:
            manifest = archive_write(tenant=tenant, out=scratch, requested_by=export.requested_by_email,
                                     progress=lambda counts: cache.set(progress_key(export.pk), counts, 3 * 3600))
            scratch.seek(0)
            name = default_storage.save(f"{tenant.schema_name}/exports/{export.pk}.zip", File(scratch))
    except Exception as exc:  # SoftTimeLimitExceeded included: the export says it failed, the log says why
        logger.exception("business export %s failed", export.pk)
        export.status, export.finished_at = Status.FAILED, timezone.now()
        export.failure = str(exc)[:300] or type(exc).__name__
        export.save(update_fields=["status", "failure", "finished_at"])
        return export
    finished = timezone.now()
    export.status, export.file, export.size = Status.READY, name, default_storage.size(name)
    export.finished_at = finished
    export.expires_at = finished + timedelta(hours=settings.BUSINESS_EXPORT_RETENTION_HOURS)
    export.counts = {**{file: meta["rows"] for file, meta in manifest["files"].items()},
                     "media": manifest["media"]["files"]}
    export.save(update_fields=["status", "file", "size", "finished_at", "expires_at", "counts"])
    cache.delete(progress_key(export.pk))
    return export


@transaction.atomic
def export_download(*, actor: Member, export: BusinessExport):
    """The archive's file, opened for streaming; recorded as `business.export_downloaded`."""
    if export.status == Status.EXPIRED or (export.expires_at and export.expires_at <= timezone.now()):
        raise ApplicationError("This export has expired and its file was deleted; request a new one.",
                               code="export_expired", status_code=410)
    if export.status != Status.READY:
        raise Conflict("The export is not ready to download.", code="export_not_ready")
    record(actor, "business.export_downloaded", target=export)
    return default_storage.open(export.file, "rb")


def exports_expire() -> dict[str, int]:
    """Hourly, in each business: delete the files of exports past their expiry, fail runs whose worker died, and
    enqueue again pending exports whose task was lost."""
    now = timezone.now()
    expired = 0
    for export in BusinessExport.objects.filter(status=Status.READY, expires_at__lte=now):
        default_storage.delete(export.file)
        export.status, export.file = Status.EXPIRED, ""
        export.save(update_fields=["status", "file"])
        expired += 1
    died = BusinessExport.objects.filter(
        status=Status.RUNNING, started_at__lt=now - timedelta(seconds=EXPORT_TIME_LIMIT_SECONDS)).update(
        status=Status.FAILED, finished_at=now, failure="The worker stopped before the export was written.")
    lost = list(BusinessExport.objects.filter(
        status=Status.PENDING, created_at__lt=now - timedelta(seconds=EXPORT_PENDING_SWEEP_SECONDS))
        .values_list("pk", flat=True))
    for export_id in lost:
        export_enqueue_on_commit(export_id)  # outside a transaction: at once
    return {"expired": expired, "died": died, "requeued": len(lost)}


# --- Deletion ------------------------------------------------------------------------------------------------------

@transaction.atomic
def deletion_request(*, actor: Member, slug: str, password: str) -> DeletionRequest:
    """Schedule the business's deletion: the owner types its slug and their password (the view checked who may)."""
    errors = {}
    if slug.strip().lower() != actor.tenant.slug:
        errors["slug"] = [f"Type the business's address name, {actor.tenant.slug}, to confirm."]
    if not actor.user.check_password(password):
        errors["password"] = ["The password is not right."]
    if errors:
        raise ApplicationError("The deletion was not confirmed.", code="validation_error", errors=errors)
    request = deletion_schedule.deletion_schedule(tenant=actor.tenant, user=actor.user)
    record(actor, "business.deletion_requested", target_type="business", target_id=actor.tenant.pk,
           target_label=actor.tenant.name, detail={"due_at": request.due_at.isoformat()})
    return request


@transaction.atomic
def deletion_cancel(*, actor: Member) -> DeletionRequest:
    request = deletion_schedule.deletion_cancel(tenant=actor.tenant, user=actor.user)
    record(actor, "business.deletion_cancelled", target_type="business", target_id=actor.tenant.pk,
           target_label=actor.tenant.name, detail={"was_due_at": request.due_at.isoformat()})
    return request
