"""Usage beyond the plan (issue 13): a paying business on a plan with an overage price is never refused a message;
what it sent beyond the allowance goes on its next invoice once, as an invoice item at localstripe."""
from datetime import UTC, datetime

import pytest

from tenants.billing import stripe_client, usage
from tenants.billing.limits import Limit, PlanLimitReached, require_within
from tenants.billing.models import OverageCharge, Plan, SubscriptionStatus
from tenants.billing.overage import overage_bill
from tenants.billing.subscriptions import subscription_for

pytestmark = pytest.mark.usefixtures("plan_limits_on")
LAST_MONTH = datetime(2026, 11, 15, tzinfo=UTC)


def _paying(business, *, plan_code="starter", status=SubscriptionStatus.ACTIVE, allowance=2):
    """`business` on a paid plan with a tiny allowance (rolled back after the test) and a localstripe customer."""
    plan = Plan.objects.get(code=plan_code)
    plan.messages_per_month = allowance
    plan.save()
    subscription = subscription_for(business.tenant)
    subscription.plan, subscription.status = plan, status
    subscription.stripe_customer_id = stripe_client.customer_create(
        email=business.owner.email, name=business.tenant.name, tenant_id=business.tenant.pk,
        slug=business.tenant.slug)
    subscription.save()
    return subscription


def _invoice_items(customer_id: str) -> list[dict]:
    page = stripe_client.client().v1.invoice_items.list(params={"customer": customer_id})
    return [item.to_dict() for item in page.data]


def test_a_paying_business_is_never_refused_a_message_and_the_excess_is_billed_once(alpha, localstripe):
    subscription = _paying(alpha)
    for _ in range(5):
        require_within(alpha.tenant, Limit.MESSAGES_PER_MONTH, adding=1)  # an allowance of 2: never refused
    assert usage.usage_of(alpha.tenant.pk)[usage.MESSAGES_SENT] == 5

    usage.usage_add(alpha.tenant.pk, usage.MESSAGES_SENT, 7, when=LAST_MONTH)
    billed = overage_bill(usage.month_of(LAST_MONTH))
    again = overage_bill(usage.month_of(LAST_MONTH))

    assert [(c.quantity, c.unit_cents, c.amount_cents) for c in billed] == [(5, 2, 10)]  # 7 sent, 2 included
    assert again == []
    items = _invoice_items(subscription.stripe_customer_id)
    assert [(i["amount"], i["currency"]) for i in items] == [(10, "usd")]
    assert "5 messages beyond your plan in November 2026" in items[0]["description"]


def test_the_trial_and_a_business_that_stopped_paying_keep_a_hard_limit(alpha, beta, localstripe):
    _paying(alpha, status=SubscriptionStatus.PAST_DUE)
    trial = Plan.objects.get(code="trial")
    trial.messages_per_month = 1
    trial.save()

    # alpha: past due on starter (allowance 2); beta: on the trial (allowance 1, no overage price).
    for business, allowance in ((alpha, 2), (beta, 1)):
        require_within(business.tenant, Limit.MESSAGES_PER_MONTH, adding=allowance)
        with pytest.raises(PlanLimitReached):
            require_within(business.tenant, Limit.MESSAGES_PER_MONTH, adding=1)


def test_only_the_business_beyond_its_plan_is_billed_and_on_its_own_customer(alpha, beta, localstripe):
    alpha_sub, beta_sub = _paying(alpha), _paying(beta)
    usage.usage_add(alpha.tenant.pk, usage.MESSAGES_SENT, 3, when=LAST_MONTH)  # one beyond
    usage.usage_add(beta.tenant.pk, usage.MESSAGES_SENT, 2, when=LAST_MONTH)  # within

    billed = overage_bill(usage.month_of(LAST_MONTH))

    assert [(c.tenant_id, c.quantity) for c in billed] == [(alpha.tenant.pk, 1)]
    assert len(_invoice_items(alpha_sub.stripe_customer_id)) == 1
    assert _invoice_items(beta_sub.stripe_customer_id) == []


def test_a_stripe_outage_leaves_the_charge_pending_and_the_next_run_bills_it_once(alpha, localstripe, settings):
    subscription = _paying(alpha)
    usage.usage_add(alpha.tenant.pk, usage.MESSAGES_SENT, 4, when=LAST_MONTH)
    month = usage.month_of(LAST_MONTH)

    settings.STRIPE_API_BASE = "http://127.0.0.1:9"  # discard: nothing listens
    assert overage_bill(month) == []
    pending = OverageCharge.objects.get(tenant_id=alpha.tenant.pk, month=month)
    assert pending.stripe_invoice_item_id == ""

    settings.STRIPE_API_BASE = localstripe.url
    assert [c.pk for c in overage_bill(month)] == [pending.pk]
    assert [i["amount"] for i in _invoice_items(subscription.stripe_customer_id)] == [4]
