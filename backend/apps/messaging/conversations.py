"""Conversations (services): one per customer and business number, kept current by every message.

    conversation_for          the conversation of a contact with a number (created on first use)
    conversation_on_inbound   a customer wrote: window reopens, unread + 1, a resolved thread reopens
    conversation_on_outbound  we wrote: last message moves, unread clears (someone answered)
    conversation_on_call      a customer called, or accepted our call: the window reopens
    window_require_open       the 24-hour rule for free-form messages (templates may always go)
    conversation_update       status and assignment, with who may assign whom
    conversation_mark_read    the agent read it: unread 0, and the customer sees blue ticks
    note_create, canned_reply_*, inbox_settings_update

The inbox's configuration (canned replies; the settings: automations, business hours, who sees what) is recorded
in the audit log with who changed it; messages, reads, assignments and notes are not (the messages and their
events already say who did them).
"""
from datetime import datetime

from django.db import transaction
from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import Greatest
from django.utils import timezone

from apps.audit.recorder import diff, record
from apps.core.errors import ApplicationError
from apps.core.time_zones import TIME_ZONE_SET
from apps.messaging import live
from apps.messaging.models import (
    SERVICE_WINDOW,
    WEEKDAYS,
    CannedReply,
    Conversation,
    ConversationNote,
    InboxSettings,
    Message,
    content_of,
)
from tenants.members import Capability, Member, member_of
from tenants.models import User

Status = Conversation.Status


def preview_of(message: Message) -> str:
    """A one-line summary for the conversation list."""
    return preview_of_payload(message.type, message.payload)


def preview_of_payload(kind: str, payload: dict | None) -> str:
    """preview_of for a message not built as a model (Meta's message object and its type)."""
    body = content_of(kind, payload)
    text = {
        "text": lambda: body.get("body"),
        "interactive": lambda: (body.get("body") or {}).get("text")
        or (body.get("button_reply") or body.get("list_reply") or {}).get("title"),
        "button": lambda: body.get("text"),
        "template": lambda: f"Template: {body.get('name', '')}",
        "reaction": lambda: f"Reacted {body.get('emoji', '')}".strip(),
        "location": lambda: body.get("name") or "Location",
    }.get(kind, lambda: body.get("caption") or body.get("filename"))()
    return (text or kind.capitalize())[:200]


def conversation_for(*, contact, number) -> Conversation:
    conversation, _ = Conversation.objects.get_or_create(contact=contact, phone_number=number)
    return conversation


def _publish(conversation: Conversation, kind: str = "conversation", **data) -> None:
    live.publish(kind, conversation_id=conversation.pk, assignee_id=conversation.assignee_id, **data)


def conversation_on_inbound(*, conversation: Conversation, message: Message, at) -> None:
    # Inbound can arrive late: the list shows the latest message. A new conversation has none yet.
    first = Q(last_message_direction="")
    newest = first | Q(last_message_at__lte=at)
    Conversation.objects.filter(pk=conversation.pk).update(
        last_inbound_at=Greatest("last_inbound_at", Value(at), output_field=Conversation.last_inbound_at.field),
        last_message_preview=Case(When(newest, then=Value(preview_of(message))),
                                  default=F("last_message_preview")),
        last_message_direction=Case(When(newest, then=Value(Message.Direction.INBOUND)),
                                    default=F("last_message_direction")),
        last_message_at=Case(When(first, then=Value(at)), default=Greatest(
            "last_message_at", Value(at), output_field=Conversation.last_message_at.field)),
        unread_count=F("unread_count") + 1,
        status=Case(When(status=Status.RESOLVED, then=Value(Status.OPEN)), default=F("status")),
    )
    conversation.refresh_from_db()
    _publish(conversation, "message", message_id=str(message.pk))


def conversation_on_call(*, conversation: Conversation, at) -> None:
    """A customer called (answered or not) or accepted the business's call: that opens the 24-hour window like a
    message (reference §8.5). apps.calls announces the call itself."""
    Conversation.objects.filter(pk=conversation.pk).update(
        last_inbound_at=Greatest("last_inbound_at", Value(at), output_field=Conversation.last_inbound_at.field))


def conversation_on_outbound(*, conversation: Conversation, message: Message) -> None:
    now = timezone.now()
    fields = {"last_message_at": now, "last_message_preview": preview_of(message),
              "last_message_direction": Message.Direction.OUTBOUND}
    if message.created_by_id:  # a person answered; automations don't count as reading the thread
        fields["unread_count"] = 0
    Conversation.objects.filter(pk=conversation.pk).update(**fields)
    for name, value in fields.items():
        setattr(conversation, name, value)
    _publish(conversation, "message", message_id=str(message.pk))


def message_changed(message: Message) -> None:
    """A message's status moved: tell the inbox (the event names the conversation and its assignee)."""
    if message.conversation_id is None:
        return
    live.publish("status", conversation_id=message.conversation_id, assignee_id=message.conversation.assignee_id,
                 message_id=str(message.pk))


def window_is_open(conversation: Conversation | None, *, now=None) -> bool:
    if conversation is None or conversation.last_inbound_at is None:
        return False
    return (now or timezone.now()) < conversation.last_inbound_at + SERVICE_WINDOW


def window_require_open(conversation: Conversation | None, message_type: str) -> None:
    if message_type == "template" or window_is_open(conversation):
        return
    raise ApplicationError(
        "The 24-hour customer service window is closed: the customer hasn't written in the last 24 hours. "
        "Send an approved template to start the conversation again.",
        code="window_closed", errors={"type": ["Only a template can be sent outside the 24-hour window."]})


def _can_work_here(user_id: int, tenant) -> bool:
    user = User.objects.filter(pk=user_id, is_active=True).first()
    return member_of(user=user, tenant=tenant) is not None


@transaction.atomic
def conversation_update(*, conversation: Conversation, actor: Member, data: dict) -> Conversation:
    """Change status and/or assignee. Agents may take a conversation or let it go; those who see every
    conversation assign anyone."""
    if "assignee_id" in data:
        assignee_id = data["assignee_id"]
        assigns_anyone = actor.can(Capability.SEE_ALL_CONVERSATIONS)
        if not assigns_anyone and assignee_id not in (None, actor.user_id):
            raise ApplicationError("Agents can assign conversations only to themselves.", code="permission_denied",
                                   status_code=403)
        if not assigns_anyone and conversation.assignee_id not in (None, actor.user_id):
            raise ApplicationError("This conversation is assigned to someone else.", code="permission_denied",
                                   status_code=403)
        if assignee_id is not None and not _can_work_here(assignee_id, actor.tenant):
            raise ApplicationError("Not a member of this business.", code="validation_error",
                                   errors={"assignee_id": ["Choose a member of this business."]})
        conversation.assignee_id = assignee_id
    if "status" in data:
        conversation.status = data["status"]
    conversation.save(update_fields=["assignee", "status", "updated_at"])
    _publish(conversation)
    return conversation


@transaction.atomic
def conversation_mark_read(*, conversation: Conversation) -> Conversation:
    """Unread clears; the customer's latest message is marked read at Meta (after commit, in a task)."""
    from apps.messaging.tasks import conversation_mark_read_task

    had_unread = conversation.unread_count > 0
    Conversation.objects.filter(pk=conversation.pk).update(unread_count=0)
    conversation.unread_count = 0
    if had_unread:
        _publish(conversation)
        transaction.on_commit(lambda: conversation_mark_read_task.delay(conversation.pk))
    return conversation


def note_create(*, conversation: Conversation, author, body: str) -> ConversationNote:
    body = body.strip()
    if not body:
        raise ApplicationError("A note needs some text.", code="validation_error", errors={"body": ["Write a note."]})
    note = ConversationNote.objects.create(conversation=conversation, author=author, body=body)
    _publish(conversation, "note", note_id=note.pk)
    return note


CANNED_REPLY_FIELDS = ("shortcut", "title", "body")


@transaction.atomic
def canned_reply_save(*, actor: Member, reply: CannedReply | None = None, shortcut: str, title: str, body: str
                      ) -> CannedReply:
    """Create a canned reply (`reply` None) or change one."""
    shortcut = shortcut.strip().lstrip("/").lower()
    if not shortcut or not shortcut.replace("-", "").replace("_", "").isalnum():
        raise ApplicationError("Shortcuts are letters, digits, - and _.", code="validation_error",
                               errors={"shortcut": ["Use letters, digits, - and _ (e.g. hours)."]})
    clash = CannedReply.objects.filter(shortcut=shortcut).exclude(pk=getattr(reply, "pk", None))
    if clash.exists():
        raise ApplicationError("That shortcut is taken.", code="validation_error",
                               errors={"shortcut": [f"/{shortcut} is already a canned reply."]})
    before = {name: getattr(reply, name) for name in CANNED_REPLY_FIELDS} if reply is not None else None
    reply = reply or CannedReply(created_by=actor.user)
    reply.shortcut, reply.title, reply.body = shortcut, title.strip(), body.strip()
    reply.save()
    if before is None:
        record(actor, "canned_reply.created", target=reply)
    else:
        changes = diff(before, {name: getattr(reply, name) for name in CANNED_REPLY_FIELDS})
        if changes:  # saved as it was: nothing to record
            record(actor, "canned_reply.updated", target=reply, changes=changes)
    return reply


@transaction.atomic
def canned_reply_delete(*, actor: Member, reply: CannedReply) -> None:
    record(actor, "canned_reply.deleted", target=reply)
    reply.delete()


def _clean_hours(hours: dict) -> dict:
    """{"mon": [["09:00", "18:00"], ...], ...}: known days, HH:MM, start before end."""
    if not isinstance(hours, dict):
        raise ApplicationError("Business hours must be an object by weekday.", code="validation_error",
                               errors={"business_hours": ['e.g. {"mon": [["09:00", "18:00"]]}']})
    cleaned = {}
    for day, intervals in hours.items():
        if day not in WEEKDAYS or not isinstance(intervals, list):
            raise ApplicationError("Unknown weekday in business hours.", code="validation_error",
                                   errors={"business_hours": [f"Days are {', '.join(WEEKDAYS)}; each a list."]})
        cleaned[day] = []
        for interval in intervals:
            try:
                start, end = (datetime.strptime(t, "%H:%M").time() for t in interval)
            except (TypeError, ValueError):
                raise ApplicationError("Hours are HH:MM.", code="validation_error",
                                       errors={"business_hours": [f"{day}: use [\"09:00\", \"18:00\"]."]}) from None
            if start >= end:
                raise ApplicationError("An interval must end after it starts.", code="validation_error", errors={
                    "business_hours": [f"{day}: {interval[0]} is not before {interval[1]}."]})
            cleaned[day].append([start.strftime("%H:%M"), end.strftime("%H:%M")])
    return cleaned


@transaction.atomic
def inbox_settings_update(*, actor: Member, data: dict) -> InboxSettings:
    """Change the automations, business hours and visibility; what changed is recorded with who changed it."""
    from apps.messaging.selectors import inbox_settings_get

    settings_row = inbox_settings_get()
    before = {name: getattr(settings_row, name) for name in data}
    if "timezone" in data:
        if data["timezone"] not in TIME_ZONE_SET:  # the list the schema's enum states
            raise ApplicationError("Unknown time zone.", code="validation_error",
                                   errors={"timezone": ["Use an IANA name, e.g. Asia/Kolkata."]}) from None
    if "business_hours" in data:
        data["business_hours"] = _clean_hours(data["business_hours"])
    if "opt_out_keywords" in data:
        data["opt_out_keywords"] = sorted({k.strip().casefold() for k in data["opt_out_keywords"] if k.strip()})
    for name, value in data.items():
        setattr(settings_row, name, value)
    if settings_row.away_enabled and not settings_row.business_hours:
        raise ApplicationError("Set business hours before switching on the away message.", code="validation_error",
                               errors={"business_hours": ["The away message is sent outside these hours."]})
    settings_row.save()
    changes = diff(before, {name: getattr(settings_row, name) for name in data})
    if changes:
        record(actor, "inbox.settings_changed", target=settings_row, changes=changes)
    return settings_row
