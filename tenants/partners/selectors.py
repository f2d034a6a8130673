"""Reads of the partner console. Every read takes the acting PartnerMember and sees its reseller's rows only;
`access_*` answers 404 alike for "missing" and "another reseller's"."""
from django.db.models import Count, Q, QuerySet
from django.http import Http404

from tenants.billing.models import UsageCounter
from tenants.billing.subscriptions import subscription_for
from tenants.billing.usage import MESSAGES_RECEIVED, MESSAGES_SENT, month_of
from tenants.billing.wallet_models import Wallet
from tenants.models import ResellerMembership, Tenant
from tenants.partners.health import business_summary
from tenants.partners.models import ResellerEvent, ResellerInvite
from tenants.partners.permissions import PartnerMember


def business_list(actor: PartnerMember, *, q: str = "", status: str = "") -> QuerySet[Tenant]:
    rows = (Tenant.objects.filter(reseller=actor.reseller).exclude(schema_name="public")
            .annotate(member_count=Count("memberships", distinct=True),
                      number_count=Count("phone_number_routes", distinct=True)))
    if q:
        rows = rows.filter(Q(name__icontains=q) | Q(slug__icontains=q))
    if status == "active":
        rows = rows.filter(is_active=True)
    elif status == "suspended":
        rows = rows.filter(is_active=False)
    return rows


def access_business(actor: PartnerMember, business_id) -> Tenant:
    try:
        return business_list(actor).get(pk=int(business_id))
    except (Tenant.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def business_overviews(tenants: list[Tenant]) -> dict[int, dict]:
    """Plan, this month's usage and the schema's health summary of each business on a page of the console."""
    month = month_of()
    counters: dict[int, dict[str, int]] = {}
    for tenant_id, metric, value in (UsageCounter.objects.filter(tenant__in=tenants, month=month,
                                                                 metric__in=[MESSAGES_SENT, MESSAGES_RECEIVED])
                                     .values_list("tenant_id", "metric", "value")):
        counters.setdefault(tenant_id, {})[metric] = value
    wallets = {w.tenant_id: w for w in Wallet.objects.filter(tenant__in=tenants)}
    overviews = {}
    for tenant in tenants:
        subscription = subscription_for(tenant)
        usage = counters.get(tenant.pk, {})
        overviews[tenant.pk] = {
            "plan": {"code": subscription.plan.code, "name": subscription.plan.name,
                     "status": subscription.effective_status()},
            "usage": {"month": month, "messages_sent": usage.get(MESSAGES_SENT, 0),
                      "messages_received": usage.get(MESSAGES_RECEIVED, 0),
                      "messages_per_month": subscription.plan.messages_per_month},
            "wallet": _wallet_brief(wallets.get(tenant.pk)),
            **business_summary(tenant.schema_name),
        }
    return overviews


def _wallet_brief(wallet: Wallet | None) -> dict | None:
    if wallet is None:
        return None
    return {"currency": wallet.currency, "balance_micros": wallet.balance_micros,
            "low_balance": wallet.balance_micros < wallet.low_balance_micros}


def member_list(actor: PartnerMember) -> QuerySet[ResellerMembership]:
    return ResellerMembership.objects.filter(reseller=actor.reseller).select_related("user").order_by("created_at",
                                                                                                       "id")


def access_member(actor: PartnerMember, member_id) -> ResellerMembership:
    try:
        return member_list(actor).get(pk=int(member_id))
    except (ResellerMembership.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def invite_list(actor: PartnerMember) -> QuerySet[ResellerInvite]:
    return ResellerInvite.objects.filter(reseller=actor.reseller, accepted_at__isnull=True,
                                         revoked_at__isnull=True).select_related("invited_by").order_by("-created_at")


def access_invite(actor: PartnerMember, invite_id) -> ResellerInvite:
    try:
        return ResellerInvite.objects.get(reseller=actor.reseller, pk=invite_id)
    except (ResellerInvite.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def event_list(actor: PartnerMember, *, business_id: int | None = None) -> QuerySet[ResellerEvent]:
    rows = ResellerEvent.objects.filter(reseller=actor.reseller)
    return rows.filter(tenant_id=business_id) if business_id is not None else rows
