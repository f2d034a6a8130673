"""The outbox (design §5.2): every message the business sends, at-least-once on the wire, exactly once in effect.

    message_send_to  the one send path (people through the API and the inbox, automations, next campaigns and
                     the public API): find the recipient through contacts, check, store a `queued` row and its
                     first event; the send task is enqueued after commit
    message_send     the task's body: claim queued -> sending (one worker wins), pace, call Meta,
                     then `sent` with the wamid, `failed` with Meta's code, or back to `queued` to retry
    message_status_apply   statuses move forward only (sent < delivered < read; failed is terminal)
    message_mark_read, conversation_mark_read_at_meta   blue ticks for the customer

A worker that dies after the claim leaves the row in `sending`: a redelivered task can't claim it, so
nothing is sent twice. Meta's status webhook carries our id in `biz_opaque_callback_data` and settles
it (`message_status_apply`); a sweeper re-queues a `sending` row only when the request provably never
reached Meta (no wamid and no status after RECONCILE_AFTER).
"""
import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Exists, F, OuterRef
from django.http import Http404
from django.utils import timezone

from apps.contacts.models import Contact
from apps.contacts.phones import PhoneError
from apps.contacts.selectors import access_contact, recipient_of
from apps.contacts.services import contact_for_recipient, contact_touch_outbound
from apps.core.errors import ApplicationError
from apps.core.metrics import SENDS
from apps.messaging import conversations, rate_limit, statuses
from apps.messaging.consent import consent_require
from apps.messaging.models import Message, MessageEvent
from apps.messaging.signals import message_statuses_changed
from apps.messaging.tasks import message_send_task
from apps.whatsapp.builders import normalize_message
from apps.whatsapp.client import GraphClient
from apps.whatsapp.errors import BuilderError, GraphError
from apps.whatsapp.models import PhoneNumber
from tenants.billing.limits import Limit, require_within
from tenants.billing.wallet import wallet_require_funds
from tenants.members import Member

logger = logging.getLogger(__name__)

Status = Message.Status
MAX_ATTEMPTS = 6


def _event(message: Message, status: str, **detail) -> None:
    MessageEvent.objects.create(message=message, status=status, detail=detail)


@transaction.atomic
def message_send_to(*, actor: Member | None, number: PhoneNumber, message: dict, to: str = "",
                    contact_id: int | None = None, contact: Contact | None = None, automation: str = "") -> Message:
    """Send `message` (Meta's message object) from `number` to one person, named exactly one way:

        to          a phone number, read by contacts with the business's default region; its contact is
                    added when new (every thread has a contact)
        contact_id  a contact of this business (the API's `to` when it is an id)
        contact     a contact in hand (the inbox's thread, an automation's customer)

    Meta's `to` is then contacts' one rule (`recipient_of`: WhatsApp id, else phone, else BSUID), whichever
    door the send came through. `actor` is the member who sends (`created_by`); None for automations.
    Errors name the field `to` for a recipient that isn't one; nothing is stored when any check refuses."""
    if sum((bool(to), contact_id is not None, contact is not None)) != 1:
        raise TypeError("name the recipient exactly one way: to, contact_id or contact")
    if contact_id is not None:
        contact = _contact_of_business(contact_id)
    elif to:
        contact = recipient_contact(to)
    recipient = recipient_of(contact)
    if not recipient:
        raise ApplicationError("This contact has been erased; there is no one to send to.", code="no_recipient")
    return _queue(number=number, to=recipient, contact=contact, message=message,
                  created_by=actor.user if actor is not None else None, automation=automation)


def _contact_of_business(contact_id: int) -> Contact:
    try:
        return access_contact(contact_id)
    except Http404:
        raise ApplicationError("No such contact.", code="validation_error",
                               errors={"to": ["No contact with this id in this business."]}) from None


def recipient_contact(to: str) -> Contact:
    """The contact for a phone number a member typed (created when new), or 400 on `to`."""
    try:
        return contact_for_recipient(phone=to)
    except PhoneError:
        raise ApplicationError("Not a valid phone number.", code="validation_error",
                               errors={"to": ["Use international format, e.g. +14155550123."]}) from None


def _queue(*, number: PhoneNumber, to: str, contact: Contact, message: dict, created_by, automation: str) -> Message:
    """Validate Meta's message object, check the number, the 24-hour window and consent, store it as `queued` in
    the contact's conversation, and send it after commit."""
    try:
        payload = normalize_message(message)
    except BuilderError as exc:
        raise ApplicationError(str(exc), code="validation_error", errors={exc.field: [exc.message]}) from None
    if number.disconnected_at is not None:
        raise ApplicationError("This WhatsApp number was disconnected from the business; connect it again to "
                               "send from it.", code="number_disconnected")
    conversation = conversations.conversation_for(contact=contact, number=number)
    conversations.window_require_open(conversation, payload["type"])
    consent_require(payload=payload, to=to, contact=contact, waba_id=number.account.waba_id)  # 400 opted_out
    # 402 wallet_empty, 402 plan_limit. Automatic replies run inside the inbound webhook's transaction (a refusal would
    # lose the customer's message) and answer in the free service window: never refused (counted, charged if billed).
    if not automation:
        wallet_require_funds(connection.tenant)
    require_within(connection.tenant, Limit.MESSAGES_PER_MONTH, adding=1, enforce=not automation)
    row = Message.objects.create(phone_number=number, to=to, type=payload["type"], payload=payload,
                                 created_by=created_by, contact=contact, conversation=conversation,
                                 automation=automation)
    _event(row, Status.QUEUED)
    # The send task first, then the live event: a broker or Redis outage after commit leaves the row `queued`
    # for messages_reconcile to enqueue, and never fails the committed request.
    enqueue_on_commit(message_send_task, row.pk)
    conversations.conversation_on_outbound(conversation=conversation, message=row)
    return row


def enqueue_on_commit(task, message_id, **options) -> None:
    """After commit, hand `task` (apps.messaging.tasks) for this message to Celery. A broker outage is logged and
    never fails the committed request: the row keeps its state (a `queued` send, a `pending` download) and the
    beat sweepers (messages_reconcile, media.media_downloads_sweep) enqueue it again."""
    def enqueue() -> None:
        try:
            task.apply_async(args=[str(message_id)], **options)
        except Exception as exc:  # kombu/redis raise several unrelated types for "broker unreachable"
            logger.warning("%s for message %s not enqueued (left for the sweeper): %s", task.name, message_id, exc)

    transaction.on_commit(enqueue, robust=True)


@dataclass(frozen=True)
class Outcome:
    """What the task should do next: nothing, or run again after `retry_after` seconds."""

    retry_after: float | None = None


def _claim(message_id) -> bool:
    return bool(
        Message.objects.filter(pk=message_id, status=Status.QUEUED)
        .update(status=Status.SENDING, claimed_at=timezone.now(), attempts=F("attempts") + 1)
    )


def _release(message: Message, *, reason: str, retry_after: float) -> Outcome:
    Message.objects.filter(pk=message.pk, status=Status.SENDING).update(status=Status.QUEUED, claimed_at=None)
    _event(message, Status.QUEUED, reason=reason, retry_after=round(retry_after, 3))
    return Outcome(retry_after=retry_after)


def message_send(message_id) -> Outcome:
    """Send one queued message. Safe to call any number of times for the same id."""
    if not _claim(message_id):
        return Outcome()  # another worker has it, or it is already settled
    message = Message.objects.select_related("phone_number__account", "conversation").get(pk=message_id)
    number = message.phone_number
    _event(message, Status.SENDING, attempt=message.attempts)

    for decision, reason in ((rate_limit.pair_take(number.phone_number_id, message.to), "pair_rate"),
                             (rate_limit.number_take(number.phone_number_id, mps=number.throughput_mps),
                              "throughput")):
        if not decision.allowed:
            # Pacing is not an attempt: give the attempt back.
            Message.objects.filter(pk=message.pk).update(attempts=F("attempts") - 1)
            return _release(message, reason=reason, retry_after=decision.retry_after)

    client = GraphClient(number.account.access_token)
    try:
        result = client.send_message(number.phone_number_id, message.to, message.payload,
                                     biz_opaque_callback_data=str(message.pk))
    except GraphError as exc:
        return _send_failed(message, exc)
    SENDS.labels("single", "sent").inc()
    _mark_sent(message, wamid=result.wamid)
    return Outcome()


def _mark_sent(message: Message, *, wamid: str) -> None:
    now = timezone.now()
    updated = Message.objects.filter(pk=message.pk, status__in=[Status.QUEUED, Status.SENDING]).update(
        status=Status.SENT, wamid=wamid, sent_at=now)
    if not updated:  # a status webhook got here first; keep its (later) status, but record the wamid
        Message.objects.filter(pk=message.pk, wamid__isnull=True).update(wamid=wamid)
    _event(message, Status.SENT, wamid=wamid)
    if updated:
        message_statuses_changed.send(sender=Message, changes=[(message.pk, Status.SENT)])
    conversations.message_changed(message)
    if message.contact_id:
        contact_touch_outbound(message.contact_id, at=now)
    statuses.pending_apply([wamid])


def message_status_hold_or_apply(*, status: str, wamid: str, callback_data: str | None = None, at=None,
                                 error: dict | None = None, pricing: dict | None = None) -> Message | None:
    """Apply a status from Meta's webhook, or keep it until its message is known (statuses.statuses_apply)."""
    (found,) = statuses.statuses_apply([statuses.StatusIn(status=status, wamid=wamid, callback_data=callback_data,
                                                          at=at, error=error, pricing=pricing)])
    return Message.objects.select_related("conversation").get(pk=found) if found else None


def _send_failed(message: Message, exc: GraphError) -> Outcome:
    detail = exc.as_dict()
    if exc.retryable and not exc.ambiguous and message.attempts < MAX_ATTEMPTS:
        SENDS.labels("single", "retry").inc()
        backoff = exc.retry_after or (exc.backoff_hint or 1) * 2 ** (message.attempts - 1)
        _event(message, Status.SENDING, error=detail)
        return _release(message, reason="retryable_error", retry_after=min(backoff, 300))
    SENDS.labels("single", "unknown" if exc.ambiguous else "failed").inc()
    if exc.ambiguous:
        # The request may have reached Meta (e.g. a read timeout): don't send again blindly. The status
        # webhook settles it; the sweeper re-queues it if Meta never heard of it.
        _event(message, Status.SENDING, error=detail, outcome="unknown")
        return Outcome()
    _mark_failed(message, code=exc.code, title=exc.title, details=exc.details or "")
    return Outcome()


def _mark_failed(message: Message, *, code: int | None, title: str, details: str = "") -> None:
    if Message.objects.filter(pk=message.pk).exclude(status=Status.FAILED).update(
            status=Status.FAILED, error_code=code, error_title=title[:300], error_details=details or "",
            failed_at=timezone.now()):
        message_statuses_changed.send(sender=Message, changes=[(message.pk, Status.FAILED)])
    _event(message, Status.FAILED, code=code, title=title, details=details)
    conversations.message_changed(message)


def message_status_apply(*, status: str, wamid: str, callback_data: str | None = None, at=None,
                         error: dict | None = None, pricing: dict | None = None) -> Message | None:
    """Apply one status from Meta (the batch rules of apps.messaging.statuses, for one). Finds the message by wamid,
    or by our id in biz_opaque_callback_data when the send's answer was lost. Returns None if it's unknown yet."""
    (found,) = statuses.statuses_apply([statuses.StatusIn(status=status, wamid=wamid, callback_data=callback_data,
                                                          at=at, error=error, pricing=pricing)], hold=False)
    return Message.objects.select_related("conversation").get(pk=found) if found else None


def messages_reconcile() -> int:
    """The outbox's sweeper (beat, every business). Returns how many messages it touched.

    - `queued` rows with no activity for MESSAGE_QUEUED_SWEEP_AFTER_SECONDS were never enqueued (the broker was
      down after commit) or lost their task: enqueue them again. Safe: the queued -> sending claim lets one
      task send.
    - `sending` rows with no wamid and no status webhook for MESSAGE_RECONCILE_AFTER_SECONDS: Meta most likely
      never got them. Re-queue them, at most MESSAGE_RECONCILE_MAX_RESENDS times; a send still unconfirmed after
      that may have reached the customer, so it becomes `unknown` for a person instead of going out again.
    """
    return _queued_sweep() + _sending_reconcile()


def in_flight():
    """Messages not yet accepted by Meta nor failed: the rows of the msg_in_flight index, whatever their number."""
    return Message.objects.filter(wamid__isnull=True, failed_at__isnull=True)


def _queued_sweep() -> int:
    now = timezone.now()
    recent = MessageEvent.objects.filter(
        message=OuterRef("pk"), created_at__gte=now - timedelta(seconds=settings.MESSAGE_QUEUED_SWEEP_AFTER_SECONDS))
    idle = list(in_flight().filter(status=Status.QUEUED).exclude(Exists(recent)).values_list("pk", flat=True)[:500])
    for pk in idle:
        # The event is the sweep's own activity: the row isn't enqueued again until it idles once more.
        MessageEvent.objects.create(message_id=pk, status=Status.QUEUED, detail={"reason": "swept"})
        enqueue_on_commit(message_send_task, pk)
    return len(idle)


def _sending_reconcile() -> int:
    cutoff = timezone.now() - timedelta(seconds=settings.MESSAGE_RECONCILE_AFTER_SECONDS)
    stuck = list(in_flight().filter(status=Status.SENDING, claimed_at__lt=cutoff)
                 .values_list("pk", "reconcile_attempts")[:500])
    for pk, resends in stuck:
        still_stuck = in_flight().filter(pk=pk, status=Status.SENDING)
        if resends >= settings.MESSAGE_RECONCILE_MAX_RESENDS:
            if still_stuck.update(status=Status.UNKNOWN, claimed_at=None):
                MessageEvent.objects.create(message_id=pk, status=Status.UNKNOWN,
                                            detail={"reason": "unconfirmed after re-send", "resends": resends})
                logger.warning("message %s unconfirmed by Meta after %s re-send(s): marked unknown for review",
                               pk, resends)
                message = Message.objects.select_related("conversation").get(pk=pk)
                conversations.message_changed(message)
            continue
        if still_stuck.update(status=Status.QUEUED, claimed_at=None, reconcile_attempts=F("reconcile_attempts") + 1):
            MessageEvent.objects.create(message_id=pk, status=Status.QUEUED, detail={"reason": "reconciled"})
            enqueue_on_commit(message_send_task, pk)
    return len(stuck)


def message_mark_read(*, message: Message, typing_indicator: bool = False) -> Message:
    """Blue ticks for one customer message, now, optionally with the typing indicator (up to 25 s)."""
    if message.direction != Message.Direction.INBOUND or not message.wamid:
        raise ApplicationError("Only a customer's message can be marked read.", code="not_inbound")
    try:
        _mark_read_at_meta(message, typing=typing_indicator)
    except GraphError as exc:
        raise ApplicationError(f"WhatsApp refused: {exc.title}", code="whatsapp_rejected") from exc
    return message


def conversation_mark_read_at_meta(conversation_id: int) -> None:
    """Blue ticks for the customer: marking their latest message read marks the earlier ones too."""
    latest = (Message.objects.select_related("phone_number__account")
              .filter(conversation_id=conversation_id, direction=Message.Direction.INBOUND, wamid__isnull=False)
              .order_by("-sent_at", "-created_at").first())  # Meta's order: webhooks may arrive out of it
    if latest is None:
        return
    try:
        _mark_read_at_meta(latest)
    except GraphError as exc:  # not worth a retry storm: the next read marks them again
        logger.info("marking conversation %s read at Meta failed: %s", conversation_id, exc.title)


def _mark_read_at_meta(message: Message, *, typing: bool = False) -> None:
    number = message.phone_number
    GraphClient(number.account.access_token).mark_read(number.phone_number_id, message.wamid, typing=typing)
