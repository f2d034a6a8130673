"""The billing API on a business's host (issue 13) against localstripe through the real stripe library: the
overview, Checkout and the portal (localstripe with its hosted pages: sandbox.stripe_hosted), invoices, isolation,
and the monthly usage roll-up."""
import pytest
import requests

from tenants.billing import usage
from tenants.billing.models import Subscription
from tenants.billing.subscriptions import subscription_for
from tenants.billing.testing import signed_post
from tenants.models import Role, Tenant


def test_every_member_reads_the_overview_of_a_new_business_on_its_trial(alpha):
    agent = alpha.add_member("agent@alpha.example", Role.AGENT)
    body = alpha.client(agent).get("/api/billing/").json()

    assert body["status"] == "trialing" and body["plan"]["code"] == "trial"
    assert body["trial_end"] is not None and body["can_manage"] is False
    limits = {row["limit"]: row for row in body["usage"]}
    assert limits["seats"] == {"limit": "seats", "used": 2, "maximum": 3}
    assert limits["messages_per_month"]["used"] == 0
    assert [p["code"] for p in body["plans"]] == ["starter", "growth"]


def test_only_the_owner_may_open_checkout_or_the_portal(alpha):
    admin = alpha.add_member("admin@alpha.example", Role.ADMIN)
    client = alpha.client(admin)
    for path in ("/api/billing/checkout/", "/api/billing/portal/"):
        response = client.post(path, {"plan": "starter"}, format="json")
        assert response.status_code == 403 and response.json()["code"] == "permission_denied"


def _pay_at_checkout(client, plan: str = "starter") -> str:
    """Open Checkout through our API and press Pay on localstripe's hosted page, as the owner would."""
    checkout = client.post("/api/billing/checkout/", {"plan": plan}, format="json")
    assert checkout.status_code == 200, checkout.content
    page = requests.get(checkout.json()["url"], timeout=5)
    assert page.status_code == 200 and "Subscribe" in page.text
    paid = requests.post(f"{checkout.json()['url']}/pay", allow_redirects=False, timeout=5)
    assert paid.status_code == 303
    return paid.headers["Location"]


def test_canceling_checkout_returns_to_the_billing_page_and_subscribes_nothing(alpha, localstripe):
    response = alpha.client(alpha.owner).post("/api/billing/checkout/", {"plan": "starter"}, format="json")
    url = response.json()["url"]

    assert "/_config/hosted/checkout/cs_test_" in url  # localstripe's stand-in for Stripe's hosted page
    canceled = requests.post(f"{url}/cancel", allow_redirects=False, timeout=5)
    assert canceled.headers["Location"].endswith("/settings/billing?checkout=canceled")
    customer = subscription_for(alpha.tenant).stripe_customer_id
    assert customer.startswith("cus_")
    assert [e["type"] for e in localstripe.events(customer) if "subscription" in e["type"]] == []


def test_the_portal_needs_a_customer_and_canceling_there_ends_the_subscription(alpha, localstripe, public_client):
    client = alpha.client(alpha.owner)
    assert client.post("/api/billing/portal/", format="json").json()["code"] == "no_customer"
    _pay_at_checkout(client)

    portal = client.post("/api/billing/portal/", format="json")
    assert portal.status_code == 200, portal.content
    page = requests.get(portal.json()["url"], timeout=5)
    subscription_id = page.text.split("/cancel/")[1].split("'")[0]
    back = requests.post(f"{portal.json()['url']}/cancel/{subscription_id}", allow_redirects=False, timeout=5)
    assert back.headers["Location"].endswith("/settings/billing")
    for event in localstripe.events(subscription_for(alpha.tenant).stripe_customer_id):
        assert signed_post(public_client, event).status_code == 200

    assert client.get("/api/billing/").json()["status"] == "canceled"


def test_stripe_unreachable_is_a_503_never_a_500(alpha, settings):
    settings.STRIPE_API_BASE = "http://127.0.0.1:9"  # discard: nothing listens
    response = alpha.client(alpha.owner).post("/api/billing/checkout/", {"plan": "growth"}, format="json")
    assert response.status_code == 503 and response.json()["code"] == "billing_unavailable"


def test_an_unknown_plan_or_the_trial_cannot_be_bought(alpha):
    client = alpha.client(alpha.owner)
    for plan in ("trial", "platinum"):
        response = client.post("/api/billing/checkout/", {"plan": plan}, format="json")
        assert response.status_code == 400 and response.json()["errors"] == {"plan": ["Unknown plan."]}


@pytest.mark.usefixtures("plan_limits_on")
def test_from_trial_to_paid_a_limit_lifts_when_localstripe_s_webhook_arrives(alpha, localstripe, settings,
                                                                              public_client):
    client = alpha.client(alpha.owner)
    client.post("/api/team/invites/", {"email": "a@x.example", "role": "agent"}, format="json")
    client.post("/api/team/invites/", {"email": "b@x.example", "role": "agent"}, format="json")
    assert client.post("/api/team/invites/", {"email": "c@x.example", "role": "agent"},
                       format="json").json()["code"] == "plan_limit"

    assert _pay_at_checkout(client).endswith("/settings/billing?checkout=success")
    customer = subscription_for(alpha.tenant).stripe_customer_id
    # What localstripe POSTs to the webhook it was given, signed as it (and Stripe) sign.
    for event in localstripe.events(customer):
        assert signed_post(public_client, event).status_code == 200

    body = client.get("/api/billing/").json()
    assert (body["status"], body["plan"]["code"]) == ("active", "starter")
    assert body["invoices"][0]["status"] == "paid" and body["invoices"][0]["total"] == 2900
    lifted = client.post("/api/team/invites/", {"email": "c@x.example", "role": "agent"}, format="json")
    assert lifted.status_code == 201, lifted.content


def test_one_business_s_billing_is_never_visible_or_writable_from_another_host(alpha, beta):
    sub = subscription_for(beta.tenant)
    Subscription.objects.filter(pk=sub.pk).update(status="past_due", stripe_customer_id="cus_beta")
    alpha_owner_on_beta = beta.client()
    alpha_owner_on_beta.post("/api/auth/login/", {"email": alpha.owner.email, "password": "correct-horse-battery-9"},
                             format="json")

    assert alpha.client(alpha.owner).get("/api/billing/").json()["status"] == "trialing"
    assert alpha_owner_on_beta.get("/api/billing/").status_code in (401, 403)
    assert alpha_owner_on_beta.post("/api/billing/portal/", format="json").status_code in (401, 403)


def test_billing_is_not_served_on_the_public_host(public_client):
    assert public_client.get("/api/billing/").status_code == 404


def test_the_monthly_roll_up_reads_every_business_in_one_query(alpha, beta, django_assert_num_queries):
    month = usage.month_of()
    usage.usage_add(alpha.tenant.pk, usage.MESSAGES_SENT, 5)
    usage.usage_add(alpha.tenant.pk, usage.message_metric(direction="out", category="marketing", billable=True), 4)
    usage.usage_add(beta.tenant.pk, usage.MESSAGES_RECEIVED, 7)
    usage.usage_add(beta.tenant.pk, usage.MESSAGES_RECEIVED, 1)

    with django_assert_num_queries(1):
        rolled = usage.usage_rollup(month)

    assert rolled[alpha.tenant.pk] == {"messages_sent": 5, "messages:out:marketing:billable": 4}
    assert rolled[beta.tenant.pk] == {"messages_received": 8}
    assert set(rolled) <= set(Tenant.objects.values_list("pk", flat=True))


def test_billing_seed_registers_our_webhook_and_localstripe_s_signature_verifies(localstripe, settings):
    """What `make dev` does: localstripe POSTs its events, signed with STRIPE_WEBHOOK_SECRET, to our endpoint, and
    stripe's own check accepts them."""
    import io
    import queue
    import threading
    from http.server import BaseHTTPRequestHandler, HTTPServer

    from django.core.management import call_command

    from tenants.billing import stripe_client

    received: queue.Queue = queue.Queue()

    class Receiver(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - http.server's name
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.put((body, self.headers["Stripe-Signature"]))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        out = io.StringIO()
        call_command("billing_seed", webhook_url=f"http://127.0.0.1:{server.server_port}/webhooks/stripe",
                     stdout=out, stderr=out)
        assert "webhook: " in out.getvalue(), out.getvalue()
        customer = stripe_client.customer_create(email="o@x.example", name="X", tenant_id=1, slug="x")
        seen = []
        while ("customer.created", customer) not in seen:  # the seeded product and plans (and so on) come too
            body, signature = received.get(timeout=10)  # localstripe waits a second before it sends
            event = stripe_client.event_verified(body, signature)  # raises unless the signature is right
            seen.append((event.type, event.data.object.id))
    finally:
        server.shutdown()

    assert ("plan.created", "convonest_starter_monthly") in seen
