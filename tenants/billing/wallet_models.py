"""The wholesale wallet's tables, in the public schema (models of the `tenants` app, imported by
tenants.billing.models): a prepaid balance per business that its reseller funds, and the append-only ledger that
explains every change to it (docs/billing.md, "Wholesale wallet").

Money is integer micro-units of the currency (1 USD = 1,000,000): Meta's rates have four decimals and a markup of
12.5 % of one needs six, and integers add up exactly, which a ledger that must balance needs. Never floats.
"""
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

MICROS = 1_000_000
MAX_MARKUP_PERCENT = Decimal(500)


class Wallet(models.Model):
    """A business billed wholesale: its reseller prepays, each delivered billable message is charged here.

    A business is wholesale exactly when it has a wallet (tenants.billing.wallet.wallet_open). Every change to
    `balance_micros` is a WalletEntry written in the same transaction, under this row's lock."""

    tenant = models.OneToOneField("tenants.Tenant", on_delete=models.CASCADE, related_name="wallet")
    reseller = models.ForeignKey("tenants.Reseller", on_delete=models.PROTECT, related_name="wallets")
    currency = models.CharField(max_length=3, default="usd", help_text="the rate card's currency, lower case")
    balance_micros = models.BigIntegerField(default=0, help_text="may be negative: Meta charges on delivery, after "
                                                                 "the send was allowed")
    markup_percent = models.DecimalField(
        max_digits=5, decimal_places=2, default=Decimal(20),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(MAX_MARKUP_PERCENT)],
        help_text="the reseller's markup on Meta's rate (0 to 500)")
    low_balance_micros = models.BigIntegerField(default=5 * MICROS, help_text="alert when the balance falls below")
    # Set when the low-balance alert went out; cleared when funding lifts the balance to the threshold again, so
    # each fall below it alerts once.
    low_alert_sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        app_label = "tenants"
        constraints = [
            models.CheckConstraint(condition=Q(markup_percent__gte=0, markup_percent__lte=MAX_MARKUP_PERCENT),
                                   name="wallet_markup_range"),
            models.CheckConstraint(condition=Q(low_balance_micros__gte=0), name="wallet_low_balance_not_negative"),
        ]

    def __str__(self) -> str:
        return f"wallet of {self.tenant_id}: {self.balance_micros} {self.currency} micros"


class WalletEntry(models.Model):
    """One change to a wallet's balance, never updated or deleted. The ledger balances: the amounts of a wallet's
    entries sum to its balance, and each entry's `balance_after_micros` is the previous one's plus its amount."""

    class Kind(models.TextChoices):
        FUNDING = "funding"  # the reseller paid in (+)
        CHARGE = "charge"  # a delivered billable message: Meta's rate plus the markup (-)
        ADJUSTMENT = "adjustment"  # a correction or refund by a person, either sign, with a note

    wallet = models.ForeignKey(Wallet, on_delete=models.CASCADE, related_name="entries")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    amount_micros = models.BigIntegerField(help_text="funding +, charge -")
    balance_after_micros = models.BigIntegerField()
    # Charges: the message (its id in the business's schema) and Meta's id for it, which a redelivered status
    # repeats: unique per wallet, so a message is charged once however often its statuses arrive.
    message_id = models.UUIDField(null=True, blank=True)
    wamid = models.CharField(max_length=128, blank=True)
    category = models.CharField(max_length=32, blank=True, help_text="Meta's pricing category")
    country = models.CharField(max_length=2, blank=True, help_text="the recipient's, from the number's prefix")
    meta_rate_micros = models.BigIntegerField(null=True, blank=True, help_text="Meta's price of the message")
    markup_micros = models.BigIntegerField(null=True, blank=True, help_text="the reseller's share")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+", help_text="who funded or adjusted")
    note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "tenants"
        constraints = [
            models.UniqueConstraint(fields=["wallet", "wamid"], condition=Q(kind="charge"),
                                    name="uniq_wallet_charge_wamid"),
            models.CheckConstraint(
                condition=(Q(kind="funding", amount_micros__gt=0) | Q(kind="charge", amount_micros__lte=0)
                           | Q(kind="adjustment") & ~Q(amount_micros=0)),
                name="wallet_entry_amount_sign"),
        ]
        # The ledger newest first (cursor pages by id: entries of one wallet are written under its lock, so id
        # order is the chain's order), and a month's charges for the summary.
        indexes = [models.Index(fields=["wallet", "id"], name="wallet_entry_chain"),
                   models.Index(fields=["wallet", "created_at"], name="wallet_entry_month")]

    def __str__(self) -> str:
        return f"{self.kind} {self.amount_micros} on wallet {self.wallet_id}"
