"""A business export: the whole business as one zip (apps.portability.archive), prepared by a task, downloadable by
the owner until it expires."""
import uuid

from django.db import models

from apps.core.fields import user_reference


class BusinessExport(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for a worker"
        RUNNING = "running", "Being prepared"
        READY = "ready", "Ready to download"
        FAILED = "failed", "Failed"
        EXPIRED = "expired", "Expired (file deleted)"

    # A random id: the download URL names it, and ids say nothing about how many exports a business made.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    requested_by = user_reference()
    requested_by_email = models.EmailField(blank=True)  # copied: the export's history outlives memberships
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True, help_text="Set when ready: the file is deleted then")
    file = models.CharField(max_length=300, blank=True, help_text="Path in default storage: <schema>/exports/…")
    size = models.BigIntegerField(default=0)
    counts = models.JSONField(default=dict, blank=True, help_text="Rows per file of the archive, media files")
    failure = models.CharField(max_length=300, blank=True)

    class Meta:
        indexes = [models.Index(fields=["status", "expires_at"])]

    def __str__(self) -> str:
        return f"export {self.pk} ({self.status})"

    @property
    def audit_label(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} UTC" if self.created_at else ""
