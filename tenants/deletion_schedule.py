"""A business's deletion after a grace period (docs/data-export-and-deletion.md).

An owner asks (apps.portability checks the slug and their password and writes the business's audit log in the same
transaction); the deletion is due DELETION_GRACE_DAYS later. Until then the business works as before, every member
sees when it will be deleted, and any owner can cancel. The beat (`tenants.tasks.business_deletions_run`) deletes
what is due with `tenant_delete(drop=True)`: schema, routes, media, live stream and cache keys.

The DeletionRequest row lives in the public schema and is never cascaded, so it is the record that outlives the
business (its audit log is dropped with its schema). Requests and cancellations lock the Tenant row, and the run
locks the request, so a cancellation and the run never both succeed.
"""
import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from apps.core.errors import Conflict
from tenants.deletion import tenant_delete
from tenants.models import DeletionRequest, Tenant, User

logger = logging.getLogger(__name__)

OPEN = {"cancelled_at__isnull": True, "completed_at__isnull": True}


def deletion_pending(*, tenant: Tenant) -> DeletionRequest | None:
    """The business's scheduled deletion, if one is waiting out its grace period."""
    return DeletionRequest.objects.filter(tenant=tenant, **OPEN).select_related("requested_by").first()


@transaction.atomic
def deletion_schedule(*, tenant: Tenant, user: User) -> DeletionRequest:
    """Schedule the business's deletion for now + DELETION_GRACE_DAYS. The caller has checked who may."""
    Tenant.objects.select_for_update().filter(pk=tenant.pk).first()  # two owners clicking at once: one request
    if deletion_pending(tenant=tenant) is not None:
        raise Conflict("The business is already scheduled for deletion.", code="deletion_scheduled")
    now = timezone.now()
    return DeletionRequest.objects.create(
        tenant=tenant, tenant_slug=tenant.slug, tenant_name=tenant.name, schema_name=tenant.schema_name,
        requested_by=user, requested_by_email=user.email, requested_at=now,
        due_at=now + timedelta(days=settings.DELETION_GRACE_DAYS))


@transaction.atomic
def deletion_cancel(*, tenant: Tenant, user: User) -> DeletionRequest:
    """Cancel the waiting deletion. A deletion already running holds the request's lock; this then finds nothing."""
    request = DeletionRequest.objects.select_for_update().filter(tenant=tenant, **OPEN).first()
    if request is None:
        raise Conflict("The business is not scheduled for deletion.", code="no_deletion_scheduled")
    request.cancelled_at = timezone.now()
    request.cancelled_by_email = user.email
    request.save(update_fields=["cancelled_at", "cancelled_by_email"])
    return request


def deletions_due() -> list[int]:
    return list(DeletionRequest.objects.filter(due_at__lte=timezone.now(), tenant__isnull=False, **OPEN)
                .order_by("due_at").values_list("pk", flat=True))


def deletion_run(request_id: int) -> bool:
    """Delete the business of one due request, unless it was cancelled meanwhile. True when it was deleted."""
    with transaction.atomic():
        request = (DeletionRequest.objects.select_for_update(skip_locked=True)
                   .filter(pk=request_id, due_at__lte=timezone.now(), tenant__isnull=False, **OPEN)
                   .select_related("tenant").first())
        if request is None:  # cancelled, done, or another run has it
            return False
        tenant_delete(tenant=request.tenant, drop=True)  # marks this request completed (tenants.deletion)
    logger.warning("business %s deleted after its grace period (requested by %s on %s)", request.tenant_slug,
                   request.requested_by_email or "?", f"{request.requested_at:%Y-%m-%d}")
    return True
