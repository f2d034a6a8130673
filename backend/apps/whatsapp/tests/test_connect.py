"""Settings → WhatsApp: connecting numbers against the sandbox (Meta), with routes in the public schema."""
import io
import logging

import pytest
from django.db import connection
from django_tenants.utils import schema_context

from apps.calls.models import CallSettings
from apps.whatsapp.client import GraphClient
from apps.whatsapp.models import BusinessAccount, PhoneNumber
from tenants.ingress.routes import tenant_for_phone_number, tenant_for_waba
from tenants.models import PhoneNumberRoute, WabaRoute


def _connect(client, sandbox, **overrides):
    body = {"waba_id": sandbox.demo["waba_id"], "phone_number_id": sandbox.demo["phone_id"],
            "access_token": sandbox.demo["token"], **overrides}
    return client.post("/api/whatsapp/numbers/", body, format="json")


def test_connecting_by_hand_verifies_with_meta_and_writes_the_routes(alpha, graph_sandbox):
    response = _connect(alpha.client(alpha.owner), graph_sandbox)

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["phone_number_id"] == graph_sandbox.demo["phone_id"]
    assert body["display_phone_number"] == "+1 555-010-0001"
    assert body["quality_rating"] == "GREEN" and body["throughput_mps"] == 80
    assert "access_token" not in body and graph_sandbox.demo["token"] not in response.content.decode()
    assert PhoneNumberRoute.objects.get(phone_number_id=graph_sandbox.demo["phone_id"]).tenant == alpha.tenant
    assert WabaRoute.objects.get(waba_id=graph_sandbox.demo["waba_id"]).tenant == alpha.tenant
    assert tenant_for_phone_number(graph_sandbox.demo["phone_id"]) == alpha.tenant
    assert tenant_for_waba(graph_sandbox.demo["waba_id"]) == alpha.tenant


def test_the_access_token_is_encrypted_at_rest_and_never_logged(alpha, graph_sandbox, caplog):
    caplog.set_level(logging.DEBUG)

    _connect(alpha.client(alpha.owner), graph_sandbox)

    with schema_context(alpha.tenant.schema_name), connection.cursor() as cursor:
        cursor.execute("SELECT access_token FROM whatsapp_businessaccount")
        (stored,) = cursor.fetchone()
        assert BusinessAccount.objects.get().access_token == graph_sandbox.demo["token"]
    assert graph_sandbox.demo["token"] not in stored
    assert graph_sandbox.demo["token"] not in caplog.text


def test_numbers_list_shows_health_to_every_member(alpha, graph_sandbox):
    from tenants.models import Role

    _connect(alpha.client(alpha.owner), graph_sandbox)
    agent = alpha.add_member("agent@alpha.example", Role.AGENT)

    numbers = alpha.client(agent).get("/api/whatsapp/numbers/").json()["results"]

    assert [n["display_phone_number"] for n in numbers] == ["+1 555-010-0001"]
    assert {"quality_rating", "messaging_limit_tier", "throughput_mps", "phone_number_id"} <= set(numbers[0])


def test_agents_cannot_connect_or_disconnect(alpha, graph_sandbox):
    from tenants.models import Role

    agent = alpha.add_member("agent@alpha.example", Role.AGENT)

    assert _connect(alpha.client(agent), graph_sandbox).status_code == 403


@pytest.mark.parametrize(("field", "value", "code"), [
    ("access_token", "not-a-real-token", "whatsapp_rejected"),
    ("phone_number_id", "100000000000999", "whatsapp_rejected"),
    ("waba_id", "abc", "validation_error"),
])
def test_a_bad_connection_is_a_clear_400_naming_the_field_and_stores_nothing(alpha, graph_sandbox, field, value,
                                                                               code):
    response = _connect(alpha.client(alpha.owner), graph_sandbox, **{field: value})

    assert response.status_code == 400
    assert response.json()["code"] == code
    assert field in response.json()["errors"]
    assert not PhoneNumberRoute.objects.exists()


def test_a_number_connected_to_another_business_is_refused(alpha, beta, graph_sandbox):
    assert _connect(alpha.client(alpha.owner), graph_sandbox).status_code == 201

    response = _connect(beta.client(beta.owner), graph_sandbox)

    assert response.status_code == 409
    assert response.json()["code"] == "already_connected"
    assert PhoneNumberRoute.objects.get().tenant == alpha.tenant
    with schema_context(beta.tenant.schema_name):
        assert not PhoneNumber.objects.exists()


def test_disconnect_removes_the_route_and_the_cached_lookup(alpha, graph_sandbox, django_capture_on_commit_callbacks):
    client = alpha.client(alpha.owner)
    number_id = _connect(client, graph_sandbox).json()["id"]
    assert tenant_for_phone_number(graph_sandbox.demo["phone_id"]) == alpha.tenant  # now cached

    with django_capture_on_commit_callbacks(execute=True):
        assert client.delete(f"/api/whatsapp/numbers/{number_id}/").status_code == 204

    assert not PhoneNumberRoute.objects.exists() and not WabaRoute.objects.exists()
    assert tenant_for_phone_number(graph_sandbox.demo["phone_id"]) is None


def test_a_number_with_history_is_kept_disconnected_and_comes_back_when_connected_again(alpha, graph_sandbox):
    from apps.messaging.models import Conversation, Message
    from apps.messaging.tests.inbox_helpers import customer_writes

    client = alpha.client(alpha.owner)
    number_id = _connect(client, graph_sandbox).json()["id"]
    with schema_context(alpha.tenant.schema_name):
        customer_writes(alpha, PhoneNumber.objects.get(pk=number_id), "Hi")
        conversation = Conversation.objects.get()

    assert client.delete(f"/api/whatsapp/numbers/{number_id}/").status_code == 204

    assert client.get("/api/whatsapp/numbers/").json()["results"] == []
    assert not PhoneNumberRoute.objects.exists() and not WabaRoute.objects.exists()
    with schema_context(alpha.tenant.schema_name):
        assert Message.objects.get().phone_number_id == number_id  # the history keeps its number
        assert BusinessAccount.objects.get().access_token == ""  # no connected number needs the token
    refused = client.post(f"/api/conversations/{conversation.pk}/messages/", {"type": "text", "text": {"body": "x"}},
                          format="json")
    assert refused.status_code == 400 and refused.json()["code"] == "number_disconnected"

    assert _connect(client, graph_sandbox).json()["id"] == number_id
    assert client.post(f"/api/conversations/{conversation.pk}/messages/", {"type": "text", "text": {"body": "x"}},
                       format="json").status_code == 202


def test_another_business_can_neither_see_nor_disconnect_a_number(alpha, beta, graph_sandbox):
    number_id = _connect(alpha.client(alpha.owner), graph_sandbox).json()["id"]
    client_b = beta.client(beta.owner)

    assert client_b.get("/api/whatsapp/numbers/").json()["results"] == []
    assert client_b.delete(f"/api/whatsapp/numbers/{number_id}/").status_code == 404
    assert client_b.post(f"/api/whatsapp/numbers/{number_id}/refresh/").status_code == 404
    assert PhoneNumberRoute.objects.get().tenant == alpha.tenant


def test_refresh_reads_the_numbers_health_again(alpha, graph_sandbox):
    client = alpha.client(alpha.owner)
    number_id = _connect(client, graph_sandbox).json()["id"]
    graph_sandbox.control.patch(f"/numbers/{graph_sandbox.demo['phone_id']}",
                                json={"quality_rating": "YELLOW"}).raise_for_status()

    response = client.post(f"/api/whatsapp/numbers/{number_id}/refresh/")

    assert response.json()["quality_rating"] == "YELLOW"


def test_embedded_signup_connects_every_number_meta_granted(alpha, graph_sandbox):
    client = alpha.client(alpha.owner)
    start = client.get("/api/whatsapp/embedded-signup/", {"redirect_uri": "http://alpha.localhost:3000/cb"}).json()
    assert start["mode"] == "sandbox" and "/_sandbox/embedded-signup?" in start["signup_url"]
    finished = graph_sandbox.control.post("/embedded-signup", json={
        "app_id": start["app_id"], "business_name": "Alpha Shop", "numbers": 2, "state": start["state"],
        "redirect_uri": "http://alpha.localhost:3000/cb"}).json()

    response = client.post("/api/whatsapp/embedded-signup/", {"code": finished["code"], "state": finished["state"]},
                           format="json")

    assert response.status_code == 201, response.content
    assert len(response.json()) == 2
    assert WabaRoute.objects.get(tenant=alpha.tenant).waba_id == finished["waba_id"]
    with schema_context(alpha.tenant.schema_name):
        token = BusinessAccount.objects.get(waba_id=finished["waba_id"]).access_token
    with GraphClient(token) as graph:
        assert graph.subscribed_apps(finished["waba_id"])  # our app now gets this account's webhooks


def test_embedded_signup_state_is_bound_to_the_business_and_person(alpha, beta, graph_sandbox):
    state_of_alpha = alpha.client(alpha.owner).get("/api/whatsapp/embedded-signup/").json()["state"]

    response = beta.client(beta.owner).post("/api/whatsapp/embedded-signup/", {"code": "x", "state": state_of_alpha},
                                            format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_state"


def test_rotating_the_encryption_key_keeps_tokens_readable(alpha, graph_sandbox, settings):
    from cryptography.fernet import Fernet
    from django.core.management import call_command

    old_key = settings.FIELD_ENCRYPTION_KEYS[0]
    _connect(alpha.client(alpha.owner), graph_sandbox)
    new_key = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [new_key, old_key]

    out = io.StringIO()
    call_command("rotate_secrets", stdout=out)

    assert "re-encrypted 1 access token(s)" in out.getvalue()

    settings.FIELD_ENCRYPTION_KEYS = [new_key]  # the old key is gone
    with schema_context(alpha.tenant.schema_name):
        assert BusinessAccount.objects.get().access_token == graph_sandbox.demo["token"]


def test_bootstrap_connects_the_demo_business_with_both_sandbox_numbers(alpha, graph_sandbox, settings):
    from django.core.management import call_command

    settings.DEMO_TENANT_SLUG, settings.DEMO_EMAIL = "alpha", alpha.owner.email
    settings.WHATSAPP_ACCESS_TOKEN = graph_sandbox.demo["token"]
    settings.WHATSAPP_PHONE_ID = graph_sandbox.demo["phone_id"]
    settings.WHATSAPP_BUSINESS_ID = graph_sandbox.demo["waba_id"]

    call_command("bootstrap_demo", stdout=io.StringIO())
    call_command("bootstrap_demo", stdout=io.StringIO())  # running it twice is safe

    # The demo customers wrote once each, through the sandbox: their webhooks wait for the web server.
    chats = [graph_sandbox.control.get(f"/chats/{graph_sandbox.demo['phone_id']}/{wa_id}").json()["messages"]
             for wa_id in ("16505550101", "447700900123")]
    assert [[m["direction"] for m in chat] for chat in chats] == [["in"], ["in"]]

    assert set(PhoneNumberRoute.objects.filter(tenant=alpha.tenant).values_list("phone_number_id", flat=True)) == {
        graph_sandbox.demo["phone_id"], graph_sandbox.demo["second_phone_id"]}
    # Calling is on for the demo number, at Meta (the sandbox) and in our copy, with a missed-call reply.
    with schema_context(alpha.tenant.schema_name):
        number = PhoneNumber.objects.get(phone_number_id=graph_sandbox.demo["phone_id"])
        at_meta = GraphClient(number.account.access_token).call_settings(number.phone_number_id)
        row = CallSettings.objects.get(phone_number=number)
    assert at_meta["status"] == row.calling["status"] == "ENABLED"
    assert at_meta["callback_permission_status"] == "ENABLED" and row.missed_call_reply_enabled
