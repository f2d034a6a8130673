"""Split a stored Meta event into its changes, find each change's business, and run the handler registered for
its `field` (tenants.ingress.registry) inside that business's schema. One POST may carry changes for several
businesses.

Routing key: `value.metadata.phone_number_id` (messages, calls, ...); fields without a number
(template, account, quality updates) route by the WABA id in `entry[].id`. Unknown numbers are kept
as unroutable changes, never dropped, and can be replayed once the number is connected (tenants.ingress.replay).

Attempts: routers claim due events in batches and hold each by its lease (`lease_until`, tenants.ingress.claim);
a change is marked handled in its handler's transaction, so it is handled once even if two attempts overlap. A
failed attempt backs off exponentially through the same lease; after
WEBHOOK_MAX_ATTEMPTS, or when the body is unusable, the event is `dead`: logged once at ERROR and listed for
platform staff. Routing keys that can't be Meta's are rejected here; what else Meta never sends, the handler
rejects (ChangeRejected: the whole change) or drops item by item (its returned problems), at the edge.
"""
import functools
import json
import logging
import time
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from django_tenants.utils import tenant_context

from apps.core.bulk_copy import copy_insert
from apps.core.metrics import WEBHOOK_EVENTS_ROUTED, WEBHOOK_LAG
from tenants.ingress.claim import Claimed, webhook_events_claim
from tenants.ingress.merge import MAX_STATUSES, StatusRun, status_only
from tenants.ingress.models import WebhookChange, WebhookEvent
from tenants.ingress.registry import ChangeRejected, handler_for
from tenants.ingress.routes import routing_problem, tenant_for_phone_number, tenant_for_waba
from tenants.ingress.wake import router_wake, router_woken

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
    return change_tenant_by_keys(change["problem"], change["phone_number_id"], change["waba_id"])


def change_tenant_by_keys(problem: str | None, phone_number_id: str, waba_id: str):
    """change_tenant by the change's routing keys (hashable: a router remembers them for a batch)."""
    if problem:
        return None
    if phone_number_id:
        return tenant_for_phone_number(phone_number_id)
    return tenant_for_waba(waba_id) if waba_id else None


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
    """Route and handle every change of one event, now (a replay, or a route task queued before routers claimed
    in batches). Safe to run again: handled changes are skipped."""
    event = WebhookEvent.objects.filter(pk=event_id).first()
    if event is None or event.status in (Event.PROCESSED, Event.DEAD):
        return
    attempt = event.attempts + 1
    WebhookEvent.objects.filter(pk=event_id).update(attempts=attempt, lease_until=_route_lease_end(timezone.now()))
    if _route(event_id, event_body_parse(event.body), attempt, first=False, tenant_of=change_tenant_by_keys):
        _processed([event_id])


def webhook_events_route_due(*, limit: int | None = None, seconds: float | None = None) -> int:
    """The router: claim due events in batches (tenants.ingress.claim) and route them, until a claim finds
    nothing or `seconds` have passed (then another run is woken). Returns how many events it routed."""
    deadline = time.monotonic() + (settings.WEBHOOK_ROUTER_RUN_SECONDS if seconds is None else seconds)
    routed = 0
    while True:
        router_woken()
        batch = webhook_events_claim(limit)
        if not batch:
            return routed
        _processed(_route_batch(batch))
        routed += len(batch)
        if time.monotonic() > deadline:
            router_wake()  # the rest goes on in a fresh task, within the worker's time limits
            return routed


def _route_batch(batch: list[Claimed]) -> list[int]:
    """Route a claimed batch; the ids of the events done. Status-only first attempts are handled per number in
    runs (tenants.ingress.merge); any other event first hands the runs so far over, so each number's events
    keep their order."""
    tenant_of = functools.cache(change_tenant_by_keys)  # for this batch: numbers rarely move in a second
    done: list[int] = []
    runs: dict[tuple[str, str], StatusRun] = {}

    def hand_over(keys=None) -> None:
        for key in list(runs) if keys is None else keys:
            done.extend(_route_statuses(runs.pop(key), tenant_of))

    for claimed in batch:
        body_parsed = event_body_parse(claimed.body)
        change = status_only(body_parsed[0]) if claimed.attempt == 1 and body_parsed[0] is not None else None
        if change is None:
            hand_over()
            if _route(claimed.event_id, body_parsed, claimed.attempt, first=claimed.attempt == 1,
                      tenant_of=tenant_of):
                done.append(claimed.event_id)
            continue
        key = (change["phone_number_id"], change["waba_id"])
        if key in runs and runs[key].statuses() + len(change["value"]["statuses"]) > MAX_STATUSES:
            hand_over([key])
        run = runs.setdefault(key, StatusRun(*key))
        run.claims.append(claimed)
        run.values.append(change["value"])
    hand_over()
    return done


def _route_statuses(run: StatusRun, tenant_of) -> list[int]:
    """A run's statuses as one change, the events' change rows written handled in the handler's transaction;
    the ids of the events done. Anything unusual (unroutable, rejected, failed, a row already there) goes the
    one-event way instead, which records what happened to each."""
    tenant = tenant_of(None, run.phone_number_id, run.waba_id)
    handler = handler_for("messages")
    ids = [claimed.event_id for claimed in run.claims]
    if tenant is not None and handler is not None:
        try:
            with tenant_context(tenant), transaction.atomic():
                now = timezone.now()
                copy_insert(WebhookChange, [{
                    "event_id": event_id, "position": 0, "field": "messages", "tenant_id": tenant.pk,
                    "phone_number_id": run.phone_number_id[:32], "waba_id": run.waba_id[:32],
                    "status": Change.HANDLED, "handled_at": now} for event_id in ids])
                dropped = "; ".join(handler(run.value(), waba_id=run.waba_id) or [])[:2000]
                if dropped:
                    WebhookChange.objects.filter(event_id__in=ids).update(error=dropped)
        except Exception as exc:  # each event is handled again, and its failure recorded, one at a time
            logger.info("webhook events %s: statuses handled together failed (%r); one event at a time", ids, exc)
        else:
            if dropped:
                logger.warning("webhook events %s (messages), items rejected at the edge: %s", ids, dropped)
            return ids
    return [claimed.event_id for claimed in run.claims if _route(
        claimed.event_id, event_body_parse(claimed.body), claimed.attempt, first=False, tenant_of=tenant_of)]


def _route(event_id: int, body_parsed: tuple, attempt: int, *, first: bool, tenant_of) -> bool:
    """One attempt at an event its caller holds (attempts counted, leased), its body parsed (event_body_parse).
    True when every change is done (the caller marks the event processed); else the event is failed (back-off)
    or dead. `first`: no earlier attempt made change rows; `tenant_of(problem, phone_number_id, waba_id)` finds a
    change's business."""
    parsed, unusable = body_parsed
    if parsed is None:
        _dead(event_id, unusable)  # parsing again won't help
        return False
    rows = {} if first else {
        c.position: c for c in WebhookChange.objects.filter(event_id=event_id).select_related("tenant")}
    errors = []
    for position, change in enumerate(parsed):
        row = rows.get(position) or _row_create(
            event_id, position, change, tenant_of(change["problem"], change["phone_number_id"], change["waba_id"]))
        if row.status not in (Change.PENDING, Change.FAILED):  # a failed change is what a retry is for
            continue
        error = _handle(row, change)
        if error:
            errors.append(f"change {position} ({row.field}): {error}")
    if errors:
        _failed(event_id, attempt, "; ".join(errors))
    return not errors


def _processed(event_ids: list[int]) -> None:
    if not event_ids:
        return
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(f"""UPDATE {WebhookEvent._meta.db_table}
                           SET status = %s, processed_at = %s, lease_until = NULL, error = ''
                           WHERE id = ANY(%s) RETURNING extract(epoch FROM processed_at - received_at)""",
                       [Event.PROCESSED, now, event_ids])
        lags = [float(lag) for (lag,) in cursor.fetchall()]
    WEBHOOK_EVENTS_ROUTED.inc(len(lags))
    for lag in lags:
        WEBHOOK_LAG.observe(lag)


def _row_create(event_id: int, position: int, change: dict, tenant) -> WebhookChange:
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
                # Marked handled first, in the handler's transaction: the row lock makes a second router (an
                # expired lease, a replay) wait, then find it handled; a rollback leaves it to handle again.
                if not WebhookChange.objects.filter(pk=row.pk, status__in=[Change.PENDING, Change.FAILED]).update(
                        status=Change.HANDLED, handled_at=timezone.now(), error=""):
                    return ""
                problems = handler(value, waba_id=change["waba_id"])
                dropped = "; ".join(problems or [])[:2000]
                if dropped:
                    WebhookChange.objects.filter(pk=row.pk).update(error=dropped)
                handled = True
    except ChangeRejected as exc:  # rolled back: nothing of the change was written
        return _rejected(row, str(exc))
    except Exception as exc:  # one bad change must not block the others; the sweeper retries it
        if handled and not isinstance(exc, DatabaseError):
            # Committed; only an after-commit hook (a live event, a task enqueue) failed. Those recover on
            # their own (the outbox sweeper, the next refetch): the change is done, retrying would redo nothing.
            logger.warning("webhook change %s (%s) handled; an after-commit step failed: %r", row.pk, row.field, exc)
            return ""
        logger.warning("webhook change %s (%s) failed", row.pk, row.field, exc_info=True)
        WebhookChange.objects.filter(pk=row.pk).update(status=Change.FAILED, error=repr(exc)[:2000])
        return repr(exc)[:500]
    if dropped:
        logger.warning("webhook change %s (%s) of event %s, items rejected at the edge: %s", row.pk, row.field,
                       row.event_id, dropped)
    return ""


def _route_lease_end(now):
    """Until when a router holds the event (a batch claim sets the same)."""
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
