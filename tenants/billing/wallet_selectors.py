"""The wholesale wallet's reads: the wallet of a business, its ledger, this month's spending, and what a business is
shown (its prices with the markup included, never the markup itself)."""
from __future__ import annotations

import datetime as dt

from django.db.models import Count, QuerySet, Sum
from django.http import Http404

from tenants.billing.usage import month_of
from tenants.billing.wallet_models import Wallet, WalletEntry
from tenants.billing.wallet_pricing import price_list
from tenants.members import Member
from tenants.models import Tenant

RECENT_ENTRIES = 10


def wallet_of(tenant: Tenant) -> Wallet | None:
    """The business's wallet, or None when it is billed by plan."""
    return Wallet.objects.select_related("reseller").filter(tenant_id=tenant.pk).first()


def access_wallet(member: Member) -> Wallet:
    """The wallet of the member's own business; 404 when it isn't wholesale. The business is the request's host's,
    so no id from the client ever names another business's wallet."""
    wallet = wallet_of(member.tenant)
    if wallet is None:
        raise Http404("This business is not billed through a prepaid wallet.")
    return wallet


def wallet_ledger(wallet: Wallet) -> QuerySet[WalletEntry]:
    """Every entry, newest first (id order is the chain's order: entries are written under the wallet's lock)."""
    return WalletEntry.objects.filter(wallet=wallet).order_by("-id")


def wallet_summary(wallet: Wallet, *, month: dt.date | None = None) -> dict:
    """The balance and this month's (UTC) charges by Meta's category: messages and amount (positive)."""
    start = month or month_of()
    since = dt.datetime(start.year, start.month, 1, tzinfo=dt.UTC)
    rows = (WalletEntry.objects.filter(wallet=wallet, kind=WalletEntry.Kind.CHARGE, created_at__gte=since)
            .values("category").annotate(messages=Count("id"), amount=Sum("amount_micros")).order_by("category"))
    return {
        "currency": wallet.currency,
        "balance_micros": wallet.balance_micros,
        "low_balance_micros": wallet.low_balance_micros,
        "low_balance": wallet.balance_micros < wallet.low_balance_micros,
        "low_alert_sent_at": wallet.low_alert_sent_at,
        "month": start,
        "spent_this_month": [{"category": row["category"], "messages": row["messages"],
                              "amount_micros": -row["amount"]} for row in rows],
    }


def wallet_view(member: Member) -> dict:
    """GET /api/billing/wallet/: the summary, the reseller who funds it, the prices it pays, the latest entries."""
    wallet = access_wallet(member)
    return {**wallet_summary(wallet), "reseller_name": wallet.reseller.name,
            **price_list(markup_percent=wallet.markup_percent),
            "recent_entries": list(wallet_ledger(wallet)[:RECENT_ENTRIES])}
