"""Outbound webhook events from the product apps' signals (each sent inside the transaction of its change): check that
someone subscribes (a cached lookup) before building anything, then `events.emit`. The payload shapes are documented in
docs/webhooks-outbound.md; contact data are at `data.contact_id` so an erasure can find and redact them.

Bulk changes (an import's chunk, a bulk tag, untag or delete) come as sets of ids, read and emitted BULK_BATCH contacts
at a time (one INSERT of deliveries each), so memory stays bounded whatever the size; the contacts app asks first
(`contact_events_wanted_asked`) and collects no ids at all when nobody subscribes."""
from django.db import connection
from django.dispatch import receiver

from apps.calls.signals import call_event_recorded
from apps.campaigns.signals import campaign_finished
from apps.contacts.signals import (
    consent_recorded,
    contact_created,
    contact_erased,
    contact_events_wanted_asked,
    contact_updated,
    contacts_changed_in_bulk,
    contacts_deleting,
    contacts_merged,
)
from apps.developer import events
from apps.messaging.signals import message_received, message_statuses_changed
from apps.templates.signals import template_status_changed

BULK_BATCH = 500

_CONTACT_EVENTS = {"created": "contact.created", "updated": "contact.updated"}


def _iso(value):
    return value.isoformat() if value else None


def contact_data(contact) -> dict:
    return {"contact_id": contact.pk, "phone": contact.phone, "wa_id": contact.wa_id or None,
            "wa_user_id": contact.wa_user_id, "name": contact.name, "email": contact.email,
            "language": contact.language, "tags": list(contact.tags), "attributes": dict(contact.attributes),
            "marketing_consent": contact.marketing_consent, "utility_consent": contact.utility_consent,
            "created_at": _iso(contact.created_at), "updated_at": _iso(contact.updated_at)}


@receiver(message_received, dispatch_uid="developer.message_received")
def _message_received(sender, message, **kwargs):
    if not events.wants("message.received"):
        return
    events.emit("message.received", {
        "message_id": str(message.pk), "wamid": message.wamid, "from": message.to,
        "contact_id": message.contact_id, "conversation_id": message.conversation_id,
        "phone_number_id": message.phone_number.phone_number_id, "type": message.type,
        "message": message.payload, "sent_at": _iso(message.sent_at)})


@receiver(message_statuses_changed, dispatch_uid="developer.message_statuses_changed")
def _message_statuses(sender, changes, **kwargs):
    if not events.wants("message.status_changed"):
        return
    from apps.messaging.models import Message

    rows = {m.pk: m for m in Message.objects.select_related("phone_number").defer("payload")
            .filter(pk__in={pk for pk, _ in changes})}
    items = []
    for pk, status in changes:
        m = rows.get(pk)
        if m is None:
            continue
        failed = status == Message.Status.FAILED
        items.append({
            "message_id": str(m.pk), "wamid": m.wamid, "status": status, "to": m.to, "contact_id": m.contact_id,
            "conversation_id": m.conversation_id, "phone_number_id": m.phone_number.phone_number_id,
            "at": _iso({"sent": m.sent_at, "delivered": m.delivered_at, "read": m.read_at,
                        "failed": m.failed_at}.get(status) or m.updated_at),
            "error": {"code": m.error_code, "title": m.error_title, "details": m.error_details} if failed else None,
            "pricing": {"category": m.pricing_category, "type": m.pricing_type, "billable": m.billable}
            if (m.pricing_category or m.pricing_type or m.billable is not None) else None})
    events.emit_many("message.status_changed", items)


@receiver(contact_created, dispatch_uid="developer.contact_created")
def _contact_created(sender, contact, **kwargs):
    if events.wants("contact.created"):
        events.emit("contact.created", contact_data(contact))


@receiver(contact_updated, dispatch_uid="developer.contact_updated")
def _contact_updated(sender, contact, fields=(), **kwargs):
    if events.wants("contact.updated"):
        events.emit("contact.updated", {**contact_data(contact), "changed": list(fields)})


@receiver(contact_events_wanted_asked, dispatch_uid="developer.contact_events_wanted")
def _contact_events_wanted(sender, kinds=(), **kwargs) -> bool:
    return any(events.wants(_CONTACT_EVENTS[kind]) for kind in kinds if kind in _CONTACT_EVENTS)


@receiver(contacts_changed_in_bulk, dispatch_uid="developer.contacts_changed_in_bulk")
def _contacts_in_bulk(sender, created_ids=(), updated_ids=(), fields=(), **kwargs):
    from apps.contacts.models import Contact

    for event_type, ids, extra in (("contact.created", created_ids, {}),
                                   ("contact.updated", updated_ids, {"changed": list(fields)})):
        if not ids or not events.wants(event_type):
            continue
        for start in range(0, len(ids), BULK_BATCH):
            batch = Contact.objects.filter(pk__in=ids[start:start + BULK_BATCH]).order_by("pk")
            events.emit_many(event_type, [{**contact_data(contact), **extra} for contact in batch])


@receiver(contacts_deleting, dispatch_uid="developer.contacts_deleting")
def _contacts_deleting(sender, ids_sql, params=(), **kwargs):
    """Before a delete (one contact or a million): `contact.deleted` for each, read in id order BULK_BATCH at a time."""
    if not events.wants("contact.deleted"):
        return
    last = 0
    while True:
        with connection.cursor() as cursor:
            cursor.execute(f"""
                SELECT c.id, c.phone, c.wa_id, c.wa_user_id FROM contacts_contact c
                WHERE c.id IN ({ids_sql}) AND c.id > %s ORDER BY c.id LIMIT %s
            """, [*params, last, BULK_BATCH])
            rows = cursor.fetchall()
        if not rows:
            return
        events.emit_many("contact.deleted", [
            {"contact_id": pk, "phone": phone, "wa_id": wa_id or None, "wa_user_id": user_id, "merged_into": None}
            for pk, phone, wa_id, user_id in rows])
        last = rows[-1][0]


@receiver(contacts_merged, dispatch_uid="developer.contacts_merged")
def _contact_merged(sender, survivor_id, merged_id, **kwargs):
    """The merged contact is gone, folded into the survivor (whose own change is a `contact.updated`)."""
    if events.wants("contact.deleted"):
        events.emit("contact.deleted", {"contact_id": merged_id, "phone": None, "wa_id": None, "wa_user_id": None,
                                        "merged_into": survivor_id})


@receiver(consent_recorded, dispatch_uid="developer.consent_recorded")
def _consent(sender, contact, event, **kwargs):
    event_type = "contact.opted_out" if event.action == "opt_out" else "contact.opted_in"
    if events.wants(event_type):
        events.emit(event_type, {"contact_id": contact.pk, "phone": contact.phone, "wa_id": contact.wa_id or None,
                                 "category": event.category, "source": event.source, "keyword": event.keyword,
                                 "occurred_at": _iso(event.occurred_at),
                                 "marketing_consent": contact.marketing_consent,
                                 "utility_consent": contact.utility_consent})


@receiver(campaign_finished, dispatch_uid="developer.campaign_finished")
def _campaign_finished(sender, campaign, **kwargs):
    if events.wants("campaign.finished"):
        events.emit("campaign.finished", {
            "campaign_id": campaign.pk, "name": campaign.name, "status": campaign.status,
            "reason": campaign.status_reason, "started_at": _iso(campaign.started_at),
            "completed_at": _iso(campaign.completed_at)})


@receiver(template_status_changed, dispatch_uid="developer.template_status_changed")
def _template_status(sender, template, previous_status, **kwargs):
    if events.wants("template.status_changed"):
        events.emit("template.status_changed", {
            "template_id": template.pk, "meta_template_id": template.meta_template_id, "name": template.name,
            "language": template.language, "category": template.category, "status": template.status,
            "previous_status": previous_status, "reason": template.rejected_reason,
            "reason_detail": template.reason_detail})


@receiver(call_event_recorded, dispatch_uid="developer.call_event_recorded")
def _call_event(sender, call, event, **kwargs):
    if events.wants("call.updated"):
        events.emit("call.updated", {
            "call_id": call.call_id, "event": event.event, "status": call.status, "direction": call.direction,
            "from": call.from_number, "to": call.to_number, "contact_id": call.contact_id,
            "phone_number_id": call.phone_number.phone_number_id if call.phone_number_id else None,
            "at": _iso(event.at), "started_at": _iso(call.started_at), "ended_at": _iso(call.ended_at),
            "duration_seconds": call.duration_seconds,
            "error": {"code": call.error_code, "message": call.error_message} if call.error_code else None})


@receiver(contact_erased, dispatch_uid="developer.contact_erased")
def _redact_erased(sender, contact_id, **kwargs):
    """An erased person's data leave the delivery log too: their events' payloads are emptied (the rows stay)."""
    from apps.developer.webhook_models import WebhookDelivery

    WebhookDelivery.objects.filter(payload__data__contains={"contact_id": contact_id}).update(
        payload={"redacted": True}, last_response_body="")
