"""Emission of outbound webhook events: `emit(event_type, data)` where the thing happens (docs/webhooks-outbound.md).

Called inside the transaction that makes the change (from the receivers of the product apps' signals,
apps.developer.webhook_receivers): one `WebhookDelivery` row per subscribed endpoint is written in that same
transaction, so an event exists exactly when its change committed (a transactional outbox: a crash after commit loses
nothing, the sweeper finds the row), and the delivery tasks are enqueued after commit. A business without endpoints
pays one cached lookup (`subscriptions`), no query.
"""
from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

logger = logging.getLogger(__name__)

# Every event type an endpoint may subscribe to, with what it means (the API's enum, the docs' table).
EVENT_TYPES: dict[str, str] = {
    "message.received": "A customer's message arrived (stored once: a redelivered webhook emits nothing).",
    "message.status_changed": "A message the business sent moved on: sent, delivered, read or failed.",
    "contact.created": "A contact was added (by a member, the API, a CSV import, or a customer's first message).",
    "contact.updated": "A member, the API, a CSV import or a bulk action changed a contact's profile, tags or "
                       "attributes.",
    "contact.deleted": "A contact was deleted (one, in bulk, or merged into another contact).",
    "contact.opted_out": "A contact opted out of a category (STOP keyword, Meta's preference, a member).",
    "contact.opted_in": "A contact opted (back) in to a category.",
    "campaign.finished": "A campaign ended: completed, cancelled or failed.",
    "template.status_changed": "Meta changed a template's status (approved, rejected, paused, disabled, ...).",
    "call.updated": "A WhatsApp call moved on (connect, ringing, accepted, rejected, terminate).",
}
PING = "ping"  # the test event (POST .../{id}/test/); not subscribable, sent to one endpoint on request
SUBSCRIPTIONS_KEY = "developer:webhook-subscriptions"
SUBSCRIPTIONS_TTL = 60


def subscriptions() -> list[tuple[int, list[str]]]:
    """The active endpoints and their events, cached per business (the tenant-scoped cache) for a minute and dropped
    when an endpoint changes. A Redis outage falls back to the query."""
    from apps.developer.webhook_models import WebhookEndpoint

    try:
        cached = cache.get(SUBSCRIPTIONS_KEY)
    except Exception as exc:  # noqa: BLE001 - the cache is an optimisation only
        logger.warning("webhook subscriptions not read from the cache: %s", exc)
        cached = None
    if cached is not None:
        return cached
    rows = [(pk, list(events)) for pk, events in
            WebhookEndpoint.objects.filter(is_active=True).values_list("pk", "events")]
    try:
        cache.set(SUBSCRIPTIONS_KEY, rows, SUBSCRIPTIONS_TTL)
    except Exception as exc:  # noqa: BLE001
        logger.warning("webhook subscriptions not cached: %s", exc)
    return rows


def subscriptions_forget() -> None:
    """After an endpoint changed: drop the cached subscriptions once the change commits."""
    def forget() -> None:
        try:
            cache.delete(SUBSCRIPTIONS_KEY)
        except Exception as exc:  # noqa: BLE001
            logger.warning("webhook subscriptions cache not cleared (expires in %ss): %s", SUBSCRIPTIONS_TTL, exc)

    transaction.on_commit(forget, robust=True)


def subscribers(event_type: str) -> list[int]:
    return [pk for pk, events in subscriptions() if event_type in events]


def wants(event_type: str) -> bool:
    """Whether any active endpoint of this business subscribes to `event_type` (cheap: call it before building data)."""
    return bool(subscribers(event_type))


def envelope(event_type: str, data: dict, *, event_id: uuid.UUID | None = None, at=None) -> dict:
    event_id = event_id or uuid.uuid4()
    return {"id": str(event_id), "type": event_type, "created_at": (at or timezone.now()).isoformat(), "data": data}


def emit(event_type: str, data: dict) -> int:
    """One event: a delivery for every active endpoint subscribed to it. Returns how many."""
    return emit_many(event_type, [data])


def emit_many(event_type: str, items: Iterable[dict]) -> int:
    """Several events of one type (a change's statuses): every delivery row in one INSERT, the tasks after commit."""
    if event_type not in EVENT_TYPES:
        raise ValueError(f"unknown webhook event type {event_type!r}")
    endpoints = subscribers(event_type)
    if not endpoints:
        return 0
    from apps.developer.webhook_models import WebhookDelivery

    now = timezone.now()
    rows = []
    for data in items:
        payload = envelope(event_type, data, at=now)
        rows += [WebhookDelivery(endpoint_id=pk, event_type=event_type, event_id=uuid.UUID(payload["id"]),
                                 payload=payload, next_attempt_at=now) for pk in endpoints]
    with transaction.atomic():
        WebhookDelivery.objects.bulk_create(rows)
    deliveries_enqueue_on_commit([row.pk for row in rows])
    return len(rows)


def deliveries_enqueue_on_commit(delivery_ids: list) -> None:
    """After commit, a task per delivery. A broker outage is logged, never raised: the rows are pending and due, so
    the sweeper (webhook_deliveries_sweep_all, beat) enqueues them."""
    if not delivery_ids:
        return
    from apps.developer.webhook_tasks import webhook_deliver_task

    ids = [str(pk) for pk in delivery_ids]

    def enqueue() -> None:
        try:
            for pk in ids:
                webhook_deliver_task.apply_async(args=[pk])
        except Exception as exc:  # noqa: BLE001 - kombu/redis raise several types for "broker unreachable"
            logger.warning("%s webhook deliveries not enqueued (left for the sweeper): %s", len(ids), exc)

    transaction.on_commit(enqueue, robust=True)
