"""The customer's phone in a call, as a real WebRTC peer (aiortc): it makes the SDP offer of the customer's call, the
SDP answer to the business's call (Meta's answer), sends a tone and counts the audio frames it hears, over loopback.

One `PhonePeer` per call, kept by `PhonePeers` under the call id; both live on the sandbox's event loop (peers are
made in the async request handlers). ICE uses host candidates on 127.0.0.1 only and no STUN server: the sandbox runs
on machines without internet, and one candidate pair makes the connection quick and the same on every machine.
Audio is Opus only, as at Meta (reference §9.5).
"""
from __future__ import annotations

import asyncio
import contextlib
import contextvars
import fractions
import logging
import math
import struct
import time

import aioice.ice
from aiortc import RTCConfiguration, RTCPeerConnection, RTCRtpSender, RTCSessionDescription
from aiortc.mediastreams import MediaStreamError, MediaStreamTrack
from av import AudioFrame

log = logging.getLogger("sandbox.phone")

RATE = 48000  # Opus's clock: the tone needs no resampling
FRAME_SAMPLES = RATE // 50  # 20 ms, Opus's usual frame
TONE_HZ = 400  # 8 whole cycles per frame, so one frame repeated is a seamless tone
_TONE = struct.pack(f"<{FRAME_SAMPLES}h", *(int(6000 * math.sin(2 * math.pi * TONE_HZ * i / RATE))
                                            for i in range(FRAME_SAMPLES)))
_SILENCE = bytes(2 * FRAME_SAMPLES)

# --- loopback ICE ---------------------------------------------------------------------------------------------------
# aioice gathers on every interface but 127.0.0.1, and aiortc gives it no way to choose. Its address lookup is
# replaced by one that answers 127.0.0.1 inside `loopback_ice()` and defers to aioice elsewhere; the flag is a context
# variable, so it reaches the gathering tasks that setLocalDescription starts and no other peer of the process.
_LOOPBACK_ONLY = contextvars.ContextVar("sandbox_loopback_ice", default=False)
_aioice_host_addresses = aioice.ice.get_host_addresses


def _host_addresses(use_ipv4: bool, use_ipv6: bool) -> list[str]:
    if _LOOPBACK_ONLY.get():
        return ["127.0.0.1"]
    return _aioice_host_addresses(use_ipv4=use_ipv4, use_ipv6=use_ipv6)


aioice.ice.get_host_addresses = _host_addresses


@contextlib.contextmanager
def loopback_ice():
    """Peers whose local description is set inside this block gather one host candidate: 127.0.0.1."""
    token = _LOOPBACK_ONLY.set(True)
    try:
        yield
    finally:
        _LOOPBACK_ONLY.reset(token)


def new_connection() -> RTCPeerConnection:
    """An RTCPeerConnection with no ICE servers (aiortc's default is Google's STUN server, unreachable offline)."""
    return RTCPeerConnection(RTCConfiguration(iceServers=[]))


def opus_only(pc: RTCPeerConnection, track: MediaStreamTrack) -> None:
    """Send `track` on `pc`, offering or accepting Opus alone (aiortc would add G722, PCMU and PCMA)."""
    transceiver = pc.addTransceiver(track, direction="sendrecv")
    transceiver.setCodecPreferences([c for c in RTCRtpSender.getCapabilities("audio").codecs
                                     if c.mimeType.lower() == "audio/opus"])


class Tone(MediaStreamTrack):
    """A 400 Hz tone, 48 kHz mono, paced in real time (aiortc's sender pulls frames as fast as they come).
    `muted`: silence instead, e.g. the phone before the customer picks up."""

    kind = "audio"

    def __init__(self, *, muted: bool = False):
        super().__init__()
        self.muted = muted
        self.frames_sent = 0
        self._start: float | None = None

    async def recv(self) -> AudioFrame:
        if self.readyState != "live":
            raise MediaStreamError
        if self._start is None:
            self._start = time.monotonic()
        else:
            await asyncio.sleep(self._start + self.frames_sent * FRAME_SAMPLES / RATE - time.monotonic())
        frame = AudioFrame(format="s16", layout="mono", samples=FRAME_SAMPLES)
        frame.planes[0].update(_SILENCE if self.muted else _TONE)
        frame.sample_rate = RATE
        frame.pts = self.frames_sent * FRAME_SAMPLES
        frame.time_base = fractions.Fraction(1, RATE)
        self.frames_sent += 1
        return frame


class PhonePeer:
    """The customer's phone in one call: a tone out, a count of the audio frames in."""

    def __init__(self, *, muted: bool = False):
        self.pc = new_connection()
        self.tone = Tone(muted=muted)
        self.frames_received = 0
        self.error: str | None = None
        self._readers: set[asyncio.Task] = set()
        opus_only(self.pc, self.tone)
        self.pc.on("track", self._on_track)

    def _on_track(self, track: MediaStreamTrack) -> None:
        if track.kind == "audio":
            task = asyncio.ensure_future(self._count(track))
            self._readers.add(task)
            task.add_done_callback(self._readers.discard)

    async def _count(self, track: MediaStreamTrack) -> None:
        # Each frame is 20 ms of decoded Opus: the business's audio reached the phone.
        with contextlib.suppress(MediaStreamError):
            while True:
                await track.recv()
                self.frames_received += 1

    async def offer(self) -> str:
        """The customer calls: their offer, with its candidates (aiortc sends none later)."""
        with loopback_ice():
            await self.pc.setLocalDescription(await self.pc.createOffer())
        return self.pc.localDescription.sdp

    async def answer(self, offer: str) -> str:
        """The business calls: the answer to its offer."""
        await self.pc.setRemoteDescription(RTCSessionDescription(sdp=offer, type="offer"))
        with loopback_ice():
            await self.pc.setLocalDescription(await self.pc.createAnswer())
        return self.pc.localDescription.sdp

    async def accept(self, answer: str) -> None:
        """The business's answer to the customer's offer (pre_accept or accept): ICE, DTLS, then audio."""
        if self.pc.remoteDescription is None:  # accept repeats pre_accept's SDP: applied once
            await self.pc.setRemoteDescription(RTCSessionDescription(sdp=answer, type="answer"))

    async def close(self) -> None:
        await self.pc.close()  # stops the tone and the remote track, which ends the readers
        if self._readers:
            await asyncio.wait(list(self._readers), timeout=1)
        for task in list(self._readers):
            task.cancel()

    def meters(self) -> dict:
        return {"state": "failed" if self.error and self.pc.connectionState != "closed" else self.pc.connectionState,
                "ice_state": self.pc.iceConnectionState, "frames_sent": self.tone.frames_sent,
                "frames_received": self.frames_received, "muted": self.tone.muted, "error": self.error}


class PhonePeers:
    """Every call's phone peer, by call id. A peer stays after its call ends (closed), so its meters can be read."""

    def __init__(self):
        self.peers: dict[str, PhonePeer] = {}
        self.loop: asyncio.AbstractEventLoop | None = None
        self._closing: set[asyncio.Task] = set()

    def _new(self, call_id: str, *, muted: bool) -> PhonePeer:
        self.loop = asyncio.get_running_loop()
        peer = self.peers[call_id] = PhonePeer(muted=muted)
        return peer

    async def offer(self, call_id: str) -> str | None:
        """The customer's offer for their call, or None (the reason in the meters) if the phone could not make one."""
        peer = self._new(call_id, muted=False)
        try:
            return await peer.offer()
        except Exception as error:  # whatever aiortc raises: the signalling goes on, the meters say why
            self._failed(peer, call_id, "offer", error)
            return None

    async def answer(self, call_id: str, offer: str) -> str | None:
        """Meta's answer to the business's offer (the phone's mic muted until the customer picks up), or None when
        no WebRTC peer can take the offer (e.g. a hand-written SDP without ICE credentials)."""
        peer = self._new(call_id, muted=True)
        try:
            return await peer.answer(offer)
        except Exception as error:
            self._failed(peer, call_id, "offer", error)
            return None

    async def accept(self, call_id: str, answer: str) -> None:
        """The business's SDP answer reaches the customer's phone; an answer it can't use is noted, not refused
        (the signalling checks only that it is an SDP, see calling.py; the media then fail)."""
        peer = self.peers.get(call_id)
        if peer is None or peer.error:
            return
        try:
            await peer.accept(answer)
        except Exception as error:
            self._failed(peer, call_id, "answer", error)

    def _failed(self, peer: PhonePeer, call_id: str, what: str, error: Exception) -> None:
        peer.error = f"the {what} SDP could not be used: {error}"
        log.info("call %s: no media, %s", call_id, peer.error)

    def picked_up(self, call_id: str) -> None:
        peer = self.peers.get(call_id)
        if peer is not None:
            peer.tone.muted = False

    def meters(self, call_id: str) -> dict | None:
        peer = self.peers.get(call_id)
        return peer.meters() if peer is not None else None

    def hang_up(self, call_id: str) -> None:
        """The call ended (either side, or nobody answered): close its peer. Callable from synchronous code on the
        sandbox's loop (a ring timeout) or from another thread."""
        peer = self.peers.get(call_id)
        if peer is not None:
            self._close_soon([peer])

    def reset(self) -> None:
        peers, self.peers = list(self.peers.values()), {}
        self._close_soon(peers)

    def _close_soon(self, peers: list[PhonePeer]) -> None:
        loop = self.loop
        if not peers or loop is None or loop.is_closed():
            return
        try:
            on_loop = asyncio.get_running_loop() is loop
        except RuntimeError:
            on_loop = False
        if not on_loop:  # e.g. a reset from a test's thread: do it on the peers' loop
            loop.call_soon_threadsafe(self._close_soon, peers)
            return
        for peer in peers:
            task = loop.create_task(peer.close())
            self._closing.add(task)  # held until done: a task nobody references may be collected mid-way
            task.add_done_callback(self._closing.discard)

    async def close_all(self) -> None:
        """Close every peer and wait (app shutdown, the end of a test)."""
        self.reset()
        if self._closing:
            await asyncio.wait(list(self._closing), timeout=5)
