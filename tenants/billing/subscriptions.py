"""A business's subscription: created on first use on the trial plan, from the business's own signup time."""
from datetime import timedelta

from django.db import IntegrityError, transaction

from tenants.billing.models import Plan, Subscription, SubscriptionStatus
from tenants.models import Tenant


def trial_plan() -> Plan:
    return Plan.objects.filter(is_trial=True).order_by("rank").first() or Plan.objects.order_by("rank").first()


def subscription_for(tenant: Tenant, *, for_update: bool = False) -> Subscription:
    """The business's subscription, made on first use (every business has one; older businesses too), its trial
    counted from signup. `for_update` locks the row (callers are inside a transaction)."""
    rows = Subscription.objects.select_related("plan")
    if for_update:
        rows = rows.select_for_update(of=("self",))
    found = rows.filter(tenant_id=tenant.pk).first()
    if found is not None:
        return found
    plan = trial_plan()
    try:
        with transaction.atomic():
            Subscription.objects.create(tenant_id=tenant.pk, plan=plan, status=SubscriptionStatus.TRIALING,
                                        trial_end=tenant.created_at + timedelta(days=plan.trial_days))
    except IntegrityError:  # made a moment ago by a concurrent request
        pass
    return rows.get(tenant_id=tenant.pk)
