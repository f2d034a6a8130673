"""Campaign test helpers: the sandbox's demo number with our copy of its approved templates, contacts in bulk, a
campaign through the API, and the dispatcher run as the worker runs it."""
from __future__ import annotations

from django_tenants.utils import schema_context

from apps.campaigns.dispatcher import campaign_dispatch
from apps.campaigns.models import Campaign
from apps.contacts.models import Contact
from apps.messaging.models import Message
from apps.templates.models import Template
from sandbox.demo_templates import demo_templates

# A demo template with one body variable ({{1}}: the first name) and no media: what most campaigns send.
TEMPLATE = "appointment_reminder"
MAPPING = {"body": [{"field": "first_name", "fallback": "there"}, {"value": "tomorrow at 9:00"}]}


def connect_demo(business, sandbox, *, which: str = "phone_id") -> str:
    """Connect the sandbox's demo number (or its HIGH-throughput one) and copy its approved templates."""
    values = sandbox.demo
    client = business.client(business.owner)
    response = client.post("/api/whatsapp/numbers/", {"waba_id": values["waba_id"], "phone_number_id": values[which],
                                                      "access_token": values["token"]}, format="json")
    assert response.status_code == 201, response.content
    with schema_context(business.tenant.schema_name):
        for i, definition in enumerate(demo_templates()):
            Template.objects.update_or_create(
                waba_id=values["waba_id"], name=definition["name"], language=definition["language"],
                defaults={"meta_template_id": f"demo-{i}", "status": "APPROVED", "category": definition["category"],
                          "components": definition["components"],
                          "parameter_format": definition["parameter_format"]})
    return values[which]


def template_id(business, name: str = TEMPLATE) -> int:
    with schema_context(business.tenant.schema_name):
        return Template.objects.get(name=name).pk


def add_contacts(business, n: int, *, start: int = 0, tags=("vip",), prefix: str = "1650555", **fields) -> list[int]:
    """`n` contacts with distinct US numbers (+1 650 555 xxxx), tagged, in one statement."""
    with schema_context(business.tenant.schema_name):
        rows = [Contact(phone=f"+{prefix}{start + i:04d}", name=f"Person {start + i}", tags=list(tags), **fields)
                for i in range(n)]
        return [c.pk for c in Contact.objects.bulk_create(rows)]


def create_campaign(client, number_id: str, template: int, **extra) -> dict:
    body = {"name": "Spring sale", "phone_number_id": number_id, "template_id": template, "mapping": MAPPING,
            "audience": {"tags": ["vip"]}, **extra}
    response = client.post("/api/campaigns/", body, format="json")
    assert response.status_code == 201, response.content
    return response.json()


def start(client, campaign_id: int, **body):
    return client.post(f"/api/campaigns/{campaign_id}/start/", body, format="json")


def dispatch(business, campaign_id: int, *, run_seconds: float = 30) -> str:
    """The dispatcher task's body, in the business's schema."""
    with schema_context(business.tenant.schema_name):
        return campaign_dispatch(campaign_id, run_seconds=run_seconds)


def sandbox_sends(sandbox) -> list[dict]:
    """Every message the sandbox accepted (Meta's copy)."""
    return sandbox.control.get("/messages", params={"limit": 100000}).json()["data"]


def campaign_messages(business, campaign_id: int):
    with schema_context(business.tenant.schema_name):
        return list(Message.objects.filter(campaign_recipient__campaign_id=campaign_id))


def in_schema(business):
    return schema_context(business.tenant.schema_name)


def campaign(business, campaign_id: int) -> Campaign:
    with schema_context(business.tenant.schema_name):
        return Campaign.objects.get(pk=campaign_id)


