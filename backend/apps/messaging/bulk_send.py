"""The outbox's batched door (campaigns): the rules of `outbox.message_send_to`, applied to many messages at once.

    messages_queue   check the number, consent (the ledger, read in this transaction), the wallet and the plan,
                     then store `queued` rows, their first events and the contacts' conversations in a few statements
    messages_send    claim queued -> sending (only rows still queued are sent: one sender wins), call Meta for
                     each concurrently (GraphClient.send_messages), then record sent / failed / back-to-queued per
                     row in a few statements, and apply statuses that beat the answers (statuses.pending_apply)

The per-message path (outbox.message_send) and this one share the row's life: `queued` is safe to send again,
`sending` belongs to whoever claimed it, and the status webhook settles a send whose answer was lost (our id is in
`biz_opaque_callback_data`); the outbox's sweeper reconciles a `sending` row Meta never heard of. So a dispatcher
killed at any point re-sends nothing that may have reached Meta, and leaves nothing unsent.

Pacing is the caller's: it takes the number's tokens (rate_limit.number_take_many) before calling messages_send.
Live events: a campaign's messages are not announced one by one (a thousand a second would drown the inbox's
stream); the inbox shows them when a thread is opened.
"""
from __future__ import annotations

import json
import logging
import uuid
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from apps.contacts.models import Contact
from apps.contacts.services import contacts_touch_outbound
from apps.core.bulk_copy import copy_insert
from apps.core.errors import ApplicationError
from apps.core.metrics import SENDS
from apps.messaging import statuses
from apps.messaging.consent import ledger_categories, opted_out_of
from apps.messaging.conversations import preview_of_payload
from apps.messaging.models import Conversation, Message, MessageEvent
from apps.messaging.outbox import MAX_ATTEMPTS
from apps.messaging.signals import message_statuses_changed
from apps.whatsapp.builders import normalize_message
from apps.whatsapp.client import GraphClient, SendResult
from apps.whatsapp.errors import BuilderError, GraphError
from apps.whatsapp.models import PhoneNumber
from tenants.billing.limits import Limit, require_within
from tenants.billing.wallet import wallet_require_funds

logger = logging.getLogger(__name__)

Status = Message.Status


@dataclass(frozen=True)
class Outgoing:
    """One message of a batch: Meta's message object for one contact."""

    contact: Contact
    to: str
    message: dict


@dataclass(frozen=True)
class Queued:
    """What became of one Outgoing: its message id, or why it was refused (`opted_out`, `invalid`)."""

    message_id: uuid.UUID | None = None
    refused: str = ""
    detail: str = ""


@transaction.atomic
def messages_queue(*, number: PhoneNumber, batch: list[Outgoing]) -> list[Queued]:
    """Queue a batch from `number`, one result per item in order. Nothing is sent here: the caller sends the ids
    after commit (messages_send). Raises ApplicationError when the whole batch can't go (the number was
    disconnected: `number_disconnected`; the plan is used up: 402 `plan_limit`; a wholesale business's prepaid
    balance is spent: 402 `wallet_empty`)."""
    if number.disconnected_at is not None:
        raise ApplicationError("This WhatsApp number was disconnected from the business; connect it again to "
                               "send from it.", code="number_disconnected")
    results: list[Queued] = []
    accepted: list[tuple[int, Outgoing, dict]] = []
    guards: dict[tuple, set[str]] = {}
    for position, item in enumerate(batch):
        try:
            payload = normalize_message(item.message)
        except BuilderError as exc:
            results.append(Queued(refused="invalid", detail=f"{exc.field}: {exc.message}"))
            continue
        template = payload.get("template") or {}
        key = (template.get("name"), (template.get("language") or {}).get("code"))
        if key not in guards:
            guards[key] = ledger_categories(payload, waba_id=number.account.waba_id)
        refused = opted_out_of(item.contact, guards[key])
        if refused:
            results.append(Queued(refused="opted_out", detail=", ".join(sorted(refused))))
            continue
        results.append(Queued())
        accepted.append((position, item, payload))
    if not accepted:
        return results
    wallet_require_funds(connection.tenant, adding=len(accepted))  # 402 wallet_empty for the whole batch
    require_within(connection.tenant, Limit.MESSAGES_PER_MONTH, adding=len(accepted))  # 402 for the whole batch
    conversations = _conversations_for(number, [item.contact.pk for _, item, _ in accepted])
    now = timezone.now()
    rows = [{"id": uuid.uuid4(), "phone_number_id": number.pk, "to": item.to, "type": payload["type"],
             "payload": payload, "contact_id": item.contact.pk, "conversation_id": conversations[item.contact.pk]}
            for _, item, payload in accepted]
    copy_insert(Message, rows)
    copy_insert(MessageEvent, [{"message_id": row["id"], "status": Status.QUEUED} for row in rows])
    _conversations_on_outbound(rows, at=now)
    for (position, _, _), row in zip(accepted, rows, strict=True):
        results[position] = Queued(message_id=row["id"])
    return results


def _conversations_for(number: PhoneNumber, contact_ids: list[int]) -> dict[int, int]:
    """contact id -> its conversation with `number`, created when missing. New ones start resolved: a broadcast
    is not work for the inbox until the customer answers (an inbound message reopens the thread)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""INSERT INTO {Conversation._meta.db_table}
                    (phone_number_id, contact_id, status, unread_count, last_message_at, last_message_preview,
                     last_message_direction, created_at, updated_at)
                SELECT %s, unnest(%s::bigint[]), %s, 0, now(), '', '', now(), now()
                ON CONFLICT (contact_id, phone_number_id) DO NOTHING""",
            [number.pk, contact_ids, Conversation.Status.RESOLVED])
    return dict(Conversation.objects.filter(phone_number=number, contact_id__in=contact_ids)
                .values_list("contact_id", "pk"))


def _conversations_on_outbound(rows: list[dict], *, at) -> None:
    """The threads' last message moves to the template (without reopening them or touching unread)."""
    previews = [(row["conversation_id"], preview_of_payload(row["type"], row["payload"])) for row in rows]
    with connection.cursor() as cursor:
        cursor.execute(
            f"""UPDATE {Conversation._meta.db_table} c
                SET last_message_at = %s, last_message_preview = v.preview, last_message_direction = %s,
                    updated_at = %s
                FROM unnest(%s::bigint[], %s::text[]) AS v(id, preview)
                WHERE c.id = v.id""",
            [at, Message.Direction.OUTBOUND, at, [p[0] for p in previews], [p[1] for p in previews]])


# --- sending ---------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Sent:
    """The outcome of one send: `sent`, `failed` (final), `retry` (back to queued, after `retry_after` s), `unknown`
    (may have reached Meta: left `sending` for the status webhook or the reconciler), or `taken` (not claimed)."""

    message_id: uuid.UUID
    outcome: str
    error_code: int | None = None
    error_title: str = ""
    retry_after: float = 0.0


def _claim(message_ids: list[uuid.UUID]) -> list[tuple[uuid.UUID, str, dict, int]]:
    with connection.cursor() as cursor:
        cursor.execute(
            f"""UPDATE {Message._meta.db_table} SET status = %s, claimed_at = now(), attempts = attempts + 1
                WHERE id = ANY(%s::uuid[]) AND status = %s
                RETURNING id, "to", payload, attempts""",
            [Status.SENDING, message_ids, Status.QUEUED])
        # Django's cursor hands jsonb back as text.
        return [(pk, to, json.loads(payload) if isinstance(payload, str) else payload, attempts)
                for pk, to, payload, attempts in cursor.fetchall()]


def messages_send(*, number: PhoneNumber, message_ids: list[uuid.UUID]) -> list[Sent]:
    """Send queued messages from `number` (the caller has taken their tokens). Safe to call again with the same ids:
    only rows still `queued` are claimed; the others come back as `taken`."""
    claimed = _claim(message_ids)
    copy_insert(MessageEvent, [{"message_id": row[0], "status": Status.SENDING, "detail": {"attempt": row[3]}}
                               for row in claimed])
    answers = GraphClient(number.account.access_token).send_messages(
        number.phone_number_id, [(to, payload, str(message_id)) for message_id, to, payload, _ in claimed])
    outcomes = _record(list(zip(claimed, answers, strict=True)))
    for outcome in outcomes:
        SENDS.labels("campaign", outcome.outcome).inc()
    taken = set(message_ids) - {row[0] for row in claimed}
    return outcomes + [Sent(message_id=message_id, outcome="taken") for message_id in taken]


def _record(answers) -> list[Sent]:
    now = timezone.now()
    sent, failed, retry, unknown, events, outcomes = [], [], [], [], [], []
    moved = []  # (message id, status) that changed: outbound webhooks (apps.messaging.signals)
    for (message_id, _to, _payload, attempts), answer in answers:
        if isinstance(answer, SendResult):
            sent.append((message_id, answer.wamid))
            events.append({"message_id": message_id, "status": Status.SENT, "detail": {"wamid": answer.wamid}})
            outcomes.append(Sent(message_id, "sent"))
            continue
        # A BuilderError: the stored message no longer passes the builders' checks (never sent, never will be).
        exc = answer if isinstance(answer, GraphError) else GraphError(f"Invalid message: {answer}")
        detail = exc.as_dict()
        if exc.ambiguous:
            unknown.append(message_id)
            events.append({"message_id": message_id, "status": Status.SENDING,
                           "detail": {"error": detail, "outcome": "unknown"}})
            outcomes.append(Sent(message_id, "unknown", exc.code, exc.title))
        elif exc.retryable and attempts < MAX_ATTEMPTS:
            backoff = exc.retry_after or (exc.backoff_hint or 1) * 2 ** (attempts - 1)
            retry.append(message_id)
            events.append({"message_id": message_id, "status": Status.QUEUED,
                           "detail": {"reason": "retryable_error", "error": detail}})
            outcomes.append(Sent(message_id, "retry", exc.code, exc.title, min(backoff, 300)))
        else:
            failed.append((message_id, exc.code, exc.title[:300], exc.details or ""))
            events.append({"message_id": message_id, "status": Status.FAILED,
                           "detail": {"code": exc.code, "title": exc.title, "details": exc.details}})
            outcomes.append(Sent(message_id, "failed", exc.code, exc.title))
    table = Message._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        # Lock in id order first, as the status webhooks do (statuses.py): the two never deadlock.
        cursor.execute(f"SELECT id FROM {table} WHERE id = ANY(%s::uuid[]) ORDER BY id FOR UPDATE",
                       [[row[0][0] for row in answers]])
        if sent:
            ids, wamids = [s[0] for s in sent], [s[1] for s in sent]
            cursor.execute(
                f"""UPDATE {table} m SET status = %s, wamid = v.wamid, sent_at = %s, updated_at = %s
                    FROM unnest(%s::uuid[], %s::text[]) AS v(id, wamid)
                    WHERE m.id = v.id AND m.status IN (%s, %s) RETURNING m.id""",
                [Status.SENT, now, now, ids, wamids, Status.QUEUED, Status.SENDING])
            moved = [(row[0], Status.SENT) for row in cursor.fetchall()]
            # A status webhook got here first: keep its (later) status, but record the wamid.
            cursor.execute(
                f"""UPDATE {table} m SET wamid = v.wamid FROM unnest(%s::uuid[], %s::text[]) AS v(id, wamid)
                    WHERE m.id = v.id AND m.wamid IS NULL""", [ids, wamids])
        if failed:
            cursor.execute(
                f"""UPDATE {table} m SET status = %s, error_code = v.code, error_title = v.title,
                        error_details = v.details, failed_at = %s, updated_at = %s
                    FROM unnest(%s::uuid[], %s::int[], %s::text[], %s::text[]) AS v(id, code, title, details)
                    WHERE m.id = v.id AND m.status <> %s RETURNING m.id""",
                [Status.FAILED, now, now, [f[0] for f in failed], [f[1] for f in failed], [f[2] for f in failed],
                 [f[3] for f in failed], Status.FAILED])
            moved += [(row[0], Status.FAILED) for row in cursor.fetchall()]
        if retry:
            cursor.execute(
                f"""UPDATE {table} SET status = %s, claimed_at = NULL, updated_at = %s
                    WHERE id = ANY(%s::uuid[]) AND status = %s""", [Status.QUEUED, now, retry, Status.SENDING])
        copy_insert(MessageEvent, events)
        if moved:
            message_statuses_changed.send(sender=Message, changes=moved)
        if sent:
            contacts_touch_outbound(list(Message.objects.filter(id__in=[s[0] for s in sent], contact__isnull=False)
                                         .values_list("contact_id", flat=True)), at=now)
            statuses.pending_apply([s[1] for s in sent])
    return outcomes


def messages_unqueue(message_ids: list[uuid.UUID]) -> list[uuid.UUID]:
    """Take back messages no sender has claimed (a paused or cancelled campaign): they are deleted, never sent.
    Returns the ids taken back; a message claimed meanwhile stays (its sender may already have reached Meta)."""
    if not message_ids:
        return []
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {MessageEvent._meta.db_table} e USING {Message._meta.db_table} m "
                       "WHERE e.message_id = m.id AND m.id = ANY(%s::uuid[]) AND m.status = %s",
                       [message_ids, Status.QUEUED])
        cursor.execute(f"DELETE FROM {Message._meta.db_table} WHERE id = ANY(%s::uuid[]) AND status = %s "
                       "RETURNING id", [message_ids, Status.QUEUED])
        return [row[0] for row in cursor.fetchall()]
