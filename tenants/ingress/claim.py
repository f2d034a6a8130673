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


PIN_PLAN = "SET LOCAL enable_seqscan = off"


def webhook_events_claim(limit: int | None = None) -> list[Claimed]:
    """Lease up to `limit` due events to this router and return them in id order (empty: nothing is due).
    Times are the statement's (statement_timestamp), also when a caller's transaction is older."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CLAIM_LOCK])
        # A queue's statistics are always stale (after a burst the planner believed few events were due): the
        # claim reads indexes only, whatever they say; a seq scan would read every processed event the table keeps.
        cursor.execute(PIN_PLAN)
        cursor.execute(*claim_statement(limit))
        rows = cursor.fetchall()
    return sorted((Claimed(*row) for row in rows), key=lambda claimed: claimed.event_id)


def claim_statement(limit: int | None = None) -> tuple[str, list]:
    """The claim's UPDATE and its parameters: due events in id order (`webhook_event_due_in_order`), none whose
    number has an earlier event held by a router, leased in the same statement. The held events are found once per
    claim (`held`), not once per candidate: per candidate, the planner had scanned every waiting event."""
    table = WebhookEvent._meta.db_table
    routable = [WebhookEvent.Status.RECEIVED, WebhookEvent.Status.FAILED]
    return (
        f"WITH held AS MATERIALIZED (SELECT order_key, min(id) AS first_id FROM {table} "
        "WHERE status = %s AND lease_until > statement_timestamp() GROUP BY order_key), "
        f"due AS (SELECT e.id FROM {table} e WHERE e.status = ANY(%s) "
        "AND (e.lease_until IS NULL OR e.lease_until <= statement_timestamp()) "
        "AND NOT EXISTS (SELECT 1 FROM held WHERE held.order_key = e.order_key AND held.first_id < e.id) "
        "ORDER BY e.id LIMIT %s FOR UPDATE SKIP LOCKED) "
        f"UPDATE {table} SET attempts = {table}.attempts + 1, "
        "lease_until = statement_timestamp() + make_interval(secs => %s) "
        f"FROM due WHERE {table}.id = due.id RETURNING {table}.id, {table}.body, {table}.attempts",
        [WebhookEvent.Status.RECEIVED, routable, limit or settings.WEBHOOK_ROUTE_BATCH,
         settings.WEBHOOK_ROUTE_LEASE_SECONDS])
