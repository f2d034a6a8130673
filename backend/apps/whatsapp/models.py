"""A business's WhatsApp connection, in its own schema: accounts (WABAs) and their phone numbers."""
from django.db import models

from apps.core.crypto import EncryptedTextField
from apps.whatsapp.client import THROUGHPUT_MPS


class BusinessAccount(models.Model):
    """A WhatsApp Business Account (WABA) this business connected, with the token that acts on it."""

    class ConnectedVia(models.TextChoices):
        EMBEDDED_SIGNUP = "embedded_signup", "Embedded Signup"
        MANUAL = "manual", "Entered by hand"
        BOOTSTRAP = "bootstrap", "Environment at bootstrap"

    waba_id = models.CharField(max_length=32, unique=True)
    name = models.CharField(max_length=200, blank=True)
    business_id = models.CharField(max_length=32, blank=True, help_text="Meta business portfolio id")
    access_token = EncryptedTextField(help_text="Encrypted at rest; never returned by the API or logged.")
    connected_via = models.CharField(max_length=20, choices=ConnectedVia.choices)
    # Health Meta reports by webhook (apps.whatsapp.health): the latest account event, policy review, ban.
    health_event = models.CharField(max_length=64, blank=True, help_text="Latest account_update/alert event")
    review_status = models.CharField(max_length=32, blank=True, help_text="account_review_update decision")
    ban_state = models.CharField(max_length=32, blank=True, help_text="DISABLE, REINSTATE, SCHEDULE_FOR_DISABLE")
    health_updated_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.waba_id

    def __repr__(self) -> str:  # the token must not leak through debugging output
        return f"<BusinessAccount {self.waba_id}>"


class PhoneNumber(models.Model):
    """A number the business sends from, with the health Meta reports for it."""

    account = models.ForeignKey(BusinessAccount, on_delete=models.CASCADE, related_name="numbers")
    phone_number_id = models.CharField(max_length=32, unique=True)
    display_phone_number = models.CharField(max_length=32)
    verified_name = models.CharField(max_length=200, blank=True)
    quality_rating = models.CharField(max_length=16, blank=True, help_text="GREEN, YELLOW, RED or UNKNOWN")
    messaging_limit_tier = models.CharField(max_length=32, blank=True, help_text="e.g. TIER_1K")
    throughput_level = models.CharField(max_length=32, blank=True, help_text="STANDARD, HIGH, ...")
    status = models.CharField(max_length=32, blank=True, help_text="CONNECTED, FLAGGED, RESTRICTED, ...")
    health_event = models.CharField(max_length=64, blank=True,
                                    help_text="Latest phone_number_quality_update event (FLAGGED, UPGRADE, ...)")
    health_updated_at = models.DateTimeField(null=True, blank=True)
    last_synced_at = models.DateTimeField(null=True, blank=True)
    # Kept, not deleted, when disconnected with history (messages, conversations, calls refer to it).
    disconnected_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.display_phone_number

    @property
    def audit_label(self) -> str:
        """The business's own number and the name Meta verified (no customer's data)."""
        return f"{self.display_phone_number} ({self.verified_name})" if self.verified_name else \
            self.display_phone_number

    @property
    def throughput_mps(self) -> int:
        return THROUGHPUT_MPS.get(self.throughput_level, THROUGHPUT_MPS["STANDARD"])


class HealthEvent(models.Model):
    """One health or lifecycle notice Meta sent about an account or one of its numbers: quality and limit
    changes, account updates, reviews, alerts, capability changes (apps.webhooks.account_health)."""

    account = models.ForeignKey(BusinessAccount, on_delete=models.CASCADE, related_name="health_events")
    phone_number = models.ForeignKey(PhoneNumber, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="health_events")
    field = models.CharField(max_length=64, help_text="The webhook field, e.g. phone_number_quality_update")
    event = models.CharField(max_length=64, blank=True)
    detail = models.JSONField(default=dict, help_text="The webhook's value object")
    # sha256 of field + value: the same notice delivered again (in another POST) is recognised.
    fingerprint = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.field} {self.event}"
