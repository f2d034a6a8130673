"""Billing writes: Checkout, the portal, and Stripe's webhooks driving the subscription."""
import logging
from datetime import UTC, datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from apps.core.errors import ApplicationError
from tenants.billing import stripe_client
from tenants.billing.models import Plan, StripeEvent, Subscription, SubscriptionStatus
from tenants.billing.signals import subscription_changed
from tenants.billing.subscriptions import subscription_for, trial_plan
from tenants.members import Member
from tenants.models import Tenant
from tenants.services import tenant_url

logger = logging.getLogger(__name__)

# Stripe's subscription statuses → ours. incomplete(_expired) and unpaid are not paying; paused neither.
STRIPE_STATUSES = {
    "trialing": SubscriptionStatus.TRIALING, "active": SubscriptionStatus.ACTIVE,
    "past_due": SubscriptionStatus.PAST_DUE, "unpaid": SubscriptionStatus.PAST_DUE,
    "incomplete": SubscriptionStatus.PAST_DUE, "paused": SubscriptionStatus.PAST_DUE,
    "canceled": SubscriptionStatus.CANCELED, "incomplete_expired": SubscriptionStatus.CANCELED,
}


def _customer_for(subscription: Subscription, actor: Member) -> str:
    if not subscription.stripe_customer_id:
        tenant = subscription.tenant
        subscription.stripe_customer_id = stripe_client.customer_create(
            email=actor.user.email, name=tenant.name, tenant_id=tenant.pk, slug=tenant.slug)
        subscription.save(update_fields=["stripe_customer_id", "updated_at"])
    return subscription.stripe_customer_id


def checkout_start(*, actor: Member, plan_code: str) -> str:
    """A Checkout URL to subscribe the business to `plan_code`; the subscription webhook follows the payment."""
    plan = Plan.objects.filter(code=plan_code).exclude(stripe_price_id="").first()
    if plan is None:
        raise ApplicationError("No such plan for sale.", code="validation_error", errors={"plan": ["Unknown plan."]})
    subscription = subscription_for(actor.tenant)
    if subscription.plan_id == plan.pk and subscription.status == SubscriptionStatus.ACTIVE:
        raise ApplicationError(f"The business is on {plan.name} already; manage it in the portal.",
                               code="already_subscribed", status_code=409)
    customer = _customer_for(subscription, actor)
    base = f"{tenant_url(actor.tenant)}/settings/billing"
    return stripe_client.checkout_session_url(customer_id=customer, price_id=plan.stripe_price_id,
                                              tenant_id=actor.tenant.pk, success_url=f"{base}?checkout=success",
                                              cancel_url=f"{base}?checkout=canceled")


def portal_start(*, actor: Member) -> str:
    subscription = subscription_for(actor.tenant)
    if not subscription.stripe_customer_id:
        raise ApplicationError("There is nothing to manage yet: choose a plan first.", code="no_customer",
                               status_code=409)
    return stripe_client.portal_session_url(customer_id=subscription.stripe_customer_id,
                                            return_url=f"{tenant_url(actor.tenant)}/settings/billing")


# --- webhooks ----------------------------------------------------------------------------------------------

def _tenant_of(obj: dict) -> Subscription | None:
    """Our subscription row for a Stripe object: by its customer (we create every customer), else its metadata."""
    customer = obj.get("customer") if obj.get("object") != "customer" else obj.get("id")
    if isinstance(customer, dict):
        customer = customer.get("id")
    rows = Subscription.objects.select_for_update().select_related("plan")
    found = rows.filter(stripe_customer_id=customer).first() if customer else None
    tenant_id = (obj.get("metadata") or {}).get("tenant_id")
    if found is None and tenant_id and str(tenant_id).isdigit():
        tenant = Tenant.objects.filter(pk=int(tenant_id)).first()
        if tenant is not None:
            subscription_for(tenant)  # made on first use
            found = rows.get(tenant_id=tenant.pk)
            if customer and not found.stripe_customer_id:
                found.stripe_customer_id = customer
    return found


def _period_end(obj: dict) -> datetime | None:
    """`current_period_end` is on the subscription in older API versions and on its items since 2025."""
    end = obj.get("current_period_end")
    if end is None:
        items = ((obj.get("items") or {}).get("data") or [])
        end = max((i.get("current_period_end") or 0 for i in items), default=0) or None
    return datetime.fromtimestamp(end, tz=UTC) if end else None


def _price_of(obj: dict) -> str:
    for item in (obj.get("items") or {}).get("data") or []:
        price = item.get("price") or item.get("plan") or {}
        if price.get("id"):
            return price["id"]
    return (obj.get("plan") or {}).get("id") or ""


def _set_status(sub: Subscription, status: str, now) -> None:
    if status in (SubscriptionStatus.PAST_DUE, SubscriptionStatus.CANCELED):
        if sub.status not in (SubscriptionStatus.PAST_DUE, SubscriptionStatus.CANCELED) or sub.unpaid_since is None:
            sub.unpaid_since = now
    else:
        sub.unpaid_since = None
    sub.status = status


def _apply_subscription(sub: Subscription, obj: dict, event_type: str, now) -> str:
    status = SubscriptionStatus.CANCELED if event_type.endswith(".deleted") else STRIPE_STATUSES.get(
        obj.get("status") or "", SubscriptionStatus.PAST_DUE)
    if sub.stripe_subscription_id and obj.get("id") != sub.stripe_subscription_id and status == "canceled":
        return "ignored: a previous subscription ended"
    sub.stripe_subscription_id = obj.get("id") or sub.stripe_subscription_id
    plan = Plan.objects.filter(stripe_price_id=_price_of(obj)).exclude(stripe_price_id="").first()
    if plan is not None:
        sub.plan = plan
    if obj.get("trial_end"):
        sub.trial_end = datetime.fromtimestamp(obj["trial_end"], tz=UTC)
    sub.current_period_end = _period_end(obj) or sub.current_period_end
    _set_status(sub, status, now)
    return f"subscription {sub.status} on {sub.plan.code}"


def _apply_invoice(sub: Subscription, obj: dict, event_type: str, now) -> str:
    if sub.status == SubscriptionStatus.CANCELED:
        return "ignored: the subscription is canceled"
    if event_type in ("invoice.paid", "invoice.payment_succeeded"):
        if obj.get("amount_remaining", 0) == 0 or obj.get("paid") or obj.get("status") == "paid":
            _set_status(sub, SubscriptionStatus.ACTIVE, now)
    else:  # invoice.payment_failed
        _set_status(sub, SubscriptionStatus.PAST_DUE, now)
    return f"invoice: subscription {sub.status}"


def _state(sub: Subscription) -> dict:
    return {"plan": sub.plan.code, "status": sub.status}


def _changed(sub: Subscription, before: dict, *, source: str) -> None:
    """Tell the business's audit log (in this transaction) when its plan or status moved."""
    changes = {name: [before[name], value] for name, value in _state(sub).items() if before[name] != value}
    if changes:
        subscription_changed.send(sender=Subscription, tenant=sub.tenant, changes=changes, source=source)


HANDLED = {
    "customer.subscription.created": _apply_subscription, "customer.subscription.updated": _apply_subscription,
    "customer.subscription.deleted": _apply_subscription, "customer.subscription.paused": _apply_subscription,
    "customer.subscription.resumed": _apply_subscription, "invoice.paid": _apply_invoice,
    "invoice.payment_succeeded": _apply_invoice, "invoice.payment_failed": _apply_invoice,
}


@transaction.atomic
def stripe_event_handle(event: dict) -> str:
    """Apply one verified Stripe event, once. A redelivery finds its id and does nothing; an event older (by its own
    `created`) than the last one applied to the subscription is recorded and changes nothing, so arrival order
    doesn't matter. Returns what happened (for the log and the event row)."""
    event_id, event_type, created = event.get("id"), event.get("type") or "", int(event.get("created") or 0)
    if not event_id:
        return "ignored: no id"
    try:
        with transaction.atomic():
            row = StripeEvent.objects.create(event_id=event_id, type=event_type[:100], created=created)
    except IntegrityError:
        return "duplicate"
    handler = HANDLED.get(event_type)
    obj = (event.get("data") or {}).get("object") or {}
    sub = _tenant_of(obj) if handler else None
    if handler is None:
        outcome = "ignored: type not used"
    elif sub is None:
        outcome = "ignored: no business for this customer"
    elif created < sub.stripe_state_at:
        outcome = "ignored: older than the state applied"
    else:
        before = _state(sub)
        outcome = handler(sub, obj, event_type, timezone.now())
        sub.stripe_state_at = max(sub.stripe_state_at, created)
        sub.save()
        _changed(sub, before, source="stripe")
    row.tenant_id = sub.tenant_id if sub else None
    row.outcome = outcome[:200]
    row.save(update_fields=["tenant", "outcome"])
    logger.info("stripe event %s %s: %s", event_id, event_type, outcome)
    return outcome


def demo_trial_fit(tenant: Tenant, *, contacts: int) -> Subscription:
    """bootstrap_demo with a demo audience: a demo business still on its trial tries the smallest plan for sale that
    holds `contacts` contacts and as many messages (a trial of that plan: hard limits, nothing billed); one that
    paid through Checkout keeps its plan."""
    sub = subscription_for(tenant)
    if sub.status != SubscriptionStatus.TRIALING:
        return sub
    plan = (Plan.objects.exclude(stripe_price_id="").filter(Q(contacts__isnull=True) | Q(contacts__gte=contacts))
            .filter(Q(messages_per_month__isnull=True) | Q(messages_per_month__gte=contacts)).order_by("rank").first())
    if plan is not None and plan != sub.plan:
        sub.plan, sub.trial_end = plan, timezone.now() + timedelta(days=max(plan.trial_days, 30))
        sub.save(update_fields=["plan", "trial_end", "updated_at"])
    return sub


def demo_trial_start(tenant: Tenant) -> Subscription:
    """bootstrap_demo: the demo business is on a trial, restarted when an old one ran out unpaid (a demo that was
    upgraded through Checkout stays on its plan)."""
    sub = subscription_for(tenant)
    if sub.unpaid_from() is None:
        return sub
    sub.plan, sub.status, sub.unpaid_since = trial_plan(), SubscriptionStatus.TRIALING, None
    sub.trial_end = timezone.now() + timedelta(days=sub.plan.trial_days)
    sub.save()
    return sub


@transaction.atomic
def subscription_wholesale(tenant: Tenant, *, plan_code: str | None = None) -> Subscription:
    """The business is billed through its reseller's wallet from now on: active on `plan_code` (or the biggest plan
    for sale), with no trial to run out and nothing for Stripe to charge. Its plan's limits still apply."""
    plans = Plan.objects.filter(is_trial=False)
    plan = plans.filter(code=plan_code).first() if plan_code else plans.order_by("-rank").first()
    if plan is None:
        raise ApplicationError("No such plan.", code="validation_error", errors={"plan": ["Choose a plan for sale."]})
    sub = subscription_for(tenant, for_update=True)
    before = _state(sub)
    sub.plan, sub.status, sub.trial_end, sub.unpaid_since = plan, SubscriptionStatus.ACTIVE, None, None
    sub.save(update_fields=["plan", "status", "trial_end", "unpaid_since", "updated_at"])
    _changed(sub, before, source="reseller")
    return sub
