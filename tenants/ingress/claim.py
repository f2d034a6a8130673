"""How routers take stored events: in batches, each event by one router, in arrival order per WhatsApp number.

The endpoint only inserts; a router claims up to WEBHOOK_ROUTE_BATCH due events (received, or failed with its
back-off over; no live lease) with `FOR UPDATE SKIP LOCKED`, ordered by id, and leases them for
WEBHOOK_ROUTE_LEASE_SECONDS in the same statement. Guarantees:
- one router per event: the lease is committed before routing starts, and a claim skips leased events;
- a router that dies mid-batch leaves the rest leased; the lease runs out and the next claim takes them;
- order per number (`order_key`, the body's first phone_number_id): an event is not claimed while an earlier
  event with the same key is held by a router, so two routers never handle one number's events at once or out
  of order. Claims are serialised (a transaction-level advisory lock: one short statement) so each claim sees
  the leases committed before it. An event whose attempt failed stops holding its number: the later events go
  on while it backs off (statuses are forward-only; messages are keyed by their wamid).
"""
import hashlib
import re
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction

from tenants.ingress.models import WebhookEvent

ORDER_KEY = re.compile(r'"phone_number_id"\s*:\s*"?([0-9]{1,32})')
# The claim's advisory-lock key (64-bit, from its text), the same in every process.
_CLAIM_LOCK = int.from_bytes(hashlib.sha256(b"convonest.ingress-claim").digest()[:8], "big", signed=True)


def order_key_of(body: str) -> str:
    """The events of one number are routed in order: the body's first phone_number_id, or "" (fields without
    a number, e.g. template updates, share one order). A regex, not a JSON parse: the endpoint stays a store."""
    match = ORDER_KEY.search(body)
    return match.group(1) if match else ""


@dataclass(frozen=True)
class Claimed:
    event_id: int
    body: str
    attempt: int  # this attempt's number (attempts already counted)


def webhook_events_claim(limit: int | None = None) -> list[Claimed]:
    """Lease up to `limit` due events to this router and return them in id order (empty: nothing is due).
    Times are the statement's (statement_timestamp), also when a caller's transaction is older."""
    table = WebhookEvent._meta.db_table
    routable = [WebhookEvent.Status.RECEIVED, WebhookEvent.Status.FAILED]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CLAIM_LOCK])
        cursor.execute(
            f"WITH due AS (SELECT e.id FROM {table} e WHERE e.status = ANY(%s) "
            "AND (e.lease_until IS NULL OR e.lease_until <= statement_timestamp()) "
            f"AND NOT EXISTS (SELECT 1 FROM {table} held WHERE held.order_key = e.order_key AND held.id < e.id "
            "AND held.status = %s AND held.lease_until > statement_timestamp()) "
            "ORDER BY e.id LIMIT %s FOR UPDATE SKIP LOCKED) "
            f"UPDATE {table} SET attempts = {table}.attempts + 1, "
            "lease_until = statement_timestamp() + make_interval(secs => %s) "
            f"FROM due WHERE {table}.id = due.id RETURNING {table}.id, {table}.body, {table}.attempts",
            [routable, WebhookEvent.Status.RECEIVED, limit or settings.WEBHOOK_ROUTE_BATCH,
             settings.WEBHOOK_ROUTE_LEASE_SECONDS])
        rows = cursor.fetchall()
    return sorted((Claimed(*row) for row in rows), key=lambda claimed: claimed.event_id)
