"""WhatsApp calls (Business Calling API, reference §9): the calls themselves, as Meta's `calls` webhooks and our
agents' actions move them through the signalling states (apps.calls.signalling), the customers' permission to be
called, and each number's calling settings."""
from django.db import models

from apps.calls.signalling import Direction, State
from apps.core.fields import user_reference


class Call(models.Model):
    class Direction(models.TextChoices):
        USER_INITIATED = Direction.USER_INITIATED.value, "The customer called"
        BUSINESS_INITIATED = Direction.BUSINESS_INITIATED.value, "The business called"
        UNKNOWN = "unknown", "Unknown"

    class Status(models.TextChoices):
        # apps.calls.signalling.State: the one list of states and the moves between them.
        CONNECTING = State.CONNECTING.value, "Connecting"
        RINGING = State.RINGING.value, "Ringing"
        PRE_ACCEPTED = State.PRE_ACCEPTED.value, "Being answered"
        ACCEPTED = State.ACCEPTED.value, "In progress"
        REJECTED = State.REJECTED.value, "Declined"
        MISSED = State.MISSED.value, "Missed"
        COMPLETED = State.COMPLETED.value, "Completed"
        FAILED = State.FAILED.value, "Failed"

    call_id = models.CharField(max_length=200, unique=True, help_text="Meta's call id (wacid.…)")
    # SET_NULL: the call log outlives a disconnected number.
    phone_number = models.ForeignKey("whatsapp.PhoneNumber", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="calls")
    contact = models.ForeignKey("contacts.Contact", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="calls")
    conversation = models.ForeignKey("messaging.Conversation", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="calls", help_text="The customer's thread with the number")
    # Who took the customer's call, or placed the business's: the log's "agent".
    agent = user_reference(blank=True)
    direction = models.CharField(max_length=20, choices=Direction.choices, default=Direction.UNKNOWN)
    from_number = models.CharField(max_length=128, blank=True)
    to_number = models.CharField(max_length=128, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.CONNECTING)
    last_event = models.CharField(max_length=32, blank=True, help_text="connect, terminate, RINGING, answer, ...")
    ringing_at = models.DateTimeField(null=True, blank=True, help_text="When it started ringing (the ring timeout)")
    answered_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    duration_seconds = models.PositiveIntegerField(null=True, blank=True)
    sdp_offer = models.TextField(blank=True, help_text="The offer: the customer's (their call) or our browser's (ours)")
    sdp_answer = models.TextField(blank=True, help_text="The answer: our browser's (their call) or Meta's (ours); "
                                                        "pre_accept and accept send the same one")
    biz_opaque_callback_data = models.CharField(max_length=512, blank=True)
    error_code = models.IntegerField(null=True, blank=True)
    error_message = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["contact", "-created_at"], name="call_contact_recent"),
                   models.Index(fields=["agent", "-created_at"], name="call_agent_recent")]

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


class CallPermission(models.Model):
    """Whether this business number may call this customer (reference §9.5), as we last learned it: their reply to
    a permission request, their call with callback permission on, or Meta's answer (GET call_permissions)."""

    class Status(models.TextChoices):
        NONE = "no_permission", "No permission"
        TEMPORARY = "temporary", "Temporary"
        PERMANENT = "permanent", "Permanent"

    contact = models.ForeignKey("contacts.Contact", on_delete=models.CASCADE, related_name="call_permissions")
    phone_number = models.ForeignKey("whatsapp.PhoneNumber", on_delete=models.CASCADE, related_name="call_permissions")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.NONE)
    expires_at = models.DateTimeField(null=True, blank=True, help_text="End of a temporary permission (7 days)")
    source = models.CharField(max_length=32, blank=True, help_text="reply, rejected, callback, meta")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["contact", "phone_number"], name="call_permission_once")]

    def __str__(self) -> str:
        return f"{self.contact_id} @ {self.phone_number_id}: {self.status}"


class CallSettings(models.Model):
    """A number's calling settings: Meta's `calling` object as last read or written (Meta holds the truth), and our
    own missed-call reply."""

    phone_number = models.OneToOneField("whatsapp.PhoneNumber", on_delete=models.CASCADE, related_name="call_settings")
    calling = models.JSONField(default=dict, help_text="Meta's `calling` settings, as last read or written")
    synced_at = models.DateTimeField(null=True, blank=True)
    missed_call_reply_enabled = models.BooleanField(default=False)
    missed_call_reply_text = models.TextField(
        default="Sorry we missed your call! We'll get back to you here as soon as we can.", blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"call settings of {self.phone_number_id}"
