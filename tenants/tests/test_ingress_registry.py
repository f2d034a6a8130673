"""Ingress reaches handlers only through its registry: what a tenant app registers for a field runs in the
business's schema; what it rejects or drops is kept on the change's row; a field nobody registered is kept."""
import hashlib
import json
import logging

import pytest
from django.db import connection

from tenants.ingress import registry
from tenants.ingress.models import WebhookChange, WebhookEvent
from tenants.ingress.router import webhook_event_route
from tenants.ingress.routes import routes_cache_clear
from tenants.ingress.store import webhook_event_store
from tenants.models import Reseller, WabaRoute

WABA = "299000000000001"


@pytest.fixture
def own_registry(monkeypatch):
    """A registry of this test's own: what the tenant apps registered is left untouched."""
    monkeypatch.setattr(registry, "_HANDLERS", {})


@pytest.fixture
def routed_to_alpha(alpha):
    WabaRoute.objects.create(waba_id=WABA, tenant=alpha.tenant)
    routes_cache_clear()
    return alpha


def _route(field: str, value) -> WebhookChange:
    body = json.dumps({"object": "whatsapp_business_account",
                       "entry": [{"id": WABA, "time": 1767225600, "changes": [{"field": field, "value": value}]}]})
    stored = webhook_event_store(body=body, digest=hashlib.sha256(body.encode()).hexdigest())
    webhook_event_route(stored.event_id)
    connection.set_schema_to_public()
    return WebhookChange.objects.get(event_id=stored.event_id)


def test_a_registered_field_is_handled_in_the_business_schema_and_dropped_items_are_kept_on_the_row(
        own_registry, routed_to_alpha):
    calls = []

    def handle(value: dict, *, waba_id: str) -> list[str]:
        calls.append((connection.schema_name, value, waba_id))
        return ["items[1] is not an object"]

    registry.register("test_field", handle)
    change = _route("test_field", {"items": [{"id": 1}, "x"]})

    assert calls == [(routed_to_alpha.tenant.schema_name, {"items": [{"id": 1}, "x"]}, WABA)]
    assert (change.status, change.error, change.tenant_id) == ("handled", "items[1] is not an object",
                                                              routed_to_alpha.tenant.pk)
    assert WebhookEvent.objects.get(pk=change.event_id).status == "processed"


def test_a_change_the_handler_rejects_is_rolled_back_and_kept_rejected_with_the_reason(
        own_registry, routed_to_alpha, caplog):
    def reject(value: dict, *, waba_id: str):
        Reseller.objects.create(name="Written before rejecting", slug="written-before-rejecting")
        raise registry.ChangeRejected("value.id is not a Meta id")

    registry.register("test_field", reject)
    with caplog.at_level(logging.WARNING):
        change = _route("test_field", {"id": "nope"})

    assert (change.status, change.error) == ("rejected", "value.id is not a Meta id")
    assert not Reseller.objects.filter(slug="written-before-rejecting").exists()
    assert any("rejected at the edge: value.id is not a Meta id" in r.getMessage() for r in caplog.records)
    assert WebhookEvent.objects.get(pk=change.event_id).status == "processed"  # nothing left to retry


def test_a_field_no_app_registered_is_logged_and_kept_stored(own_registry, routed_to_alpha, caplog):
    with caplog.at_level(logging.INFO):
        change = _route("test_field", {"id": "1"})

    assert (change.status, change.error) == ("handled", "")
    assert any("no handler for webhook field 'test_field'" in r.getMessage() for r in caplog.records)
    assert json.loads(WebhookEvent.objects.get(pk=change.event_id).body)["entry"][0]["changes"][0]["value"] == {
        "id": "1"}


def test_a_value_that_is_not_an_object_never_reaches_the_handler(own_registry, routed_to_alpha):
    registry.register("test_field", lambda value, *, waba_id: pytest.fail("called"))

    change = _route("test_field", ["not", "an", "object"])

    assert (change.status, change.error) == ("rejected", "value is not an object")


def test_every_field_has_one_handler(own_registry):
    def first(value, *, waba_id):
        return None

    registry.register("test_field", first)
    registry.register("test_field", first)  # an AppConfig.ready() that runs twice

    with pytest.raises(ValueError, match="already has a handler"):
        registry.register("test_field", lambda value, *, waba_id: None)
    assert registry.handler_for("test_field") is first
    assert registry.handler_for("unregistered_field") is None


def test_the_tenant_apps_register_their_fields_with_ingress():
    """The real wiring: apps.webhooks registers its handlers in its AppConfig (the router imports none)."""
    for field in ("messages", "calls", "user_preferences", "message_template_status_update", "account_update"):
        assert registry.handler_for(field) is not None, field
