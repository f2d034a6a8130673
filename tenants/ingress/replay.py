"""Route stored changes again, when a person asks (`manage.py replay_webhooks`, or platform staff's replay in
tenants.staff_api): unroutable ones (their number may be connected now) and failed ones (after a fix). Meta can't
resend old events; the raw bodies are ours."""
import logging

from tenants.ingress.models import WebhookChange, WebhookEvent
from tenants.ingress.router import change_tenant, event_body_parse, webhook_event_route

logger = logging.getLogger(__name__)

Change = WebhookChange.Status


def _changes_of_event(event_id: int) -> list[dict] | None:
    """The parsed changes of one stored event; None when its body was redacted after retention."""
    body, redacted_at = WebhookEvent.objects.filter(pk=event_id).values_list("body", "redacted_at").get()
    if redacted_at is not None:
        return None
    parsed, _ = event_body_parse(body)
    return parsed or []


def webhook_changes_replay(*, unroutable: bool = True, failed: bool = True, event_ids=None, change_ids=None) -> int:
    """Route again: unroutable changes (a number may be connected now) and failed ones, optionally only those of
    some events or only some changes. Returns how many events were routed again. Streams the changes and parses
    each event's body once; an event whose body was redacted has nothing left to replay (logged). Routing an
    event also retries its other failed changes (the router retries every failed change of an event it routes)."""
    statuses = [s for s, wanted in ((Change.UNROUTABLE, unroutable), (Change.FAILED, failed)) if wanted]
    changes = WebhookChange.objects.filter(status__in=statuses).order_by("event_id", "position")
    if event_ids:
        changes = changes.filter(event_id__in=event_ids)
    if change_ids:
        changes = changes.filter(pk__in=change_ids)
    events, redacted = set(), set()
    current_id, parsed = None, None
    for row in changes.only("pk", "event_id", "position").iterator(chunk_size=500):
        if row.event_id != current_id:
            current_id, parsed = row.event_id, _changes_of_event(row.event_id)
        if parsed is None:
            redacted.add(row.event_id)
            continue
        change = parsed[row.position] if row.position < len(parsed) else None
        tenant = change_tenant(change) if change else None
        if tenant is None:
            continue
        WebhookChange.objects.filter(pk=row.pk).update(tenant=tenant, status=Change.PENDING)
        events.add(row.event_id)
    if redacted:
        logger.warning("webhook events %s: bodies redacted after retention, nothing to replay",
                       ", ".join(map(str, sorted(redacted))))
    # A person asked for this: a dead event gets its attempts back.
    WebhookEvent.objects.filter(pk__in=events).update(status=WebhookEvent.Status.RECEIVED, attempts=0, error="")
    for event_id in events:
        webhook_event_route(event_id)
    return len(events)
