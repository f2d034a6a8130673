"""Calls end to end against the live sandbox: the sandbox's customer calls alpha's number, its signed webhooks are
relayed to our endpoint, agents answer, decline and hang up through the API (the sandbox checks pre_accept/accept
carry the same SDP), permission is asked and given, the business places a call and receives Meta's SDP answer;
local refusals before Meta; settings; roles; another business sees and touches nothing."""
import pytest
from django_tenants.utils import schema_context

from apps.calls.models import Call, CallPermission
from apps.messaging.models import Message
from apps.webhooks.tests.support import post, route_all
from tenants.models import Role

ALICE = "16505550101"
SDP = ("v=0\r\no=- 4 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n"
       "a=rtpmap:111 opus/48000/2\r\n")


class Phone:
    """alpha's number connected to the sandbox, and helpers to play the customer and relay Meta's webhooks."""

    def __init__(self, business, sandbox):
        self.business, self.sandbox, self.demo = business, sandbox, sandbox.demo
        self.relayed: set[int] = set()  # the sandbox's deliveries already posted to us
        self.owner = business.client(business.owner)
        response = self.owner.post("/api/whatsapp/numbers/", {
            "waba_id": self.demo["waba_id"], "phone_number_id": self.demo["phone_id"],
            "access_token": self.demo["token"]}, format="json")
        assert response.status_code == 201, response.content
        self.number_id = response.json()["id"]

    def settings(self, client=None, **body):
        return (client or self.owner).patch(f"/api/calls/numbers/{self.number_id}/settings/", body, format="json")

    def relay(self) -> list[dict]:
        """Meta's webhooks the sandbox queued, posted to our endpoint (signed with the app secret) and routed."""
        control = self.sandbox.control
        control.post("/webhooks/flush", json={"include_scheduled": False}).raise_for_status()
        deliveries = [d for d in control.get("/webhooks", params={"limit": 1000}).json()["deliveries"]
                      if d["id"] not in self.relayed and d["duplicate_of"] is None]
        self.relayed |= {d["id"] for d in deliveries}
        payloads = [d["payload"] for d in deliveries]
        for payload in payloads:
            post(payload, secret=self.demo["app_secret"])
        route_all()
        return payloads

    def customer_calls(self, wa_id: str = ALICE, **body) -> dict:
        response = self.sandbox.control.post(f"/customers/{wa_id}/calls",
                                             json={"phone_number_id": self.demo["phone_id"], **body})
        self.relay()
        return response

    def call(self, **lookup) -> Call:
        with schema_context(self.business.tenant.schema_name):
            return Call.objects.select_related("contact").get(**lookup)

    def sandbox_call(self, call_id: str) -> dict:
        return self.sandbox.control.get(f"/calls/{call_id}").json()


@pytest.fixture
def phone(alpha, graph_sandbox):
    return Phone(alpha, graph_sandbox)


@pytest.fixture
def calling(phone):
    assert phone.settings(calling={"status": "ENABLED"}).status_code == 200
    return phone


def _envelope(response, code: str, status: int) -> dict:
    body = response.json()
    assert (response.status_code, body["code"]) == (status, code), body
    assert set(body) == {"code", "message", "errors"} and body["message"]
    return body


# --- customers call ------------------------------------------------------------------------------------------------

def test_a_customer_call_rings_with_its_offer_and_an_agent_answers_it(calling, alpha):
    assert calling.customer_calls().status_code == 201
    call = calling.call()
    assert (call.status, call.direction, call.contact.phone) == ("ringing", "user_initiated", f"+{ALICE}")
    assert call.sdp_offer.startswith("v=0") and "opus/48000/2" in call.sdp_offer
    with schema_context(alpha.tenant.schema_name):
        assert call.conversation.last_inbound_at is not None  # the call opened the 24-hour window

    agent = alpha.add_member("agent@alpha.example", Role.AGENT)
    client = alpha.client(agent)
    assert client.get(f"/api/calls/{call.pk}/").json()["sdp_offer"] == call.sdp_offer
    answered = client.post(f"/api/calls/{call.pk}/answer/", {"sdp": SDP}, format="json")

    assert answered.status_code == 200, answered.content
    assert (answered.json()["status"], answered.json()["agent_id"]) == ("accepted", agent.pk)
    at_meta = calling.sandbox_call(call.call_id)
    assert (at_meta["status"], at_meta["answer_sdp"]) == ("accepted", SDP)  # pre_accept and accept: the same SDP

    hung_up = client.post(f"/api/calls/{call.pk}/hangup/")
    assert hung_up.json()["status"] == "completed" and hung_up.json()["duration_seconds"] is not None
    calling.relay()  # Meta's terminate changes nothing more
    assert calling.call().status == "completed"


def test_a_second_agent_answering_gets_409_call_taken(calling, alpha):
    calling.customer_calls()
    call = calling.call()
    first = alpha.client(alpha.add_member("first@alpha.example", Role.AGENT))
    second = alpha.client(alpha.add_member("second@alpha.example", Role.AGENT))
    assert first.post(f"/api/calls/{call.pk}/answer/", {"sdp": SDP}, format="json").status_code == 200

    body = _envelope(second.post(f"/api/calls/{call.pk}/answer/", {"sdp": SDP}, format="json"), "call_taken", 409)
    assert "answered this call first" in body["message"]
    assert _envelope(second.post(f"/api/calls/{call.pk}/hangup/"), "permission_denied", 403)
    assert calling.call().agent.email == "first@alpha.example"


def test_declining_a_call_ends_it_at_meta_and_answering_it_then_is_a_409(calling, alpha):
    calling.customer_calls()
    call = calling.call()
    assert calling.owner.post(f"/api/calls/{call.pk}/reject/").json()["status"] == "rejected"
    assert calling.sandbox_call(call.call_id)["status"] == "ended"
    body = _envelope(calling.owner.post(f"/api/calls/{call.pk}/answer/", {"sdp": SDP}, format="json"),
                     "call_state", 409)
    assert body["message"] == "The call was declined."


def test_hanging_up_an_unanswered_customer_call_says_to_decline_it(calling):
    calling.customer_calls()
    body = _envelope(calling.owner.post(f"/api/calls/{calling.call().pk}/hangup/"), "call_state", 409)
    assert "decline it instead" in body["message"]


def test_an_answer_that_is_not_an_sdp_is_a_400_naming_the_field(calling):
    calling.customer_calls()
    body = _envelope(calling.owner.post(f"/api/calls/{calling.call().pk}/answer/", {"sdp": "hello"}, format="json"),
                     "validation_error", 400)
    assert "sdp" in body["errors"]
    assert calling.call().status == "ringing"


def test_a_call_nobody_answers_is_missed_and_gets_the_missed_call_reply(calling, alpha):
    calling.settings(missed_call_reply_enabled=True, missed_call_reply_text="Sorry! We'll call you back.")
    calling.customer_calls()
    calling.sandbox.control.post("/clock", json={"advance_seconds": 50}).raise_for_status()
    calling.sandbox.control.post("/webhooks/flush", json={"include_scheduled": False}).raise_for_status()
    terminate = calling.relay()  # Meta's terminate after its answer time

    call = calling.call()
    assert call.status == "missed" and call.ended_at is not None
    with schema_context(alpha.tenant.schema_name):
        reply = Message.objects.get(automation="missed_call")
        assert (reply.payload["text"]["body"], reply.contact_id, reply.conversation_id) == (
            "Sorry! We'll call you back.", call.contact_id, call.conversation_id)
    for payload in terminate:  # Meta redelivers the terminate: no second reply
        post(payload, secret=calling.demo["app_secret"])
    route_all()
    with schema_context(alpha.tenant.schema_name):
        assert Message.objects.filter(automation="missed_call").count() == 1


def test_with_calling_off_at_meta_the_customer_gets_no_call_through(phone):
    refused = phone.customer_calls()
    assert refused.status_code == 409 and refused.json()["error"]["reason"] == "calling_disabled"
    with schema_context(phone.business.tenant.schema_name):
        assert not Call.objects.exists()


# --- settings ------------------------------------------------------------------------------------------------------

def test_settings_are_read_and_written_through_meta(phone, alpha):
    hours = {"status": "ENABLED", "timezone_id": "Europe/Berlin", "weekly_operating_hours": [
        {"day_of_week": "MONDAY", "open_time": "0900", "close_time": "1200"},
        {"day_of_week": "MONDAY", "open_time": "1300", "close_time": "1700"}]}
    changed = phone.settings(calling={"status": "ENABLED", "call_hours": hours,
                                      "callback_permission_status": "ENABLED"}, missed_call_reply_enabled=True)
    assert changed.status_code == 200, changed.content
    assert changed.json()["calling"]["call_hours"] == hours and changed.json()["missed_call_reply_enabled"]
    read_back = phone.owner.get(f"/api/calls/numbers/{phone.number_id}/settings/").json()
    assert read_back["calling"]["callback_permission_status"] == "ENABLED"  # Meta (the sandbox) holds it
    agent = alpha.client(alpha.add_member("agent@alpha.example", Role.AGENT))
    assert agent.get(f"/api/calls/numbers/{phone.number_id}/settings/").status_code == 200
    _envelope(phone.settings(agent, missed_call_reply_enabled=False), "permission_denied", 403)


@pytest.mark.parametrize(("calling", "field"), [
    ({"call_hours": {"status": "ENABLED", "timezone_id": "UTC", "weekly_operating_hours": [
        {"day_of_week": "MONDAY", "open_time": "0900", "close_time": "1200"},
        {"day_of_week": "MONDAY", "open_time": "1100", "close_time": "1300"}]}},
     "calling.call_hours.weekly_operating_hours[1]"),
    ({"call_hours": {"status": "ENABLED", "timezone_id": "UTC", "weekly_operating_hours": [
        {"day_of_week": "MONDAY", "open_time": "900", "close_time": "1200"}]}},
     "calling.call_hours.weekly_operating_hours[0].open_time"),
    ({"call_hours": {"status": "ENABLED", "timezone_id": "UTC", "weekly_operating_hours": [
        {"day_of_week": day, "open_time": f"0{h}00", "close_time": f"0{h}30"}
        for day in ("MONDAY",) for h in range(3)]}}, "calling.call_hours.weekly_operating_hours[2]"),
    ({"call_hours": {"status": "ENABLED", "timezone_id": "UTC", "weekly_operating_hours": [], "holiday_schedule": [
        {"date": f"2027-01-{d:02d}", "start_time": "0000", "end_time": "2359"} for d in range(1, 22)]}},
     "calling.call_hours.holiday_schedule[20]"),
    ({"sip": {"status": "ENABLED"}}, "calling.sip.status"),
], ids=["overlap", "not-hhmm", "three-ranges", "21-holidays", "sip"])
def test_settings_meta_would_refuse_are_a_400_naming_the_field_before_meta_is_asked(phone, calling, field):
    body = _envelope(phone.settings(calling=calling), "validation_error", 400)
    assert field in body["errors"]


def test_meta_refusing_to_enable_calling_is_explained(phone):
    state = phone.sandbox.app.state.sandbox.state
    business = state.businesses[state.wabas[phone.demo["waba_id"]].business_id]
    business.messaging_limit = "TIER_250"
    body = _envelope(phone.settings(calling={"status": "ENABLED"}), "calling_unavailable", 400)
    assert "2,000" in body["message"] and "138015" in body["message"]
    business.messaging_limit = "TIER_100K"
    state.wabas[phone.demo["waba_id"]].subscriptions.clear()
    assert "138018" in _envelope(phone.settings(calling={"status": "ENABLED"}), "calling_unavailable", 400)["message"]


# --- the business calls --------------------------------------------------------------------------------------------

def _alice(phone) -> int:
    """Alice writes first (the window), so she is a contact."""
    phone.sandbox.control.post(f"/customers/{ALICE}/messages", json={
        "phone_number_id": phone.demo["phone_id"], "type": "text", "text": {"body": "Hi"}}).raise_for_status()
    phone.relay()
    with schema_context(phone.business.tenant.schema_name):
        return Message.objects.get(direction="in").contact_id


def test_placing_a_call_without_permission_is_refused_before_meta(calling):
    contact = _alice(calling)
    body = _envelope(calling.owner.post("/api/calls/", {"contact_id": contact, "sdp": SDP}, format="json"),
                     "call_permission_required", 409)
    assert "permission request" in body["message"] and "138006" in body["message"]
    assert calling.sandbox.control.get("/calls").json()["data"] == []


def test_permission_asked_given_then_a_call_placed_gets_metas_sdp_answer(calling, alpha):
    contact = _alice(calling)
    asked = calling.owner.post("/api/calls/permission/", {"contact_id": contact, "body": "About your order"},
                               format="json")
    assert asked.status_code == 202, asked.content
    from apps.messaging.outbox import message_send

    with schema_context(alpha.tenant.schema_name):
        message_send(Message.objects.get(type="interactive").pk)  # the send task's body
    again = calling.owner.post("/api/calls/permission/", {"contact_id": contact}, format="json")
    assert "138009" in _envelope(again, "call_permission_request_limit", 429)["message"]

    calling.sandbox.control.post(f"/customers/{ALICE}/call_permission", json={
        "phone_number_id": calling.demo["phone_id"], "response": "accept"}).raise_for_status()
    calling.relay()
    state = calling.owner.get("/api/calls/permission/", {"contact_id": contact}).json()
    assert (state["status"], state["source"], state["may_call"]) == ("temporary", "reply", True)

    placed = calling.owner.post("/api/calls/", {"contact_id": contact, "sdp": SDP}, format="json")
    assert placed.status_code == 201, placed.content
    assert (placed.json()["status"], placed.json()["direction"]) == ("connecting", "business_initiated")
    calling.relay()  # connect (Meta's SDP answer) and RINGING
    call = calling.owner.get(f"/api/calls/{placed.json()['id']}/").json()
    assert call["status"] == "ringing" and call["sdp_answer"].startswith("v=0") and call["sdp_offer"] == SDP
    assert _envelope(calling.owner.post("/api/calls/", {"contact_id": contact, "sdp": SDP}, format="json"),
                     "call_in_progress", 409)

    calling.sandbox.control.post(f"/calls/{call['call_id']}/answer").raise_for_status()
    calling.relay()
    assert calling.owner.get(f"/api/calls/{call['id']}/").json()["status"] == "accepted"
    assert calling.owner.post(f"/api/calls/{call['id']}/hangup/").json()["status"] == "completed"


def test_ten_connected_calls_a_day_then_a_429_before_meta(calling, alpha):
    contact = _alice(calling)
    with schema_context(alpha.tenant.schema_name):
        from django.utils import timezone

        CallPermission.objects.create(contact_id=contact, phone_number_id=calling.number_id, status="permanent")
        for n in range(10):
            Call.objects.create(call_id=f"wacid.done{n}", contact_id=contact, phone_number_id=calling.number_id,
                                direction="business_initiated", status="completed", answered_at=timezone.now())
    body = _envelope(calling.owner.post("/api/calls/", {"contact_id": contact, "sdp": SDP}, format="json"),
                     "call_limit", 429)
    assert "retry_after" in body["errors"]
    assert _envelope(calling.owner.post("/api/calls/permission/", {"contact_id": contact}, format="json"),
                     "call_permission_exists", 409)


def test_a_customer_call_with_callback_permission_on_lets_the_business_call_back(phone):
    phone.settings(calling={"status": "ENABLED", "callback_permission_status": "ENABLED"})
    phone.customer_calls()
    call = phone.call()
    state = phone.owner.get("/api/calls/permission/", {"contact_id": call.contact_id}).json()
    assert (state["status"], state["source"]) == ("temporary", "callback")
    synced = phone.owner.get("/api/calls/permission/", {"contact_id": call.contact_id, "refresh": "true"}).json()
    assert (synced["status"], synced["source"]) == ("temporary", "meta")


# --- the log, roles, isolation -------------------------------------------------------------------------------------

def test_the_log_filters_by_contact_conversation_and_agent(calling, alpha):
    calling.customer_calls()
    calling.customer_calls("447700900123")
    first = calling.call(from_number=ALICE)
    agent = alpha.add_member("agent@alpha.example", Role.AGENT)
    alpha.client(agent).post(f"/api/calls/{first.pk}/answer/", {"sdp": SDP}, format="json")

    def ids(**query):
        return [c["call_id"] for c in calling.owner.get("/api/calls/", query).json()["results"]]

    assert ids(contact=first.contact_id) == ids(conversation=first.conversation_id) == [first.call_id]
    assert ids(agent=agent.pk) == [first.call_id] and len(ids()) == 2
    assert _envelope(calling.owner.get("/api/calls/", {"contact": "x"}), "validation_error", 400)


def test_a_member_who_may_not_send_cannot_answer_or_place_calls(calling, alpha, monkeypatch):
    from tenants import members

    calling.customer_calls()
    agent = alpha.client(alpha.add_member("agent@alpha.example", Role.AGENT))
    monkeypatch.setitem(members.ROLE_CAPABILITIES, Role.AGENT, frozenset())
    _envelope(agent.post(f"/api/calls/{calling.call().pk}/answer/", {"sdp": SDP}, format="json"),
              "permission_denied", 403)
    _envelope(agent.post("/api/calls/", {"contact_id": calling.call().contact_id, "sdp": SDP}, format="json"),
              "permission_denied", 403)
    assert agent.get("/api/calls/").status_code == 200  # the log stays readable


def test_beta_can_neither_see_nor_answer_nor_hang_up_alphas_call(calling, beta):
    calling.customer_calls()
    call = calling.call()
    other = beta.client(beta.owner)
    assert other.get("/api/calls/").json()["results"] == []
    for response in (other.get(f"/api/calls/{call.pk}/"),
                     other.post(f"/api/calls/{call.pk}/answer/", {"sdp": SDP}, format="json"),
                     other.post(f"/api/calls/{call.pk}/reject/"), other.post(f"/api/calls/{call.pk}/hangup/")):
        _envelope(response, "not_found", 404)
    assert calling.call().status == "ringing"
    with schema_context(beta.tenant.schema_name):
        assert not Call.objects.exists()
