"""Writes to the call log, from Meta's `calls` webhooks (apps.webhooks.calls parses them).

Each webhook upserts the call by Meta's call id and adds one CallEvent, unique per (call, event, time):
a redelivery adds nothing. Webhooks come in any order, so the status only moves forward.
"""
import logging
from datetime import datetime

from django.db import IntegrityError, transaction

from apps.calls.models import Call, CallEvent
from apps.calls.signals import call_event_recorded
from apps.contacts.models import Contact
from apps.whatsapp.models import PhoneNumber

logger = logging.getLogger(__name__)

STATUS_RANK = {Call.Status.CONNECTING: 0, Call.Status.RINGING: 1, Call.Status.ACCEPTED: 2, Call.Status.REJECTED: 3,
               Call.Status.COMPLETED: 4, Call.Status.FAILED: 4}


def call_event_apply(*, call_id: str, event: str, at: datetime | None, detail: dict, number: PhoneNumber | None,
                     status: str | None, fields: dict, contact: Contact | None = None) -> CallEvent | None:
    """Record one event of a call and apply it. `fields` are set when given (times, parties, SDP, errors);
    `status` only when it is further along than the call's. None when this event was recorded before."""
    call, created = Call.objects.select_for_update().get_or_create(
        call_id=call_id, defaults={"phone_number": number, "contact": contact})
    try:
        with transaction.atomic():
            row = CallEvent.objects.create(call=call, event=event[:32], at=at, detail=detail)
    except IntegrityError:
        logger.info("call %s: %s at %s already recorded (redelivery)", call_id, event, at)
        return None
    changes = {field: value for field, value in fields.items() if value not in (None, "")}
    if status and STATUS_RANK.get(status, -1) > STATUS_RANK.get(call.status, -1):
        changes["status"] = status
    if created or "status" in changes:
        changes["last_event"] = event[:32]
    if call.phone_number_id is None and number is not None:
        changes["phone_number"] = number
    if call.contact_id is None and contact is not None:
        changes["contact"] = contact
    for field, value in changes.items():
        setattr(call, field, value)
    if changes:
        call.save(update_fields=[*changes, "updated_at"])
    call_event_recorded.send(sender=Call, call=call, event=row)
    return row
