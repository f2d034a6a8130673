"""Messages, in the business's own schema. An outbound message is its own outbox row (design §5.2)."""
import uuid

from django.conf import settings
from django.db import models


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

    # The id doubles as `biz_opaque_callback_data`, so status webhooks can settle a send whose answer
    # was lost; a UUID is unguessable and known before the request is made.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    direction = models.CharField(max_length=3, choices=Direction.choices, default=Direction.OUTBOUND)
    phone_number = models.ForeignKey("whatsapp.PhoneNumber", on_delete=models.PROTECT, related_name="messages")
    to = models.CharField(max_length=128, help_text="The customer: the recipient (digits of E.164) of an "
                                                  "outbound message, the sender (wa_id or BSUID) of an inbound one")
    # SET_NULL: erasing or deleting a contact anonymises its messages instead (apps.messaging.receivers).
    contact = models.ForeignKey("contacts.Contact", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="messages")
    type = models.CharField(max_length=32)
    payload = models.JSONField(help_text="Meta's message object for this type, as sent")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True)
    wamid = models.CharField(max_length=128, null=True, blank=True, unique=True)
    error_code = models.IntegerField(null=True, blank=True)
    error_title = models.CharField(max_length=300, blank=True)
    error_details = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    claimed_at = models.DateTimeField(null=True, blank=True, help_text="When a worker took it for sending")
    sent_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["status", "claimed_at"], name="msg_status_claimed")]

    def __str__(self) -> str:
        return f"{self.type} to {self.to} ({self.status})"


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
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.wamid} {self.status} (pending)"
