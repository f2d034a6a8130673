"""Wholesale billing from the console: a reseller opens and funds a business's wallet; a template sent from inside the
business draws it down by Meta's rate plus the markup once Meta reports it delivered; the console shows it all."""
from urllib.parse import parse_qs, urlparse

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from apps.messaging.models import Message
from apps.messaging.outbox import message_send
from apps.messaging.statuses import StatusIn, statuses_apply
from apps.templates.models import Template
from sandbox.demo_templates import demo_templates
from tenants.billing.models import SubscriptionStatus
from tenants.billing.rate_card import rate_card
from tenants.billing.subscriptions import subscription_for
from tenants.billing.wallet_models import Wallet
from tenants.billing.wallet_pricing import markup_of, to_micros
from tenants.billing.wallet_testing import assert_ledger_balances
from tenants.tests.partners_support import make_partner

ALICE = "+16505550101"  # a demo customer of the sandbox (US)
UTILITY = {"category": "utility", "billable": True, "type": "regular"}


@pytest.fixture
def agency(alpha, beta):
    partner = make_partner("agency")
    partner.adopt(alpha)
    partner.adopt(beta)
    return partner


def _connect_demo(business, sandbox) -> None:
    values = sandbox.demo
    response = business.client(business.owner).post("/api/whatsapp/numbers/", {
        "waba_id": values["waba_id"], "phone_number_id": values["phone_id"], "access_token": values["token"]},
        format="json")
    assert response.status_code == 201, response.content
    with schema_context(business.tenant.schema_name):
        for i, definition in enumerate(demo_templates()):
            Template.objects.update_or_create(
                waba_id=values["waba_id"], name=definition["name"], language=definition["language"],
                defaults={"meta_template_id": f"demo-{i}", "status": "APPROVED", "category": definition["category"],
                          "components": definition["components"], "parameter_format": definition["parameter_format"]})


def _enter(console, business):
    url = console.post(f"/api/partners/businesses/{business.tenant.pk}/enter/").json()["url"]
    inside = business.client()
    assert inside.post("/api/auth/handoff/", {"token": parse_qs(urlparse(url).query)["token"][0]},
                       format="json").status_code == 200
    return inside


def _send_template(inside, business):
    with schema_context(business.tenant.schema_name):
        template = Template.objects.get(name="appointment_reminder")
    return inside.post("/api/messages/template/", {"template_id": template.pk, "to": ALICE,
                                                   "parameters": {"body": ["Ann", "June 1 at 9:00"]}}, format="json")


def test_a_funded_wallet_is_drawn_down_by_metas_rate_plus_markup_and_the_console_shows_both_businesses(
        agency, alpha, beta, graph_sandbox):
    console = agency.client()
    opened = console.post(f"/api/partners/businesses/{alpha.tenant.pk}/wallet/", {"markup_percent": "25"},
                          format="json")
    assert opened.status_code == 201, opened.content
    assert subscription_for(alpha.tenant).status == SubscriptionStatus.ACTIVE  # the reseller pays: no trial ends
    _connect_demo(alpha, graph_sandbox)
    inside = _enter(console, alpha)

    empty = _send_template(inside, alpha)
    assert empty.status_code == 402 and empty.json()["code"] == "wallet_empty"

    funded = console.post(f"/api/partners/businesses/{alpha.tenant.pk}/wallet/fund/", {"amount_micros": 10_000_000},
                          format="json")
    assert funded.status_code == 201 and funded.json()["balance_after_micros"] == 10_000_000
    sent = _send_template(inside, alpha)
    assert sent.status_code == 202, sent.content
    message_send(sent.json()["id"])  # the outbox task's body, as the worker runs it
    with schema_context(alpha.tenant.schema_name):
        wamid = Message.objects.get(pk=sent.json()["id"]).wamid
        statuses_apply([StatusIn("delivered", wamid, None, timezone.now(), None, UTILITY)])  # Meta's webhook

    meta = to_micros(rate_card().prices["US"]["utility"])
    wallet = console.get(f"/api/partners/businesses/{alpha.tenant.pk}/wallet/").json()
    assert wallet["balance_micros"] == 10_000_000 - meta - markup_of(meta, 25)
    charge = console.get(f"/api/partners/businesses/{alpha.tenant.pk}/wallet/entries/").json()["results"][0]
    assert (charge["kind"], charge["meta_rate_micros"], charge["markup_micros"], charge["country"]) == \
        ("charge", meta, markup_of(meta, 25), "US")
    assert_ledger_balances(Wallet.objects.get(tenant=alpha.tenant))

    listed = {b["slug"]: b for b in console.get("/api/partners/businesses/").json()["results"]}
    assert listed["alpha"]["usage"]["messages_sent"] == 1 and listed["beta"]["usage"]["messages_sent"] == 0
    assert listed["alpha"]["wallet"]["balance_micros"] == wallet["balance_micros"]
    assert listed["beta"]["wallet"] is None  # beta pays its own plan
    activity = {a["action"] for a in console.get("/api/partners/activity/").json()["results"]}
    assert {"wallet_opened", "wallet_funded", "business_entered"} <= activity


def test_support_reads_wallets_but_only_admins_open_or_fund_them(agency, alpha):
    console = agency.client()
    support = agency.client(agency.person("help@agency.example"))
    assert support.post(f"/api/partners/businesses/{alpha.tenant.pk}/wallet/").status_code == 403
    assert console.post(f"/api/partners/businesses/{alpha.tenant.pk}/wallet/").status_code == 201
    assert support.get(f"/api/partners/businesses/{alpha.tenant.pk}/wallet/").status_code == 200
    assert support.post(f"/api/partners/businesses/{alpha.tenant.pk}/wallet/fund/", {"amount_micros": 5},
                        format="json").status_code == 403


def test_a_business_paying_its_own_plan_has_no_wallet_and_bad_amounts_are_refused(agency, alpha):
    console = agency.client()
    assert console.get(f"/api/partners/businesses/{alpha.tenant.pk}/wallet/").status_code == 404
    assert console.post(f"/api/partners/businesses/{alpha.tenant.pk}/wallet/fund/", {"amount_micros": 5},
                        format="json").status_code == 404
    console.post(f"/api/partners/businesses/{alpha.tenant.pk}/wallet/")
    for bad in (0, -5, "ten"):
        response = console.post(f"/api/partners/businesses/{alpha.tenant.pk}/wallet/fund/", {"amount_micros": bad},
                                format="json")
        assert response.status_code == 400 and "amount_micros" in response.json()["errors"], bad
    assert console.patch(f"/api/partners/businesses/{alpha.tenant.pk}/wallet/", {"markup_percent": "900"},
                         format="json").status_code == 400
    assert console.patch(f"/api/partners/businesses/{alpha.tenant.pk}/wallet/", {"markup_percent": "30"},
                         format="json").json()["markup_percent"] == "30.00"
