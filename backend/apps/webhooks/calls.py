"""Meta's `calls` webhooks (reference §9.4): `calls[]` (connect, terminate) and `statuses[]` of type call
(RINGING, ACCEPTED, REJECTED) for business-initiated calls. Routed by the number in `metadata`."""
import logging
from datetime import UTC, datetime

from apps.calls.models import Call
from apps.calls.services import call_event_apply
from apps.messaging.inbound import sender_contact
from apps.whatsapp.models import PhoneNumber

logger = logging.getLogger(__name__)

_DIRECTIONS = {"USER_INITIATED": Call.Direction.USER_INITIATED, "BUSINESS_INITIATED": Call.Direction.BUSINESS_INITIATED}
_STATUSES = {"RINGING": Call.Status.RINGING, "ACCEPTED": Call.Status.ACCEPTED, "REJECTED": Call.Status.REJECTED,
             "COMPLETED": Call.Status.COMPLETED, "FAILED": Call.Status.FAILED}


def _at(timestamp) -> datetime | None:
    try:
        return datetime.fromtimestamp(int(timestamp), tz=UTC)
    except (TypeError, ValueError, OverflowError):
        return None


def _text(value, limit: int) -> str:
    return "" if value is None else str(value)[:limit]


def _customer(value: dict, wa_id: str):
    """The contact on the other end, matched or created: by its `contacts[]` entry (the one with this wa_id,
    or the only one when the call names none). A number that isn't a valid phone still finds them by user id."""
    profiles = [c for c in value.get("contacts") or [] if isinstance(c, dict)]
    profile = next((p for p in profiles if wa_id and p.get("wa_id") == wa_id), None)
    if profile is None:
        profile = profiles[0] if len(profiles) == 1 and not wa_id else {}
    user_id, name = profile.get("user_id"), (profile.get("profile") or {}).get("name", "")
    contact = sender_contact(wa_id=wa_id or profile.get("wa_id"), user_id=user_id, name=name)
    if contact is None and user_id:
        contact = sender_contact(wa_id=None, user_id=user_id, name=name)
    return contact


def _error(items) -> dict:
    first = items[0] if isinstance(items, list) and items and isinstance(items[0], dict) else {}
    code = first.get("code")
    return {"error_code": int(code) if str(code or "").lstrip("-").isdigit() else None,
            "error_message": _text(first.get("message") or first.get("title"), 300)}


def handle_calls(value: dict, **_) -> None:
    number_id = str((value.get("metadata") or {}).get("phone_number_id") or "")
    number = PhoneNumber.objects.filter(phone_number_id=number_id).first()
    for call in value.get("calls") or []:
        if isinstance(call, dict) and call.get("id"):
            _apply_call(value, call, number)
    for status in value.get("statuses") or []:
        if isinstance(status, dict) and status.get("id") and status.get("type", "call") == "call":
            _apply_status(value, status, number)


def _apply_call(value: dict, call: dict, number: PhoneNumber | None) -> None:
    event = str(call.get("event") or "unknown").lower()
    direction = _DIRECTIONS.get(str(call.get("direction") or "").upper(), Call.Direction.UNKNOWN)
    customer = call.get("to") if direction == Call.Direction.BUSINESS_INITIATED else call.get("from")
    session = call.get("session") if isinstance(call.get("session"), dict) else {}
    fields = {"direction": direction if direction != Call.Direction.UNKNOWN else None,
              "from_number": _text(call.get("from"), 128), "to_number": _text(call.get("to"), 128),
              "started_at": _at(call.get("start_time")), "ended_at": _at(call.get("end_time")),
              "biz_opaque_callback_data": _text(call.get("biz_opaque_callback_data"), 512)}
    if session.get("sdp_type") == "offer":
        fields["sdp_offer"] = str(session.get("sdp") or "")
    if str(call.get("duration") or "").isdigit():
        fields["duration_seconds"] = int(call["duration"])
    status = Call.Status.CONNECTING if event == "connect" else None
    if event == "terminate":
        status = _STATUSES.get(str(call.get("status") or "").upper(), Call.Status.COMPLETED)
        fields.update(_error(call.get("errors") or value.get("errors")))
    detail = {k: v for k, v in call.items() if k != "session"}  # the SDP is kept once, on the call
    call_event_apply(call_id=_text(call["id"], 200), event=event, at=_at(call.get("timestamp")), detail=detail,
                     number=number, status=status, fields=fields, contact=_customer(value, str(customer or "")))


def _apply_status(value: dict, status: dict, number: PhoneNumber | None) -> None:
    name = str(status.get("status") or "unknown").upper()
    fields = {"direction": Call.Direction.BUSINESS_INITIATED, "to_number": _text(status.get("recipient_id"), 128),
              "biz_opaque_callback_data": _text(status.get("biz_opaque_callback_data"), 512)}
    if name in ("FAILED", "REJECTED"):
        fields.update(_error(status.get("errors")))
    call_event_apply(call_id=_text(status["id"], 200), event=name, at=_at(status.get("timestamp")), detail=status,
                     number=number, status=_STATUSES.get(name), fields=fields,
                     contact=_customer(value, str(status.get("recipient_id") or "")))
