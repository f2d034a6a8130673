"""Billing reads: the overview a business's billing page shows."""
from tenants.billing import stripe_client, usage
from tenants.billing.limits import COUNTERS, Limit, gauge_read, limit_of, used
from tenants.billing.models import Plan
from tenants.billing.subscriptions import subscription_for
from tenants.members import Capability, Member

SHOWN = [Limit.NUMBERS, Limit.SEATS, Limit.CONTACTS, Limit.MESSAGES_PER_MONTH, Limit.CAMPAIGNS_PER_MONTH]


def plan_view(plan: Plan) -> dict:
    return {"code": plan.code, "name": plan.name, "price_cents": plan.price_cents, "currency": plan.currency,
            "trial_days": plan.trial_days, "for_sale": bool(plan.stripe_price_id),
            "overage_cents_per_message": plan.overage_cents_per_message,
            **{limit: limit_of(plan, limit) for limit in SHOWN}}


def billing_overview(member: Member) -> dict:
    tenant = member.tenant
    sub = subscription_for(tenant)
    counters = usage.usage_of(tenant.pk)
    rows = []
    for limit in SHOWN:
        if limit == Limit.CONTACTS:
            current = gauge_read(Limit.CONTACTS)  # in the business's schema (the request's), counted by contacts
        elif limit in COUNTERS:
            current = counters.get(COUNTERS[limit], 0)
        else:
            current = used(tenant, limit)
        rows.append({"limit": limit, "used": current, "maximum": limit_of(sub.plan, limit)})
    invoices, available = [], True
    if sub.stripe_customer_id and member.can(Capability.BILLING):
        try:
            invoices = stripe_client.invoices_of(sub.stripe_customer_id)
        except stripe_client.BillingUnavailable:
            available = False
    return {"plan": plan_view(sub.plan), "status": sub.effective_status(), "trial_end": sub.trial_end,
            "current_period_end": sub.current_period_end, "read_only_at": sub.read_only_at(),
            "usage": rows, "counters": counters, "invoices": invoices, "invoices_available": available,
            "plans": [plan_view(p) for p in Plan.objects.exclude(stripe_price_id="")],
            "can_manage": member.can(Capability.BILLING)}
