"""The business's WhatsApp message templates as Meta reports them, and the history of Meta's updates.

So far rows come from Meta's template webhooks (a template we never saw is created from what the webhook
carries); creating templates and syncing them with Meta's list come in a later issue.
"""
from django.db import models


class Template(models.Model):
    class Status(models.TextChoices):
        # Meta's template statuses and status-webhook events (reference §5.6); an unknown one is stored as sent.
        APPROVED = "APPROVED", "Approved"
        PENDING = "PENDING", "Pending review"
        REJECTED = "REJECTED", "Rejected"
        PAUSED = "PAUSED", "Paused"
        DISABLED = "DISABLED", "Disabled"
        FLAGGED = "FLAGGED", "Flagged"
        IN_APPEAL = "IN_APPEAL", "In appeal"
        REINSTATED = "REINSTATED", "Reinstated"
        PENDING_DELETION = "PENDING_DELETION", "Pending deletion"
        DELETED = "DELETED", "Deleted"
        LIMIT_EXCEEDED = "LIMIT_EXCEEDED", "Limit exceeded"
        LOCKED = "LOCKED", "Locked"
        ARCHIVED = "ARCHIVED", "Archived"
        UNARCHIVED = "UNARCHIVED", "Unarchived"
        UNKNOWN = "UNKNOWN", "Unknown"

    # Meta's ids are integers in webhooks but exceed JS's safe range: always strings here.
    meta_template_id = models.CharField(max_length=64, unique=True)
    waba_id = models.CharField(max_length=32, blank=True, help_text="The WhatsApp Business Account it belongs to")
    name = models.CharField(max_length=512)
    language = models.CharField(max_length=16, blank=True)
    category = models.CharField(max_length=32, blank=True, help_text="MARKETING, UTILITY or AUTHENTICATION")
    previous_category = models.CharField(max_length=32, blank=True)
    pending_category = models.CharField(max_length=32, blank=True,
                                        help_text="The category Meta announced it will move the template to")
    status = models.CharField(max_length=20, default=Status.UNKNOWN)
    quality_score = models.CharField(max_length=16, blank=True, help_text="GREEN, YELLOW, RED or UNKNOWN")
    rejected_reason = models.CharField(max_length=64, blank=True, help_text="Meta's reason code, e.g. INVALID_FORMAT")
    reason_detail = models.TextField(blank=True, help_text="Meta's explanation and recommendation, when given")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.language}, {self.status})"


class TemplateEvent(models.Model):
    """One update Meta sent about a template (status, quality, category, components), as it came."""

    class Kind(models.TextChoices):
        STATUS = "status", "Status"
        QUALITY = "quality", "Quality score"
        CATEGORY = "category", "Category"
        COMPONENTS = "components", "Components edited"

    template = models.ForeignKey(Template, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    value = models.CharField(max_length=64, blank=True, help_text="The new status, score or category")
    detail = models.JSONField(default=dict, help_text="The webhook's value object")
    # sha256 of kind + value object: the same update delivered again (in another POST) is recognised.
    fingerprint = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.template_id} {self.kind} {self.value}"
