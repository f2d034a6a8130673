"""Meta's `calls` webhooks build the call log: one Call per call id, one CallEvent per event, forward only."""
import pytest
from django_tenants.utils import schema_context

from apps.calls.models import Call, CallEvent, CallPermission
from apps.contacts.models import Contact
from apps.webhooks.tests.support import (
    DISPLAY_B,
    NUMBER_A,
    NUMBER_B,
    WABA_A,
    WABA_B,
    conformance_changes,
    connect,
    deliver,
    envelope,
    use_secret,
    with_number,
)
from tenants.models import WebhookChange

CALL_FILES = ("call_connect", "call_status", "call_terminate")
CUSTOMER = "16505550101"


@pytest.fixture(autouse=True)
def _secret(settings):
    use_secret(settings)


def _calls(number_id: str, *calls: dict, statuses=()) -> tuple[str, dict]:
    value = {"messaging_product": "whatsapp", "contacts": [{"profile": {"name": "Caller"}, "wa_id": CUSTOMER}]}
    if calls:
        value["calls"] = list(calls)
    if statuses:
        value["statuses"] = list(statuses)
    return "calls", with_number(value, number_id)


def _connect_event(call_id="wacid.IN1", ts="1767225600") -> dict:
    return {"id": call_id, "from": CUSTOMER, "to": "15550000001", "event": "connect", "timestamp": ts,
            "direction": "USER_INITIATED", "session": {"sdp_type": "offer", "sdp": "v=0\r\no=- 1 2 IN IP4 0.0.0.0"}}


def _terminate_event(call_id="wacid.IN1", ts="1767225725", status="COMPLETED") -> dict:
    return {"id": call_id, "from": CUSTOMER, "to": "15550000001", "event": "terminate", "timestamp": ts,
            "direction": "USER_INITIATED", "status": status, "start_time": "1767225605", "end_time": "1767225725",
            "duration": 120}


@pytest.mark.parametrize(("case", "field", "value"), [c for f in CALL_FILES for c in conformance_changes(f)],
                         ids=lambda x: x if isinstance(x, str) else None)
def test_every_conformance_call_webhook_creates_the_call(alpha, case, field, value):
    number = connect(alpha, NUMBER_A, WABA_A)

    deliver(envelope(WABA_A, (field, with_number(value, NUMBER_A))))

    assert WebhookChange.objects.get().status == "handled"
    with schema_context(alpha.tenant.schema_name):
        call = Call.objects.get()
        item = (value.get("calls") or value.get("statuses"))[0]
        assert (call.call_id, call.phone_number_id) == (item["id"], number.pk)
        assert call.events.count() == 1
        profile = value["contacts"][0]
        if item.get("from") == profile["wa_id"]:  # the customer called: known by their user id at least
            assert call.contact.wa_user_id == profile["user_id"]


def test_a_customer_call_from_connect_to_terminate(alpha):
    number = connect(alpha, NUMBER_A, WABA_A)
    deliver(envelope(WABA_A, _calls(NUMBER_A, _connect_event())))

    with schema_context(alpha.tenant.schema_name):
        call = Call.objects.get()
        assert (call.status, call.direction, call.from_number, call.phone_number_id) == (
            "ringing", "user_initiated", CUSTOMER, number.pk)
        assert call.sdp_offer.startswith("v=0") and "session" not in call.events.get().detail
        assert call.contact == Contact.objects.get(phone=f"+{CUSTOMER}")

    deliver(envelope(WABA_A, _calls(NUMBER_A, _terminate_event())))

    with schema_context(alpha.tenant.schema_name):
        call = Call.objects.get()
        assert (call.status, call.last_event, call.duration_seconds) == ("completed", "terminate", 120)
        assert (call.ended_at - call.started_at).total_seconds() == 120
        assert list(call.events.values_list("event", flat=True)) == ["connect", "terminate"]


def test_business_call_statuses_and_a_failed_end_with_its_error(alpha):
    connect(alpha, NUMBER_A, WABA_A)
    ringing = {"id": "wacid.OUT1", "type": "call", "status": "RINGING", "timestamp": "1767225600",
               "recipient_id": CUSTOMER, "biz_opaque_callback_data": "agent-42"}
    deliver(envelope(WABA_A, _calls(NUMBER_A, statuses=[ringing])))
    terminate = {**_terminate_event("wacid.OUT1", status="FAILED"), "direction": "BUSINESS_INITIATED",
                 "from": "15550000001", "to": CUSTOMER, "errors": [{"code": 138021, "message": "Media timeout"}]}
    deliver(envelope(WABA_A, _calls(NUMBER_A, terminate)))

    with schema_context(alpha.tenant.schema_name):
        call = Call.objects.get()
        assert (call.status, call.direction, call.biz_opaque_callback_data) == ("failed", "business_initiated",
                                                                                 "agent-42")
        assert (call.error_code, call.error_message) == (138021, "Media timeout")
        assert call.contact.phone == f"+{CUSTOMER}"


def test_webhooks_out_of_order_never_move_a_call_back(alpha):
    connect(alpha, NUMBER_A, WABA_A)
    deliver(envelope(WABA_A, _calls(NUMBER_A, _terminate_event())))
    deliver(envelope(WABA_A, _calls(NUMBER_A, _connect_event())))

    with schema_context(alpha.tenant.schema_name):
        call = Call.objects.get()
        assert (call.status, call.last_event) == ("completed", "terminate")
        assert call.sdp_offer  # the late connect still fills what it carries
        assert call.events.count() == 2


def test_a_redelivered_call_webhook_adds_nothing(alpha):
    connect(alpha, NUMBER_A, WABA_A)
    deliver(envelope(WABA_A, _calls(NUMBER_A, _connect_event())))
    deliver(envelope(WABA_A, _calls(NUMBER_A, _connect_event(), _connect_event("wacid.IN2"))))

    with schema_context(alpha.tenant.schema_name):
        assert Call.objects.count() == 2
        assert CallEvent.objects.filter(call__call_id="wacid.IN1").count() == 1


def test_a_call_to_alphas_number_never_writes_in_beta(alpha, beta):
    connect(alpha, NUMBER_A, WABA_A)
    connect(beta, NUMBER_B, WABA_B, DISPLAY_B)

    deliver(envelope(WABA_A, _calls(NUMBER_A, _connect_event())))

    with schema_context(beta.tenant.schema_name):
        assert not Call.objects.exists() and not Contact.objects.exists()


# --- the call log API --------------------------------------------------------------------------

def test_members_read_the_call_log_newest_first_page_by_page(alpha):
    connect(alpha, NUMBER_A, WABA_A)
    for n in range(3):
        deliver(envelope(WABA_A, _calls(NUMBER_A, _connect_event(f"wacid.L{n}", ts=str(1767225600 + n)))))
    client = alpha.client(alpha.add_member("agent@alpha.example", "agent"))

    first = client.get("/api/calls/", {"page_size": 2}).json()
    second = client.get(first["next"]).json()

    assert [c["call_id"] for c in first["results"] + second["results"]] == ["wacid.L2", "wacid.L1", "wacid.L0"]
    assert first["results"][0]["phone_number_id"] == NUMBER_A and "sdp_offer" not in first["results"][0]


def test_the_call_log_shows_only_this_business_calls(alpha, beta):
    connect(beta, NUMBER_B, WABA_B, DISPLAY_B)
    deliver(envelope(WABA_B, _calls(NUMBER_B, _connect_event("wacid.BETA"))))

    assert alpha.client(alpha.owner).get("/api/calls/").json()["results"] == []
    assert [c["call_id"] for c in beta.client(beta.owner).get("/api/calls/").json()["results"]] == ["wacid.BETA"]


# --- call permission replies (a `messages` webhook) ----------------------------------------------------------------

@pytest.mark.parametrize(("case", "status", "source"), [("accept", "temporary", "reply"),
                                                         ("reject", "no_permission", "rejected")])
def test_a_conformance_permission_reply_sets_the_customers_permission(alpha, case, status, source):
    number = connect(alpha, NUMBER_A, WABA_A)
    ((_, field, value),) = [c for c in conformance_changes("call_permission_update") if c[0] == case]

    deliver(envelope(WABA_A, (field, with_number(value, NUMBER_A))))

    with schema_context(alpha.tenant.schema_name):
        permission = CallPermission.objects.get(phone_number=number)
        assert (permission.status, permission.source) == (status, source)
        assert permission.contact.wa_user_id == value["contacts"][0]["user_id"]
        if case == "accept":  # Meta's expiry, not ours
            reply = value["messages"][0]["interactive"]["call_permission_reply"]
            assert int(permission.expires_at.timestamp()) == reply["expiration_timestamp"]


def test_a_business_calls_connect_webhook_carries_metas_sdp_answer(alpha):
    connect(alpha, NUMBER_A, WABA_A)
    ((_, field, value),) = [c for c in conformance_changes("call_connect") if c[0] == "business_initiated"]

    deliver(envelope(WABA_A, (field, with_number(value, NUMBER_A))))

    with schema_context(alpha.tenant.schema_name):
        call = Call.objects.get()
        assert (call.direction, call.status, call.sdp_answer, call.sdp_offer) == (
            "business_initiated", "ringing", "<<RFC 8866 SDP>>", "")


# --- the dashboard -------------------------------------------------------------------------------------------------

def test_the_dashboard_counts_calls_and_an_agent_sees_their_own(alpha):
    from django.utils import timezone

    agent = alpha.add_member("agent@alpha.example", "agent")
    rows = [("user_initiated", "completed", agent, 60), ("user_initiated", "missed", None, None),
            ("business_initiated", "completed", alpha.owner, 30), ("business_initiated", "rejected", alpha.owner, None)]
    with schema_context(alpha.tenant.schema_name):
        for n, (direction, status, who, talk) in enumerate(rows):
            Call.objects.create(call_id=f"wacid.D{n}", direction=direction, status=status, agent=who,
                                duration_seconds=talk, answered_at=timezone.now() if talk else None)

    owner_view = alpha.client(alpha.owner).get("/api/analytics/overview/").json()["calls"]
    agent_view = alpha.client(agent).get("/api/analytics/overview/").json()["calls"]

    assert owner_view == {"total": 4, "inbound": 2, "outbound": 2, "answered": 2, "missed": 1, "rejected": 1,
                          "failed": 0, "talk_seconds": 90}
    assert (agent_view["total"], agent_view["talk_seconds"]) == (1, 60)
