"""Meta's `calls` webhooks applied to the calls (apps.webhooks.calls parses them), and what follows a call's move.

Each webhook upserts the call by Meta's call id and adds one CallEvent, unique per (call, event, time): a
redelivery adds nothing. Webhooks come in any order, so the signalling state machine (apps.calls.signalling)
moves a call forward only. A move is then announced (`call_moved`):

- the inbox's live stream gets a `call` event (ids only: browsers read the call, SDP included, from the API);
- a customer's call opens the 24-hour window like a message (reference §8.5), as does accepting ours, and with
  the number's callback permission on, lets the business call them back for 7 days;
- a customer's call that nobody answered gets the number's missed-call reply, when it has one switched on.
"""
import logging
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.calls import permissions
from apps.calls.models import Call, CallEvent, CallSettings
from apps.calls.signalling import ENDED, Move, Signal, State, on_webhook
from apps.calls.signals import call_event_recorded
from apps.contacts.models import Contact
from apps.core.errors import ApplicationError
from apps.messaging import live
from apps.messaging.conversations import conversation_for, conversation_on_call
from apps.messaging.outbox import message_send_to
from apps.whatsapp.models import PhoneNumber

logger = logging.getLogger(__name__)

MISSED_CALL_AUTOMATION = "missed_call"


def call_event_apply(*, call_id: str, event: str, at: datetime | None, detail: dict, number: PhoneNumber | None,
                     signal: Signal | None, fields: dict, contact: Contact | None = None) -> CallEvent | None:
    """Record one event of a call and apply it. `fields` are set when given (times, parties, SDP, errors); `signal`
    moves the state when the machine says it is a move forward. None when this event was recorded before."""
    call, created = Call.objects.select_for_update().get_or_create(
        call_id=call_id, defaults={"phone_number": number, "contact": contact})
    try:
        with transaction.atomic():
            row = CallEvent.objects.create(call=call, event=event[:32], at=at, detail=detail)
    except IntegrityError:
        logger.info("call %s: %s at %s already recorded (redelivery)", call_id, event, at)
        return None
    changes = {field: value for field, value in fields.items() if value not in (None, "")}
    move = on_webhook(State(call.status), signal) if signal else Move(State(call.status), False)
    if move.changed or created:
        changes["last_event"] = event[:32]
    if call.phone_number_id is None and number is not None:
        changes["phone_number"] = number
    if call.contact_id is None and contact is not None:
        changes["contact"] = contact
    for field, value in changes.items():
        setattr(call, field, value)
    call_move(call, move, at=at or timezone.now(), fields=[*changes])
    call_event_recorded.send(sender=Call, call=call, event=row)
    return row


def call_move(call: Call, move: Move, *, at: datetime, fields: list[str] = ()) -> None:
    """Save the call in its new state (the moments each state stands for stamped once), then announce it. `fields`
    are the other fields already set on `call` to save with it."""
    fields = list(fields)
    if move.changed:
        call.status = move.state
        stamps = {State.RINGING: "ringing_at", State.ACCEPTED: "answered_at"}
        stamp = stamps.get(move.state) or ("ended_at" if move.state in ENDED else None)
        if stamp and getattr(call, stamp) is None:
            setattr(call, stamp, at)
            fields.append(stamp)
        fields.append("status")
    if call.conversation_id is None and call.contact_id is not None and call.phone_number_id is not None:
        call.conversation = conversation_for(contact=call.contact, number=call.phone_number)
        fields.append("conversation")
    if fields:
        call.save(update_fields=[*dict.fromkeys(fields), "updated_at"])
    if move.changed:
        _announce(call, move, at)
    elif {"sdp_answer", "sdp_offer"} & set(fields):
        publish(call)  # Meta's SDP answer to our call: the browser must fetch it


def publish(call: Call) -> None:
    """Tell every member's inbox (calls are the whole business's, like a phone ringing in the office)."""
    conversation = call.conversation
    live.publish("call", conversation_id=call.conversation_id,
                 assignee_id=conversation.assignee_id if conversation else None, call_id=call.pk,
                 status=call.status, direction=call.direction, agent_id=call.agent_id,
                 has_sdp_answer=bool(call.sdp_answer))


def _announce(call: Call, move: Move, at: datetime) -> None:
    customer_called = call.direction == Call.Direction.USER_INITIATED
    opens_window = (customer_called and move.state == State.RINGING) or (
        call.direction == Call.Direction.BUSINESS_INITIATED and move.state == State.ACCEPTED)
    if opens_window and call.conversation_id:
        conversation_on_call(conversation=call.conversation, at=at)
    if customer_called and move.state == State.RINGING and call.contact_id and call.phone_number_id:
        permissions.permission_from_call(contact=call.contact, number=call.phone_number, at=at)
    publish(call)
    if customer_called and move.became_missed:
        missed_call_reply(call)


def missed_call_reply(call: Call) -> None:
    """The number's missed-call reply, through the one send path (in the window the call opened). A refusal (the
    window closed since, the contact was erased, the number disconnected) costs the reply, never the webhook."""
    reply = CallSettings.objects.filter(phone_number_id=call.phone_number_id, missed_call_reply_enabled=True).first()
    if reply is None or not reply.missed_call_reply_text.strip() or call.contact_id is None:
        return
    try:
        message_send_to(actor=None, number=call.phone_number, contact=call.contact,
                        message={"type": "text", "text": {"body": reply.missed_call_reply_text}},
                        automation=MISSED_CALL_AUTOMATION)
    except ApplicationError as exc:
        logger.info("call %s: missed-call reply not sent: %s", call.call_id, exc.code)
