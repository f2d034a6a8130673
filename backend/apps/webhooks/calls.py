"""Meta's `calls` webhooks (reference §9.4): `calls[]` (connect, terminate) and `statuses[]` of type call
(RINGING, ACCEPTED, REJECTED) for business-initiated calls. Routed by the number in `metadata`; parsed into
CallEvents at the edge (apps.whatsapp.webhook_events), mapped here onto the signals of the calls' state machine
(apps.calls.signalling), which moves each call forward only."""
import logging

from apps.calls.models import Call
from apps.calls.services import call_event_apply
from apps.calls.signalling import Signal
from apps.contacts.services import contact_for_sender
from apps.whatsapp.models import PhoneNumber
from apps.whatsapp.selectors import number_for_webhook
from apps.whatsapp.webhook_events import CallEvent, Parsed

logger = logging.getLogger(__name__)

_DIRECTIONS = {"USER_INITIATED": Call.Direction.USER_INITIATED, "BUSINESS_INITIATED": Call.Direction.BUSINESS_INITIATED}
# A business call's statuses (statuses[]). FAILED ends it like a failed terminate.
_STATUS_SIGNALS = {"RINGING": Signal.RINGING, "ACCEPTED": Signal.ACCEPTED, "REJECTED": Signal.REJECTED,
                   "FAILED": Signal.TERMINATED_FAILED}


def _customer(event: CallEvent):
    """The contact on the other end, matched or created, with their `contacts[]` profile (webhook_events.profile_for).
    A number that isn't a valid phone still finds them by user id."""
    profile = event.profile
    user_id, name = (profile.user_id, profile.name) if profile else (None, "")
    contact = contact_for_sender(wa_id=event.customer_wa_id or (profile.wa_id if profile else None),
                                 user_id=user_id, name=name)
    if contact is None and user_id:
        contact = contact_for_sender(wa_id=None, user_id=user_id, name=name)
    return contact


def _error(event: CallEvent) -> dict:
    return {"error_code": event.error_code, "error_message": event.error_message[:300]}


def handle_calls(change: Parsed, **_) -> None:
    number = number_for_webhook(change.phone_number_id)
    for event in change.of(CallEvent):
        (_apply_status if event.is_status else _apply_call)(event, number)


def _apply_call(event: CallEvent, number: PhoneNumber | None) -> None:
    direction = _DIRECTIONS.get(event.direction)
    fields = {"direction": direction, "from_number": event.from_number, "to_number": event.to_number,
              "started_at": event.started_at, "ended_at": event.ended_at,
              "biz_opaque_callback_data": event.callback_data}
    if event.sdp_offer is not None:
        fields["sdp_offer"] = event.sdp_offer
    if event.sdp_answer is not None:  # Meta's answer to our call's offer: the agent's browser applies it
        fields["sdp_answer"] = event.sdp_answer
    if event.duration_seconds is not None:
        fields["duration_seconds"] = event.duration_seconds
    signal = Signal.CONNECT if event.event == "connect" else None
    if event.event == "terminate":
        signal = Signal.TERMINATED_FAILED if event.status == "FAILED" else Signal.TERMINATED
        if signal == Signal.TERMINATED and event.duration_seconds:
            # A talk time means it was connected: answered outside our API, or its other webhooks are still late.
            signal = Signal.TERMINATED_ANSWERED
        fields.update(_error(event))
    call_event_apply(call_id=event.call_id, event=event.event, at=event.at, detail=event.detail, number=number,
                     signal=signal, fields=fields, contact=_customer(event))


def _apply_status(event: CallEvent, number: PhoneNumber | None) -> None:
    fields = {"direction": Call.Direction.BUSINESS_INITIATED, "to_number": event.to_number,
              "biz_opaque_callback_data": event.callback_data}
    if event.status in ("FAILED", "REJECTED"):
        fields.update(_error(event))
    call_event_apply(call_id=event.call_id, event=event.event, at=event.at, detail=event.detail, number=number,
                     signal=_STATUS_SIGNALS.get(event.status), fields=fields, contact=_customer(event))
