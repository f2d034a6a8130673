"""Helpers for tests that post signed webhooks through the real endpoint and route them."""
import copy
import hashlib
import hmac
import json
from pathlib import Path

from django.db import connection
from django_tenants.utils import schema_context
from rest_framework.test import APIClient

from apps.whatsapp.client import PhoneNumberInfo
from apps.whatsapp.models import PhoneNumber
from apps.whatsapp.services import _save_connection
from tenants.ingress.router import webhook_event_route
from tenants.models import WebhookEvent

SECRET = "test-app-secret"
CONFORMANCE = Path(__file__).resolve().parents[4] / "conformance" / "meta-webhooks"
NUMBER_A, WABA_A, DISPLAY_A = "111000000000001", "211000000000001", "+1 555-000-0001"
NUMBER_B, WABA_B, DISPLAY_B = "111000000000002", "211000000000002", "+1 555-000-0002"


def use_secret(settings) -> None:
    settings.WHATSAPP_APP_SECRET = SECRET


def connect(business, number_id: str, waba_id: str, display: str = DISPLAY_A) -> PhoneNumber:
    info = PhoneNumberInfo({"id": number_id, "display_phone_number": display, "throughput": {"level": "STANDARD"},
                            "quality_rating": "GREEN", "status": "CONNECTED"})
    with schema_context(business.tenant.schema_name):
        (number,) = _save_connection(tenant=business.tenant, waba_id=waba_id, access_token="t", numbers=[info],
                                     connected_via="manual")
    return number


def post(payload: dict, secret: str = SECRET):
    body = json.dumps(payload).encode()
    signature = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    response = APIClient(HTTP_HOST="localhost").post("/webhooks/whatsapp", body, content_type="application/json",
                                                     HTTP_X_HUB_SIGNATURE_256=signature)
    assert response.status_code == 200, response.content
    return response


def route_all() -> None:
    for event_id in WebhookEvent.objects.exclude(status="processed").values_list("pk", flat=True):
        webhook_event_route(event_id)
    connection.set_schema_to_public()


def deliver(payload: dict) -> None:
    post(payload)
    route_all()


def envelope(waba_id: str, *changes: tuple[str, dict], time: int = 1767225600) -> dict:
    return {"object": "whatsapp_business_account",
            "entry": [{"id": waba_id, "time": time, "changes": [{"field": f, "value": v} for f, v in changes]}]}


def with_number(value: dict, number_id: str) -> dict:
    value = copy.deepcopy(value)
    value["metadata"] = {"display_phone_number": "15550000001", "phone_number_id": number_id}
    return value


def conformance(name: str) -> dict[str, dict]:
    return json.loads((CONFORMANCE / f"{name}.json").read_text())


def conformance_changes(name: str) -> list[tuple[str, str, dict]]:
    """(case, field, value) of every change of a conformance file."""
    return [(case, change["field"], change["value"]) for case, payload in conformance(name).items()
            for entry in payload["entry"] for change in entry["changes"]]
