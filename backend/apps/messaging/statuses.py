"""Statuses from Meta's webhooks, applied a change at a time (up to 100 statuses, or 1,000 at Meta) in a fixed
number of statements: one locking SELECT of the messages (in id order, so two workers applying overlapping
changes never deadlock), the rules applied in Python in the change's order, one UPDATE of every changed message,
one INSERT of their events, one of the statuses held for messages we don't know yet, one usage count per
pricing metric, and, when messages became delivered and billable, the wholesale wallet's charge (four statements,
tenants.billing.wallet); the inbox's live events go to Redis after commit in one round trip.

The rules (the outbox's, apps.messaging.outbox): statuses only move forward (queued < sending/unknown < sent <
delivered < read); failed is terminal and wins over anything but failed; a message is found by its wamid, or by our
id in `biz_opaque_callback_data` when the send's answer was lost (then it learns its wamid); Meta's pricing is
recorded whatever the order and metered the first time; a message is charged to a wholesale business's wallet
when it is first both billable and delivered (or read), which Meta may report in either order and any number of
times; a status for a message we don't know yet is held (PendingStatus) and applied when its send records the
wamid (`pending_apply`).
"""
from __future__ import annotations

import json
import logging
import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import datetime

import redis
from django.db import connection, transaction
from django.utils import timezone

from apps.core.bulk_copy import copy_insert
from apps.core.json_params import json_param
from apps.core.redis import redis_client
from apps.messaging import live
from apps.messaging.models import Conversation, Message, MessageEvent, PendingStatus
from apps.messaging.signals import message_statuses_changed
from tenants.billing.usage import message_metric, usage_add_here
from tenants.billing.wallet import Delivered, wallet_charge_delivered

logger = logging.getLogger(__name__)

Status = Message.Status
# Statuses only move forward; failed is terminal (a late "delivered" can't revive a failed send).
RANK = {Status.QUEUED: 0, Status.SENDING: 1, Status.UNKNOWN: 1, Status.SENT: 2, Status.DELIVERED: 3, Status.READ: 4}
_FIELDS = ("status", "wamid", "sent_at", "delivered_at", "read_at", "failed_at", "error_code", "error_title",
           "error_details", "pricing_category", "pricing_type", "billable")


@dataclass(frozen=True)
class StatusIn:
    """One status as Meta reported it (apps.whatsapp.webhook_events.StatusUpdate has the same attributes)."""

    status: str
    wamid: str
    callback_data: str | None = None
    at: datetime | None = None
    error: dict | None = None
    pricing: dict | None = None


def _delivered_billable(message: _Locked) -> bool:
    """Meta charges a message when it is delivered, if its pricing says billable (read implies delivered)."""
    return message.billable is True and (message.delivered_at is not None or message.read_at is not None)


def _uuid(value) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError):
        return None


class _Batch:
    def __init__(self, messages: list[_Locked]):
        self.by_wamid = {m.wamid: m for m in messages if m.wamid}
        self.by_id = {m.pk: m for m in messages}
        self.changed: dict[uuid.UUID, _Locked] = {}
        self.events: list[dict] = []  # MessageEvent rows
        self.metrics: Counter = Counter()
        # Charged (or from before wallets) already: the rows are locked, so what they say now is final.
        self.billed_before = {m.pk for m in messages if _delivered_billable(m)}

    def find(self, update) -> _Locked | None:
        found = self.by_wamid.get(update.wamid)
        if found is None and update.callback_data:
            found = self.by_id.get(_uuid(update.callback_data))
        return found

    def apply(self, message: _Locked, update) -> None:
        """outbox.message_status_apply's rules on the locked row, in memory."""
        at = update.at or timezone.now()
        if message.wamid is None:
            message.wamid = update.wamid
            self.by_wamid[update.wamid] = message
            self.changed[message.pk] = message
        pricing = update.pricing
        if pricing:  # what Meta charged, whatever the status's order; metered the first time it is priced
            first = not (message.pricing_category or message.pricing_type or message.billable is not None)
            message.pricing_category = str(pricing.get("category") or "")[:32]
            message.pricing_type = str(pricing.get("type") or "")[:32]
            message.billable = pricing.get("billable") if isinstance(pricing.get("billable"), bool) else None
            self.changed[message.pk] = message
            if first and (message.pricing_category or message.pricing_type or message.billable is not None):
                self.metrics[message_metric(direction="out", category=message.pricing_category,
                                            billable=message.billable)] += 1
        if message.status == Status.FAILED:
            return
        status, error = update.status, update.error
        if status == Status.FAILED:
            message.status, message.failed_at = Status.FAILED, at
            message.error_code = (error or {}).get("code")
            message.error_title = ((error or {}).get("title") or "")[:300]
            message.error_details = str(((error or {}).get("error_data") or {}).get("details") or "")
        elif RANK.get(status, -1) > RANK.get(message.status, -1):
            message.status = status
            setattr(message, f"{status}_at", at)
            if status in (Status.DELIVERED, Status.READ) and message.sent_at is None:
                message.sent_at = at
        else:
            self.events.append({"message_id": message.pk, "status": status,
                                "detail": {"ignored": "older than current status"}})
            return
        self.changed[message.pk] = message
        self.events.append({"message_id": message.pk, "status": status,
                            "detail": {"wamid": update.wamid, **({"error": error} if error else {})}})

    def newly_billed(self) -> list[Delivered]:
        """Messages this change made delivered and billable: what the wholesale wallet charges (once each)."""
        return [Delivered(message_id=m.pk, wamid=m.wamid, recipient=m.to, category=m.pricing_category,
                          at=m.delivered_at or m.read_at)
                for m in sorted(self.changed.values(), key=lambda m: m.pk)
                if m.pk not in self.billed_before and _delivered_billable(m)]


_RULE_FIELDS = tuple(name for name in _FIELDS if name != "wamid")
_RULE_COLUMNS = ", ".join(f"m.{name}" for name in _RULE_FIELDS)


class _Locked:
    """A locked message as the rules read and change it: the columns they need (plain attributes, not a model:
    a change brings up to 100 rows, and building model instances was a fifth of its time)."""

    def __init__(self, row: tuple):
        (self.pk, self.wamid, self.to, self.conversation_id, self.assignee_id) = row[:5]
        for name, value in zip(_RULE_FIELDS, row[5:], strict=True):
            setattr(self, name, value)


def _lock(updates) -> list[_Locked]:
    wamids = [u.wamid for u in updates if u.wamid]
    ids = [pk for pk in (_uuid(u.callback_data) for u in updates if u.callback_data) if pk]
    if not wamids and not ids:
        return []
    # Meta's message object stays behind (a template's can be kilobytes; the rules never read it). The conversation's
    # assignee comes along, unlocked, for the live event.
    message, conversation = Message._meta.db_table, Conversation._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT m.id, m.wamid, m."to", m.conversation_id, c.assignee_id, {_RULE_COLUMNS}
                FROM {message} m LEFT JOIN {conversation} c ON c.id = m.conversation_id
                WHERE m.wamid = ANY(ARRAY(SELECT json_array_elements_text(%s::json)))
                   OR m.id = ANY(ARRAY(SELECT json_array_elements_text(%s::json)::uuid))
                ORDER BY m.id FOR UPDATE OF m""", [json_param(sorted(set(wamids))), json_param(sorted(set(ids)))])
        return [_Locked(row) for row in cursor.fetchall()]


def _save(changed: list[_Locked]) -> None:
    rows = [{"id": m.pk, **{name: getattr(m, name) for name in _FIELDS}} for m in changed]
    with connection.cursor() as cursor:
        cursor.execute(
            f"""UPDATE {Message._meta.db_table} m SET
                    status = v.status, wamid = v.wamid, sent_at = v.sent_at, delivered_at = v.delivered_at,
                    read_at = v.read_at, failed_at = v.failed_at, error_code = v.error_code,
                    error_title = v.error_title, error_details = v.error_details,
                    pricing_category = v.pricing_category, pricing_type = v.pricing_type, billable = v.billable,
                    updated_at = now()
                FROM json_to_recordset(%s::json)
                     AS v(id uuid, status text, wamid text, sent_at timestamptz, delivered_at timestamptz,
                          read_at timestamptz, failed_at timestamptz, error_code int, error_title text,
                          error_details text, pricing_category text, pricing_type text, billable boolean)
                WHERE m.id = v.id""",
            [json_param(rows)])


@transaction.atomic
def statuses_apply(updates, *, hold: bool = True) -> list[uuid.UUID | None]:
    """Apply one change's statuses in order; returns, per status, the id of its message or None (held for later
    when `hold`). Same end state as applying them one by one."""
    batch = _Batch(_lock(updates))
    found: list[uuid.UUID | None] = []
    held = []
    for update in updates:
        message = batch.find(update)
        if message is None:
            found.append(None)
            if hold:
                held.append(PendingStatus(wamid=update.wamid, status=update.status, at=update.at, error=update.error,
                                          pricing=update.pricing))
            continue
        found.append(message.pk)
        batch.apply(message, update)
    changed = list(batch.changed.values())
    if changed:
        _save(changed)
    copy_insert(MessageEvent, batch.events)
    PendingStatus.objects.bulk_create(held)
    moved = [(e["message_id"], e["status"]) for e in batch.events if "ignored" not in e["detail"]]
    if moved:
        message_statuses_changed.send(sender=Message, changes=moved)
    # In name order: concurrent changes then take the counters' row locks in one order too (no deadlock).
    for metric, n in sorted(batch.metrics.items()):
        usage_add_here(metric, n)
    # The wallet last: every change takes its locks in the order messages, counters, wallet (no deadlock).
    wallet_charge_delivered(connection.tenant, batch.newly_billed())
    _announce(changed)
    return found


def _announce(changed: list[_Locked]) -> None:
    """The inbox's ticks move: live.publish's "status" event for each changed message, written after commit in one
    round trip to Redis (a change brings up to 100; an XADD each, each on a new connection, was a fifth of its time)."""
    events = [{"kind": "status", "conversation_id": m.conversation_id, "assignee_id": m.assignee_id,
               "message_id": str(m.pk)} for m in changed if m.conversation_id is not None]
    if events:
        key = live.stream_key(connection.schema_name)
        transaction.on_commit(lambda: _publish(key, events), robust=True)


def _publish(key: str, events: list[dict]) -> None:
    try:
        with redis_client().pipeline(transaction=False) as pipe:
            for event in events:
                pipe.xadd(key, {"data": json.dumps(event, default=str)}, maxlen=live.STREAM_MAXLEN, approximate=True)
            pipe.execute()
    except redis.RedisError as exc:  # committed already: a Redis outage costs a live refresh, never the change
        logger.warning("%s live status event(s) not published: %s", len(events), exc)


def pending_apply(wamids: list[str]) -> None:
    """Apply, oldest first, the statuses held for these wamids (they beat their send's answer), then forget them."""
    if not wamids:
        return
    with transaction.atomic():
        held = list(PendingStatus.objects.select_for_update(skip_locked=True).filter(wamid__in=wamids)
                    .order_by("created_at", "id"))
        if not held:
            return
        statuses_apply([StatusIn(status=p.status, wamid=p.wamid, at=p.at, error=p.error, pricing=p.pricing)
                        for p in held], hold=False)
        PendingStatus.objects.filter(pk__in=[p.pk for p in held]).delete()
