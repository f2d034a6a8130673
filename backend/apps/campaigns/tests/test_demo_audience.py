"""make dev's demo has a segment to try a campaign on, and a plan that holds it."""
import io

from django.core.management import call_command
from django_tenants.utils import schema_context

from apps.contacts.models import Contact, Segment
from tenants.billing.subscriptions import subscription_for
from tenants.models import Tenant


def test_the_demo_gets_its_audience_segment_once_and_tries_a_plan_that_holds_it(db, settings, graph_sandbox):
    settings.DEMO_AUDIENCE_SIZE = 2_000  # more than the trial's 1,000 contacts
    for _ in range(2):
        call_command("bootstrap_demo", stdout=io.StringIO(), stderr=io.StringIO())

    tenant = Tenant.objects.get(slug=settings.DEMO_TENANT_SLUG)
    with schema_context(tenant.schema_name):
        assert Segment.objects.filter(name="Demo audience").count() == 1
        assert Contact.objects.filter(tags__contains=["demo-audience"]).count() == 2_000
    subscription = subscription_for(tenant)
    assert subscription.status == "trialing"
    assert subscription.plan.code == "starter" and subscription.plan.contacts >= 2_100
