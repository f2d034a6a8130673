"""The control plane's changes to a business reach that business's audit log, in the change's transaction: its custom
domains (by its members) and its subscription (by Stripe's events), never another business's log."""
import time

from django_tenants.utils import schema_context

from apps.audit.models import AuditEvent
from tenants.billing.subscriptions import subscription_for
from tenants.billing.testing import invoice_event, signed_post, subscription_event
from tenants.tests.test_branding import TXT, _fake_dns, _publish  # noqa: F401 - the resolver fixture

NOW = int(time.time())


def _log(business, prefix: str) -> list[AuditEvent]:
    with schema_context(business.tenant.schema_name):
        return list(AuditEvent.objects.filter(action__startswith=prefix).order_by("id"))


def test_a_domain_added_verified_and_removed_is_in_the_business_log_with_who(alpha, beta):
    owner = alpha.client(alpha.owner)
    claim = owner.post("/api/domains/", {"domain": "chat.alpha-shop.example"}, format="json").json()
    owner.post(f"/api/domains/{claim['id']}/verify/")  # no TXT record yet: nothing changed, nothing recorded
    _publish(claim)
    owner.post(f"/api/domains/{claim['id']}/verify/")
    owner.post(f"/api/domains/{claim['id']}/verify/")  # already verified: nothing new
    owner.delete(f"/api/domains/{claim['id']}/")

    events = _log(alpha, "domain.")
    assert [e.action for e in events] == ["domain.added", "domain.verified", "domain.removed"]
    assert {(e.actor_type, e.actor_label, e.target_label) for e in events} == {
        ("member", alpha.owner.email, "chat.alpha-shop.example")}
    assert _log(beta, "domain.") == []


def test_a_refused_domain_records_nothing(alpha):
    response = alpha.client(alpha.owner).post("/api/domains/", {"domain": "localhost"}, format="json")
    assert response.status_code == 400
    assert _log(alpha, "domain.") == []


def test_stripe_moving_the_subscription_is_recorded_once_and_only_for_its_business(alpha, beta, public_client):
    sub = subscription_for(alpha.tenant)
    sub.stripe_customer_id = "cus_alpha"
    sub.save()
    subscription_for(beta.tenant)

    signed_post(public_client, subscription_event("evt_1", customer="cus_alpha", created=NOW))
    signed_post(public_client, subscription_event("evt_1", customer="cus_alpha", created=NOW))  # redelivered
    signed_post(public_client, invoice_event("evt_2", customer="cus_alpha", created=NOW + 1, paid=True))  # no change
    signed_post(public_client, invoice_event("evt_3", customer="cus_alpha", created=NOW + 2, paid=False))

    events = _log(alpha, "billing.")
    assert [e.changes for e in events] == [{"plan": ["trial", "starter"], "status": ["trialing", "active"]},
                                           {"status": ["active", "past_due"]}]
    assert {(e.actor_type, e.actor_id) for e in events} == {("automation", "stripe")}
    assert _log(beta, "billing.") == []
