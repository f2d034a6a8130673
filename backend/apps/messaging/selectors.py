import uuid

from django.db.models import Q, QuerySet
from django.http import Http404

from apps.messaging.models import CannedReply, Conversation, ConversationNote, InboxSettings, Message, MessageMedia
from tenants.members import Capability, Member


def _messages() -> QuerySet[Message]:
    return Message.objects.select_related("phone_number")


def message_list(member: Member) -> QuerySet[Message]:
    """The messages this member may see: the inbox's rule (visible_conversations) at every door, so an
    agent can't read through /api/messages/ what the inbox hides. A message outside any conversation is
    for those who see every conversation only."""
    if _sees_every_conversation(member):
        return _messages()
    return _messages().filter(conversation__in=visible_conversations(member).values("pk"))


def access_message(member: Member, message_id) -> Message:
    """A message this member may see: missing, malformed, another business's and not-yours are the same 404."""
    try:
        return message_list(member).prefetch_related("events").get(pk=uuid.UUID(str(message_id)))
    except (Message.DoesNotExist, ValueError):
        raise Http404 from None


def access_media(member: Member, message_id) -> MessageMedia:
    """The media of a message this member may see; missing, malformed, media-less and not-yours are the
    same 404."""
    message = access_message(member, message_id)
    try:
        return MessageMedia.objects.get(message=message)
    except MessageMedia.DoesNotExist:
        raise Http404 from None


def inbox_settings_get() -> InboxSettings:
    return InboxSettings.objects.get_or_create(pk=1)[0]


def visible_conversations(member: Member) -> QuerySet[Conversation]:
    """What this member may see: everything with SEE_ALL_CONVERSATIONS (or when the business lets agents see
    all); else their own and unassigned ones."""
    conversations = Conversation.objects.select_related("contact", "phone_number", "assignee")
    if _sees_every_conversation(member):
        return conversations
    return conversations.filter(Q(assignee__isnull=True) | Q(assignee_id=member.user_id))


def _sees_every_conversation(member: Member) -> bool:
    return member.can(Capability.SEE_ALL_CONVERSATIONS) or inbox_settings_get().agents_see_all


# Live events about the whole business, not one conversation: every member may see them (templates are listed
# to every member).
BUSINESS_WIDE_EVENTS = frozenset({"template", "call"})  # a ringing call is for whoever picks up (apps.calls)


def may_see(member: Member, *, assignee_id: int | None, agents_see_all: bool, kind: str = "") -> bool:
    """The same rule as visible_conversations, for one event of the live stream."""
    if kind in BUSINESS_WIDE_EVENTS:
        return True
    return member.can(Capability.SEE_ALL_CONVERSATIONS) or agents_see_all or assignee_id in (None, member.user_id)


def conversation_list(member: Member, *, view: str = "all", status: str = "", q: str = "",
                      phone_number_id: str = "") -> QuerySet[Conversation]:
    conversations = visible_conversations(member)
    if view == "mine":
        conversations = conversations.filter(assignee_id=member.user_id)
    elif view == "unassigned":
        conversations = conversations.filter(assignee__isnull=True)
    if status:
        conversations = conversations.filter(status=status)
    if phone_number_id:
        conversations = conversations.filter(phone_number__phone_number_id=phone_number_id)
    if q := q.strip():
        digits = "".join(ch for ch in q if ch.isdigit())
        match = Q(contact__name__icontains=q) | Q(contact__email__icontains=q)
        if len(digits) >= 3:
            match |= Q(contact__phone__contains=digits)
        conversations = conversations.filter(match)
    return conversations


def access_conversation(member: Member, conversation_id) -> Conversation:
    """A conversation this member may see; missing, another business's and not-yours are the same 404."""
    try:
        return visible_conversations(member).get(pk=int(conversation_id))
    except (Conversation.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def conversation_messages(conversation: Conversation) -> QuerySet[Message]:
    return _messages().filter(conversation=conversation)  # the caller has access_conversation'ed it


def note_list(conversation: Conversation) -> QuerySet[ConversationNote]:
    return conversation.notes.select_related("author")


def canned_reply_list(q: str = "") -> QuerySet[CannedReply]:
    replies = CannedReply.objects.all()
    if q := q.strip().lstrip("/"):
        replies = replies.filter(Q(shortcut__istartswith=q) | Q(title__icontains=q))
    return replies


def access_canned_reply(reply_id) -> CannedReply:
    try:
        return CannedReply.objects.get(pk=int(reply_id))
    except (CannedReply.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def last_activity() -> dict:
    """When the business last sent or received a message (tenants.partners.health; one index read)."""
    latest = Conversation.objects.order_by("-last_message_at").values_list("last_message_at", flat=True).first()
    return {"last_activity_at": latest}
