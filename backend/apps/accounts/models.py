"""Tenant-schema tables of the accounts app."""
from django.db import models


class TeamEvent(models.Model):
    """What happened to the team, kept in the business's own schema: who did what to whom, when."""

    class Action(models.TextChoices):
        MEMBER_JOINED = "member_joined", "Member joined"
        ROLE_CHANGED = "role_changed", "Role changed"
        MEMBER_REMOVED = "member_removed", "Member removed"
        INVITE_SENT = "invite_sent", "Invite sent"
        INVITE_REVOKED = "invite_revoked", "Invite revoked"
        RESELLER_ENTERED = "reseller_entered", "Reseller staff entered"
        RESELLER_ACCESS_REVOKED = "reseller_access_revoked", "Reseller access turned off"
        RESELLER_ACCESS_RESTORED = "reseller_access_restored", "Reseller access turned on"

    action = models.CharField(max_length=32, choices=Action.choices)
    actor_email = models.EmailField(blank=True)  # copied, not a key: the log outlives memberships
    subject_email = models.EmailField(blank=True)
    detail = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.action} {self.subject_email}"
