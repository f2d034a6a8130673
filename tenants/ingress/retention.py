"""Retention of the webhook inbox (beat, in batches).

- Raw webhook bodies hold customers' names, numbers and texts: redacted WEBHOOK_BODY_RETENTION_HOURS after the
  event was processed (body "{}", `redacted_at` set). The sha256 stays, so Meta's redelivery of the same bytes
  is still a no-op. Bodies with a change still to replay (unroutable, failed, pending) are kept until those
  changes are handled or deleted; dead events keep theirs for WEBHOOK_CHANGE_RETENTION_DAYS (inspection).
- WebhookChange rows that are handled, unroutable or rejected, or belong to a dead event, are deleted
  WEBHOOK_CHANGE_RETENTION_DAYS after their event arrived (Meta itself gives up redelivering after 7 days).
"""
import logging
from datetime import timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from tenants.batches import in_batches
from tenants.ingress.models import WebhookChange, WebhookEvent

logger = logging.getLogger(__name__)

REDACTED_BODY = "{}"


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
    count = in_batches(due, lambda ids: WebhookEvent.objects.filter(pk__in=ids, redacted_at__isnull=True).update(
        body=REDACTED_BODY, redacted_at=timezone.now()))
    if count:
        logger.info("redacted %s webhook bodies past retention", count)
    return count


def webhook_changes_delete() -> int:
    cutoff = timezone.now() - timedelta(days=settings.WEBHOOK_CHANGE_RETENTION_DAYS)
    done = Q(status__in=[WebhookChange.Status.HANDLED, WebhookChange.Status.UNROUTABLE,
                         WebhookChange.Status.REJECTED]) | Q(event__status=WebhookEvent.Status.DEAD)
    old = WebhookChange.objects.filter(done, event__received_at__lt=cutoff).order_by("pk")
    count = in_batches(old, lambda ids: WebhookChange.objects.filter(pk__in=ids).delete()[0])
    if count:
        logger.info("deleted %s webhook changes past retention", count)
    return count


def webhook_retention_run() -> int:
    return webhook_bodies_redact()
