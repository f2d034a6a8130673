"""A number's calling settings. Meta holds them (`GET/POST /{phone-number-id}/settings`, reference §9.1): a read goes
to Meta and keeps a copy (the rules here read the copy: a number known to have calling off refuses calls at once);
a change is checked like Meta checks it (builders.check_calling_settings), sent, then read back. The missed-call
reply is ours alone. Changes are recorded in the audit log with who made them.

ConvoNest takes calls in the browser over WebRTC, so SIP stays off: with SIP on, Meta would send no `calls`
webhooks and take no Graph call actions.
"""
from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from apps.audit.recorder import diff, record
from apps.calls.models import CallSettings
from apps.calls.refusals import meta_refusal
from apps.core.errors import ApplicationError
from apps.whatsapp.client import GraphClient
from apps.whatsapp.errors import BuilderError, GraphError
from apps.whatsapp.models import PhoneNumber
from tenants.members import Member

LOCAL_FIELDS = ("missed_call_reply_enabled", "missed_call_reply_text")


def _client(number: PhoneNumber) -> GraphClient:
    return GraphClient(number.account.access_token)


def call_settings_read(number: PhoneNumber) -> CallSettings:
    """Meta's current settings (kept as the copy), with ours."""
    try:
        calling = _client(number).call_settings(number.phone_number_id)
    except GraphError as exc:
        raise meta_refusal(exc) from exc
    row, _ = CallSettings.objects.update_or_create(phone_number=number, defaults={
        "calling": calling, "synced_at": timezone.now()})
    return row


def call_settings_update(*, actor: Member, number: PhoneNumber, calling: dict | None, local: dict) -> CallSettings:
    """Change Meta's settings (when `calling` is given) and ours (`local`: the missed-call reply)."""
    if calling is not None and not isinstance(calling, dict):
        raise ApplicationError("calling must be an object.", code="validation_error",
                               errors={"calling": ["Give Meta's calling settings as an object."]})
    if calling:
        if (calling.get("sip") or {}).get("status") == "ENABLED":
            raise ApplicationError("ConvoNest takes calls in the browser; SIP must stay off.", code="validation_error",
                                   errors={"calling.sip.status": ["Only DISABLED is supported."]})
        try:
            _client(number).update_call_settings(number.phone_number_id, calling)
        except BuilderError as exc:
            raise ApplicationError(str(exc), code="validation_error", errors={exc.field: [exc.message]}) from None
        except GraphError as exc:
            raise meta_refusal(exc) from exc
    with transaction.atomic():
        row, _ = CallSettings.objects.select_for_update().get_or_create(phone_number=number)
        before = {"calling": row.calling, **{name: getattr(row, name) for name in LOCAL_FIELDS}}
        for name in LOCAL_FIELDS:
            if name in local:
                setattr(row, name, local[name])
        row.save()
    if calling:
        row = call_settings_read(number)  # what Meta now holds, merged as Meta merges
    changes = diff(before, {"calling": row.calling, **{name: getattr(row, name) for name in LOCAL_FIELDS}})
    if changes:
        record(actor, "calls.settings_changed", target=number, changes=changes)
    return row
