"""The raw store: each verified POST from Meta is inserted as it came, before anything else happens; a router
claims it in a batch (tenants.ingress.claim), woken after commit (tenants.ingress.wake). Meta can't resend old
events, so nothing is lost once this commits.
"""
from dataclasses import dataclass

from django.db import connection, transaction
from django_tenants.utils import get_public_schema_name

from tenants.ingress.claim import order_key_of
from tenants.ingress.models import WebhookEvent
from tenants.ingress.wake import router_wake


@dataclass(frozen=True)
class Stored:
    event_id: int | None  # None: a concurrent insert of the same body, not visible yet
    inserted: bool  # False: a redelivery of a body already stored
    redacted: bool  # the redelivered body's stored copy was redacted after processing


def webhook_event_store(*, body: str, digest: str) -> Stored:
    """Insert the raw event, due for the next claim, and wake a router after commit. For a redelivery of this
    exact body, the stored event's id and whether its body was redacted. One statement, atomic on its own, so
    no transaction around it: one round trip either way (inside a caller's transaction, the wake waits for
    its commit)."""
    # Schema-qualified, on the driver's cursor: django-tenants' cursor would first repeat the `SET search_path`
    # its host middleware already sent (a round trip, a third of this endpoint's database time).
    table = f"{get_public_schema_name()}.{WebhookEvent._meta.db_table}"
    connection.ensure_connection()
    with connection.connection.cursor() as cursor:
        cursor.execute(
            f"WITH inserted AS (INSERT INTO {table} (body, sha256, status, attempts, received_at, order_key, error) "
            "VALUES (%s, %s, %s, 0, now(), %s, '') "
            "ON CONFLICT (sha256) DO NOTHING RETURNING id) "
            "SELECT id, true, false FROM inserted "
            f"UNION ALL SELECT id, false, redacted_at IS NOT NULL FROM {table} "
            "WHERE sha256 = %s AND NOT EXISTS (SELECT 1 FROM inserted)",
            [body, digest, WebhookEvent.Status.RECEIVED, order_key_of(body), digest])
        row = cursor.fetchone()
    stored = Stored(*(row or (None, False, False)))
    if stored.inserted:
        # Robust: the event is stored, so Meta gets its 200 even when Redis or the broker is down.
        transaction.on_commit(router_wake, robust=True)
    return stored
