"""Outbound webhooks (docs/webhooks-outbound.md), in the business's own schema: the business's endpoints, and every
delivery of an event to one of them as a row with its attempts (Saleor's rule: every outbound delivery is a row).

    WebhookEndpoint   a URL the business gave, the events it wants, a signing secret (encrypted at rest, shown once),
                      and the health that auto-disables it after failing for long enough
    WebhookDelivery   one event for one endpoint: the payload, the schedule of its attempts, its outcome. `event_id` is
                      the event's, shared by every endpoint's delivery of it and by a replay: receivers dedupe on it
    WebhookAttempt    one HTTP request of a delivery: the headers sent (never the secret), the answer or the error
"""
import uuid
from urllib.parse import urlsplit

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q

from apps.core.crypto import EncryptedTextField


def url_host(url: str) -> str:
    try:
        return urlsplit(url).hostname or ""
    except ValueError:
        return ""


class WebhookEndpoint(models.Model):
    url = models.URLField(max_length=2000)
    description = models.CharField(max_length=200, blank=True)
    events = ArrayField(models.CharField(max_length=40), default=list,
                        help_text="The event types it receives (apps.developer.events.EVENT_TYPES)")
    # Never in a serializer or a log: shown once, when created or rolled (webhook_services).
    secret = EncryptedTextField()
    # The secret before the last roll still signs (a second v1) until this moment, so receivers can switch over.
    previous_secret = EncryptedTextField(null=True, blank=True)
    previous_secret_expires_at = models.DateTimeField(null=True, blank=True)
    is_active = models.BooleanField(default=True)
    disabled_reason = models.CharField(max_length=300, blank=True)
    disabled_at = models.DateTimeField(null=True, blank=True)
    # Consecutive failed attempts (any delivery) and when the streak began; a success resets both.
    failure_streak = models.PositiveIntegerField(default=0)
    failing_since = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_failure_at = models.DateTimeField(null=True, blank=True)
    created_by_email = models.EmailField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"webhook endpoint {self.pk} ({'active' if self.is_active else 'disabled'})"

    @property
    def audit_label(self) -> str:
        """How the audit log names it: the URL's host (a path or query may carry the receiver's own token)."""
        return url_host(self.url)


class WebhookDelivery(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending (not attempted yet)"
        SUCCEEDED = "succeeded", "Succeeded (a 2xx answer)"
        FAILED = "failed", "Failed (the last attempt failed; the next one is scheduled)"
        DEAD = "dead", "Dead (every attempt of the schedule failed)"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries")
    event_type = models.CharField(max_length=40)
    event_id = models.UUIDField(help_text="The event's id: the same for every endpoint, every retry and a replay")
    payload = models.JSONField(help_text="The body sent: {id, type, created_at, data}")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True,
                                           help_text="When a worker may attempt it next (also its lease while sent)")
    replay_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    last_response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    last_response_body = models.TextField(blank=True, help_text="The first 2 KB of the last answer")
    last_error = models.CharField(max_length=500, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            # The sweeper's due deliveries, without scanning the settled ones.
            models.Index(fields=["next_attempt_at"], condition=Q(status__in=["pending", "failed"]),
                         name="webhook_delivery_due"),
            models.Index(fields=["endpoint", "-created_at"], name="webhook_delivery_endpoint"),
        ]

    def __str__(self) -> str:
        return f"{self.event_type} {self.event_id} to endpoint {self.endpoint_id} ({self.status})"

    @property
    def audit_label(self) -> str:
        return f"{self.event_type} {self.event_id}"


class WebhookAttempt(models.Model):
    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE, related_name="attempt_rows")
    number = models.PositiveSmallIntegerField()
    url = models.URLField(max_length=2000)
    request_headers = models.JSONField(default=dict, help_text="As sent; the signature is its own, never the secret")
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    response_headers = models.JSONField(default=dict)
    response_body = models.TextField(blank=True, help_text="The first 2 KB")
    error = models.CharField(max_length=500, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["number", "id"]

    def __str__(self) -> str:
        return f"attempt {self.number} of {self.delivery_id}"
