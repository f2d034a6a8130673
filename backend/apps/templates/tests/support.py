"""Helpers for template tests against the sandbox (Meta): a business connected to the sandbox's demo WABA, the
sandbox's own Graph client, and the review that turns a submitted template APPROVED."""
from django_tenants.utils import schema_context

from apps.whatsapp.client import GraphClient


def connect_sandbox(business, sandbox) -> None:
    """Connect the sandbox's demo number (and so its WABA and ten approved templates) to the business."""
    response = business.client(business.owner).post("/api/whatsapp/numbers/", {
        "waba_id": sandbox.demo["waba_id"], "phone_number_id": sandbox.demo["phone_id"],
        "access_token": sandbox.demo["token"]}, format="json")
    assert response.status_code == 201, response.content


def meta(sandbox) -> GraphClient:
    """Meta's side of things, as a business using Meta's tools directly would act on it."""
    return GraphClient(sandbox.demo["token"], base_url=sandbox.url)


def meta_templates(sandbox) -> list[dict]:
    return list(meta(sandbox).iter_templates(sandbox.demo["waba_id"]))


def review(sandbox) -> None:
    """Run the sandbox's scheduled review now (its status webhooks go nowhere: tests deliver their own)."""
    sandbox.control.post("/webhooks/flush", json={"include_scheduled": True}).raise_for_status()


def sync(business):
    from apps.templates.sync import templates_sync_now

    with schema_context(business.tenant.schema_name):
        from apps.whatsapp.models import BusinessAccount

        waba_id = BusinessAccount.objects.get().waba_id
        return templates_sync_now(waba_id=waba_id, trigger="member")


ORDER_READY = {
    "name": "order_ready", "language": "en_US", "category": "UTILITY",
    "components": [
        {"type": "BODY", "text": "Hi {{1}}, your order {{2}} is ready for pickup.",
         "example": {"body_text": [["Pablo", "A-1042"]]}},
        {"type": "FOOTER", "text": "Reply STOP to opt out"},
        {"type": "BUTTONS", "buttons": [{"type": "URL", "text": "Track", "url": "https://shop.example.com/t/{{1}}",
                                         "example": ["A1042"]}]}],
}
