"""The developer platform's tables, in the business's schema.

`ApiKey`: a business's keys for the public API (docs: README "Public API quick start", apps/developer/auth.py).
The secret is never stored: only its SHA-256 (the key is 32 random bytes, so a fast hash is enough; nothing to
brute-force), and the public `prefix` that lists show.
"""
from django.contrib.postgres.fields import ArrayField
from django.db import models

from apps.core.fields import user_reference


class ApiKeyScope(models.TextChoices):
    MESSAGES = "messages", "Send and read messages"
    TEMPLATES = "templates", "Manage message templates"
    CONTACTS = "contacts", "Manage contacts"
    CAMPAIGNS = "campaigns", "Run campaigns"
    READ_ONLY = "read_only", "Read only (GET) within the other scopes"


class ApiKey(models.Model):
    name = models.CharField(max_length=100)
    # `cn_live_` + 8 characters of the secret's start: shown in lists and logs, identifies the key, proves nothing.
    prefix = models.CharField(max_length=32, unique=True)
    secret_hash = models.CharField(max_length=64, unique=True)  # sha256 hex of the whole key
    # After a rotation with a grace period, the secret before it still works until `previous_key_expires_at`
    # (services.api_key_rotate): callers switch over without an outage. One previous secret at most.
    previous_secret_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)
    previous_key_expires_at = models.DateTimeField(null=True, blank=True)
    scopes = ArrayField(models.CharField(max_length=16, choices=ApiKeyScope.choices), default=list)
    # Requests a minute; null: the setting API_KEY_RATE_LIMIT.
    rate_limit = models.PositiveIntegerField(null=True, blank=True)
    # The key acts as its creator, within its scopes: removing the creator (or their rights) stops the key.
    created_by = user_reference()
    created_by_email = models.EmailField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    rotated_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    last_used_ip = models.GenericIPAddressField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def audit_label(self) -> str:
        """How the audit log names the key: its name and public prefix (never the secret)."""
        return f"{self.name} ({self.prefix}…)"


# Outbound webhooks (their own module; the receivers of the product apps' signals connect when it loads).
from apps.developer.webhook_models import WebhookAttempt, WebhookDelivery, WebhookEndpoint  # noqa: E402, F401
