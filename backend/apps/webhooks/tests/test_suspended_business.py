"""A business its reseller suspended receives nothing and sends nothing; what Meta sent meanwhile is kept and
routed when it resumes, so no customer message is lost."""
from django_tenants.utils import schema_context

from apps.messaging.models import Message
from apps.webhooks.tests.support import (
    NUMBER_A,
    WABA_A,
    conformance,
    connect,
    deliver,
    envelope,
    use_secret,
    with_number,
)
from tenants.ingress.models import WebhookChange
from tenants.tasks import webhooks_replay_for_tenant
from tenants.tests.partners_support import make_partner


def _inbound_text() -> dict:
    (change,) = conformance("message")["text"]["entry"][0]["changes"]
    return envelope(WABA_A, ("messages", with_number(change["value"], NUMBER_A)))


def test_what_meta_sends_while_suspended_is_kept_and_routed_on_resume(alpha, settings,
                                                                      django_capture_on_commit_callbacks):
    use_secret(settings)
    connect(alpha, NUMBER_A, WABA_A)
    agency = make_partner("agency")
    agency.adopt(alpha)
    console = agency.client()
    assert console.post(f"/api/partners/businesses/{alpha.tenant.pk}/suspend/").status_code == 200

    deliver(_inbound_text())

    assert WebhookChange.objects.get(phone_number_id=NUMBER_A).status == "unroutable"
    with schema_context(alpha.tenant.schema_name):
        assert not Message.objects.exists()
    with django_capture_on_commit_callbacks() as enqueued:
        assert console.post(f"/api/partners/businesses/{alpha.tenant.pk}/resume/").status_code == 200
    assert len(enqueued) == 1
    webhooks_replay_for_tenant(alpha.tenant.pk)  # what the worker runs
    with schema_context(alpha.tenant.schema_name):
        assert list(Message.objects.values_list("wamid", flat=True)) == ["wamid.xyzxyz"]
    assert WebhookChange.objects.get(phone_number_id=NUMBER_A).status == "handled"
