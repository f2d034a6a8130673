from django.db import models
from django.utils import timezone


class ActorType(models.TextChoices):
    MEMBER = "member", "Member"
    API_KEY = "api_key", "API key"
    RESELLER = "reseller", "Reseller staff"
    AUTOMATION = "automation", "Automation"
    META = "meta", "Meta"
    SYSTEM = "system", "System"


class AuditEvent(models.Model):
    """One thing someone did to the business, written in the same transaction as the change (apps.audit.recorder).

    Append-only: a trigger refuses UPDATE and DELETE (migration 0001), so not even a bug or a shell can rewrite
    history. Nothing here points at other rows: the log outlives what it describes, so labels are copied.
    Contacts are named by id only (their details are personal data that erasure must be able to remove).
    """

    occurred_at = models.DateTimeField(default=timezone.now)
    actor_type = models.CharField(max_length=16, choices=ActorType.choices)
    actor_id = models.CharField(max_length=64, blank=True)  # user id, key id, or the automation's name
    actor_label = models.CharField(max_length=255, blank=True)
    action = models.CharField(max_length=64)
    target_type = models.CharField(max_length=32, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    target_label = models.CharField(max_length=255, blank=True)
    changes = models.JSONField(default=dict, blank=True)  # {field: [before, after]}
    detail = models.JSONField(default=dict, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=255, blank=True)
    request_id = models.CharField(max_length=64, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["-occurred_at", "-id"], name="audit_recent"),
            models.Index(fields=["action", "-occurred_at"], name="audit_action"),
            models.Index(fields=["actor_type", "actor_id", "-occurred_at"], name="audit_actor"),
            models.Index(fields=["target_type", "target_id", "-occurred_at"], name="audit_target"),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action}"
