"""The phone page's calling: its controls are on the page, its script parses, and the control endpoints it polls and
posts to answer in the shapes it reads (the page itself is plain JavaScript, tested here through its endpoints)."""
from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from .conftest import ALICE, PHONE, V

CALL_IDS = ("call-button", "call-panel", "call-status", "call-sent", "call-received", "call-answer", "call-decline",
            "call-hangup", "call-error")
REQUEST = {"type": "call_permission_request", "body": {"text": "May we call you about your order?"},
           "action": {"name": "call_permission_request"}}
OFFER = ("v=0\r\no=- 7 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n"
         "a=rtpmap:111 opus/48000/2\r\n")


def _page(sb) -> str:
    response = sb.anon.get(f"/_sandbox/phone/{PHONE}/{ALICE}")
    assert response.status_code == 200
    return response.text


def _enable(sb) -> None:
    response = sb.client.post(f"{V}/{PHONE}/settings", json={"calling": {"status": "ENABLED"}})
    assert response.status_code == 200, response.text


def _mine(sb) -> list[dict]:
    """What the page keeps of GET /_sandbox/calls: this customer's calls with this number, newest first."""
    data = sb.anon.get("/_sandbox/calls").json()["data"]
    return [c for c in data if c["phone_number_id"] == PHONE and c["wa_id"] == ALICE]


def test_the_phone_page_has_the_call_controls_and_polls_the_call_endpoints(sb):
    page = _page(sb)
    for element_id in CALL_IDS:
        assert f'id="{element_id}"' in page, element_id
    for path in ("/_sandbox/calls", "/media", "/call_permission", "data-cp"):
        assert path in page


@pytest.mark.skipif(shutil.which("node") is None, reason="needs node")
def test_the_phone_page_script_parses(sb, tmp_path):
    script = re.search(r"<script>(.*)</script>", _page(sb), re.S).group(1)
    (tmp_path / "phone.js").write_text(script)
    checked = subprocess.run(["node", "--check", str(tmp_path / "phone.js")], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr


def test_a_refused_call_says_why_then_a_call_is_listed_metered_and_hung_up(sb):
    refused = sb.anon.post(f"/_sandbox/customers/{ALICE}/calls", json={"phone_number_id": PHONE})
    assert refused.status_code == 409
    assert refused.json()["error"]["message"]  # the page's red line

    _enable(sb)
    made = sb.anon.post(f"/_sandbox/customers/{ALICE}/calls", json={"phone_number_id": PHONE})
    assert made.status_code == 201, made.text
    call = made.json()["call"]
    live = next(c for c in _mine(sb) if c["status"] != "ended")
    assert (live["id"], live["direction"], live["status"]) == (call["id"], "USER_INITIATED", "ringing")

    meters = sb.anon.get(f"/_sandbox/calls/{call['id']}/media").json()
    assert isinstance(meters["frames_sent"], int) and isinstance(meters["frames_received"], int)
    assert {"state", "muted", "error"} <= meters.keys()

    busy = sb.anon.post(f"/_sandbox/customers/{ALICE}/calls", json={"phone_number_id": PHONE})
    assert busy.status_code == 409 and busy.json()["error"]["reason"] == "busy"

    hung = sb.anon.post(f"/_sandbox/calls/{call['id']}/hangup", json={})
    assert hung.status_code == 200 and hung.json()["status"] == "ended"
    assert _mine(sb)[0]["id"] == call["id"] and _mine(sb)[0]["ended_at"] is not None
    again = sb.anon.post(f"/_sandbox/calls/{call['id']}/hangup", json={})
    assert again.status_code == 400 and again.json()["error"]["message"]  # shown in #call-error


def test_a_permission_request_answered_from_the_chat_then_a_business_call_answered(sb):
    _enable(sb)
    assert sb.send({"to": ALICE, "type": "interactive", "interactive": REQUEST}).status_code == 200
    chat = sb.anon.get(f"/_sandbox/chats/{PHONE}/{ALICE}").json()["messages"]
    request = chat[-1]
    interactive = request["payload"]["interactive"]  # what the page's interactive() renders
    assert (request["direction"], request["type"], interactive["type"], interactive["action"]["name"]) == (
        "out", "interactive", "call_permission_request", "call_permission_request")
    assert interactive["body"]["text"] == REQUEST["body"]["text"]

    # "Always allow"
    answered = sb.anon.post(f"/_sandbox/customers/{ALICE}/call_permission",
                            json={"phone_number_id": PHONE, "response": "accept", "permanent": True})
    assert answered.status_code == 201, answered.text
    reply = sb.anon.get(f"/_sandbox/chats/{PHONE}/{ALICE}").json()["messages"][-1]
    assert (reply["direction"], reply["context_id"]) == ("in", request["id"])  # the request shows it was answered
    assert reply["payload"]["interactive"]["type"] == "call_permission_reply"
    assert reply["payload"]["interactive"]["call_permission_reply"]["is_permanent"] is True

    connect = sb.client.post(f"{V}/{PHONE}/calls", json={"messaging_product": "whatsapp", "to": ALICE,
                                                         "action": "connect",
                                                         "session": {"sdp_type": "offer", "sdp": OFFER}})
    assert connect.status_code == 200, connect.text
    ringing = _mine(sb)[0]
    assert (ringing["direction"], ringing["status"]) == ("BUSINESS_INITIATED", "ringing")  # Answer + Decline

    answered_call = sb.anon.post(f"/_sandbox/calls/{ringing['id']}/answer", json={}).json()
    assert answered_call["status"] == "accepted" and answered_call["accepted_at"] is not None
    assert sb.anon.post(f"/_sandbox/calls/{ringing['id']}/hangup", json={}).json()["status"] == "ended"
