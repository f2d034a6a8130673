"""The platform staff console's lists and actions (tenants.staff_api, tenants.platform_api): businesses, resellers,
the webhook inbox with replays, and failed jobs; staff only, paged by cursor, filterable, replays logged."""
import logging
from datetime import date, timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from apps.messaging.models import Message
from apps.webhooks.tests.support import NUMBER_A, WABA_A, connect, deliver, envelope, use_secret, with_number
from conftest import PASSWORD
from tenants.billing.models import OverageCharge, Plan, Subscription, SubscriptionStatus
from tenants.billing.usage import MESSAGES_SENT, usage_add
from tenants.models import (
    PhoneNumberRoute,
    Reseller,
    ResellerMembership,
    Role,
    Tenant,
    User,
    WebhookChange,
    WebhookEvent,
)
from tenants.tests.staff_support import make_staff, public_browser, staff_browser

BUSINESSES = "/api/platform/businesses/"
RESELLERS = "/api/platform/resellers/"
FAILED_JOBS = "/api/platform/failed-jobs/"
CHANGES = "/api/platform/webhook-changes/"
EVENTS = "/api/platform/webhook-events/"
LISTS = [BUSINESSES, RESELLERS, FAILED_JOBS, CHANGES, EVENTS, "/api/platform/auth/user/"]


@pytest.fixture(autouse=True)
def _secret(settings):
    use_secret(settings)


@pytest.fixture
def staff(db) -> User:
    return make_staff()


@pytest.fixture
def console(staff):
    return staff_browser(staff)


def _all_pages(client, url, params=None) -> list[dict]:
    """Every result, following `next` one page of one at a time."""
    page = client.get(url, {**(params or {}), "page_size": 1}).json()
    results = list(page["results"])
    while page["next"]:
        page = client.get(page["next"]).json()
        results += page["results"]
    return results


# --- Who may look ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("url", LISTS)
def test_every_list_is_for_staff_only(alpha, url):
    member = User.objects.create_user(email="member@convonest.example", password=PASSWORD)
    former = make_staff("former@convonest.example")
    former_session = staff_browser(former)
    User.objects.filter(pk=former.pk).update(is_staff=False)

    anonymous = public_browser().get(url)

    assert (anonymous.status_code, anonymous.json()["code"]) == (401, "not_authenticated")
    assert former_session.get(url).json()["code"] == "permission_denied"
    assert public_browser().post("/api/platform/auth/login/", {"email": member.email, "password": PASSWORD},
                                 format="json").status_code == 400  # nobody else gets a session to try


# --- Businesses -----------------------------------------------------------------------------------------------------

@pytest.fixture
def northwind(beta) -> Reseller:
    reseller = Reseller.objects.create(name="Northwind Partners", slug="northwind")
    Tenant.objects.filter(pk=beta.tenant.pk).update(reseller=reseller)
    return reseller


def test_businesses_show_reseller_plan_members_numbers_and_this_months_messages(console, alpha, beta, northwind):
    plan, _ = Plan.objects.get_or_create(code="staff-growth", defaults={"name": "Growth", "rank": 50})
    Subscription.objects.update_or_create(tenant=alpha.tenant, defaults={"plan": plan,
                                                                         "status": SubscriptionStatus.ACTIVE})
    alpha.add_member("agent@alpha.example", Role.AGENT)
    PhoneNumberRoute.objects.create(phone_number_id="111000000000777", tenant=alpha.tenant)
    usage_add(alpha.tenant.pk, MESSAGES_SENT, 7)
    usage_add(alpha.tenant.pk, MESSAGES_SENT, 100, when=timezone.now() - timedelta(days=40))  # last month's
    usage_add(alpha.tenant.pk, "messages_received", 5)

    response = console.get(BUSINESSES)

    assert response.status_code == 200, response.content
    rows = {row["slug"]: row for row in response.json()["results"]}
    assert set(rows) == {"alpha", "beta"}  # never the public schema's row
    a, b = rows["alpha"], rows["beta"]
    assert (a["name"], a["host"], a["is_active"], a["reseller"]) == ("Alpha Ltd", "alpha.localhost", True, None)
    assert (a["plan"], a["subscription_status"]) == ("staff-growth", "active")
    assert (a["member_count"], a["number_count"], a["messages_sent_this_month"]) == (2, 1, 7)
    assert b["reseller"] == {"id": northwind.pk, "name": "Northwind Partners"}
    assert (b["member_count"], b["number_count"], b["messages_sent_this_month"]) == (1, 0, 0)
    assert b["created_at"] and "plan" in b  # null until billing first saw it, or the plan it was given


def test_businesses_search_and_filter(console, alpha, beta, northwind):
    Tenant.objects.filter(pk=alpha.tenant.pk).update(is_active=False)

    def slugs(**params) -> list[str]:
        response = console.get(BUSINESSES, params)
        assert response.status_code == 200, response.content
        return sorted(row["slug"] for row in response.json()["results"])

    assert slugs(q="ALP") == ["alpha"]
    assert slugs(q="beta ltd") == ["beta"]  # the name too
    assert slugs(reseller=northwind.pk) == ["beta"]
    assert slugs(reseller="none") == ["alpha"]
    assert slugs(active="false") == ["alpha"]
    assert slugs(active="true") == ["beta"]
    assert slugs(q="nothing-like-it") == []
    bad = console.get(BUSINESSES, {"reseller": "northwind"})
    assert (bad.status_code, bad.json()["code"], list(bad.json()["errors"])) == (400, "validation_error", ["reseller"])


def test_businesses_page_by_cursor_newest_first(console, alpha, beta):
    from tenants.services import tenant_signup

    tenant_signup(business_name="Gamma Ltd", slug="gamma", email="owner@gamma.example", password=PASSWORD)

    slugs = [row["slug"] for row in _all_pages(console, BUSINESSES)]

    assert slugs == ["gamma", "beta", "alpha"]


# --- Resellers ------------------------------------------------------------------------------------------------------

def test_resellers_with_their_business_and_member_counts(console, alpha, beta, northwind):
    Tenant.objects.filter(pk=alpha.tenant.pk).update(reseller=northwind)
    empty = Reseller.objects.create(name="Solo Agency", slug="solo")
    for email in ("rita@northwind.example", "sam@northwind.example"):
        user = User.objects.create_user(email=email, password=PASSWORD)
        ResellerMembership.objects.create(user=user, reseller=northwind)

    results = console.get(RESELLERS).json()["results"]
    searched = console.get(RESELLERS, {"q": "solo"}).json()["results"]
    paged = _all_pages(console, RESELLERS)

    assert [(r["name"], r["slug"], r["business_count"], r["member_count"]) for r in results] == [
        ("Solo Agency", "solo", 0, 0), ("Northwind Partners", "northwind", 2, 2)]
    assert [r["id"] for r in searched] == [empty.pk]
    assert [r["slug"] for r in paged] == ["solo", "northwind"]


# --- The webhook inbox and replays ----------------------------------------------------------------------------------

def _inbound(number_id: str, wamid: str) -> tuple[str, dict]:
    return "messages", with_number({"messaging_product": "whatsapp", "messages": [
        {"from": "16505550101", "id": wamid, "timestamp": "1767225600", "type": "text", "text": {"body": "Hi"}}]},
        number_id)


def test_the_webhook_lists_work_with_the_staff_session_and_say_what_can_be_replayed(
        console, alpha, django_capture_on_commit_callbacks):
    deliver(envelope(WABA_A, _inbound(NUMBER_A, "wamid.EARLY")))  # before the number is connected
    with django_capture_on_commit_callbacks(execute=True):  # connecting clears the cached "unknown number"
        connect(alpha, NUMBER_A, WABA_A)
    deliver(envelope(WABA_A, _inbound(NUMBER_A, "wamid.OK")))

    changes = console.get(CHANGES).json()["results"]
    unroutable = console.get(CHANGES, {"status": "unroutable"}).json()["results"]
    events = console.get(EVENTS).json()["results"]

    assert [(c["status"], c["replayable"]) for c in changes] == [("handled", False), ("unroutable", True)]
    assert [c["phone_number_id"] for c in unroutable] == [NUMBER_A]
    assert [e["replayable"] for e in events] == [False, True]


def test_staff_replay_an_unroutable_change_once_its_number_is_connected(console, staff, alpha, caplog,
                                                                        django_capture_on_commit_callbacks):
    deliver(envelope(WABA_A, _inbound(NUMBER_A, "wamid.LATE")))
    change = WebhookChange.objects.get()
    still = console.post(f"{CHANGES}{change.pk}/replay/")
    with django_capture_on_commit_callbacks(execute=True):  # connecting clears the cached "unknown number"
        connect(alpha, NUMBER_A, WABA_A)

    with caplog.at_level(logging.INFO, logger="convonest.security"):
        response = console.post(f"{CHANGES}{change.pk}/replay/")

    assert (still.status_code, still.json()["requeued"], still.json()["change"]["status"]) == (200, False, "unroutable")
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["requeued"], body["change"]["status"], body["change"]["tenant"]) == (True, "handled", "alpha")
    assert body["change"]["replayable"] is False
    with schema_context(alpha.tenant.schema_name):
        assert Message.objects.filter(wamid="wamid.LATE").exists()
    assert f"platform staff user {staff.pk} replayed webhook change {change.pk}" in caplog.text


def test_only_unroutable_or_failed_changes_with_a_body_can_be_replayed(console, alpha):
    connect(alpha, NUMBER_A, WABA_A)
    deliver(envelope(WABA_A, _inbound(NUMBER_A, "wamid.DONE")))
    handled = WebhookChange.objects.get()
    deliver(envelope("999", _inbound("999000000000009", "wamid.LOST")))
    lost = WebhookChange.objects.get(status="unroutable")
    WebhookEvent.objects.filter(pk=lost.event_id).update(body="{}", redacted_at=timezone.now())

    again = console.post(f"{CHANGES}{handled.pk}/replay/")
    redacted = console.post(f"{CHANGES}{lost.pk}/replay/")
    missing = console.post(f"{CHANGES}999999/replay/")

    assert (again.status_code, again.json()["code"]) == (409, "conflict")
    assert "this one is handled" in again.json()["message"]
    assert (redacted.status_code, redacted.json()["code"]) == (409, "conflict")
    assert (missing.status_code, missing.json()["code"]) == (404, "not_found")
    assert WebhookChange.objects.get(pk=lost.pk).status == "unroutable"


def test_staff_replay_a_dead_event_which_gets_its_attempts_back(console, staff, alpha, caplog,
                                                                django_capture_on_commit_callbacks):
    deliver(envelope(WABA_A, _inbound(NUMBER_A, "wamid.DEAD")))
    event = WebhookEvent.objects.get()
    WebhookEvent.objects.filter(pk=event.pk).update(status="dead", attempts=8, error="8 attempts failed")
    with django_capture_on_commit_callbacks(execute=True):
        connect(alpha, NUMBER_A, WABA_A)

    with caplog.at_level(logging.INFO, logger="convonest.security"):
        response = console.post(f"{EVENTS}{event.pk}/replay/")
    nothing_left = console.post(f"{EVENTS}{event.pk}/replay/")

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["requeued"], body["event"]["status"], body["event"]["attempts"]) == (True, "processed", 1)
    assert body["event"]["replayable"] is False
    assert (nothing_left.status_code, nothing_left.json()["code"]) == (409, "conflict")
    assert f"platform staff user {staff.pk} replayed webhook event {event.pk}" in caplog.text


# --- Failed jobs ----------------------------------------------------------------------------------------------------

def _event(n: int, status: str, **fields) -> WebhookEvent:
    return WebhookEvent.objects.create(body=fields.pop("body", "{}"), sha256=f"{n:064x}", status=status, **fields)


@pytest.fixture
def failures(alpha):
    """Two events out of attempts or retrying, one processed; unbilled overage (one fresh: still being sent)."""
    now = timezone.now()
    dead = _event(1, "dead", attempts=8, error="8 attempts failed; last: boom", body="not json")
    retrying = _event(2, "failed", attempts=2, error="change 0 (messages): boom",
                      lease_until=now + timedelta(minutes=4))
    _event(3, "processed")
    WebhookChange.objects.create(event=retrying, position=0, field="messages", status="failed", error="boom")
    WebhookChange.objects.create(event=retrying, position=1, field="calls", status="unroutable")
    common = {"tenant": alpha.tenant, "metric": MESSAGES_SENT, "unit_cents": 2, "currency": "usd"}
    unbilled = OverageCharge.objects.create(month=date(2026, 10, 1), quantity=150, amount_cents=300, **common)
    OverageCharge.objects.create(month=date(2026, 9, 1), quantity=10, amount_cents=20,
                                 stripe_invoice_item_id="ii_1", **common)  # billed
    OverageCharge.objects.create(month=date(2026, 8, 1), quantity=10, amount_cents=20, **common)  # a moment old
    # Received / created in this order: the dead event, the unbilled charge, the retrying event (newest).
    WebhookEvent.objects.filter(pk=dead.pk).update(received_at=now - timedelta(hours=3))
    OverageCharge.objects.filter(pk=unbilled.pk).update(created_at=now - timedelta(hours=2))
    WebhookEvent.objects.filter(pk=retrying.pk).update(received_at=now - timedelta(hours=1))
    return {"dead": dead, "retrying": retrying, "unbilled": unbilled}


def test_failed_jobs_list_retrying_and_dead_work_of_every_kind_newest_first(console, failures):
    response = console.get(FAILED_JOBS)

    assert response.status_code == 200, response.content
    jobs = response.json()["results"]
    assert [(j["kind"], j["id"], j["state"]) for j in jobs] == [
        ("webhook_event", failures["retrying"].pk, "retrying"),
        ("overage_charge", failures["unbilled"].pk, "retrying"),
        ("webhook_event", failures["dead"].pk, "dead"),
    ]
    retrying, overage, dead = jobs
    assert retrying["summary"] == f"Webhook event {failures['retrying'].pk} (2 changes: 1 failed, 1 unroutable)"
    assert (retrying["attempts"], retrying["tenant"], retrying["replayable"]) == (2, None, True)
    assert retrying["next_attempt_at"] and retrying["error"] == "change 0 (messages): boom"
    assert overage["tenant"] == {"slug": "alpha", "name": "Alpha Ltd"}
    assert overage["summary"] == "Overage of 150 messages in October 2026 not billed yet (3.00 USD)"
    assert (overage["attempts"], overage["replayable"]) == (None, False)
    assert dead["summary"] == f"Webhook event {failures['dead'].pk} (no readable changes)"
    assert (dead["next_attempt_at"], dead["replayable"]) == (None, False)
    assert response.json()["next"] is None


def test_failed_jobs_filter_by_kind_and_state(console, failures):
    def ids(**params):
        return [(j["kind"], j["id"]) for j in console.get(FAILED_JOBS, params).json()["results"]]

    assert ids(state="dead") == [("webhook_event", failures["dead"].pk)]
    assert ids(kind="overage_charge") == [("overage_charge", failures["unbilled"].pk)]
    assert ids(kind="overage_charge", state="dead") == []
    assert ids(kind="webhook_event", state="retrying") == [("webhook_event", failures["retrying"].pk)]
    bad = console.get(FAILED_JOBS, {"state": "lost"})
    assert (bad.status_code, list(bad.json()["errors"])) == (400, ["state"])


def test_failed_jobs_page_by_cursor_across_kinds_even_at_the_same_instant(console, failures, alpha):
    same = timezone.now() - timedelta(hours=2)  # older than the retrying event, newer than nothing else
    twin = _event(4, "dead", attempts=8, error="also dead")
    WebhookEvent.objects.filter(pk__in=[twin.pk, failures["dead"].pk]).update(received_at=same)
    OverageCharge.objects.filter(pk=failures["unbilled"].pk).update(created_at=same)

    paged = _all_pages(console, FAILED_JOBS)
    first_two = console.get(FAILED_JOBS, {"page_size": 2, "kind": "webhook_event"}).json()

    assert [(j["kind"], j["id"]) for j in paged] == [
        ("webhook_event", failures["retrying"].pk),
        # the same instant: overage before webhook (by kind), then by id, newest first
        ("overage_charge", failures["unbilled"].pk),
        ("webhook_event", twin.pk),
        ("webhook_event", failures["dead"].pk),
    ]
    assert "kind=webhook_event" in first_two["next"] and "page_size=2" in first_two["next"]
    assert [j["id"] for j in console.get(first_two["next"]).json()["results"]] == [failures["dead"].pk]


def test_a_made_up_cursor_is_a_validation_error(console):
    response = console.get(FAILED_JOBS, {"cursor": "bm90LWEtY3Vyc29y"})

    assert (response.status_code, response.json()["code"], list(response.json()["errors"])) == (
        400, "validation_error", ["cursor"])


def test_no_failed_jobs_is_an_empty_page(console, alpha):
    assert console.get(FAILED_JOBS).json() == {"next": None, "previous": None, "results": []}

