"""The audit log of WhatsApp numbers: connecting (by hand, Embedded Signup, bootstrap), disconnecting, and a refresh
that changes what is stored are each one event per number, in the change's transaction, by whoever did it; never a
token; a refused or rolled-back change leaves none; another business never sees them."""
import json

import pytest
from django.db import transaction
from django_tenants.utils import schema_context

from apps.audit.models import AuditEvent
from apps.whatsapp import services
from apps.whatsapp.models import PhoneNumber
from tenants.models import Role


def _connect(client, sandbox, **overrides):
    body = {"waba_id": sandbox.demo["waba_id"], "phone_number_id": sandbox.demo["phone_id"],
            "access_token": sandbox.demo["token"], **overrides}
    return client.post("/api/whatsapp/numbers/", body, format="json")


def events(business, action: str = "whatsapp.") -> list[AuditEvent]:
    with schema_context(business.tenant.schema_name):
        return list(AuditEvent.objects.filter(action__startswith=action).order_by("id"))


def _no_token(sandbox, found: list[AuditEvent], token: str = "") -> None:
    logged = json.dumps([[e.target_label, e.changes, e.detail] for e in found])
    assert (token or sandbox.demo["token"]) not in logged and "access_token" not in logged


def test_connecting_by_hand_is_one_event_by_the_member_naming_the_number(alpha, graph_sandbox):
    response = _connect(alpha.client(alpha.owner), graph_sandbox)

    assert response.status_code == 201
    (event,) = events(alpha)
    assert event.action == "whatsapp.number_connected"
    assert (event.actor_type, event.actor_id, event.actor_label) == ("member", str(alpha.owner.pk), alpha.owner.email)
    assert (event.target_type, event.target_id) == ("phonenumber", str(response.json()["id"]))
    assert event.target_label.startswith("+1 555-010-0001")
    assert event.detail == {"waba_id": graph_sandbox.demo["waba_id"], "connected_via": "manual"}
    _no_token(graph_sandbox, [event])


def test_embedded_signup_records_each_number_it_connects(alpha, graph_sandbox):
    client = alpha.client(alpha.owner)
    start = client.get("/api/whatsapp/embedded-signup/").json()
    finished = graph_sandbox.control.post("/embedded-signup", json={
        "app_id": start["app_id"], "business_name": "Alpha Shop", "numbers": 2, "state": start["state"]}).json()

    response = client.post("/api/whatsapp/embedded-signup/", {"code": finished["code"], "state": finished["state"]},
                           format="json")

    assert response.status_code == 201, response.content
    found = events(alpha)
    assert [e.action for e in found] == ["whatsapp.number_connected"] * 2
    assert {e.target_id for e in found} == {str(n["id"]) for n in response.json()}
    assert {e.detail["connected_via"] for e in found} == {"embedded_signup"}
    assert {e.actor_type for e in found} == {"member"}
    with schema_context(alpha.tenant.schema_name):
        from apps.whatsapp.models import BusinessAccount

        token = BusinessAccount.objects.get(waba_id=finished["waba_id"]).access_token
    _no_token(graph_sandbox, found, token)


def test_connecting_a_connected_number_again_with_nothing_new_records_nothing(alpha, graph_sandbox):
    client = alpha.client(alpha.owner)
    assert _connect(client, graph_sandbox).status_code == 201

    assert _connect(client, graph_sandbox).status_code == 201

    assert [e.action for e in events(alpha)] == ["whatsapp.number_connected"]


def test_disconnecting_and_connecting_again_are_one_event_each(alpha, graph_sandbox):
    from apps.messaging.tests.inbox_helpers import customer_writes

    client = alpha.client(alpha.owner)
    number_id = _connect(client, graph_sandbox).json()["id"]
    with schema_context(alpha.tenant.schema_name):
        customer_writes(alpha, PhoneNumber.objects.get(pk=number_id), "Hi")  # history: the row is kept

    assert client.delete(f"/api/whatsapp/numbers/{number_id}/").status_code == 204
    assert _connect(client, graph_sandbox).json()["id"] == number_id

    connected, disconnected, again = events(alpha)
    assert [e.action for e in (connected, disconnected, again)] == [
        "whatsapp.number_connected", "whatsapp.number_disconnected", "whatsapp.number_connected"]
    assert disconnected.target_id == str(number_id) and disconnected.target_label.startswith("+1 555-010-0001")
    assert disconnected.actor_type == "member"


def test_a_number_without_history_is_named_in_its_disconnection(alpha, graph_sandbox):
    client = alpha.client(alpha.owner)
    number_id = _connect(client, graph_sandbox).json()["id"]

    assert client.delete(f"/api/whatsapp/numbers/{number_id}/").status_code == 204  # the row is deleted

    (event,) = events(alpha, "whatsapp.number_disconnected")
    assert event.target_id == str(number_id) and event.target_label.startswith("+1 555-010-0001")


def test_a_refresh_is_recorded_only_when_it_changes_what_is_stored(alpha, graph_sandbox):
    client = alpha.client(alpha.owner)
    number_id = _connect(client, graph_sandbox).json()["id"]
    assert client.post(f"/api/whatsapp/numbers/{number_id}/refresh/").status_code == 200  # nothing new at Meta
    graph_sandbox.control.patch(f"/numbers/{graph_sandbox.demo['phone_id']}",
                                json={"quality_rating": "YELLOW"}).raise_for_status()

    agent = alpha.add_member("agent@alpha.example", Role.AGENT)
    assert alpha.client(agent).post(f"/api/whatsapp/numbers/{number_id}/refresh/").status_code == 200

    connected, updated = events(alpha)
    assert updated.action == "whatsapp.number_updated"
    assert (updated.actor_type, updated.actor_label) == ("member", "agent@alpha.example")
    assert updated.changes == {"quality_rating": ["GREEN", "YELLOW"]}
    assert updated.detail == {"refreshed_from": "meta"}


def test_refused_changes_write_no_event(alpha, beta, graph_sandbox):
    agent = alpha.add_member("agent@alpha.example", Role.AGENT)
    assert _connect(alpha.client(agent), graph_sandbox).status_code == 403
    assert _connect(alpha.client(alpha.owner), graph_sandbox, access_token="not-a-real-token").status_code == 400
    number_id = _connect(alpha.client(alpha.owner), graph_sandbox).json()["id"]

    assert _connect(beta.client(beta.owner), graph_sandbox).status_code == 409  # alpha's number
    assert alpha.client(agent).delete(f"/api/whatsapp/numbers/{number_id}/").status_code == 403
    assert beta.client(beta.owner).delete(f"/api/whatsapp/numbers/{number_id}/").status_code == 404

    assert [e.action for e in events(alpha)] == ["whatsapp.number_connected"]
    assert events(beta) == []


def test_a_connection_that_rolls_back_leaves_no_event(alpha, graph_sandbox):
    with schema_context(alpha.tenant.schema_name):
        with pytest.raises(RuntimeError), transaction.atomic():
            services.number_connect_manual(actor=None, tenant=alpha.tenant, waba_id=graph_sandbox.demo["waba_id"],
                                           phone_number_id=graph_sandbox.demo["phone_id"],
                                           access_token=graph_sandbox.demo["token"])
            raise RuntimeError("something later in the same transaction failed")
        assert not PhoneNumber.objects.exists()

    assert events(alpha) == []


def test_bootstrap_connects_as_the_system_once_per_number(alpha, graph_sandbox):
    with schema_context(alpha.tenant.schema_name):
        services.bootstrap_connect(tenant=alpha.tenant, waba_id=graph_sandbox.demo["waba_id"],
                                   phone_number_id=graph_sandbox.demo["phone_id"],
                                   access_token=graph_sandbox.demo["token"])

    found = events(alpha)
    assert [e.action for e in found] == ["whatsapp.number_connected"] * 2
    assert {e.actor_type for e in found} == {"system"} and len({e.target_id for e in found}) == 2


def test_another_business_never_sees_these_events(alpha, beta, graph_sandbox):
    assert _connect(alpha.client(alpha.owner), graph_sandbox).status_code == 201

    seen_by_beta = beta.client(beta.owner).get("/api/audit/events/", {"action": "whatsapp"})
    assert seen_by_beta.status_code == 200 and seen_by_beta.json()["results"] == []
    seen_by_alpha = alpha.client(alpha.owner).get("/api/audit/events/", {"action": "whatsapp"}).json()["results"]
    assert [e["action"] for e in seen_by_alpha] == ["whatsapp.number_connected"]
