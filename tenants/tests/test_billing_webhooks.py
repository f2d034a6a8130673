"""Stripe's webhooks (issue 13): signed by stripe's own helper; forged, replayed and reordered events; read-only mode
after the grace period and back when paid."""
import json
import time
from datetime import timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from apps.contacts.models import Contact
from apps.webhooks.tests.support import SECRET, connect, post
from tenants.billing.models import StripeEvent, Subscription
from tenants.billing.subscriptions import subscription_for
from tenants.billing.testing import invoice_event, signed_post, subscription_event
from tenants.ingress.models import WebhookEvent

NOW = int(time.time())


@pytest.fixture
def customer(alpha):
    sub = subscription_for(alpha.tenant)
    sub.stripe_customer_id = "cus_alpha"
    sub.save()
    return "cus_alpha"


def _sub(business) -> Subscription:
    return Subscription.objects.select_related("plan").get(tenant=business.tenant)


def test_a_signed_subscription_event_puts_the_business_on_the_paid_plan(alpha, customer, public_client):
    response = signed_post(public_client, subscription_event("evt_1", customer=customer, created=NOW))

    assert response.status_code == 200, response.content
    sub = _sub(alpha)
    assert (sub.status, sub.plan.code, sub.stripe_subscription_id) == ("active", "starter", "sub_test_1")
    assert sub.current_period_end is not None
    assert StripeEvent.objects.get(event_id="evt_1").tenant_id == alpha.tenant.pk


def test_the_business_is_found_by_metadata_when_the_customer_is_not_yet_known(alpha, public_client):
    event = subscription_event("evt_meta", customer="cus_new", created=NOW, tenant_id=alpha.tenant.pk)
    assert signed_post(public_client, event).status_code == 200
    assert _sub(alpha).status == "active"


@pytest.mark.parametrize("forge", ["wrong_secret", "no_header", "tampered_body", "too_old", "garbage_header"])
def test_a_forged_or_stale_event_is_refused_and_changes_nothing(alpha, customer, public_client, forge):
    event = subscription_event("evt_forged", customer=customer, created=NOW)
    body = json.dumps(event).encode()
    if forge == "wrong_secret":
        response = signed_post(public_client, body, secret="whsec_someone_else")
    elif forge == "no_header":
        response = signed_post(public_client, body, signature="")
    elif forge == "tampered_body":
        import stripe
        from django.conf import settings
        header = stripe.WebhookSignature.generate_signature_header(body.decode(), settings.STRIPE_WEBHOOK_SECRET)
        response = signed_post(public_client, body.replace(b'"active"', b'"canceled"'), signature=header)
    elif forge == "too_old":  # a captured event replayed after Stripe's 5-minute tolerance
        response = signed_post(public_client, body, timestamp=NOW - 3600)
    else:
        response = signed_post(public_client, body, signature="t=abc,v1=\u00e9")

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_signature"
    assert not StripeEvent.objects.filter(event_id="evt_forged").exists()
    assert _sub(alpha).status == "trialing"


def test_an_event_delivered_twice_is_applied_once(alpha, customer, public_client):
    first = subscription_event("evt_a", customer=customer, created=NOW, status="active")
    later = invoice_event("evt_b", customer=customer, created=NOW + 10, paid=False)

    assert signed_post(public_client, first).json()["outcome"].startswith("subscription active")
    signed_post(public_client, later)
    again = signed_post(public_client, first)  # Stripe retries; an old copy must not undo the later failure

    assert again.status_code == 200 and again.json()["outcome"] == "duplicate"
    assert _sub(alpha).status == "past_due"
    assert StripeEvent.objects.filter(event_id="evt_a").count() == 1


def test_events_arriving_out_of_order_end_in_the_state_of_the_newest(alpha, customer, public_client):
    deleted = subscription_event("evt_del", customer=customer, created=NOW + 100, status="canceled",
                                 kind="customer.subscription.deleted")
    older_update = subscription_event("evt_upd", customer=customer, created=NOW, status="active")

    signed_post(public_client, deleted)
    outcome = signed_post(public_client, older_update).json()["outcome"]

    assert outcome == "ignored: older than the state applied"
    assert _sub(alpha).status == "canceled"


def test_an_event_for_an_unknown_customer_is_recorded_and_ignored(alpha, beta, public_client):
    response = signed_post(public_client, subscription_event("evt_x", customer="cus_nobody", created=NOW))
    assert response.status_code == 200
    assert response.json()["outcome"] == "ignored: no business for this customer"
    assert subscription_for(alpha.tenant).status == subscription_for(beta.tenant).status == "trialing"


def test_events_for_one_business_never_touch_another(alpha, beta, customer, public_client):
    subscription_for(beta.tenant)
    signed_post(public_client, invoice_event("evt_fail", customer=customer, created=NOW, paid=False))
    assert _sub(alpha).status == "past_due"
    assert _sub(beta).status == "trialing"


def _stop_paying(business, customer, public_client, days_ago: int) -> None:
    signed_post(public_client, invoice_event(f"evt_fail_{days_ago}", customer=customer, created=NOW, paid=False))
    Subscription.objects.filter(tenant=business.tenant).update(
        unpaid_since=timezone.now() - timedelta(days=days_ago))


def test_past_due_within_the_grace_period_keeps_working(alpha, customer, public_client, settings):
    settings.BILLING_GRACE_DAYS = 7
    _stop_paying(alpha, customer, public_client, days_ago=6)
    client = alpha.client(alpha.owner)

    assert client.get("/api/billing/").json()["status"] == "past_due"
    assert client.post("/api/contacts/", {"phone": "+14155550123"}, format="json").status_code == 201


def test_after_the_grace_period_writes_are_refused_reads_and_inbound_go_on_and_payment_restores(
        alpha, customer, public_client, settings):
    settings.BILLING_GRACE_DAYS, settings.WHATSAPP_APP_SECRET = 7, SECRET
    number = connect(alpha, "120000000000777", "220000000000777")
    _stop_paying(alpha, customer, public_client, days_ago=8)
    client = alpha.client(alpha.owner)

    refused = client.post("/api/contacts/", {"phone": "+14155550123"}, format="json")
    assert refused.status_code == 402
    assert refused.json()["code"] == "read_only"
    assert refused.json()["errors"] == {"upgrade_url": ["/settings/billing"]}
    with schema_context(alpha.tenant.schema_name):
        assert not Contact.objects.filter(phone="+14155550123").exists()
    billing = client.get("/api/billing/")
    assert billing.status_code == 200 and billing.json()["status"] == "read_only"
    assert client.get("/api/contacts/").status_code == 200

    # Meta's webhooks come to the public host: still verified and stored, nothing lost.
    inbound = {"object": "whatsapp_business_account", "entry": [{"id": "220000000000777", "changes": [{
        "field": "messages", "value": {"messaging_product": "whatsapp",
                                       "metadata": {"display_phone_number": "15550001", "phone_number_id":
                                                    number.phone_number_id}, "messages": []}}]}]}
    post(inbound)
    assert WebhookEvent.objects.count() == 1

    signed_post(public_client, invoice_event("evt_paid", customer=customer, created=NOW + 60, paid=True))

    assert client.get("/api/billing/").json()["status"] == "active"
    assert client.post("/api/contacts/", {"phone": "+14155550123"}, format="json").status_code == 201


def test_a_trial_that_ended_unpaid_goes_read_only_after_the_grace_period(alpha, settings):
    settings.BILLING_GRACE_DAYS = 3
    Subscription.objects.filter(pk=subscription_for(alpha.tenant).pk).update(
        trial_end=timezone.now() - timedelta(days=4))
    client = alpha.client(alpha.owner)

    assert client.post("/api/contacts/", {"phone": "+14155550124"}, format="json").json()["code"] == "read_only"
    assert client.post("/api/billing/portal/", format="json").json()["code"] == "no_customer"  # billing stays open
