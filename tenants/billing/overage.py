"""Usage beyond the plan, billed: messages past a paid plan's monthly allowance become one invoice item per
business and month, at the plan's `overage_cents_per_message`.

Run for a month that has ended (the beat bills the previous month every day; repeats change nothing). Each
charge is a row written before Stripe is asked, with its own idempotency key: a crash between the two is retried
with the same key, so Stripe never bills twice. The plan is the one the business is on when the month is billed.
"""
import logging
from datetime import date

from django.db import transaction

from tenants.billing import stripe_client, usage
from tenants.billing.models import OverageCharge, Subscription, UsageCounter
from tenants.billing.stripe_client import BillingUnavailable

logger = logging.getLogger(__name__)


def overage_of(subscription: Subscription, sent: int) -> int:
    """Messages beyond the plan's allowance that the plan bills (0 on a plan with a hard limit)."""
    plan = subscription.plan
    if plan.overage_cents_per_message is None or plan.messages_per_month is None:
        return 0
    return max(0, sent - plan.messages_per_month)


def overage_bill(month: date) -> list[OverageCharge]:
    """Bill `month`'s messages beyond every paying business's plan, once. Returns the charges billed now."""
    sent = dict(UsageCounter.objects.filter(month=month, metric=usage.MESSAGES_SENT)
                .values_list("tenant_id", "value"))
    subscriptions = (Subscription.objects.filter(tenant_id__in=sent, plan__overage_cents_per_message__isnull=False)
                     .exclude(stripe_customer_id="").select_related("plan"))
    billed = []
    for subscription in subscriptions:
        beyond = overage_of(subscription, sent[subscription.tenant_id])
        if beyond:
            charge = _charge_for(subscription, month, beyond)
            if not charge.stripe_invoice_item_id and _send(charge, subscription.stripe_customer_id):
                billed.append(charge)
    return billed


def _charge_for(subscription: Subscription, month: date, beyond: int) -> OverageCharge:
    unit = subscription.plan.overage_cents_per_message
    with transaction.atomic():
        charge, _ = OverageCharge.objects.get_or_create(
            tenant_id=subscription.tenant_id, month=month, metric=usage.MESSAGES_SENT,
            defaults={"quantity": beyond, "unit_cents": unit, "amount_cents": beyond * unit,
                      "currency": subscription.plan.currency})
    return charge


def _send(charge: OverageCharge, customer_id: str) -> bool:
    try:
        charge.stripe_invoice_item_id = stripe_client.invoice_item_create(
            customer_id=customer_id, amount_cents=charge.amount_cents, currency=charge.currency,
            description=f"{charge.quantity} messages beyond your plan in {charge.month:%B %Y}",
            idempotency_key=charge.idempotency_key)
    except BillingUnavailable:
        logger.warning("overage of business %s for %s not billed yet (Stripe unavailable); retried on the next run",
                       charge.tenant_id, f"{charge.month:%Y-%m}")
        return False
    charge.save(update_fields=["stripe_invoice_item_id"])
    return True
