"""Split a stored Meta event into its changes, find each change's business, and run the handler for
its `field` inside that business's schema. One POST may carry changes for several businesses.

Routing key: `value.metadata.phone_number_id` (messages, calls, ...); fields without a number
(template, account, quality updates) route by the WABA id in `entry[].id`. Unknown numbers are kept
as unroutable changes, never dropped, and can be replayed once the number is connected.
"""
import json
import logging

from django.db import transaction
from django.utils import timezone
from django_tenants.utils import tenant_context

from tenants.models import WebhookChange, WebhookEvent
from tenants.routing import tenant_for_phone_number, tenant_for_waba

logger = logging.getLogger(__name__)


def _changes_of(payload: dict) -> list[dict]:
    changes = []
    for entry in payload.get("entry") or []:
        if not isinstance(entry, dict):
            continue
        for change in entry.get("changes") or []:
            if not isinstance(change, dict):
                continue
            value = change.get("value") if isinstance(change.get("value"), dict) else {}
            metadata = value.get("metadata") if isinstance(value.get("metadata"), dict) else {}
            changes.append({
                "field": str(change.get("field") or ""),
                "value": value,
                "phone_number_id": str(metadata.get("phone_number_id") or ""),
                "waba_id": str(entry.get("id") or ""),
            })
    return changes


def _tenant_for(change: dict):
    if change["phone_number_id"]:
        return tenant_for_phone_number(change["phone_number_id"])
    return tenant_for_waba(change["waba_id"]) if change["waba_id"] else None


def webhook_event_route(event_id: int) -> None:
    """Route and handle every change of one event. Safe to run again: handled changes are skipped."""
    event = WebhookEvent.objects.filter(pk=event_id).first()
    if event is None or event.status == WebhookEvent.Status.PROCESSED:
        return
    WebhookEvent.objects.filter(pk=event_id).update(attempts=event.attempts + 1)
    try:
        payload = json.loads(event.body)
    except ValueError:
        logger.warning("webhook event %s is not JSON; kept for inspection", event_id)
        WebhookEvent.objects.filter(pk=event_id).update(status=WebhookEvent.Status.FAILED)
        return
    parsed = _changes_of(payload if isinstance(payload, dict) else {})
    rows = {c.position: c for c in WebhookChange.objects.filter(event_id=event_id)}
    failed = False
    for position, change in enumerate(parsed):
        row = rows.get(position)
        if row is None:
            tenant = _tenant_for(change)
            row = WebhookChange.objects.create(
                event_id=event_id, position=position, field=change["field"],
                phone_number_id=change["phone_number_id"], waba_id=change["waba_id"], tenant=tenant,
                status=WebhookChange.Status.PENDING if tenant else WebhookChange.Status.UNROUTABLE)
            if tenant is None:
                logger.warning("unroutable %s change for number %r / account %r kept (event %s)",
                               change["field"], change["phone_number_id"], change["waba_id"], event_id)
        if row.status != WebhookChange.Status.PENDING:
            continue
        failed |= not _handle(row, change)
    WebhookEvent.objects.filter(pk=event_id).update(
        status=WebhookEvent.Status.FAILED if failed else WebhookEvent.Status.PROCESSED,
        processed_at=None if failed else timezone.now())


def _handle(row: WebhookChange, change: dict) -> bool:
    from apps.webhooks.handlers import handle_change

    try:
        with tenant_context(row.tenant), transaction.atomic():
            handle_change(change["field"], change["value"], waba_id=change["waba_id"])
    except Exception as exc:  # one bad change must not block the others; the sweeper retries it
        logger.exception("webhook change %s (%s) failed", row.pk, row.field)
        WebhookChange.objects.filter(pk=row.pk).update(status=WebhookChange.Status.FAILED, error=repr(exc)[:2000])
        return False
    WebhookChange.objects.filter(pk=row.pk).update(status=WebhookChange.Status.HANDLED, handled_at=timezone.now(),
                                                   error="")
    return True


def webhook_changes_replay(*, unroutable: bool = True, failed: bool = True, event_ids=None) -> int:
    """Route again: unroutable changes (a number may be connected now) and failed ones. Returns how many."""
    statuses = [s for s, wanted in ((WebhookChange.Status.UNROUTABLE, unroutable),
                                    (WebhookChange.Status.FAILED, failed)) if wanted]
    changes = WebhookChange.objects.filter(status__in=statuses)
    if event_ids:
        changes = changes.filter(event_id__in=event_ids)
    events = set()
    for row in changes.select_related("event"):
        change = next((c for i, c in enumerate(_changes_of(json.loads(row.event.body))) if i == row.position), None)
        if change is None:
            continue
        tenant = _tenant_for(change)
        if tenant is None:
            continue
        WebhookChange.objects.filter(pk=row.pk).update(tenant=tenant, status=WebhookChange.Status.PENDING)
        events.add(row.event_id)
    WebhookEvent.objects.filter(pk__in=events).update(status=WebhookEvent.Status.RECEIVED)
    for event_id in events:
        webhook_event_route(event_id)
    return len(events)
