"""Billing tables, all in the public schema (models of the `tenants` app, imported by tenants.models)."""
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone


class Plan(models.Model):
    """What a business may do. Limits are plain numbers; None means unlimited."""

    code = models.SlugField(max_length=32, unique=True)
    name = models.CharField(max_length=100)
    numbers = models.PositiveIntegerField(null=True, blank=True, help_text="connected WhatsApp numbers")
    seats = models.PositiveIntegerField(null=True, blank=True, help_text="members plus pending invitations")
    contacts = models.PositiveIntegerField(null=True, blank=True)
    messages_per_month = models.PositiveIntegerField(null=True, blank=True, help_text="messages sent")
    campaigns_per_month = models.PositiveIntegerField(null=True, blank=True)
    # A Stripe Price (or legacy Plan: the same id works as a price). Empty: not for sale (the trial).
    stripe_price_id = models.CharField(max_length=100, blank=True)
    price_cents = models.PositiveIntegerField(default=0)
    currency = models.CharField(max_length=3, default="usd")
    trial_days = models.PositiveIntegerField(default=0)
    is_trial = models.BooleanField(default=False)
    rank = models.PositiveSmallIntegerField(default=0, help_text="order on the billing page; higher is bigger")
    # Messages beyond `messages_per_month` are billed at this price (an invoice item on the next invoice) instead of
    # refused. None: a hard limit (the trial, or any plan that shouldn't surprise anyone with a bill).
    overage_cents_per_message = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        app_label = "tenants"
        ordering = ["rank"]

    def __str__(self) -> str:
        return self.code


class SubscriptionStatus(models.TextChoices):
    TRIALING = "trialing"
    ACTIVE = "active"
    PAST_DUE = "past_due"
    CANCELED = "canceled"
    READ_ONLY = "read_only"  # computed (effective_status), never stored: the grace period ran out


class Subscription(models.Model):
    """One per business: the plan it is on and where Stripe says its payments stand."""

    tenant = models.OneToOneField("tenants.Tenant", on_delete=models.CASCADE, related_name="subscription")
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="subscriptions")
    status = models.CharField(max_length=16, choices=SubscriptionStatus.choices, default=SubscriptionStatus.TRIALING)
    trial_end = models.DateTimeField(null=True, blank=True)
    current_period_end = models.DateTimeField(null=True, blank=True)
    # When payments stopped (past_due, canceled, or a trial that ended unpaid); read-only BILLING_GRACE_DAYS later.
    unpaid_since = models.DateTimeField(null=True, blank=True)
    stripe_customer_id = models.CharField(max_length=100, blank=True, db_index=True)
    stripe_subscription_id = models.CharField(max_length=100, blank=True, db_index=True)
    # `created` of the newest Stripe event applied: an older one arriving later changes nothing.
    stripe_state_at = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        app_label = "tenants"

    def __str__(self) -> str:
        return f"{self.tenant_id} on {self.plan_id} ({self.status})"

    def unpaid_from(self, now=None):
        """Since when the business has not been paying, or None while it is (or the trial runs)."""
        now = now or timezone.now()
        if self.status == SubscriptionStatus.TRIALING:
            return self.trial_end if self.trial_end and self.trial_end <= now else None
        if self.status in (SubscriptionStatus.PAST_DUE, SubscriptionStatus.CANCELED):
            return self.unpaid_since or now
        return None

    def read_only_at(self, now=None):
        unpaid = self.unpaid_from(now)
        return unpaid + timedelta(days=settings.BILLING_GRACE_DAYS) if unpaid else None

    def effective_status(self, now=None) -> str:
        now = now or timezone.now()
        at = self.read_only_at(now)
        return SubscriptionStatus.READ_ONLY if at is not None and at <= now else self.status


class StripeEvent(models.Model):
    """Every Stripe event we accepted, by its id: a redelivery finds its row and changes nothing."""

    event_id = models.CharField(max_length=255, unique=True)
    type = models.CharField(max_length=100)
    created = models.BigIntegerField(help_text="the event's own `created` (Unix time)")
    tenant = models.ForeignKey("tenants.Tenant", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")
    outcome = models.CharField(max_length=200, blank=True)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "tenants"

    def __str__(self) -> str:
        return f"{self.event_id} {self.type}"


class UsageCounter(models.Model):
    """One number per (business, month, metric), incremented in the transaction of the work it counts.

    The month's roll-up for every business is one index range scan of this table (about 20 rows a business),
    not a query in each of 10,000 schemas."""

    tenant = models.ForeignKey("tenants.Tenant", on_delete=models.CASCADE, related_name="+")
    month = models.DateField(help_text="the first day of the month (UTC)")
    metric = models.CharField(max_length=64)
    value = models.BigIntegerField(default=0)

    class Meta:
        app_label = "tenants"
        constraints = [models.UniqueConstraint(fields=["tenant", "month", "metric"], name="uniq_usage_counter")]
        indexes = [models.Index(fields=["month", "metric"])]

    def __str__(self) -> str:
        return f"{self.tenant_id} {self.month:%Y-%m} {self.metric}={self.value}"


class OverageCharge(models.Model):
    """Usage beyond a plan in one month, billed once: the row is written before Stripe is asked (with the row's own
    idempotency key), so a retry after a crash finds it and asks Stripe again with the same key, never twice."""

    tenant = models.ForeignKey("tenants.Tenant", on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    metric = models.CharField(max_length=64)
    quantity = models.BigIntegerField()
    unit_cents = models.PositiveIntegerField()
    amount_cents = models.BigIntegerField()
    currency = models.CharField(max_length=3)
    stripe_invoice_item_id = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "tenants"
        constraints = [models.UniqueConstraint(fields=["tenant", "month", "metric"], name="uniq_overage_charge")]

    def __str__(self) -> str:
        return f"{self.tenant_id} {self.month:%Y-%m} {self.metric} x{self.quantity}"

    @property
    def idempotency_key(self) -> str:
        return f"convonest-overage-{self.tenant_id}-{self.month:%Y-%m}-{self.metric}"


# The wholesale wallet's tables live in their own module; imported here so they are models of this app too.
from tenants.billing.wallet_models import Wallet, WalletEntry  # noqa: E402, F401
