"""The wholesale wallet (issue 14 §3): a reseller funds a business's prepaid balance; each delivered billable message
is charged Meta's rate for its category and country plus the markup, once; sends stop at zero (402 wallet_empty)
while inbound keeps flowing; the balance falling low alerts once; the business reads its balance, its prices and
its ledger, never another business's. Concurrency: test_billing_wallet_concurrency.py."""
import datetime as dt
import uuid
from decimal import Decimal

import pytest
from django.core import mail
from django.http import Http404
from django.utils import timezone
from django_tenants.utils import schema_context
from rest_framework.test import APIClient

from apps.contacts.models import Contact
from apps.core.errors import ApplicationError
from apps.messaging.bulk_send import Outgoing, messages_queue
from apps.messaging.models import Message
from apps.messaging.outbox import message_send_to
from apps.messaging.statuses import StatusIn, statuses_apply
from apps.messaging.tests.inbox_helpers import connect_number, customer_writes
from apps.whatsapp.models import PhoneNumber
from tenants import tasks
from tenants.billing.wallet import (
    WalletEmpty,
    wallet_adjust,
    wallet_fund,
    wallet_low_balance_mail_send,
    wallet_open,
    wallet_require_funds,
    wallet_terms_set,
)
from tenants.billing.wallet_models import Wallet, WalletEntry
from tenants.billing.wallet_pricing import markup_of, to_micros
from tenants.billing.wallet_testing import assert_ledger_balances
from tenants.models import Reseller, ResellerMembership, ResellerRole, Role, Tenant, User

HEADER = "effective_from,country,currency,marketing,utility,authentication,authentication_international\n"
CARD = HEADER + """\
2020-01-01,*,USD,0.0500,0.0070,0.0190,
2020-01-01,IN,USD,0.0120,0.0016,0.0013,0.0270
2025-01-01,*,USD,0.0600,0.0080,0.0200,
2025-01-01,IN,USD,0.0129,0.0017,0.0014,0.0280
2025-01-01,US,USD,0.0275,0.0044,0.0135,
"""
MARKETING = {"category": "marketing", "billable": True, "type": "regular"}
SERVICE = {"category": "service", "billable": False, "type": "free_customer_service"}
INDIA, USA = "919876543210", "16505550101"
IN_MARKETING = 12_900 + 2_580  # Meta's $0.0129 and the 20 % markup, in micro-dollars
US_MARKETING = 27_500 + 5_500
TEMPLATE = {"type": "template", "template": {"name": "order_update", "language": {"code": "en_US"}}}
TEXT = {"type": "text", "text": {"body": "Hello"}}


@pytest.fixture
def card(tmp_path, settings):
    path = tmp_path / "rates.csv"
    path.write_text(CARD, encoding="utf-8")
    settings.RATE_CARD_PATH = str(path)
    return path


def _reseller_of(business, slug: str) -> Reseller:
    from conftest import PASSWORD

    reseller = Reseller.objects.create(name=f"{slug.title()} Agency", slug=slug)
    Tenant.objects.filter(pk=business.tenant.pk).update(reseller=reseller)
    business.tenant.refresh_from_db()
    reseller.admin = User.objects.create_user(email=f"admin@{slug}.example", password=PASSWORD)
    ResellerMembership.objects.create(user=reseller.admin, reseller=reseller, role=ResellerRole.ADMIN)
    return reseller


@pytest.fixture
def reseller(alpha) -> Reseller:
    return _reseller_of(alpha, "acme")


@pytest.fixture
def wallet(alpha, reseller, card) -> Wallet:
    return wallet_open(tenant=alpha.tenant, reseller=reseller, markup_percent=Decimal(20),
                       low_balance_micros=1_000_000)


def _fund(business, reseller, amount: int, note: str = "") -> WalletEntry:
    return wallet_fund(reseller=reseller, tenant=business.tenant, actor=reseller.admin, amount_micros=amount,
                       note=note)


def _messages(business, recipients: list[str]) -> list[Message]:
    """Sent template messages from the business's number, one per recipient, with Meta's ids."""
    number = connect_number(business, *(("120000000000002", "220000000000002") if business.tenant.slug == "beta"
                                        else ()))
    with schema_context(business.tenant.schema_name):
        number = PhoneNumber.objects.get(phone_number_id=number.phone_number_id)
        return Message.objects.bulk_create([
            Message(phone_number=number, to=to, type="template", payload={}, status="sent",
                    wamid=f"wamid.wallet.{uuid.uuid4().hex}") for to in recipients])


def _report(business, messages, *statuses: str, pricing: dict | None = MARKETING, at=None) -> None:
    """Meta's status webhook for these messages, one change (each status for each message, in order)."""
    at = at or timezone.now()
    with schema_context(business.tenant.schema_name):
        statuses_apply([StatusIn(status, m.wamid, None, at, None, pricing) for m in messages for status in statuses])


def _charges(wallet) -> list[WalletEntry]:
    return list(WalletEntry.objects.filter(wallet=wallet, kind="charge").order_by("id"))


# --- funding, charging and the ledger --------------------------------------------------------------------------

def test_funding_and_charging_move_the_balance_and_the_ledger_balances(alpha, reseller, wallet):
    _fund(alpha, reseller, 2_000_000, note="Invoice 7")
    india, usa = _messages(alpha, [INDIA, USA])
    _report(alpha, [india, usa], "sent", "delivered")
    _fund(alpha, reseller, 500_000)

    entries = assert_ledger_balances(wallet)
    assert [e.kind for e in entries] == ["funding", "charge", "charge", "funding"]
    assert entries[0].note == "Invoice 7" and entries[0].actor_id == reseller.admin.pk
    charged = {e.message_id: e for e in entries if e.kind == "charge"}
    assert (charged[india.pk].amount_micros, charged[india.pk].country, charged[india.pk].category) == (
        -IN_MARKETING, "IN", "marketing")
    assert (charged[india.pk].meta_rate_micros, charged[india.pk].markup_micros) == (12_900, 2_580)
    assert charged[usa.pk].amount_micros == -US_MARKETING and charged[usa.pk].wamid == usa.wamid
    assert wallet.balance_micros == 2_500_000 - IN_MARKETING - US_MARKETING


@pytest.mark.parametrize("to, category, meta", [
    (INDIA, "utility", 1_700),
    (INDIA, "authentication-international", 28_000),  # as status webhooks spell it
    (INDIA, "marketing_lite", 12_900),  # billed as marketing
    (USA, "AUTHENTICATION", 13_500),
    ("447911123456", "marketing", 60_000),  # GB has no row: the rest of the world's rate
    ("US.1349120865", "utility", 8_000),  # a BSUID: no country, the rest of the world's
])
def test_a_delivered_billable_message_costs_meta_s_rate_for_its_category_and_country_plus_the_markup(
        alpha, reseller, wallet, to, category, meta):
    _fund(alpha, reseller, 1_000_000)
    (message,) = _messages(alpha, [to])
    _report(alpha, [message], "delivered", pricing={"category": category, "billable": True, "type": "regular"})

    (charge,) = _charges(wallet)
    assert (charge.meta_rate_micros, charge.markup_micros) == (meta, markup_of(meta, Decimal(20)))
    assert charge.amount_micros == -(meta + markup_of(meta, Decimal(20)))
    assert_ledger_balances(wallet)


def test_the_rate_card_in_force_on_the_day_of_delivery_prices_it(alpha, reseller, wallet):
    _fund(alpha, reseller, 1_000_000)
    old, new = _messages(alpha, [INDIA, INDIA])
    _report(alpha, [old], "delivered", at=dt.datetime(2024, 6, 1, 12, tzinfo=dt.UTC))
    _report(alpha, [new], "delivered")

    assert [c.meta_rate_micros for c in _charges(wallet)] == [12_000, 12_900]


def test_the_markup_is_rounded_half_up_to_a_micro_unit_and_adds_up_to_the_charge(alpha, reseller, card):
    assert markup_of(12_900, Decimal("12.5")) == 1_613  # 1,612.5
    assert markup_of(1, Decimal("50")) == 1 and markup_of(1, Decimal("49.99")) == 0
    assert to_micros(Decimal("0.0129")) == 12_900 and to_micros(Decimal("0.0000005")) == 1
    wallet = wallet_open(tenant=alpha.tenant, reseller=reseller, markup_percent="12.5")
    _fund(alpha, reseller, 1_000_000)
    (message,) = _messages(alpha, [INDIA])
    _report(alpha, [message], "delivered")
    (charge,) = _charges(wallet)
    assert (charge.meta_rate_micros, charge.markup_micros, charge.amount_micros) == (12_900, 1_613, -14_513)


def test_free_unpriced_and_undelivered_messages_are_not_charged(alpha, reseller, wallet):
    _fund(alpha, reseller, 1_000_000)
    service, unpriced, sent_only, failed = _messages(alpha, [INDIA] * 4)
    _report(alpha, [service], "sent", "delivered", "read", pricing=SERVICE)
    _report(alpha, [unpriced], "delivered", "read", pricing=None)
    _report(alpha, [sent_only], "sent")  # priced billable, never delivered: Meta charges on delivery
    _report(alpha, [failed], "sent")
    _report(alpha, [failed], "failed", pricing=None)

    assert _charges(wallet) == []
    assert assert_ledger_balances(wallet)[-1].kind == "funding"


def test_a_status_redelivered_or_repeated_charges_its_message_once(alpha, reseller, wallet):
    _fund(alpha, reseller, 1_000_000)
    messages = _messages(alpha, [INDIA, USA, INDIA])
    _report(alpha, messages, "sent", "delivered", "read")
    _report(alpha, messages, "sent", "delivered", "read")  # Meta redelivers the whole change
    _report(alpha, messages[:1], "delivered")
    with schema_context(alpha.tenant.schema_name):  # one change naming a message twice
        statuses_apply([StatusIn("read", messages[2].wamid, None, timezone.now(), None, MARKETING)] * 2)

    assert sorted(c.message_id for c in _charges(wallet)) == sorted(m.pk for m in messages)
    assert_ledger_balances(wallet)
    assert wallet.balance_micros == 1_000_000 - 2 * IN_MARKETING - US_MARKETING


def test_pricing_and_delivery_reported_in_either_order_charge_once(alpha, reseller, wallet):
    _fund(alpha, reseller, 1_000_000)
    late_pricing, early_pricing = _messages(alpha, [INDIA, INDIA])
    _report(alpha, [late_pricing], "delivered", pricing=None)
    _report(alpha, [early_pricing], "sent")
    assert _charges(wallet) == []

    _report(alpha, [late_pricing], "read")  # the pricing arrives with a later status
    _report(alpha, [early_pricing], "delivered", pricing=None)  # the delivery without it

    assert sorted(c.message_id for c in _charges(wallet)) == sorted([late_pricing.pk, early_pricing.pk])


def test_a_category_the_rate_card_does_not_know_is_booked_at_nothing_with_the_reason(alpha, reseller, wallet):
    (message,) = _messages(alpha, [INDIA])
    _report(alpha, [message], "delivered", pricing={"category": "conversation_v3", "billable": True})
    (charge,) = _charges(wallet)
    assert charge.amount_micros == 0 and charge.meta_rate_micros is None
    assert "unknown pricing category 'conversation_v3'" in charge.note


def test_a_business_billed_by_plan_is_never_charged(alpha, beta, wallet, reseller):
    _fund(alpha, reseller, 1_000_000)
    theirs = _messages(beta, [INDIA])
    _report(beta, theirs, "delivered")
    assert WalletEntry.objects.filter(kind="charge").count() == 0
    assert_ledger_balances(wallet)


def test_a_charge_can_take_the_balance_below_zero_and_says_so(alpha, reseller, wallet):
    _fund(alpha, reseller, 10_000)
    (message,) = _messages(alpha, [INDIA])
    _report(alpha, [message], "delivered")
    (charge,) = _charges(wallet)
    assert charge.balance_after_micros == 10_000 - IN_MARKETING < 0
    assert_ledger_balances(wallet)


def test_an_adjustment_needs_a_note_and_keeps_the_ledger_balanced(alpha, reseller, wallet):
    _fund(alpha, reseller, 100_000)
    with pytest.raises(ApplicationError) as refused:
        wallet_adjust(wallet=wallet, actor=reseller.admin, amount_micros=-5_000, note=" ")
    assert refused.value.errors == {"note": ["An adjustment needs a note."]}
    wallet_adjust(wallet=wallet, actor=reseller.admin, amount_micros=-5_000, note="Refund of a duplicate top-up")
    wallet_adjust(wallet=wallet, actor=reseller.admin, amount_micros=2_000, note="Disputed charge")
    assert [e.amount_micros for e in assert_ledger_balances(wallet)] == [100_000, -5_000, 2_000]


# --- who may fund what ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("amount", [0, -1_000, 1.5, True, "1000", 10**13])
def test_funding_takes_positive_whole_amounts_only(alpha, reseller, wallet, amount):
    with pytest.raises(ApplicationError) as refused:
        _fund(alpha, reseller, amount)
    assert refused.value.status_code == 400 and refused.value.code == "validation_error"
    assert list(refused.value.errors) == ["amount_micros"]
    assert WalletEntry.objects.filter(wallet=wallet).count() == 0


def test_a_reseller_funds_only_its_own_wholesale_businesses_and_only_its_admins_do(alpha, beta, reseller, wallet):
    other = _reseller_of(beta, "rival")
    with pytest.raises(Http404):  # beta is the rival's
        wallet_fund(reseller=reseller, tenant=beta.tenant, actor=reseller.admin, amount_micros=1_000)
    with pytest.raises(Http404):  # the rival's own business, but billed by plan: no wallet
        wallet_fund(reseller=other, tenant=beta.tenant, actor=other.admin, amount_micros=1_000)
    with pytest.raises(ApplicationError) as refused:  # the rival's admin, on our business
        wallet_fund(reseller=reseller, tenant=alpha.tenant, actor=other.admin, amount_micros=1_000)
    assert refused.value.status_code == 403
    support = User.objects.create_user(email="support@acme.example", password="x" * 20)
    ResellerMembership.objects.create(user=support, reseller=reseller, role=ResellerRole.SUPPORT)
    with pytest.raises(ApplicationError) as refused:
        wallet_fund(reseller=reseller, tenant=alpha.tenant, actor=support, amount_micros=1_000)
    assert refused.value.status_code == 403
    with pytest.raises(Http404):  # a business that isn't a reseller's can't get a wallet from it
        wallet_open(tenant=beta.tenant, reseller=reseller)
    assert WalletEntry.objects.count() == 0


def test_opening_a_wallet_again_keeps_it_and_its_terms_change_only_within_range(alpha, reseller, wallet):
    _fund(alpha, reseller, 5_000)
    again = wallet_open(tenant=alpha.tenant, reseller=reseller, markup_percent=50)
    assert again.pk == wallet.pk and again.markup_percent == Decimal(20) and again.balance_micros == 5_000
    for markup in (-1, 501, "1.234", "NaN", "lots"):
        with pytest.raises(ApplicationError) as refused:
            wallet_terms_set(tenant=alpha.tenant, reseller=reseller, actor=reseller.admin, markup_percent=markup)
        assert list(refused.value.errors) == ["markup_percent"]
    changed = wallet_terms_set(tenant=alpha.tenant, reseller=reseller, actor=reseller.admin, markup_percent="35.5")
    assert changed.markup_percent == Decimal("35.50")


# --- the send gate ----------------------------------------------------------------------------------------------

def _assert_wallet_empty(response) -> None:
    assert response.status_code == 402, response.content
    body = response.json()
    assert body["code"] == "wallet_empty"
    assert "Acme Agency tops it up" in body["message"] and "still arrive" in body["message"]


def test_at_zero_a_send_is_refused_with_402_wallet_empty_and_nothing_is_stored(alpha, reseller, wallet):
    connect_number(alpha)
    client = alpha.client(alpha.owner)

    refused = client.post("/api/messages/", {"to": "+14155550199", **TEMPLATE}, format="json")

    _assert_wallet_empty(refused)
    assert refused.json()["errors"]["balance_micros"] == ["0"]
    with schema_context(alpha.tenant.schema_name):
        assert not Contact.objects.filter(phone="+14155550199").exists() and not Message.objects.exists()
    _fund(alpha, reseller, 1_000)
    assert client.post("/api/messages/", {"to": "+14155550199", **TEMPLATE}, format="json").status_code == 202


def test_a_balance_below_zero_refuses_sends_too(alpha, reseller, wallet):
    _fund(alpha, reseller, 1_000)
    (message,) = _messages(alpha, [INDIA])
    _report(alpha, [message], "delivered")  # delivered after the send was allowed: -14,480

    with pytest.raises(WalletEmpty) as refused:
        wallet_require_funds(alpha.tenant)
    assert refused.value.status_code == 402 and "-0.01 USD" in str(refused.value.detail)


def test_at_zero_customers_messages_still_arrive_and_automatic_replies_still_go(alpha, reseller, wallet):
    number = connect_number(alpha)
    inbound = customer_writes(alpha, number, "Are you open?")

    with schema_context(alpha.tenant.schema_name):
        assert Message.objects.filter(pk=inbound.pk, direction="in").exists()
        reply = message_send_to(actor=None, number=PhoneNumber.objects.get(pk=number.pk), contact=inbound.contact,
                                message=TEXT, automation="away")  # inside the inbound webhook: never refused
        assert reply.status == "queued"
        with pytest.raises(WalletEmpty):
            message_send_to(actor=None, number=PhoneNumber.objects.get(pk=number.pk), contact=inbound.contact,
                            message=TEXT)


def test_a_business_billed_by_plan_sends_as_before(alpha, beta, wallet):
    connect_number(beta, "120000000000002", "220000000000002")
    response = beta.client(beta.owner).post("/api/messages/", {"to": "+14155550199", **TEMPLATE}, format="json")
    assert response.status_code == 202, response.content
    wallet_require_funds(beta.tenant)  # no wallet: nothing to refuse


def test_a_campaign_batch_is_refused_whole_at_zero(alpha, reseller, wallet):
    number = connect_number(alpha)
    with schema_context(alpha.tenant.schema_name):
        contacts = [Contact.objects.create(phone=f"+1650555{i:04d}") for i in range(3)]
        batch = [Outgoing(contact=c, to=c.phone.lstrip("+"), message=TEMPLATE) for c in contacts]
        with pytest.raises(WalletEmpty) as refused:
            messages_queue(number=PhoneNumber.objects.get(pk=number.pk), batch=batch)
        assert refused.value.errors["adding"] == ["3"]
        assert not Message.objects.exists()
    _fund(alpha, reseller, 1_000_000)
    with schema_context(alpha.tenant.schema_name):
        queued = messages_queue(number=PhoneNumber.objects.get(pk=number.pk), batch=batch)
    assert all(result.message_id for result in queued)


# --- the low-balance alert --------------------------------------------------------------------------------------

@pytest.fixture
def alerts(monkeypatch):
    """The alert task runs at once (its body, as the worker would), after commit."""
    monkeypatch.setattr(tasks.wallet_low_balance_alert, "delay",
                        lambda wallet_id: tasks.wallet_low_balance_alert.apply(args=[wallet_id]))
    return mail.outbox


def test_the_low_balance_alert_goes_once_on_the_way_down_and_again_after_a_top_up(
        alpha, reseller, wallet, alerts, django_capture_on_commit_callbacks):
    def deliver(n: int) -> None:
        with django_capture_on_commit_callbacks(execute=True):
            _report(alpha, _messages(alpha, [INDIA] * n), "delivered")

    with django_capture_on_commit_callbacks(execute=True):
        _fund(alpha, reseller, 1_040_000)  # the threshold is 1,000,000
    deliver(2)  # 1,009,040: still above
    assert alerts == []

    deliver(1)  # 993,560: below
    assert sorted(m.to[0] for m in alerts) == sorted([reseller.admin.email, alpha.owner.email])
    owner_mail = next(m for m in alerts if m.to == [alpha.owner.email])
    assert "0.99 USD" in owner_mail.subject and "Acme Agency tops it up" in owner_mail.body
    assert "/settings/billing" in owner_mail.body
    wallet.refresh_from_db()
    assert wallet.low_alert_sent_at is not None

    deliver(3)  # 947,120, further down: no second alert
    assert len(alerts) == 2

    with django_capture_on_commit_callbacks(execute=True):
        _fund(alpha, reseller, 100_000)  # 1,047,120: back above, the alert re-arms
    wallet.refresh_from_db()
    assert wallet.low_alert_sent_at is None and len(alerts) == 2
    deliver(4)  # 985,200: below again
    assert len(alerts) == 4
    assert_ledger_balances(wallet)


def test_an_alert_for_a_wallet_funded_meanwhile_is_not_mailed(alpha, reseller, wallet, alerts):
    Wallet.objects.filter(pk=wallet.pk).update(low_alert_sent_at=timezone.now(), balance_micros=2_000_000)
    assert wallet_low_balance_mail_send(wallet.pk) == 0 and alerts == []


# --- the business's API -----------------------------------------------------------------------------------------

def test_owners_and_admins_read_the_balance_their_prices_and_this_month_s_spending(alpha, reseller, wallet):
    _fund(alpha, reseller, 2_000_000)
    _report(alpha, _messages(alpha, [INDIA, INDIA, USA]), "delivered")
    _report(alpha, _messages(alpha, [INDIA]), "delivered", pricing={"category": "utility", "billable": True})
    admin = alpha.add_member("admin@alpha.example", Role.ADMIN)

    for person in (alpha.owner, admin):
        response = alpha.client(person).get("/api/billing/wallet/")
        assert response.status_code == 200, response.content
        body = response.json()
        assert (body["currency"], body["reseller_name"], body["low_balance"]) == ("usd", "Acme Agency", False)
        assert body["balance_micros"] == 2_000_000 - 2 * IN_MARKETING - US_MARKETING - (1_700 + 340)
        prices = {row["country"]: row for row in body["prices"]}
        assert body["prices"][0]["country"] == "*" and body["rate_card_date"] == "2025-01-01"
        assert prices["IN"]["marketing_micros"] == IN_MARKETING  # the markup included, never shown alone
        assert "markup" not in response.content.decode()
        assert body["spent_this_month"] == [
            {"category": "marketing", "messages": 3, "amount_micros": 2 * IN_MARKETING + US_MARKETING},
            {"category": "utility", "messages": 1, "amount_micros": 2_040}]
        assert [e["kind"] for e in body["recent_entries"]] == ["charge"] * 4 + ["funding"]


def test_the_ledger_is_cursor_paginated_newest_first(alpha, reseller, wallet):
    for amount in (1_000, 2_000, 3_000, 4_000, 5_000):
        _fund(alpha, reseller, amount)
    client = alpha.client(alpha.owner)

    first = client.get("/api/billing/wallet/entries/", {"page_size": 2}).json()
    second = client.get(first["next"]).json()
    third = client.get(second["next"]).json()

    amounts = [e["amount_micros"] for page in (first, second, third) for e in page["results"]]
    assert amounts == [5_000, 4_000, 3_000, 2_000, 1_000] and third["next"] is None
    assert first["results"][0]["balance_after_micros"] == 15_000


def test_an_agent_may_not_read_the_wallet(alpha, wallet):
    agent = alpha.add_member("agent@alpha.example", Role.AGENT)
    client = alpha.client(agent)
    for path in ("/api/billing/wallet/", "/api/billing/wallet/entries/"):
        response = client.get(path)
        assert response.status_code == 403 and response.json()["code"] == "permission_denied"


def test_a_business_billed_by_plan_has_no_wallet_to_read(beta, wallet):
    client = beta.client(beta.owner)
    for path in ("/api/billing/wallet/", "/api/billing/wallet/entries/"):
        response = client.get(path)
        assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_each_business_reads_only_its_own_wallet(alpha, beta, reseller, wallet, card):
    rival = _reseller_of(beta, "rival")
    theirs = wallet_open(tenant=beta.tenant, reseller=rival)
    wallet_fund(reseller=rival, tenant=beta.tenant, actor=rival.admin, amount_micros=7_000_000, note="beta's")
    _fund(alpha, reseller, 1_000, note="alpha's")

    mine = alpha.client(alpha.owner).get("/api/billing/wallet/entries/").json()
    assert [e["note"] for e in mine["results"]] == ["alpha's"]
    assert alpha.client(alpha.owner).get("/api/billing/wallet/").json()["balance_micros"] == 1_000
    assert beta.client(beta.owner).get("/api/billing/wallet/").json()["balance_micros"] == 7_000_000

    # alpha's owner, signed in on alpha's host, at beta's: the session is alpha's only.
    crossing = alpha.client(alpha.owner)
    crossing.defaults["HTTP_HOST"] = beta.host
    for path in ("/api/billing/wallet/", "/api/billing/wallet/entries/"):
        assert crossing.get(path).status_code in (401, 403)
    # Nor may alpha's owner sign in on beta's host: no member there.
    login = APIClient(HTTP_HOST=beta.host, HTTP_SEC_FETCH_SITE="same-origin").post(
        "/api/auth/login/", {"email": alpha.owner.email, "password": "correct-horse-battery-9"}, format="json")
    assert login.status_code != 200
    assert_ledger_balances(theirs)
