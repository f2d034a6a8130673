"""Plan limits (issue 13): each refused with 402 plan_limit naming the limit, the usage and the upgrade path, and
nothing written; the rule is tenants.billing.limits.require_within, called where the work happens."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context

from apps.contacts.models import Contact, ContactImport
from apps.messaging.models import Message
from apps.messaging.outbox import message_send_to
from apps.messaging.tests.inbox_helpers import connect_number, customer_writes
from apps.webhooks.tests.support import connect
from apps.whatsapp.models import PhoneNumber
from tenants.billing import usage
from tenants.billing.limits import Limit, require_within
from tenants.billing.models import Plan
from tenants.models import Invite, PhoneNumberRoute

TEXT = {"type": "text", "text": {"body": "Hello"}}
pytestmark = pytest.mark.usefixtures("plan_limits_on")


@pytest.fixture
def trial():
    """The trial plan, with limits small enough to reach in a test (rolled back after it)."""
    plan = Plan.objects.get(code="trial")
    plan.numbers, plan.seats, plan.contacts, plan.messages_per_month = 1, 2, 3, 2
    plan.save()
    return plan


def _assert_plan_limit(response, limit: str, used: int, maximum: int):
    assert response.status_code == 402, response.content
    body = response.json()
    assert body["code"] == "plan_limit"
    assert body["errors"]["limit"] == [limit]
    assert body["errors"]["usage"] == [str(used)] and body["errors"]["maximum"] == [str(maximum)]
    assert body["errors"]["upgrade_url"] == ["/settings/billing"]
    assert body["errors"]["upgrade_plan"] == ["starter"]
    assert "Upgrade to Starter" in body["message"]


def test_seats_invitations_stop_at_the_plan_and_nothing_is_written(alpha, trial):
    client = alpha.client(alpha.owner)
    first = client.post("/api/team/invites/", {"email": "a@x.example", "role": "agent"}, format="json")
    assert first.status_code == 201

    refused = client.post("/api/team/invites/", {"email": "b@x.example", "role": "agent"}, format="json")

    _assert_plan_limit(refused, Limit.SEATS, used=2, maximum=2)  # the owner and the pending invitation
    assert not Invite.objects.filter(email="b@x.example").exists()


def test_numbers_connecting_beyond_the_plan_rolls_the_whole_connection_back(alpha, trial):
    connect(alpha, "120000000000101", "220000000000101")

    with pytest.raises(Exception) as refused:
        connect(alpha, "120000000000102", "220000000000102")

    assert refused.value.status_code == 402 and refused.value.code == "plan_limit"
    assert refused.value.errors["limit"] == [Limit.NUMBERS]
    assert list(PhoneNumberRoute.objects.filter(tenant=alpha.tenant).values_list("phone_number_id", flat=True)) == [
        "120000000000101"]
    with schema_context(alpha.tenant.schema_name):
        assert not PhoneNumber.objects.filter(phone_number_id="120000000000102").exists()


def test_reconnecting_a_number_already_connected_is_not_a_new_one(alpha, trial):
    connect(alpha, "120000000000101", "220000000000101")
    connect(alpha, "120000000000101", "220000000000101")  # no refusal
    assert PhoneNumberRoute.objects.filter(tenant=alpha.tenant).count() == 1


def test_contacts_an_import_that_could_pass_the_limit_is_refused_before_anything_is_stored(alpha, trial):
    with schema_context(alpha.tenant.schema_name):
        Contact.objects.create(phone="+14155550100")
    client = alpha.client(alpha.owner)
    rows = "phone,name\n+14155550101,A\n+14155550102,B\n+14155550103,C\n"

    refused = client.post("/api/contacts/imports/", {"file": SimpleUploadedFile("c.csv", rows.encode())},
                          format="multipart")

    _assert_plan_limit(refused, Limit.CONTACTS, used=1, maximum=3)
    assert refused.json()["errors"]["adding"] == ["3"]
    with schema_context(alpha.tenant.schema_name):
        assert ContactImport.objects.count() == 0 and Contact.objects.count() == 1

    within = client.post("/api/contacts/imports/", {"file": SimpleUploadedFile("c.csv", b"phone\n+14155550101\n")},
                         format="multipart")
    assert within.status_code == 202, within.content


def test_messages_per_month_sends_stop_at_the_plan_automatic_replies_are_counted_not_refused(alpha, trial):
    number = connect_number(alpha)
    inbound = customer_writes(alpha, number)
    client = alpha.client(alpha.owner)
    reply = f"/api/conversations/{inbound.conversation_id}/messages/"

    assert client.post(reply, TEXT, format="json").status_code == 202
    assert client.post(reply, TEXT, format="json").status_code == 202
    refused = client.post(reply, TEXT, format="json")

    _assert_plan_limit(refused, Limit.MESSAGES_PER_MONTH, used=2, maximum=2)
    with schema_context(alpha.tenant.schema_name):
        assert Message.objects.filter(direction="out").count() == 2
        sender = PhoneNumber.objects.get(pk=number.pk)
        message_send_to(actor=None, number=sender, contact=Message.objects.first().contact, message=TEXT,
                        automation="welcome")  # inside an inbound webhook: never refused
    assert usage.usage_of(alpha.tenant.pk)[usage.MESSAGES_SENT] == 3


def test_a_limit_in_one_business_never_counts_another(alpha, beta, trial):
    require_within(alpha.tenant, Limit.MESSAGES_PER_MONTH, adding=2)
    require_within(beta.tenant, Limit.MESSAGES_PER_MONTH, adding=2)  # beta's own budget
    with pytest.raises(Exception) as refused:
        require_within(alpha.tenant, Limit.MESSAGES_PER_MONTH, adding=1)
    assert refused.value.code == "plan_limit"
    assert usage.usage_of(alpha.tenant.pk)[usage.MESSAGES_SENT] == 2  # the refused one not counted


def test_an_unlimited_plan_and_limits_off_only_count(alpha, trial, settings):
    Plan.objects.filter(code="trial").update(messages_per_month=None)
    require_within(alpha.tenant, Limit.MESSAGES_PER_MONTH, adding=50)
    settings.BILLING_ENFORCE_LIMITS = False
    Plan.objects.filter(code="trial").update(seats=0)
    require_within(alpha.tenant, Limit.SEATS, adding=5)
    assert usage.usage_of(alpha.tenant.pk)[usage.MESSAGES_SENT] == 50


def test_a_send_refused_by_the_limit_leaves_no_contact_or_conversation_behind(alpha, trial):
    Plan.objects.filter(code="trial").update(messages_per_month=0)
    connect_number(alpha)
    template = {"type": "template", "template": {"name": "order_update", "language": {"code": "en_US"}}}

    refused = alpha.client(alpha.owner).post("/api/messages/", {"to": "+14155550199", **template}, format="json")

    assert refused.status_code == 402 and refused.json()["code"] == "plan_limit"
    with schema_context(alpha.tenant.schema_name):
        assert not Contact.objects.filter(phone="+14155550199").exists()
        assert not Message.objects.exists()
    assert usage.usage_of(alpha.tenant.pk).get(usage.MESSAGES_SENT, 0) == 0
