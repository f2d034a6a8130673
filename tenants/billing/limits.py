"""Plan limits: the one rule, `require_within`, called with one line where the work happens.

A refusal is 402 `plan_limit` naming the limit, the usage and the upgrade path. Callers call it inside the
transaction of the work (or before any write), so a refusal leaves nothing half-done.
"""
from collections.abc import Callable

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from apps.core.errors import ApplicationError
from tenants.billing import usage
from tenants.billing.models import Plan, SubscriptionStatus
from tenants.billing.subscriptions import subscription_for
from tenants.models import Invite, Membership, PhoneNumberRoute, Tenant


class Limit:
    NUMBERS = "numbers"
    SEATS = "seats"
    CONTACTS = "contacts"
    MESSAGES_PER_MONTH = "messages_per_month"
    CAMPAIGNS_PER_MONTH = "campaigns_per_month"


LABELS = {
    Limit.NUMBERS: "connected WhatsApp numbers",
    Limit.SEATS: "team seats (members and pending invitations)",
    Limit.CONTACTS: "contacts",
    Limit.MESSAGES_PER_MONTH: "messages sent this month",
    Limit.CAMPAIGNS_PER_MONTH: "campaigns started this month",
}
# Monthly limits are counters (usage.py), added to as they are checked; the others are counts of what exists.
COUNTERS = {Limit.MESSAGES_PER_MONTH: usage.MESSAGES_SENT, Limit.CAMPAIGNS_PER_MONTH: usage.CAMPAIGNS_STARTED}
UPGRADE_PATH = "/settings/billing"


class PlanLimitReached(ApplicationError):
    status_code = 402
    default_code = "plan_limit"


# Counts the control plane can't make itself (contacts live in the tenant's schema): the tenant app that owns
# the rows registers a callable (in its AppConfig.ready()), called inside the business's schema.
_GAUGES: dict[str, Callable[[], int]] = {}


def gauge_register(limit: str, count: Callable[[], int]) -> None:
    _GAUGES[limit] = count


def gauge_read(limit: str) -> int | None:
    """The registered count of `limit` in the current schema, or None when no app registered one."""
    count = _GAUGES.get(limit)
    return count() if count else None


def used(tenant: Tenant, limit: str) -> int:
    """Current usage of `limit` that the control plane can count (contacts live in the tenant's schema: the
    caller passes their count)."""
    if limit == Limit.NUMBERS:
        return PhoneNumberRoute.objects.filter(tenant_id=tenant.pk).count()
    if limit == Limit.SEATS:
        pending = Invite.objects.filter(tenant_id=tenant.pk, accepted_at__isnull=True, revoked_at__isnull=True,
                                        expires_at__gt=timezone.now())
        return Membership.objects.filter(tenant_id=tenant.pk).count() + pending.count()
    if limit in COUNTERS:
        return usage.usage_of(tenant.pk).get(COUNTERS[limit], 0)
    raise ValueError(f"usage of {limit} is counted by the caller (used=)")


def limit_of(plan: Plan, limit: str) -> int | None:
    return getattr(plan, limit)


def require_within(tenant: Tenant, limit: str, *, adding: int = 1, used_now: int | None = None,
                   enforce: bool = True) -> None:
    """Refuse (402 plan_limit) unless usage of `limit` plus `adding` stays within the business's plan.

    Monthly limits count `adding` as done when allowed (same transaction as the work). `adding=0` after the work
    was written (inside its transaction) checks the result instead. The subscription row is locked, so concurrent
    checks of one business take turns. `enforce=False` only counts (work that must not fail, e.g. automatic replies
    inside an inbound webhook's transaction)."""
    if getattr(tenant, "pk", None) is None:  # django-tenants' FakeTenant (schema_context): the row by its schema
        tenant = Tenant.objects.get(schema_name=tenant.schema_name)
    with transaction.atomic():
        subscription = subscription_for(tenant, for_update=True)
        maximum = limit_of(subscription.plan, limit)
        counter = COUNTERS.get(limit)
        if not (enforce and settings.BILLING_ENFORCE_LIMITS) or maximum is None or _billed_beyond(subscription, limit):
            if counter:
                usage.usage_add(tenant.pk, counter, adding)
            return
        if counter:
            if usage.usage_add_within(tenant.pk, counter, adding, maximum) is not None:
                return
            current = used(tenant, limit)
        else:
            current = used(tenant, limit) if used_now is None else used_now
            if current + adding <= maximum:
                return
    raise _refusal(subscription.plan, limit, current, adding, maximum)


def require_room(tenant: Tenant, limit: str, *, needed: int) -> None:
    """Refuse (402 plan_limit) work that will need `needed` more of the monthly `limit` than the plan has left,
    without counting anything: the work counts itself as it happens (a campaign's messages, checked at start so it
    doesn't stop half-way)."""
    if getattr(tenant, "pk", None) is None:
        tenant = Tenant.objects.get(schema_name=tenant.schema_name)
    subscription = subscription_for(tenant)
    maximum = limit_of(subscription.plan, limit)
    if not settings.BILLING_ENFORCE_LIMITS or maximum is None or _billed_beyond(subscription, limit):
        return
    current = used(tenant, limit)
    if current + needed > maximum:
        raise _refusal(subscription.plan, limit, current, needed, maximum)


def _billed_beyond(subscription, limit: str) -> bool:
    """A paying business on a plan that bills messages beyond its allowance (tenants.billing.overage) is never
    refused a message: the excess goes on its next invoice."""
    return (limit == Limit.MESSAGES_PER_MONTH and subscription.plan.overage_cents_per_message is not None
            and subscription.status == SubscriptionStatus.ACTIVE)


def _refusal(plan: Plan, limit: str, current: int, adding: int, maximum: int) -> PlanLimitReached:
    label = LABELS[limit]
    bigger = Plan.objects.filter(~Q(stripe_price_id=""), rank__gt=plan.rank).filter(
        Q(**{f"{limit}__isnull": True}) | Q(**{f"{limit}__gte": current + adding})).order_by("rank").first()
    hint = f" Upgrade to {bigger.name} in Settings → Billing." if bigger else " Upgrade in Settings → Billing."
    return PlanLimitReached(
        f"Your {plan.name} plan allows {maximum} {label}; you have {current}"
        f"{f' and this adds {adding}' if adding else ''}.{hint}",
        errors={"limit": [limit], "usage": [str(current)], "maximum": [str(maximum)], "adding": [str(adding)],
                "upgrade_url": [UPGRADE_PATH], **({"upgrade_plan": [bigger.code]} if bigger else {})})
