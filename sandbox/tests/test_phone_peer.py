"""The customer's phone as a real WebRTC peer: its SDP offer and answer travel in the connect webhooks, and once the
business applies them, audio flows both ways over loopback. A second aiortc peer plays the business's browser, on
its own event loop in a thread (a browser is another process), and talks to the sandbox only through Graph calls and
webhooks, like ConvoNest does."""
from __future__ import annotations

import array
import asyncio
import re
import threading
import time

import pytest
from aiortc import RTCSessionDescription
from aiortc.mediastreams import MediaStreamError

from sandbox.phone_peer import Tone, loopback_ice, new_connection, opus_only

from .conftest import ALICE, PHONE, V
from .test_calling import ANSWER, _act, _calls_webhooks, _customer_calls, _enable, _permission

FLOWING = 20  # 20 ms frames: 0.4 s of audio, well past any start-up
LOUD = 1000  # the tone peaks at 6000; decoded silence stays near 0


class Browser:
    """The business's side of the call: an aiortc peer with its own tone, counting the frames it hears and those
    that are loud (the customer's tone, not silence)."""

    def __init__(self):
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.frames = self.loud = 0
        self.readers: set[asyncio.Task] = set()
        self.pc = self.run(self._connection())

    def run(self, coro, timeout: float = 5.0):
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    async def _connection(self):
        pc = new_connection()
        opus_only(pc, Tone())
        pc.on("track", lambda track: self.readers.add(asyncio.ensure_future(self._listen(track))))
        return pc

    async def _listen(self, track) -> None:
        try:
            while True:
                frame = await track.recv()
                samples = array.array("h", bytes(frame.planes[0]))
                self.frames += 1
                self.loud += max(samples) > LOUD
        except MediaStreamError:
            pass

    async def _describe(self, offer: str | None) -> str:
        """Our offer, or (given theirs) our answer, with its candidates."""
        if offer is not None:
            await self.pc.setRemoteDescription(RTCSessionDescription(sdp=offer, type="offer"))
        with loopback_ice():
            await self.pc.setLocalDescription(await (self.pc.createAnswer() if offer else self.pc.createOffer()))
        return self.pc.localDescription.sdp

    def offer(self) -> str:
        return self.run(self._describe(None))

    def answer(self, offer: str) -> str:
        return self.run(self._describe(offer))

    def apply_answer(self, answer: str) -> None:
        self.run(self.pc.setRemoteDescription(RTCSessionDescription(sdp=answer, type="answer")))

    def close(self) -> None:
        async def close():
            await self.pc.close()
            if self.readers:
                await asyncio.wait(self.readers, timeout=2)
        self.run(close())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)
        self.loop.close()


@pytest.fixture
def browser():
    peer = Browser()
    yield peer
    peer.close()


def _meters(sb, call_id: str) -> dict:
    response = sb.anon.get(f"/_sandbox/calls/{call_id}/media")
    assert response.status_code == 200, response.text
    return response.json()


def _eventually(predicate, timeout: float = 8.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return predicate()


def _media_tasks(sandbox_live) -> list[str]:
    """The sandbox loop's tasks that belong to WebRTC (aiortc, aioice, the phone peer)."""
    async def names():
        return [repr(task) for task in asyncio.all_tasks() - {asyncio.current_task()}
                if re.search(r"aiortc|aioice|phone_peer", repr(task))]
    return asyncio.run_coroutine_threadsafe(names(), sandbox_live[1]).result(5)


def _offer_of_the_phone(sdp: str) -> None:
    (payload_type,) = re.findall(r"^m=audio \d+ UDP/TLS/RTP/SAVPF (\d+)\r$", sdp, re.M)
    assert f"a=rtpmap:{payload_type} opus/48000/2" in sdp  # Opus only, as at Meta
    candidates = re.findall(r"^a=candidate:\S+ 1 udp \d+ (\S+) \d+ typ (\w+)", sdp, re.M)
    assert candidates == [("127.0.0.1", "host")]  # loopback, no STUN: the sandbox works offline


def test_a_customer_call_carries_audio_both_ways_once_the_business_accepts(sb, browser, sandbox_live):
    _enable(sb)
    call_id = _customer_calls(sb).json()["call"]["id"]
    (connect,) = _calls_webhooks(sb)
    offer = connect["calls"][0]["session"]["sdp"]
    _offer_of_the_phone(offer)

    answer = browser.answer(offer)
    assert _act(sb, "pre_accept", call_id, answer).status_code == 200
    assert _act(sb, "accept", call_id, answer).status_code == 200

    assert _eventually(lambda: _meters(sb, call_id)["frames_received"] > FLOWING and browser.loud > FLOWING)
    meters = _meters(sb, call_id)
    assert (meters["state"], meters["ice_state"], meters["error"]) == ("connected", "completed", None)
    assert meters["frames_sent"] > FLOWING

    assert _act(sb, "terminate", call_id).status_code == 200
    assert _eventually(lambda: _meters(sb, call_id)["state"] == "closed")
    assert _eventually(lambda: _media_tasks(sandbox_live) == [], timeout=2), _media_tasks(sandbox_live)


def test_a_business_call_gets_a_real_answer_and_the_customer_is_heard_once_they_pick_up(sb, browser, sandbox_live):
    _enable(sb)
    _permission(sb)
    offer = browser.offer()
    connect = sb.client.post(f"{V}/{PHONE}/calls", json={
        "messaging_product": "whatsapp", "to": ALICE, "action": "connect",
        "session": {"sdp_type": "offer", "sdp": offer}})
    call_id = connect.json()["calls"][0]["id"]
    connect_webhook, ringing = _calls_webhooks(sb)
    assert connect_webhook["calls"][0]["session"]["sdp_type"] == "answer"
    answer = connect_webhook["calls"][0]["session"]["sdp"]
    _offer_of_the_phone(answer)
    assert ringing["statuses"][0]["status"] == "RINGING"

    browser.apply_answer(answer)
    # Ringing: the media path is up (Meta answered) but the phone sends silence until the customer picks up.
    assert _eventually(lambda: browser.frames > FLOWING and _meters(sb, call_id)["frames_received"] > FLOWING)
    assert browser.loud == 0 and _meters(sb, call_id)["muted"] is True

    sb.anon.post(f"/_sandbox/calls/{call_id}/answer").raise_for_status()
    assert _eventually(lambda: browser.loud > FLOWING)
    assert _meters(sb, call_id)["state"] == "connected"

    sb.anon.post(f"/_sandbox/calls/{call_id}/hangup").raise_for_status()
    assert _eventually(lambda: _meters(sb, call_id)["state"] == "closed")
    assert _calls_webhooks(sb)[-1]["calls"][0]["event"] == "terminate"
    assert _eventually(lambda: _media_tasks(sandbox_live) == [], timeout=2), _media_tasks(sandbox_live)


def test_an_answer_the_phone_cannot_use_is_accepted_but_the_meters_say_the_media_failed(sb):
    _enable(sb)
    call_id = _customer_calls(sb).json()["call"]["id"]
    assert _act(sb, "pre_accept", call_id, ANSWER).status_code == 200  # Meta checks the SDP's form, not its media
    meters = _meters(sb, call_id)
    assert meters["state"] == "failed" and "ICE username fragment or password is missing" in meters["error"]


def test_an_offer_the_phone_cannot_use_still_gets_an_sdp_answer_without_media(sb):
    _enable(sb)
    _permission(sb)
    connect = sb.client.post(f"{V}/{PHONE}/calls", json={
        "messaging_product": "whatsapp", "to": ALICE, "action": "connect",
        "session": {"sdp_type": "offer", "sdp": ANSWER}})
    call_id = connect.json()["calls"][0]["id"]
    assert _calls_webhooks(sb)[0]["calls"][0]["session"]["sdp"].startswith("v=0\r\n")
    assert _meters(sb, call_id)["state"] == "failed"


def test_a_customer_call_with_a_given_sdp_has_no_phone_peer(sb):
    _enable(sb)
    call_id = _customer_calls(sb, sdp=ANSWER.replace("o=- 7", "o=- 9")).json()["call"]["id"]
    assert _meters(sb, call_id)["state"] == "none"
    assert sb.anon.get("/_sandbox/calls/wacid.nope/media").status_code == 404
