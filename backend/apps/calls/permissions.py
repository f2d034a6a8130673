"""Permission to call a customer, per contact and business number (reference §9.5), and Meta's limits around it,
enforced here before Meta is asked, so the agent gets the same refusal at once and in plain words:

- calling needs a permission: temporary (7 days, from a reply or the customer's own call when the number's
  callback permission is on) or permanent (138006 without);
- at most 10 connected business calls to the customer in 24 hours (138012);
- permission requests: 1 per 24 hours and 2 per 7 days, counted since the last connected call (a connected call
  resets them), none while a permanent permission stands (138017, 138009). They are counted from the messages
  themselves (an interactive `call_permission_request` not failed), so a request sent through any door counts.

The customer's reply arrives as a message (`call_permission_reply`, apps.calls.receivers) and sets the permission.
Meta stays the authority: `permission_sync` reads `GET /{phone-number-id}/call_permissions` into the row.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db.models import Max
from django.utils import timezone

from apps.calls.models import Call, CallPermission, CallSettings
from apps.calls.refusals import meta_refusal, refusal
from apps.contacts.models import Contact
from apps.messaging.models import Message
from apps.messaging.outbox import message_send_to
from apps.whatsapp import builders
from apps.whatsapp.client import GraphClient
from apps.whatsapp.errors import GraphError
from apps.whatsapp.models import PhoneNumber
from apps.whatsapp.webhook_events import call_permission_reply
from tenants.members import Member

TEMPORARY = timedelta(days=7)
DAY, WEEK = timedelta(hours=24), timedelta(days=7)
REQUESTS_PER_DAY, REQUESTS_PER_WEEK = 1, 2
CONNECTED_CALLS_PER_DAY = 10
DEFAULT_REQUEST_TEXT = "May we call you on WhatsApp?"
Status = CallPermission.Status


@dataclass(frozen=True)
class PermissionState:
    status: str  # no_permission, temporary, permanent (an expired temporary one is no_permission)
    expires_at: datetime | None
    source: str
    requests_24h: int
    requests_7d: int
    next_request_at: datetime | None  # None: a request may be sent now (or never, when permanent)
    connected_calls_24h: int
    next_call_at: datetime | None  # None: a call may be placed now (given a permission)

    @property
    def may_request(self) -> bool:
        return self.status != Status.PERMANENT and self.next_request_at is None

    @property
    def may_call(self) -> bool:
        return self.status != Status.NONE and self.next_call_at is None


def _row(contact: Contact, number: PhoneNumber) -> CallPermission | None:
    return CallPermission.objects.filter(contact=contact, phone_number=number).first()


def _requests(contact: Contact, number: PhoneNumber, now: datetime) -> list[datetime]:
    """The permission requests sent since the last connected call (it resets the count), within 7 days."""
    last_connected = Call.objects.filter(contact=contact, phone_number=number, answered_at__isnull=False).aggregate(
        last=Max("answered_at"))["last"]
    since = max(filter(None, [now - WEEK, last_connected]))
    return sorted(Message.objects.filter(
        contact=contact, phone_number=number, direction=Message.Direction.OUTBOUND, type="interactive",
        payload__interactive__type="call_permission_request", created_at__gt=since,
    ).exclude(status=Message.Status.FAILED).values_list("created_at", flat=True))


def permission_state(contact: Contact, number: PhoneNumber, *, now: datetime | None = None) -> PermissionState:
    now = now or timezone.now()
    row = _row(contact, number)
    status, expires_at = (row.status, row.expires_at) if row else (Status.NONE, None)
    if status == Status.TEMPORARY and (expires_at is None or expires_at <= now):
        status, expires_at = Status.NONE, None
    week = _requests(contact, number, now)
    day = [at for at in week if at > now - DAY]
    next_request = None
    if len(day) >= REQUESTS_PER_DAY or len(week) >= REQUESTS_PER_WEEK:
        next_request = max(day[0] + DAY if len(day) >= REQUESTS_PER_DAY else now,
                           week[0] + WEEK if len(week) >= REQUESTS_PER_WEEK else now)
    connected = sorted(Call.objects.filter(contact=contact, phone_number=number,
                                           direction=Call.Direction.BUSINESS_INITIATED,
                                           answered_at__gt=now - DAY).values_list("answered_at", flat=True))
    next_call = connected[-CONNECTED_CALLS_PER_DAY] + DAY if len(connected) >= CONNECTED_CALLS_PER_DAY else None
    return PermissionState(status=status, expires_at=expires_at, source=row.source if row else "",
                           requests_24h=len(day), requests_7d=len(week), next_request_at=next_request,
                           connected_calls_24h=len(connected), next_call_at=next_call)


def require_call_allowed(contact: Contact, number: PhoneNumber) -> None:
    state = permission_state(contact, number)
    if state.status == Status.NONE:
        raise refusal(138006)
    if state.next_call_at is not None:
        raise refusal(138012, retry_after=state.next_call_at.isoformat())


def permission_request_send(*, actor: Member, contact: Contact, number: PhoneNumber, body: str = "") -> Message:
    """Ask the customer for permission to call, as an interactive message through the one send path (it refuses
    outside the 24-hour window, as Meta would)."""
    state = permission_state(contact, number)
    if state.status == Status.PERMANENT:
        raise refusal(138017)
    if state.next_request_at is not None:
        raise refusal(138009, retry_after=state.next_request_at.isoformat())
    return message_send_to(actor=actor, number=number, contact=contact,
                           message=builders.call_permission_request(body.strip() or DEFAULT_REQUEST_TEXT))


def _save(contact: Contact, number: PhoneNumber, status: str, expires_at: datetime | None, source: str) -> None:
    CallPermission.objects.update_or_create(contact=contact, phone_number=number, defaults={
        "status": status, "expires_at": expires_at if status == Status.TEMPORARY else None, "source": source})


def permission_reply_apply(message: Message) -> bool:
    """A customer's `call_permission_reply` (a stored inbound message): their answer becomes the permission. False
    when the message is not one."""
    reply = call_permission_reply(message.payload)
    if reply is None or message.contact_id is None:
        return False
    at = message.sent_at or timezone.now()
    if not reply.accepted:
        _save(message.contact, message.phone_number, Status.NONE, None, "rejected")
    elif reply.permanent:
        _save(message.contact, message.phone_number, Status.PERMANENT, None, "reply")
    else:
        _save(message.contact, message.phone_number, Status.TEMPORARY, reply.expires_at or at + TEMPORARY, "reply")
    return True


def permission_from_call(*, contact: Contact, number: PhoneNumber, at: datetime) -> None:
    """The customer called: with the number's callback permission on, Meta lets the business call back for 7 days
    (unless a permanent permission already stands)."""
    calling = CallSettings.objects.filter(phone_number=number).values_list("calling", flat=True).first() or {}
    if calling.get("callback_permission_status") != "ENABLED":
        return
    if permission_state(contact, number).status != Status.PERMANENT:
        _save(contact, number, Status.TEMPORARY, at + TEMPORARY, "callback")


def permission_sync(contact: Contact, number: PhoneNumber) -> dict:
    """Meta's view of the permission (`GET call_permissions`), stored; returns Meta's answer."""
    wa_id = contact.wa_id or (contact.phone or "").lstrip("+")
    if not wa_id:
        raise refusal(138006)
    try:
        answer = GraphClient(number.account.access_token).call_permissions(number.phone_number_id, wa_id)
    except GraphError as exc:
        raise meta_refusal(exc) from exc
    permission = answer.get("permission") or {}
    status = permission.get("status") if permission.get("status") in Status.values else Status.NONE
    expires = permission.get("expiration_time")
    expires_at = datetime.fromtimestamp(expires, tz=UTC) if isinstance(expires, int) else None
    _save(contact, number, status, expires_at, "meta")
    return answer
