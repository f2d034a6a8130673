"""Split a stored Meta event into its changes, find each change's business, and run the handler registered for
its `field` (tenants.ingress.registry) inside that business's schema. One POST may carry changes for several
businesses.

Routing key: `value.metadata.phone_number_id` (messages, calls, ...); fields without a number
(template, account, quality updates) route by the WABA id in `entry[].id`. Unknown numbers are kept
as unroutable changes, never dropped, and can be replayed once the number is connected (tenants.ingress.replay).

Attempts: the event is leased while a route task may be queued or running (`lease_until`, so the sweeper
doesn't enqueue duplicates); a failed attempt backs off exponentially through the same lease; after
WEBHOOK_MAX_ATTEMPTS, or when the body is unusable, the event is `dead`: logged once at ERROR and listed for
platform staff. Routing keys that can't be Meta's are rejected here; what else Meta never sends, the handler
rejects (ChangeRejected: the whole change) or drops item by item (its returned problems), at the edge.
"""
import json
import logging
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, transaction
from django.db.models import Q
from django.utils import timezone
from django_tenants.utils import tenant_context

from tenants.ingress.models import WebhookChange, WebhookEvent
from tenants.ingress.registry import ChangeRejected, handler_for
from tenants.ingress.routes import routing_problem, tenant_for_phone_number, tenant_for_waba

logger = logging.getLogger(__name__)

Event = WebhookEvent.Status
Change = WebhookChange.Status


def _changes_of(payload: dict) -> list[dict]:
    changes = []
    entries = payload.get("entry")
    for entry in entries if isinstance(entries, list) else []:
        if not isinstance(entry, dict):
            continue
        entry_changes = entry.get("changes")
        for change in entry_changes if isinstance(entry_changes, list) else []:
            if not isinstance(change, dict):
                continue
            value = change.get("value")
            metadata = value.get("metadata") if isinstance(value, dict) else None
            phone_number_id = metadata.get("phone_number_id") if isinstance(metadata, dict) else None
            field, waba_id = change.get("field") or "", entry.get("id")
            changes.append({
                "field": field if isinstance(field, str) else "",
                "value": value,
                "phone_number_id": "" if phone_number_id is None else str(phone_number_id),
                "waba_id": "" if waba_id is None else str(waba_id),
                "problem": routing_problem(field, phone_number_id, waba_id),
            })
    return changes


def change_tenant(change: dict):
    """The business a parsed change routes to, or None (bad routing keys, or no business owns them)."""
    if change["problem"]:
        return None
    if change["phone_number_id"]:
        return tenant_for_phone_number(change["phone_number_id"])
    return tenant_for_waba(change["waba_id"]) if change["waba_id"] else None


def event_body_parse(body: str) -> tuple[list[dict] | None, str]:
    """The event's changes, or None and why the body can't be used (not JSON, nested too deep)."""
    try:
        payload = json.loads(body)
    except RecursionError:
        return None, "the body's JSON is nested too deep to parse"
    except ValueError as exc:
        return None, f"the body is not JSON: {exc}"
    return _changes_of(payload if isinstance(payload, dict) else {}), ""


def webhook_event_route(event_id: int) -> None:
    """Route and handle every change of one event. Safe to run again: handled changes are skipped."""
    event = WebhookEvent.objects.filter(pk=event_id).first()
    if event is None or event.status in (Event.PROCESSED, Event.DEAD):
        return
    attempt = event.attempts + 1
    WebhookEvent.objects.filter(pk=event_id).update(attempts=attempt, lease_until=_route_lease_end(timezone.now()))
    parsed, unusable = event_body_parse(event.body)
    if parsed is None:
        _dead(event_id, unusable)  # parsing again won't help
        return
    rows = {c.position: c for c in WebhookChange.objects.filter(event_id=event_id).select_related("tenant")}
    errors = []
    for position, change in enumerate(parsed):
        row = rows.get(position) or _row_create(event_id, position, change)
        if row.status not in (Change.PENDING, Change.FAILED):  # a failed change is what a retry is for
            continue
        error = _handle(row, change)
        if error:
            errors.append(f"change {position} ({row.field}): {error}")
    if errors:
        _failed(event_id, attempt, "; ".join(errors))
    else:
        WebhookEvent.objects.filter(pk=event_id).update(status=Event.PROCESSED, processed_at=timezone.now(),
                                                        lease_until=None, error="")


def _row_create(event_id: int, position: int, change: dict) -> WebhookChange:
    tenant = change_tenant(change)
    status = Change.REJECTED if change["problem"] else Change.PENDING if tenant else Change.UNROUTABLE
    row = WebhookChange.objects.create(
        event_id=event_id, position=position, field=change["field"][:64], tenant=tenant, status=status,
        phone_number_id=change["phone_number_id"][:32], waba_id=change["waba_id"][:32],
        error=change["problem"] or "")
    if change["problem"]:
        logger.warning("webhook change %s of event %s rejected at the edge: %s", position, event_id, change["problem"])
    elif tenant is None:
        logger.warning("unroutable %s change for number %r / account %r kept (event %s)",
                       change["field"], change["phone_number_id"], change["waba_id"], event_id)
    return row


def _rejected(row: WebhookChange, reason: str) -> str:
    reason = reason[:2000]
    logger.warning("webhook change %s (%s) of event %s, rejected at the edge: %s", row.pk, row.field, row.event_id,
                   reason)
    WebhookChange.objects.filter(pk=row.pk).update(status=Change.REJECTED, error=reason)
    return ""


def _handle(row: WebhookChange, change: dict) -> str:
    """Run the change's registered handler in its business's schema. Returns "" when handled (or rejected, or
    nobody handles the field), else why it failed."""
    value = change["value"]
    if not isinstance(value, dict):
        return _rejected(row, "value is not an object")
    handler = handler_for(change["field"])
    if handler is None:
        logger.info("no handler for webhook field %r yet; the change stays stored raw", change["field"])
        WebhookChange.objects.filter(pk=row.pk).update(status=Change.HANDLED, handled_at=timezone.now(), error="")
        return ""
    handled, problems = False, None
    try:
        with tenant_context(row.tenant):
            with transaction.atomic():
                problems = handler(value, waba_id=change["waba_id"])
                handled = True
    except ChangeRejected as exc:  # rolled back: nothing of the change was written
        return _rejected(row, str(exc))
    except Exception as exc:  # one bad change must not block the others; the sweeper retries it
        if handled and not isinstance(exc, DatabaseError):
            # Committed; only an after-commit hook (a live event, a task enqueue) failed. Those recover on
            # their own (the outbox sweeper, the next refetch): the change is done, retrying would redo nothing.
            logger.warning("webhook change %s (%s) handled; an after-commit step failed: %r", row.pk, row.field, exc)
        else:
            logger.warning("webhook change %s (%s) failed", row.pk, row.field, exc_info=True)
            WebhookChange.objects.filter(pk=row.pk).update(status=Change.FAILED, error=repr(exc)[:2000])
            return repr(exc)[:500]
    dropped = "; ".join(problems or [])[:2000]
    if dropped:
        logger.warning("webhook change %s (%s) of event %s, items rejected at the edge: %s", row.pk, row.field,
                       row.event_id, dropped)
    WebhookChange.objects.filter(pk=row.pk).update(status=Change.HANDLED, handled_at=timezone.now(), error=dropped)
    return ""


def _route_lease_end(now):
    """Until when a queued or running route task holds the event (the endpoint's INSERT sets the same)."""
    return now + timedelta(seconds=settings.WEBHOOK_ROUTE_LEASE_SECONDS)


def retry_delay(attempt: int) -> timedelta:
    """Exponential back-off after the attempt-th failure: base, 2 x base, 4 x base, ... capped."""
    seconds = settings.WEBHOOK_RETRY_BASE_SECONDS * 2 ** min(max(attempt - 1, 0), 30)
    return timedelta(seconds=min(seconds, settings.WEBHOOK_RETRY_MAX_SECONDS))


def _failed(event_id: int, attempt: int, error: str) -> None:
    if attempt >= settings.WEBHOOK_MAX_ATTEMPTS:
        _dead(event_id, f"{attempt} attempts failed; last: {error}")
        return
    WebhookEvent.objects.filter(pk=event_id).update(status=Event.FAILED, error=error[:4000],
                                                    lease_until=timezone.now() + retry_delay(attempt))


def _dead(event_id: int, reason: str) -> None:
    """No more automatic attempts. Reported once: the transition happens once."""
    if WebhookEvent.objects.filter(pk=event_id).exclude(status=Event.DEAD).update(
            status=Event.DEAD, error=reason[:4000], lease_until=None):
        logger.error("webhook event %s is dead (no more retries; replay_webhooks after a fix): %s", event_id,
                     reason[:500])


def webhook_events_lease_due(limit: int = 1000) -> list[int]:
    """Lease and return the events the sweeper should enqueue: received or failed, stored over a minute ago,
    whose lease (a queued task, or a back-off) has run out. Two sweeps never take the same event."""
    now = timezone.now()
    with transaction.atomic():
        due = list(WebhookEvent.objects.select_for_update(skip_locked=True)
                   .filter(status__in=[Event.RECEIVED, Event.FAILED], received_at__lt=now - timedelta(minutes=1))
                   .filter(Q(lease_until__isnull=True) | Q(lease_until__lte=now))
                   .order_by("pk").values_list("pk", flat=True)[:limit])
        WebhookEvent.objects.filter(pk__in=due).update(lease_until=_route_lease_end(now))
    return due


def webhook_events_unlease(event_ids: list[int]) -> None:
    WebhookEvent.objects.filter(pk__in=event_ids, status__in=[Event.RECEIVED, Event.FAILED]).update(lease_until=None)
