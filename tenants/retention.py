"""Retention and cleanup of what would otherwise only grow (beat, in batches).

- Raw webhook bodies hold customers' names, numbers and texts: redacted WEBHOOK_BODY_RETENTION_HOURS after the
  event was processed (body "{}", `redacted_at` set). The sha256 stays, so Meta's redelivery of the same bytes
  is still a no-op. Bodies with a change still to replay (unroutable, failed, pending) are kept until those
  changes are handled or deleted; dead events keep theirs for WEBHOOK_CHANGE_RETENTION_DAYS (inspection).
- WebhookChange rows that are handled, unroutable or rejected, or belong to a dead event, are deleted
  WEBHOOK_CHANGE_RETENTION_DAYS after their event arrived (Meta itself gives up redelivering after 7 days).
- Expired refresh tokens (simplejwt's OutstandingToken, and their BlacklistedToken rows with them).
- PendingStatus rows (statuses for a wamid we never learned) after PENDING_STATUS_RETENTION_DAYS, in every
  business.
"""
import logging
from datetime import timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django_tenants.utils import get_public_schema_name, schema_context

from tenants.models import Tenant, WebhookChange, WebhookEvent

logger = logging.getLogger(__name__)

BATCH = 1000
MAX_BATCHES = 50  # per run: a large backlog drains over a few runs instead of one long transaction

REDACTED_BODY = "{}"


def _in_batches(queryset, apply) -> int:
    done = 0
    for _ in range(MAX_BATCHES):
        ids = list(queryset.values_list("pk", flat=True)[:BATCH])
        if not ids:
            break
        done += apply(ids)
        if len(ids) < BATCH:
            break
    return done


def webhook_bodies_redact() -> int:
    now = timezone.now()
    still_needed = WebhookChange.objects.filter(event=OuterRef("pk"), status__in=[
        WebhookChange.Status.PENDING, WebhookChange.Status.FAILED, WebhookChange.Status.UNROUTABLE])
    processed = Q(status=WebhookEvent.Status.PROCESSED,
                  processed_at__lte=now - timedelta(hours=settings.WEBHOOK_BODY_RETENTION_HOURS))
    dead = Q(status=WebhookEvent.Status.DEAD,
             received_at__lte=now - timedelta(days=settings.WEBHOOK_CHANGE_RETENTION_DAYS))
    due = (WebhookEvent.objects.filter(redacted_at__isnull=True).filter(processed | dead)
           .exclude(processed & Exists(still_needed)).order_by("pk"))
    count = _in_batches(due, lambda ids: WebhookEvent.objects.filter(pk__in=ids, redacted_at__isnull=True).update(
        body=REDACTED_BODY, redacted_at=timezone.now()))
    if count:
        logger.info("redacted %s webhook bodies past retention", count)
    return count


def webhook_changes_delete() -> int:
    cutoff = timezone.now() - timedelta(days=settings.WEBHOOK_CHANGE_RETENTION_DAYS)
    done = Q(status__in=[WebhookChange.Status.HANDLED, WebhookChange.Status.UNROUTABLE,
                         WebhookChange.Status.REJECTED]) | Q(event__status=WebhookEvent.Status.DEAD)
    old = WebhookChange.objects.filter(done, event__received_at__lt=cutoff).order_by("pk")
    count = _in_batches(old, lambda ids: WebhookChange.objects.filter(pk__in=ids).delete()[0])
    if count:
        logger.info("deleted %s webhook changes past retention", count)
    return count


def refresh_tokens_flush() -> int:
    """simplejwt's flushexpiredtokens: blacklist rows go with their token (on_delete CASCADE)."""
    from rest_framework_simplejwt.token_blacklist.models import OutstandingToken

    expired = OutstandingToken.objects.filter(expires_at__lte=timezone.now()).order_by("pk")
    return _in_batches(expired, lambda ids: OutstandingToken.objects.filter(pk__in=ids).delete()[0])


def pending_statuses_prune() -> int:
    from apps.messaging.models import PendingStatus

    cutoff = timezone.now() - timedelta(days=settings.PENDING_STATUS_RETENTION_DAYS)
    count = 0
    schemas = Tenant.objects.exclude(schema_name=get_public_schema_name()).values_list("schema_name", flat=True)
    for schema in schemas:
        with schema_context(schema):
            stale = PendingStatus.objects.filter(created_at__lt=cutoff).order_by("pk")
            count += _in_batches(stale, lambda ids: PendingStatus.objects.filter(pk__in=ids).delete()[0])
    return count


def webhook_retention_run() -> int:
    return webhook_bodies_redact()


def cleanups_run() -> dict[str, int]:
    # Changes first: an unroutable change past retention no longer keeps its event's body.
    return {"webhook_changes": webhook_changes_delete(), "webhook_bodies": webhook_bodies_redact(),
            "refresh_tokens": refresh_tokens_flush(), "pending_statuses": pending_statuses_prune()}
