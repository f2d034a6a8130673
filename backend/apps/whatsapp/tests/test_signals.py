"""`account_connected` is sent once per connection of a WABA (manual, Embedded Signup, bootstrap), after the
transaction commits and inside the business's schema; never for a connection that rolled back."""
import pytest
from django.db import connection, transaction
from django_tenants.utils import schema_context

from apps.core.errors import ApplicationError
from apps.whatsapp import services
from apps.whatsapp.client import PhoneNumberInfo
from apps.whatsapp.models import BusinessAccount
from apps.whatsapp.signals import account_connected
from tenants.members import member_of


@pytest.fixture
def heard():
    """Only this test's receiver listens (the templates app's would start a real sync)."""
    calls = []

    def receiver(sender, signal, **kwargs):
        calls.append({"sender": sender, "schema": connection.schema_name, **kwargs})

    saved = account_connected.receivers
    account_connected.receivers = []
    account_connected.sender_receivers_cache.clear()
    account_connected.connect(receiver, weak=False)
    try:
        yield calls
    finally:
        account_connected.receivers = saved
        account_connected.sender_receivers_cache.clear()


def _manual(business, sandbox):
    with schema_context(business.tenant.schema_name):
        return services.number_connect_manual(actor=None, tenant=business.tenant, waba_id=sandbox.demo["waba_id"],
                                              phone_number_id=sandbox.demo["phone_id"],
                                              access_token=sandbox.demo["token"])


def test_a_manual_connection_is_announced_once_after_commit(alpha, graph_sandbox, heard,
                                                             django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        _manual(alpha, graph_sandbox)
    assert heard == []  # nothing before the commit
    for callback in callbacks:
        callback()
    assert heard == [{"sender": BusinessAccount, "waba_id": graph_sandbox.demo["waba_id"], "tenant": alpha.tenant,
                      "connected_via": "manual", "schema": alpha.tenant.schema_name}]


def test_the_api_connection_announces_in_the_business_schema(alpha, graph_sandbox, heard,
                                                              django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = alpha.client(alpha.owner).post("/api/whatsapp/numbers/", {
            "waba_id": graph_sandbox.demo["waba_id"], "phone_number_id": graph_sandbox.demo["phone_id"],
            "access_token": graph_sandbox.demo["token"]}, format="json")
    assert response.status_code == 201, response.content
    assert [(h["waba_id"], h["schema"]) for h in heard] == [(graph_sandbox.demo["waba_id"],
                                                             alpha.tenant.schema_name)]


def test_embedded_signup_announces_each_granted_waba_once(alpha, graph_sandbox, heard,
                                                          django_capture_on_commit_callbacks):
    state = services.signup_state_for(tenant=alpha.tenant, user_id=alpha.owner.pk)
    finished = graph_sandbox.control.post("/embedded-signup", json={
        "app_id": graph_sandbox.demo["app_id"], "business_name": "Alpha Shop", "numbers": 2}).json()
    with django_capture_on_commit_callbacks(execute=True), schema_context(alpha.tenant.schema_name):
        services.embedded_signup_complete(actor=member_of(user=alpha.owner, tenant=alpha.tenant),
                                          tenant=alpha.tenant, code=finished["code"], state=state)
    assert [(h["waba_id"], h["connected_via"], h["tenant"]) for h in heard] == [
        (finished["waba_id"], "embedded_signup", alpha.tenant)]


def test_bootstrap_announces_once(alpha, graph_sandbox, heard, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), schema_context(alpha.tenant.schema_name):
        numbers = services.bootstrap_connect(tenant=alpha.tenant, waba_id=graph_sandbox.demo["waba_id"],
                                             phone_number_id=graph_sandbox.demo["phone_id"],
                                             access_token=graph_sandbox.demo["token"])
    assert len(numbers) == 2
    assert [(h["waba_id"], h["connected_via"]) for h in heard] == [(graph_sandbox.demo["waba_id"], "bootstrap")]


def test_nothing_is_announced_for_a_connection_that_rolled_back(alpha, beta, graph_sandbox, heard,
                                                                 django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            _manual(alpha, graph_sandbox)
            raise RuntimeError("something later in the same transaction failed")
    assert heard == []

    # A lost race (the number is another business's) rolls the whole connection back: no announcement.
    with django_capture_on_commit_callbacks(execute=True):
        _manual(alpha, graph_sandbox)
    heard.clear()
    info = PhoneNumberInfo({"id": graph_sandbox.demo["phone_id"], "display_phone_number": "+1 555-010-0001"})
    with django_capture_on_commit_callbacks(execute=True), schema_context(beta.tenant.schema_name):
        with pytest.raises(ApplicationError):
            services._save_connection(tenant=beta.tenant, waba_id=graph_sandbox.demo["waba_id"], access_token="t",
                                      numbers=[info], connected_via="manual")
    assert heard == []


def test_a_failing_receiver_leaves_the_connection_standing(alpha, graph_sandbox, heard, caplog,
                                                           django_capture_on_commit_callbacks):
    def broken(sender, **kwargs):
        raise ValueError("a receiver's bug")

    account_connected.connect(broken, weak=False)
    with django_capture_on_commit_callbacks(execute=True):
        number = _manual(alpha, graph_sandbox)
    assert len(heard) == 1 and number.pk
    assert "account_connected receiver" in caplog.text and "a receiver's bug" in caplog.text
    with schema_context(alpha.tenant.schema_name):
        assert BusinessAccount.objects.filter(waba_id=graph_sandbox.demo["waba_id"]).exists()
