"""The partner console's own tables (public schema, models of the `tenants` app, imported by tenants.models)."""
import uuid

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone


class ResellerEvent(models.Model):
    """The reseller's side of the audit: who in the reseller did what, to which business. The business keeps its
    own side (its audit log, in its schema) for what reseller staff do to it, such as entering it."""

    class Action(models.TextChoices):
        RESELLER_CREATED = "reseller_created", "Reseller created"
        BUSINESS_CREATED = "business_created", "Business created"
        BUSINESS_SUSPENDED = "business_suspended", "Business suspended"
        BUSINESS_RESUMED = "business_resumed", "Business resumed"
        BUSINESS_ENTERED = "business_entered", "Business entered"
        ACCESS_REVOKED = "access_revoked", "The business revoked the reseller's access"
        ACCESS_RESTORED = "access_restored", "The business restored the reseller's access"
        MEMBER_JOINED = "member_joined", "Member joined"
        ROLE_CHANGED = "role_changed", "Role changed"
        MEMBER_REMOVED = "member_removed", "Member removed"
        INVITE_SENT = "invite_sent", "Invite sent"
        INVITE_REVOKED = "invite_revoked", "Invite revoked"
        WALLET_OPENED = "wallet_opened", "Wallet opened"
        WALLET_FUNDED = "wallet_funded", "Wallet funded"

    reseller = models.ForeignKey("tenants.Reseller", on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=32, choices=Action.choices)
    actor_email = models.EmailField(blank=True)  # copied, not a key: the log outlives memberships
    # The business it concerns, by id and name at the time (the row may be deleted later).
    tenant = models.ForeignKey("tenants.Tenant", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    tenant_name = models.CharField(max_length=200, blank=True)
    subject_email = models.EmailField(blank=True)
    detail = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "tenants"
        indexes = [models.Index(fields=["reseller", "-created_at", "-id"])]

    def __str__(self) -> str:
        return f"{self.action} in reseller {self.reseller_id}"


class ResellerInvite(models.Model):
    """An invitation to a reseller's team. Only a hash of the single-use token is stored."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    reseller = models.ForeignKey("tenants.Reseller", on_delete=models.CASCADE, related_name="invites")
    email = models.EmailField()
    role = models.CharField(max_length=16)  # a ResellerRole
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        app_label = "tenants"
        constraints = [
            models.UniqueConstraint(
                "reseller", Lower("email"),
                condition=models.Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="uniq_open_reseller_invite",
            )
        ]

    def __str__(self) -> str:
        return f"invite of {self.email} to reseller {self.reseller_id}"

    @property
    def status(self) -> str:
        if self.accepted_at:
            return "accepted"
        if self.revoked_at:
            return "revoked"
        if self.expires_at <= timezone.now():
            return "expired"
        return "pending"
