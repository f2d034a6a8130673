"""WhatsApp calls (Business Calling API, reference §9) as Meta's `calls` webhooks report them: the call log."""
from django.db import models


class Call(models.Model):
    class Direction(models.TextChoices):
        USER_INITIATED = "user_initiated", "The customer called"
        BUSINESS_INITIATED = "business_initiated", "The business called"
        UNKNOWN = "unknown", "Unknown"

    class Status(models.TextChoices):
        # Ordered: a call only moves forward (webhooks arrive out of order), see services.STATUS_RANK.
        CONNECTING = "connecting", "Connecting"
        RINGING = "ringing", "Ringing"
        ACCEPTED = "accepted", "Accepted"
        REJECTED = "rejected", "Rejected"
        COMPLETED = "completed", "Completed"
        FAILED = "failed", "Failed"

    call_id = models.CharField(max_length=200, unique=True, help_text="Meta's call id (wacid.…)")
    # SET_NULL: the call log outlives a disconnected number.
    phone_number = models.ForeignKey("whatsapp.PhoneNumber", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="calls")
    contact = models.ForeignKey("contacts.Contact", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="calls")
    direction = models.CharField(max_length=20, choices=Direction.choices, default=Direction.UNKNOWN)
    from_number = models.CharField(max_length=128, blank=True)
    to_number = models.CharField(max_length=128, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.CONNECTING)
    last_event = models.CharField(max_length=32, blank=True, help_text="connect, terminate, RINGING, ACCEPTED, ...")
    started_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    duration_seconds = models.PositiveIntegerField(null=True, blank=True)
    sdp_offer = models.TextField(blank=True, help_text="The caller's SDP offer of a user-initiated call")
    biz_opaque_callback_data = models.CharField(max_length=512, blank=True)
    error_code = models.IntegerField(null=True, blank=True)
    error_message = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.call_id} ({self.status})"


class CallEvent(models.Model):
    """One webhook about a call (connect, a status, terminate). Unique per call, event and time, so a
    redelivered webhook adds nothing."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="events")
    event = models.CharField(max_length=32)
    at = models.DateTimeField(null=True, blank=True)
    detail = models.JSONField(default=dict, help_text="Meta's call or status object, without the SDP")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["call", "event", "at"], name="call_event_once",
                                               nulls_distinct=False)]

    def __str__(self) -> str:
        return f"{self.call_id} {self.event}"
