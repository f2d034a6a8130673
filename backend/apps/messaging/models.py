"""Messages and conversations, in the business's own schema. An outbound message is its own outbox row
(design §5.2); a conversation is the thread of one customer with one of the business's numbers."""
import uuid
from datetime import timedelta

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils import timezone

from apps.core.fields import user_reference

# Meta's customer service window: free-form messages only within 24 hours of the customer's last message.
SERVICE_WINDOW = timedelta(hours=24)


class Conversation(models.Model):
    """One customer (contact) with one business number: the inbox's unit of work."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        PENDING = "pending", "Pending"
        RESOLVED = "resolved", "Resolved"

    phone_number = models.ForeignKey("whatsapp.PhoneNumber", on_delete=models.PROTECT, related_name="conversations")
    contact = models.ForeignKey("contacts.Contact", on_delete=models.CASCADE, related_name="conversations")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    assignee = user_reference(blank=True)
    unread_count = models.PositiveIntegerField(default=0)
    last_message_at = models.DateTimeField(default=timezone.now)
    last_message_preview = models.CharField(max_length=200, blank=True)
    last_message_direction = models.CharField(max_length=3, blank=True)
    last_inbound_at = models.DateTimeField(null=True, blank=True, help_text="Opens the 24-hour service window")
    away_sent_at = models.DateTimeField(null=True, blank=True, help_text="Last automatic away message")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["contact", "phone_number"], name="conversation_per_number")]
        indexes = [models.Index(fields=["-last_message_at", "-id"], name="conversation_recent"),
                   models.Index(fields=["assignee", "status"], name="conversation_assignee")]

    def __str__(self) -> str:
        return f"conversation {self.pk} ({self.status})"

    @property
    def window_expires_at(self):
        return self.last_inbound_at + SERVICE_WINDOW if self.last_inbound_at else None


def content_of(kind: str, payload: dict | None) -> dict:
    """The object Meta's message names by its type (payload["text"], payload["image"], ...), or {}."""
    content = (payload or {}).get(kind)
    return content if isinstance(content, dict) else {}


class Message(models.Model):
    class Direction(models.TextChoices):
        OUTBOUND = "out", "Outbound"
        INBOUND = "in", "Inbound"

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        DELIVERED = "delivered", "Delivered"
        READ = "read", "Read"
        FAILED = "failed", "Failed"
        RECEIVED = "received", "Received"
        # Maybe sent, maybe not: Meta never confirmed it even after the reconciler's re-send. A person decides.
        UNKNOWN = "unknown", "Unknown (needs review)"

    # The id doubles as `biz_opaque_callback_data`, so status webhooks can settle a send whose answer
    # was lost; a UUID is unguessable and known before the request is made.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    direction = models.CharField(max_length=3, choices=Direction.choices, default=Direction.OUTBOUND)
    phone_number = models.ForeignKey("whatsapp.PhoneNumber", on_delete=models.PROTECT, related_name="messages")
    to = models.CharField(max_length=256, help_text="The customer: the recipient (digits of E.164) of an "
                                                  "outbound message, the sender (wa_id or BSUID) of an inbound one")
    # SET_NULL: erasing or deleting a contact anonymises its messages instead (apps.messaging.receivers).
    contact = models.ForeignKey("contacts.Contact", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="messages")
    # Indexes cost every update that is not HOT: none that another one covers (msg_conversation_recent leads with
    # the conversation).
    conversation = models.ForeignKey(Conversation, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="messages", db_index=False)
    automation = models.CharField(max_length=16, blank=True, help_text="Which automation sent it, if any: "
                                  "welcome, away, opt_out, opt_in")
    type = models.CharField(max_length=32)
    payload = models.JSONField(help_text="Meta's message object for this type, as sent")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    wamid = models.CharField(max_length=128, null=True, blank=True, unique=True)
    error_code = models.IntegerField(null=True, blank=True)
    error_title = models.CharField(max_length=300, blank=True)
    error_details = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    reconcile_attempts = models.PositiveSmallIntegerField(
        default=0, help_text="How often the reconciler re-queued it (capped: MESSAGE_RECONCILE_MAX_RESENDS)")
    # What Meta charged, from the status webhook's `pricing` (it arrives once, on sent/delivered/read).
    pricing_category = models.CharField(max_length=32, blank=True, help_text="marketing, utility, ...")
    pricing_type = models.CharField(max_length=32, blank=True, help_text="regular, free_customer_service, ...")
    billable = models.BooleanField(null=True, blank=True)
    created_by = user_reference(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    claimed_at = models.DateTimeField(null=True, blank=True, help_text="When a worker took it for sending")
    sent_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        # No index holds `status`, `claimed_at` or the timestamps the statuses set: then claiming, delivered and read
        # are HOT updates (no index entries, room kept by the table's fillfactor, migration 0011). Only `sent`, which
        # sets the wamid, writes every index again. The reconciler's in-flight rows have neither wamid nor failure.
        indexes = [models.Index(fields=["created_at"], condition=Q(wamid__isnull=True, failed_at__isnull=True),
                                name="msg_in_flight"),
                   models.Index(fields=["conversation", "-created_at"], name="msg_conversation_recent")]

    def __str__(self) -> str:
        return f"{self.type} to {self.to} ({self.status})"

    @property
    def content(self) -> dict:
        return content_of(self.type, self.payload)


class MessageEvent(models.Model):
    """One step of a message's history: queued, claimed, each attempt, each status."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(max_length=10, choices=Message.Status.choices)
    detail = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.message_id} {self.status}"


class PendingStatus(models.Model):
    """A status Meta sent before we knew its message (statuses can beat the send's answer). Applied when
    the message gets its wamid (services._mark_sent)."""

    wamid = models.CharField(max_length=128, db_index=True)
    status = models.CharField(max_length=10, choices=Message.Status.choices)
    at = models.DateTimeField(null=True, blank=True)
    error = models.JSONField(null=True, blank=True)
    pricing = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.wamid} {self.status} (pending)"


class ConversationNote(models.Model):
    """An internal note on a conversation: seen by the team, never sent to the customer."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="notes")
    author = user_reference()
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"note on {self.conversation_id}"


class CannedReply(models.Model):
    """A saved answer agents insert with its shortcut (e.g. /hours)."""

    shortcut = models.CharField(max_length=32, unique=True)
    title = models.CharField(max_length=100)
    body = models.TextField(max_length=4096)
    created_by = user_reference()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["shortcut"]

    def __str__(self) -> str:
        return self.shortcut

    @property
    def audit_label(self) -> str:
        return f"/{self.shortcut} — {self.title}"


WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
DEFAULT_OPT_OUT_KEYWORDS = ["stop", "unsubscribe", "stop all", "cancel", "opt out", "optout", "end", "quit",
                            "baja", "parar", "sair", "cancelar", "arrêt", "arret", "désabonner", "abmelden",
                            "stopp", "annulla", "रोकें", "बंद करो", "إلغاء", "توقف"]
DEFAULT_OPT_IN_KEYWORDS = ["start", "subscribe", "unstop", "alta", "iniciar"]


class InboxSettings(models.Model):
    """One row per business: its automations and business hours."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1, editable=False)
    opt_out_enabled = models.BooleanField(default=True)
    opt_out_keywords = ArrayField(models.CharField(max_length=40), default=list, blank=True,
                                  help_text="Whole-message keywords, any language, matched without case or "
                                            "punctuation. Empty means the defaults.")
    opt_out_reply = models.TextField(max_length=1024, default="You have been unsubscribed from our marketing "
                                     "messages. Reply START to subscribe again.")
    opt_in_reply = models.TextField(max_length=1024, default="You are subscribed to our messages again. "
                                    "Reply STOP to unsubscribe.")
    welcome_enabled = models.BooleanField(default=False)
    welcome_text = models.TextField(max_length=1024, default="Hi! Thanks for reaching out. A member of our "
                                    "team will reply shortly.")
    away_enabled = models.BooleanField(default=False)
    away_text = models.TextField(max_length=1024, default="Thanks for your message! We're away right now and "
                                 "will reply when we're back during business hours.")
    timezone = models.CharField(max_length=64, default="UTC")
    business_hours = models.JSONField(default=dict, blank=True, help_text='{"mon": [["09:00", "18:00"]], ...}; '
                                      "a day without intervals is closed")
    agents_see_all = models.BooleanField(default=False, help_text="Agents see every conversation, not only "
                                         "theirs and unassigned ones")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(id=1), name="inboxsettings_singleton")]

    def __str__(self) -> str:
        return "inbox settings"

    @property
    def audit_label(self) -> str:
        return "Inbox settings"


class MessageMedia(models.Model):
    """The file of an inbound media message, downloaded in the background (apps.messaging.media): Meta
    keeps it only for 7 days."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for download"
        DOWNLOADED = "downloaded", "Downloaded"
        FAILED = "failed", "Failed"

    message = models.OneToOneField("messaging.Message", on_delete=models.CASCADE, related_name="media")
    media_id = models.CharField(max_length=128, help_text="Meta's media id from the webhook")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    mime_type = models.CharField(max_length=128, blank=True)
    filename = models.CharField(max_length=255, blank=True, help_text="The customer's file name (documents)")
    sha256 = models.CharField(max_length=64, blank=True, help_text="Hex digest of the stored bytes")
    size = models.PositiveBigIntegerField(null=True, blank=True)
    file = models.CharField(max_length=300, blank=True, help_text="Path in default storage: <schema>/media/…")
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    downloaded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        app_label = "messaging"
        verbose_name_plural = "message media"

    def __str__(self) -> str:
        return f"media of {self.message_id} ({self.status})"
