"""The webhook inbox's two tables, in the public schema: each raw POST from Meta and each of its changes.

They belong to the `tenants` app (its migrations, its label): tenants.models imports them, so Django registers
them there. They live here, beside the code that writes them (tenants.ingress).
"""
from django.db import models


class WebhookEvent(models.Model):
    """One POST from Meta, stored raw before anything else happens (Meta can't resend old events).

    Unique on the body's hash: a redelivered POST is a no-op. The router splits it into WebhookChange rows.
    """

    class Status(models.TextChoices):
        RECEIVED = "received", "Received"
        PROCESSED = "processed", "Processed"
        FAILED = "failed", "Failed (will be retried by the sweeper)"
        DEAD = "dead", "Dead (attempts exhausted or unreadable; needs a person)"

    # Emptied ("") by the retention job once processed (WEBHOOK_BODY_RETENTION_HOURS); sha256 stays for dedup.
    body = models.TextField()
    sha256 = models.CharField(max_length=64, unique=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RECEIVED)
    attempts = models.PositiveSmallIntegerField(default=0)
    received_at = models.DateTimeField(auto_now_add=True, db_index=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    # Until then a router holds the event (it claimed it in a batch and is routing it); after a failure it is
    # the back-off (tenants.ingress.router). None: due now.
    lease_until = models.DateTimeField(null=True, blank=True)
    # The first phone_number_id in the body ("" for fields without a number): events with the same key are
    # claimed in id order, never two routers at once (tenants.ingress.claim).
    order_key = models.CharField(max_length=32, blank=True, default="")
    error = models.TextField(blank=True, help_text="Why the last attempt failed, or why the event is dead")
    redacted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["status", "received_at"], name="webhook_event_pending"),
                   # The router's claim: the events still to route in arrival order (without wading through
                   # the processed ones the table keeps), and by order key for the earlier ones still held.
                   models.Index(fields=["id"], name="webhook_event_due_in_order",
                                condition=models.Q(status__in=["received", "failed"])),
                   models.Index(fields=["order_key", "id"], name="webhook_event_due",
                                condition=models.Q(status__in=["received", "failed"]))]

    def __str__(self) -> str:
        return f"webhook {self.pk} ({self.status})"


class WebhookChange(models.Model):
    """One `entry[].changes[]` of an event, with the business it belongs to (or none: unroutable)."""

    class Status(models.TextChoices):
        PENDING = "pending", "Routed, not handled yet"
        HANDLED = "handled", "Handled"
        UNROUTABLE = "unroutable", "No business owns this number/account"
        FAILED = "failed", "Handler failed"
        REJECTED = "rejected", "Not what Meta sends (see error); not handled"

    event = models.ForeignKey(WebhookEvent, on_delete=models.CASCADE, related_name="changes")
    position = models.PositiveIntegerField(help_text="Order within the event")
    field = models.CharField(max_length=64)
    phone_number_id = models.CharField(max_length=32, blank=True)
    waba_id = models.CharField(max_length=32, blank=True)
    tenant = models.ForeignKey("tenants.Tenant", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    error = models.TextField(blank=True)
    handled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "position"], name="uniq_webhook_change")]

    def __str__(self) -> str:
        return f"{self.field} of event {self.event_id} ({self.status})"
