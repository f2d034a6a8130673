"""The raw store: each verified POST from Meta is inserted as it came, before anything else happens, and
routed after commit (tenants.ingress.tasks). Meta can't resend old events, so nothing is lost once this commits.
"""
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction

from tenants.ingress.models import WebhookEvent

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Stored:
    event_id: int | None  # None: a concurrent insert of the same body, not visible yet
    inserted: bool  # False: a redelivery of a body already stored
    redacted: bool  # the redelivered body's stored copy was redacted after processing


@transaction.atomic
def webhook_event_store(*, body: str, digest: str) -> Stored:
    """Insert the raw event, leased to the route task enqueued after commit. For a redelivery of this exact
    body, the stored event's id and whether its body was redacted. One round trip either way."""
    table = WebhookEvent._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH inserted AS (INSERT INTO {table} (body, sha256, status, attempts, received_at, lease_until, "
            "error) VALUES (%s, %s, %s, 0, now(), now() + make_interval(secs => %s), '') "
            "ON CONFLICT (sha256) DO NOTHING RETURNING id) "
            "SELECT id, true, false FROM inserted "
            f"UNION ALL SELECT id, false, redacted_at IS NOT NULL FROM {table} "
            "WHERE sha256 = %s AND NOT EXISTS (SELECT 1 FROM inserted)",
            [body, digest, WebhookEvent.Status.RECEIVED, settings.WEBHOOK_ROUTE_LEASE_SECONDS, digest])
        row = cursor.fetchone()
    stored = Stored(*(row or (None, False, False)))
    if stored.inserted:
        # Robust: the event is stored, so Meta gets its 200 even when the broker is down; the event's lease
        # then runs out and the sweeper enqueues it.
        transaction.on_commit(lambda: _route_later(stored.event_id), robust=True)
    return stored


def _route_later(event_id: int) -> None:
    from tenants.ingress.router import webhook_events_unlease
    from tenants.ingress.tasks import webhook_event_route_task

    try:
        webhook_event_route_task.delay(event_id)
    except Exception as exc:  # the broker is down: give the lease back so the next sweep takes the event
        logger.warning("webhook event %s stored but not enqueued (the sweeper will): %s", event_id, exc)
        webhook_events_unlease([event_id])
