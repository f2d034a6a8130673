"""The Business Calling API as the sandbox plays it: settings validated and enforced, the customer's calls and the
business's, pre_accept/accept with the same SDP, the ring timeout, permissions and Meta's limits, with the webhooks
each step sends."""
from __future__ import annotations

import re

import pytest

from .conftest import ALICE, PHONE, V, graph_error

OPEN_ALL_WEEK = [{"day_of_week": day, "open_time": "0000", "close_time": "2359"}
                 for day in ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")]
# The frozen clock is Thursday 2026-01-01 00:00 UTC.


def _settings(sb, calling: dict, phone: str = PHONE):
    return sb.client.post(f"{V}/{phone}/settings", json={"calling": calling})


def _enable(sb, **extra) -> None:
    response = _settings(sb, {"status": "ENABLED", **extra})
    assert response.status_code == 200, response.text


def _calls_webhooks(sb) -> list[dict]:
    sb.flush(include_scheduled=False)
    return sb.receiver.changes("calls")


def _customer_calls(sb, wa_id: str = ALICE, **body):
    return sb.anon.post(f"/_sandbox/customers/{wa_id}/calls", json={"phone_number_id": PHONE, **body})


def _act(sb, action: str, call_id: str, sdp: str | None = None):
    body = {"messaging_product": "whatsapp", "call_id": call_id, "action": action}
    if sdp is not None:
        body["session"] = {"sdp_type": "answer", "sdp": sdp}
    return sb.client.post(f"{V}/{PHONE}/calls", json=body)


ANSWER = ("v=0\r\no=- 7 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n"
          "a=rtpmap:111 opus/48000/2\r\n")


def _permission(sb, wa_id: str = ALICE, *, permanent: bool = False):
    sent = sb.send({"to": wa_id, "type": "interactive", "interactive": {
        "type": "call_permission_request", "body": {"text": "May we call you?"},
        "action": {"name": "call_permission_request"}}})
    assert sent.status_code == 200, sent.text
    reply = sb.anon.post(f"/_sandbox/customers/{wa_id}/call_permission",
                         json={"phone_number_id": PHONE, "response": "accept", "permanent": permanent})
    assert reply.status_code == 201, reply.text
    return reply.json()["message"]


def _connect(sb, to: str = ALICE):
    return sb.client.post(f"{V}/{PHONE}/calls", json={"messaging_product": "whatsapp", "to": to, "action": "connect",
                                                      "session": {"sdp_type": "offer", "sdp": ANSWER}})


# --- settings ------------------------------------------------------------------------------------------------------

def test_calling_is_off_until_enabled_and_reads_back_what_was_set(sb):
    assert sb.client.get(f"{V}/{PHONE}/settings").json()["calling"]["status"] == "DISABLED"
    hours = {"status": "ENABLED", "timezone_id": "America/Manaus", "weekly_operating_hours": OPEN_ALL_WEEK,
             "holiday_schedule": [{"date": "2026-12-25", "start_time": "0000", "end_time": "2359"}]}
    _enable(sb, call_hours=hours, callback_permission_status="ENABLED")

    calling = sb.client.get(f"{V}/{PHONE}/settings").json()["calling"]
    assert (calling["status"], calling["callback_permission_status"], calling["call_hours"]) == (
        "ENABLED", "ENABLED", hours)
    _settings(sb, {"call_hours": {k: v for k, v in hours.items() if k != "holiday_schedule"}})
    assert "holiday_schedule" not in sb.client.get(f"{V}/{PHONE}/settings").json()["calling"]["call_hours"]


@pytest.mark.parametrize(("hours", "names"), [
    ({"weekly_operating_hours": [{"day_of_week": "MONDAY", "open_time": "0900", "close_time": "1000"},
                                 {"day_of_week": "MONDAY", "open_time": "1100", "close_time": "1200"},
                                 {"day_of_week": "MONDAY", "open_time": "1300", "close_time": "1400"}]}, "at most 2"),
    ({"weekly_operating_hours": [{"day_of_week": "MONDAY", "open_time": "0900", "close_time": "1200"},
                                 {"day_of_week": "MONDAY", "open_time": "1100", "close_time": "1300"}]}, "overlaps"),
    ({"weekly_operating_hours": [{"day_of_week": "MONDAY", "open_time": "9:00", "close_time": "1200"}]}, "HHMM"),
    ({"weekly_operating_hours": OPEN_ALL_WEEK,
      "holiday_schedule": [{"date": f"2026-02-{d:02d}", "start_time": "0000", "end_time": "2359"}
                           for d in range(1, 22)]}, "at most 20"),
    ({"weekly_operating_hours": OPEN_ALL_WEEK, "timezone_id": "Mars/Olympus"}, "time zone"),
], ids=["three-ranges", "overlap", "not-hhmm", "21-holidays", "bad-zone"])
def test_call_hours_meta_refuses_are_refused_with_code_100(sb, hours, names):
    response = _settings(sb, {"call_hours": {"status": "ENABLED", "timezone_id": "UTC", **hours}})
    assert response.status_code == 400
    error = graph_error(response)
    assert error["code"] == 100 and names in error["error_data"]["details"]


def test_enabling_needs_a_messaging_limit_of_2000_and_a_subscribed_app(sb):
    business = sb.state.businesses[sb.state.wabas[sb.state.numbers[PHONE].waba_id].business_id]
    business.messaging_limit = "TIER_250"
    assert graph_error(_settings(sb, {"status": "ENABLED"}))["code"] == 138015
    business.messaging_limit = "TIER_2K"
    sb.state.wabas[sb.state.numbers[PHONE].waba_id].subscriptions.clear()
    assert graph_error(_settings(sb, {"status": "ENABLED"}))["code"] == 138018


# --- the customer calls --------------------------------------------------------------------------------------------

def test_with_calling_off_the_customer_gets_no_call_through_and_actions_are_138000(sb):
    refused = _customer_calls(sb)
    assert refused.status_code == 409 and refused.json()["error"]["reason"] == "calling_disabled"
    assert graph_error(_act(sb, "terminate", "wacid.X"))["code"] == 138000
    assert _calls_webhooks(sb) == []


def test_outside_call_hours_and_on_holidays_the_customer_gets_no_call_through(sb, clock):
    thursday_morning = [{"day_of_week": "THURSDAY", "open_time": "0900", "close_time": "1700"}]
    _enable(sb, call_hours={"status": "ENABLED", "timezone_id": "UTC", "weekly_operating_hours": thursday_morning,
                            "holiday_schedule": [{"date": "2026-01-08", "start_time": "0000", "end_time": "2359"}]})
    assert _customer_calls(sb).json()["error"]["reason"] == "outside_call_hours"  # Thursday 00:00
    clock.advance(10 * 3600)
    assert _customer_calls(sb).status_code == 201  # Thursday 10:00
    clock.advance(7 * 86400)
    assert _customer_calls(sb, "447700900123").json()["error"]["reason"] == "holiday"


def test_a_hidden_call_icon_refuses_unsolicited_calls_but_not_a_call_button(sb):
    _enable(sb, call_icon_visibility="DISABLE_ALL")
    assert _customer_calls(sb).json()["error"]["reason"] == "icon_hidden"
    assert _customer_calls(sb, cta_payload="order-42").status_code == 201
    assert _calls_webhooks(sb)[0]["calls"][0]["cta_payload"] == "order-42"


def test_a_customer_call_sends_connect_with_an_opus_offer_and_is_accepted_with_the_same_sdp(sb):
    _enable(sb)
    call = _customer_calls(sb).json()["call"]
    (value,) = _calls_webhooks(sb)
    item = value["calls"][0]
    assert (item["id"], item["event"], item["direction"], item["from"]) == (call["id"], "connect", "USER_INITIATED",
                                                                            ALICE)
    sdp = item["session"]["sdp"]
    assert item["session"]["sdp_type"] == "offer" and sdp.startswith("v=0\r\n")
    (payload_type,) = re.findall(r"^m=audio \d+ UDP/TLS/RTP/SAVPF (\d+)\r$", sdp, re.M)  # one codec: Opus
    assert f"a=rtpmap:{payload_type} opus/48000/2" in sdp and " 127.0.0.1 " in sdp  # the phone peer's real offer
    assert value["contacts"][0]["wa_id"] == ALICE and value["metadata"]["phone_number_id"] == PHONE

    assert _act(sb, "pre_accept", call["id"], ANSWER).json() == {"messaging_product": "whatsapp", "success": True}
    different = _act(sb, "accept", call["id"], ANSWER.replace("o=- 7", "o=- 8"))
    assert different.status_code == 400 and "pre_accept" in graph_error(different)["error_data"]["details"]
    assert _act(sb, "accept", call["id"], ANSWER).status_code == 200
    assert _act(sb, "terminate", call["id"]).status_code == 200

    terminate = _calls_webhooks(sb)[-1]["calls"][0]
    assert (terminate["event"], terminate["status"], terminate["duration"]) == ("terminate", "COMPLETED", 0)
    assert graph_error(_act(sb, "terminate", call["id"]))["code"] == 100  # ended already


def test_a_call_nobody_accepts_in_time_ends_with_a_terminate_webhook(sb, clock):
    _enable(sb)
    call = _customer_calls(sb).json()["call"]
    clock.advance(30)
    assert [v["calls"][0]["event"] for v in _calls_webhooks(sb)] == ["connect"]
    clock.advance(20)  # past call_accept_timeout_s (45 s)
    terminate = _calls_webhooks(sb)[-1]["calls"][0]
    assert (terminate["id"], terminate["event"]) == (call["id"], "terminate") and "duration" not in terminate
    assert graph_error(_act(sb, "pre_accept", call["id"], ANSWER))["code"] == 100


def test_a_customer_call_opens_the_window_and_with_callback_permission_grants_a_temporary_one(sb):
    _enable(sb, callback_permission_status="ENABLED")
    wa_id = "4915123456789"
    _customer_calls(sb, wa_id)
    assert sb.anon.get(f"/_sandbox/customers/{wa_id}").json()["window_open"][PHONE] is True
    view = sb.client.get(f"{V}/{PHONE}/call_permissions", params={"user_wa_id": wa_id}).json()
    assert view["permission"]["status"] == "temporary"
    assert view["permission"]["expiration_time"] == int(sb.state.now()) + 7 * 86400


# --- the business calls --------------------------------------------------------------------------------------------

def test_a_business_call_needs_permission_first(sb):
    _enable(sb)
    assert graph_error(_connect(sb))["code"] == 138006
    view = sb.client.get(f"{V}/{PHONE}/call_permissions", params={"user_wa_id": ALICE}).json()
    assert view["permission"] == {"status": "no_permission"}
    assert view["actions"][0]["action_name"] == "send_call_permission_request"
    assert view["actions"][0]["can_perform_action"] is True


def test_a_permission_reply_webhook_then_a_call_the_customer_answers(sb):
    _enable(sb)
    reply = _permission(sb)
    assert reply["interactive"]["call_permission_reply"]["response"] == "accept"
    assert reply["context"]["id"].startswith("wamid.")

    call_id = _connect(sb).json()["calls"][0]["id"]
    connect, ringing = _calls_webhooks(sb)
    assert connect["calls"][0]["direction"] == "BUSINESS_INITIATED"
    assert connect["calls"][0]["session"]["sdp_type"] == "answer"
    assert ringing["statuses"][0] == {"id": call_id, "timestamp": ringing["statuses"][0]["timestamp"],
                                      "type": "call", "status": "RINGING", "recipient_id": ALICE}
    assert graph_error(_connect(sb))["code"] == 138003  # one call at a time

    sb.anon.post(f"/_sandbox/calls/{call_id}/answer").raise_for_status()
    sb.anon.post(f"/_sandbox/calls/{call_id}/hangup").raise_for_status()
    accepted, terminate = _calls_webhooks(sb)[2:]
    assert accepted["statuses"][0]["status"] == "ACCEPTED"
    assert (terminate["calls"][0]["event"], terminate["calls"][0]["status"]) == ("terminate", "COMPLETED")


def test_a_rejected_business_call_reports_rejected_then_terminate(sb):
    _enable(sb)
    _permission(sb)
    call_id = _connect(sb).json()["calls"][0]["id"]
    sb.anon.post(f"/_sandbox/calls/{call_id}/reject").raise_for_status()
    events = [v.get("statuses", v.get("calls"))[0] for v in _calls_webhooks(sb)]
    assert [e.get("status") if e.get("type") == "call" else e["event"] for e in events] == [
        "connect", "RINGING", "REJECTED", "terminate"]


def test_permission_requests_are_limited_to_one_a_day_and_none_once_permanent(sb, clock):
    _enable(sb)
    _permission(sb)
    again = {"to": ALICE, "type": "interactive", "interactive": {
        "type": "call_permission_request", "body": {"text": "Again?"}, "action": {"name": "call_permission_request"}}}
    assert graph_error(sb.send(again))["code"] == 138009
    clock.advance(86400 + 1)
    sb.anon.post(f"/_sandbox/customers/{ALICE}/messages",
                 json={"phone_number_id": PHONE, "type": "text", "text": {"body": "hi"}})  # reopen the window
    _permission(sb, permanent=True)
    clock.advance(86400 + 1)
    assert graph_error(sb.send(again))["code"] == 138017


def test_ten_connected_business_calls_a_day_then_138012(sb):
    _enable(sb)
    _permission(sb, permanent=True)
    for _ in range(10):
        call_id = _connect(sb).json()["calls"][0]["id"]
        sb.anon.post(f"/_sandbox/calls/{call_id}/answer").raise_for_status()
        sb.anon.post(f"/_sandbox/calls/{call_id}/hangup").raise_for_status()
    assert graph_error(_connect(sb))["code"] == 138012
