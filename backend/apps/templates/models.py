"""The business's WhatsApp message templates as Meta has them, their history, and the syncs with Meta's list.

Rows come from three places: a member submitting one (services), a sync of the WABA's list (sync), and Meta's
template webhooks (a template we never saw is created from what the webhook carries).
"""
from django.db import models

from apps.core.fields import user_reference


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

    class ParameterFormat(models.TextChoices):
        POSITIONAL = "POSITIONAL", "Positional ({{1}})"
        NAMED = "NAMED", "Named ({{first_name}})"

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
    parameter_format = models.CharField(max_length=10, choices=ParameterFormat.choices,
                                        default=ParameterFormat.POSITIONAL)
    components = models.JSONField(default=list, blank=True, help_text="Meta's components, as Meta has them")
    sub_category = models.CharField(max_length=32, blank=True)
    message_send_ttl_seconds = models.IntegerField(null=True, blank=True)
    library_template_name = models.CharField(max_length=512, blank=True)
    # How variables are filled from a contact when a send gives no parameters (apps.templates.mapping).
    mapping = models.JSONField(default=dict, blank=True)
    # Something the team should look at (rejected, paused, disabled, quality RED, a category change), until a
    # member acknowledges it; the inbox shows a banner while any template has one.
    attention = models.CharField(max_length=64, blank=True)
    attention_since = models.DateTimeField(null=True, blank=True)
    created_by = user_reference(blank=True)
    synced_at = models.DateTimeField(null=True, blank=True, help_text="When Meta's list last included it")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["waba_id", "name", "language"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.language}, {self.status})"

    @property
    def audit_label(self) -> str:  # how the audit log names it
        return f"{self.name} ({self.language})" if self.language else self.name


class TemplateEvent(models.Model):
    """One change to a template and who or what made it: Meta's webhooks (status, quality, category,
    components), a sync that found it changed, added or gone, or a member creating, editing or deleting it."""

    class Kind(models.TextChoices):
        STATUS = "status", "Status"
        QUALITY = "quality", "Quality score"
        CATEGORY = "category", "Category"
        COMPONENTS = "components", "Components edited"
        CREATED = "created", "Submitted"
        EDITED = "edited", "Edited"
        DELETED = "deleted", "Deleted"
        SYNCED = "synced", "Changed in Meta's tools"
        ACKNOWLEDGED = "acknowledged", "Acknowledged"
        MAPPED = "mapped", "Variable mapping changed"

    class Source(models.TextChoices):
        WEBHOOK = "webhook", "Meta (webhook)"
        SYNC = "sync", "Meta (sync)"
        MEMBER = "member", "A member"

    template = models.ForeignKey(Template, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    value = models.CharField(max_length=64, blank=True, help_text="The new status, score or category")
    detail = models.JSONField(default=dict, help_text="The webhook's value object")
    source = models.CharField(max_length=8, choices=Source.choices, default=Source.WEBHOOK)
    actor_email = models.EmailField(blank=True)  # copied, not a key: the history outlives memberships
    # sha256 of kind + value object: the same update delivered again (in another POST) is recognised.
    fingerprint = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.template_id} {self.kind} {self.value}"


class TemplateSync(models.Model):
    """One reconciliation of a WABA's templates with Meta's list: what it found, for the sync button's progress."""

    class Status(models.TextChoices):
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    waba_id = models.CharField(max_length=32)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.RUNNING)
    trigger = models.CharField(max_length=16, help_text="connect, member, schedule")
    seen = models.IntegerField(default=0)
    added = models.IntegerField(default=0)
    updated = models.IntegerField(default=0)
    removed = models.IntegerField(default=0)
    error = models.TextField(blank=True)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["waba_id", "-started_at"])]

    def __str__(self) -> str:
        return f"{self.waba_id} {self.status}"
