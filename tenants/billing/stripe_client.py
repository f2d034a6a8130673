"""Every call to Stripe goes through this module (the official `stripe` library; localstripe in dev and tests).

Failures become `BillingUnavailable` (503 `billing_unavailable`), never a 500: Stripe down or unreachable, or a
call the server doesn't offer (a bare 404: `billing_feature_unavailable`).
"""
import logging

import stripe
from django.conf import settings

from apps.core.errors import ApplicationError

logger = logging.getLogger(__name__)

class BillingUnavailable(ApplicationError):
    status_code = 503
    default_code = "billing_unavailable"


def client() -> stripe.StripeClient:
    base = settings.STRIPE_API_BASE.rstrip("/")
    return stripe.StripeClient(
        settings.STRIPE_SECRET_KEY, base_addresses={"api": base, "connect": base, "files": base},
        max_network_retries=1, http_client=stripe.RequestsClient(timeout=settings.STRIPE_TIMEOUT_SECONDS))


def _call(what: str, fn, *args, **kwargs):
    try:
        return fn(*args, **kwargs)
    except stripe.InvalidRequestError as exc:  # Stripe's own JSON error: the request was wrong or an id unknown
        logger.warning("Stripe refused to %s: %s", what, exc)
        raise BillingUnavailable("The payment provider refused the request; try again later.") from None
    except stripe.StripeError as exc:
        if exc.http_status == 404:  # a bare 404, not Stripe's envelope: this server has no such API (localstripe)
            logger.warning("the Stripe API at %s can't %s", settings.STRIPE_API_BASE, what)
            raise BillingUnavailable(f"The payment provider of this installation can't {what}.",
                                     code="billing_feature_unavailable") from None
        logger.warning("Stripe call to %s failed: %s", what, exc)
        raise BillingUnavailable("The payment provider can't be reached right now; try again in a minute.") from None


def customer_create(*, email: str, name: str, tenant_id: int, slug: str) -> str:
    customer = _call("create a customer", client().v1.customers.create, params={
        "email": email, "name": name, "metadata": {"tenant_id": str(tenant_id), "slug": slug}})
    return customer.id


def checkout_session_url(*, customer_id: str, price_id: str, tenant_id: int, success_url: str,
                         cancel_url: str) -> str:
    session = _call("open Checkout", client().v1.checkout.sessions.create, params={
        "mode": "subscription", "customer": customer_id, "client_reference_id": str(tenant_id),
        "line_items": [{"price": price_id, "quantity": 1}],
        "subscription_data": {"metadata": {"tenant_id": str(tenant_id)}},
        "success_url": success_url, "cancel_url": cancel_url})
    return session.url


def invoice_item_create(*, customer_id: str, amount_cents: int, currency: str, description: str,
                        idempotency_key: str) -> str:
    """A one-off line on the customer's next invoice (usage beyond the plan). The key makes a retry a no-op at
    Stripe. Returns the invoice item's id."""
    item = _call("bill usage", client().v1.invoice_items.create, params={
        "customer": customer_id, "amount": amount_cents, "currency": currency, "description": description},
        options={"idempotency_key": idempotency_key})
    return item.id


def portal_session_url(*, customer_id: str, return_url: str) -> str:
    session = _call("open the Customer Portal", client().v1.billing_portal.sessions.create, params={
        "customer": customer_id, "return_url": return_url})
    return session.url


def invoices_of(customer_id: str, limit: int = 12) -> list[dict]:
    page = _call("list invoices", client().v1.invoices.list, params={"customer": customer_id, "limit": limit})
    invoices = [inv.to_dict() for inv in page.data]
    return [{"id": inv["id"], "status": inv.get("status") or "", "total": inv.get("total") or 0,
             "currency": inv.get("currency") or "", "created": inv.get("created") or 0,
             "hosted_invoice_url": inv.get("hosted_invoice_url") or ""} for inv in invoices]


def plan_ensure(*, price_id: str, name: str, amount_cents: int, currency: str) -> bool:
    """Create the recurring monthly plan (a Stripe Plan works as a Price) with a fixed id, once. True if created."""
    c = client()
    try:
        c.v1.plans.retrieve(price_id)
        return False
    except stripe.InvalidRequestError as exc:
        if exc.http_status != 404:
            raise
    c.v1.plans.create(params={"id": price_id, "amount": amount_cents, "currency": currency, "interval": "month",
                              "product": {"name": f"ConvoNest {name}"}})
    return True


def webhook_register(*, name: str, url: str, secret: str) -> None:
    """localstripe only: deliver its events to `url`, signed with `secret` (`POST /_config/webhooks/<name>`).
    On real Stripe the endpoint is configured in the dashboard."""
    import requests

    response = requests.post(f"{settings.STRIPE_API_BASE.rstrip('/')}/_config/webhooks/{name}",
                             data={"url": url, "secret": secret}, timeout=settings.STRIPE_TIMEOUT_SECONDS)
    response.raise_for_status()


def event_verified(payload: bytes, signature: str | None):
    """Stripe's own check of `Stripe-Signature` (HMAC over `t.payload`, within the 5-minute tolerance)."""
    return stripe.Webhook.construct_event(payload, signature or "", settings.STRIPE_WEBHOOK_SECRET)
