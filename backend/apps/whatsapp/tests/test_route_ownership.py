"""Routes (public schema) are written and deleted only by the business that owns them; a raced connection
ends in a 409, never in a number connected here whose webhooks go elsewhere. Tokens are checked before
they reach an HTTP header."""
import pytest
from django_tenants.utils import schema_context

from apps.whatsapp import services
from apps.whatsapp.client import GraphClient, PhoneNumberInfo
from apps.whatsapp.errors import BuilderError
from apps.whatsapp.models import BusinessAccount, PhoneNumber
from tenants.models import PhoneNumberRoute, WabaRoute

NUMBER, WABA = "130000000000001", "230000000000001"


def _info(number_id: str = NUMBER) -> PhoneNumberInfo:
    return PhoneNumberInfo({"id": number_id, "display_phone_number": "+1 555-000-0009", "status": "CONNECTED"})


def _connect(business, waba_id: str = WABA, number_id: str = NUMBER):
    with schema_context(business.tenant.schema_name):
        return services._save_connection(tenant=business.tenant, waba_id=waba_id, access_token="t",
                                         numbers=[_info(number_id)], connected_via="manual")


def test_a_business_disconnecting_its_copy_of_a_number_never_deletes_the_route_of_the_owner(alpha, beta):
    """The state an earlier race could leave: beta has rows for a number and WABA whose routes are alpha's."""
    _connect(alpha)
    with schema_context(beta.tenant.schema_name):
        account = BusinessAccount.objects.create(waba_id=WABA, access_token="t", connected_via="manual")
        stray = PhoneNumber.objects.create(account=account, phone_number_id=NUMBER, display_phone_number="+1")

    assert beta.client(beta.owner).delete(f"/api/whatsapp/numbers/{stray.pk}/").status_code == 204

    assert PhoneNumberRoute.objects.get(phone_number_id=NUMBER).tenant == alpha.tenant
    assert WabaRoute.objects.get(waba_id=WABA).tenant == alpha.tenant
    with schema_context(alpha.tenant.schema_name):
        assert PhoneNumber.objects.filter(phone_number_id=NUMBER).exists()


def test_a_connection_that_loses_the_race_after_the_check_is_a_409_and_leaves_nothing(alpha, beta, monkeypatch):
    """Beta's check ran before alpha committed (simulated by skipping it): the routes it then finds are
    alpha's, so beta's connection is refused as a whole."""
    _connect(alpha)
    monkeypatch.setattr(services, "_refuse_if_taken", lambda *args, **kwargs: None)

    with pytest.raises(services.Conflict) as refused:
        _connect(beta)

    assert refused.value.code == "already_connected" and refused.value.status_code == 409
    assert PhoneNumberRoute.objects.get(phone_number_id=NUMBER).tenant == alpha.tenant
    assert WabaRoute.objects.get(waba_id=WABA).tenant == alpha.tenant
    with schema_context(beta.tenant.schema_name):
        assert not PhoneNumber.objects.exists() and not BusinessAccount.objects.exists()


def test_a_number_of_another_business_under_a_new_waba_is_refused_whole(alpha, beta, monkeypatch):
    _connect(alpha)
    monkeypatch.setattr(services, "_refuse_if_taken", lambda *args, **kwargs: None)

    with pytest.raises(services.Conflict):
        _connect(beta, waba_id="230000000000002")  # its own WABA route is new; the number's isn't

    assert not WabaRoute.objects.filter(waba_id="230000000000002").exists()
    with schema_context(beta.tenant.schema_name):
        assert not PhoneNumber.objects.exists()


def test_a_connection_waits_for_a_concurrent_connection_of_the_same_number(alpha, beta):
    """The check and the writes run under a per-id lock: while another transaction holds the number's lock
    (a connection in progress elsewhere), ours waits instead of checking a state about to change."""
    from django.db import OperationalError, connection, connections

    other = connections.create_connection("default")
    try:
        other.set_autocommit(False)
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [services.route_lock_key("number", NUMBER)])
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL lock_timeout = '300ms'")
        with pytest.raises(OperationalError, match="lock timeout"):
            _connect(beta)
    finally:
        other.rollback()
        other.close()
    with schema_context(beta.tenant.schema_name):
        assert not PhoneNumber.objects.exists()


@pytest.mark.parametrize("token", ["é-token-with-accent", "tok en", "token\u200b", "x" * 1001, "tok\nen", "€€€"])
def test_a_token_that_cannot_be_an_http_header_is_a_400_naming_the_field(alpha, graph_sandbox, token):
    response = alpha.client(alpha.owner).post("/api/whatsapp/numbers/", {
        "waba_id": graph_sandbox.demo["waba_id"], "phone_number_id": graph_sandbox.demo["phone_id"],
        "access_token": token}, format="json")

    assert response.status_code == 400, response.content
    assert "access_token" in response.json()["errors"]
    assert not PhoneNumberRoute.objects.exists()


def test_an_embedded_signup_code_that_is_not_printable_ascii_is_a_400(alpha):
    client = alpha.client(alpha.owner)
    state = client.get("/api/whatsapp/embedded-signup/").json()["state"]

    response = client.post("/api/whatsapp/embedded-signup/", {"code": "cödé", "state": state}, format="json")

    assert response.status_code == 400, response.content
    assert "code" in response.json()["errors"]


def test_the_graph_client_refuses_a_token_it_cannot_put_in_a_header():
    with pytest.raises(BuilderError) as refused:
        GraphClient("tökén", base_url="http://127.0.0.1:9", version="v23.0").phone_number("123")
    assert refused.value.field == "access_token"
