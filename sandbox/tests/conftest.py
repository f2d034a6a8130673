"""Fixtures: one live uvicorn server for the session whose app is swapped per test (fast), a fresh demo
sandbox per test on a frozen clock, and a real HTTP receiver on 127.0.0.1 that records webhooks.

No Django database is involved (no `db` fixture anywhere).
"""
from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import httpx
import pytest
import uvicorn

from sandbox.app import create_app
from sandbox.state import DEMO, SandboxState

TOKEN = DEMO["token"]
PHONE = DEMO["phone_id"]
PHONE2 = "100000000000002"
WABA = DEMO["waba_id"]
APP_ID = DEMO["app_id"]
APP_SECRET = DEMO["app_secret"]
ALICE = "16505550101"  # window open
BEN = "447700900123"  # window open
CARLA = "5511955550123"  # window closed
V = "/v23.0"


class FakeClock:
    def __init__(self, start: float = 1_767_225_600.0):
        self.t = start

    def __call__(self) -> float:
        return self.t

    def advance(self, seconds: float) -> None:
        self.t += seconds


class Receiver:
    """A real webhook endpoint: records every POST, answers from a script (default 200)."""

    def __init__(self):
        self.requests: list[dict] = []
        self.script: list[int] = []
        self.lock = threading.Lock()
        self.event = threading.Event()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):  # the verification handshake of override callbacks
                q = parse_qs(urlparse(self.path).query)
                ok = q.get("hub.mode") == ["subscribe"] and q.get("hub.verify_token") == ["vt-ok"]
                body = (q.get("hub.challenge", [""])[0] if ok else "forbidden").encode()
                self.send_response(200 if ok else 403)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_POST(self):
                raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with receiver.lock:
                    code = receiver.script.pop(0) if receiver.script else 200
                    receiver.requests.append({"path": self.path, "headers": dict(self.headers), "body": raw,
                                              "json": json.loads(raw), "answered": code, "at": time.monotonic()})
                receiver.event.set()
                self.send_response(code)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/webhooks/whatsapp"
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()

    def ok(self) -> list[dict]:
        """Payloads answered 200, in arrival order."""
        with self.lock:
            return [r["json"] for r in self.requests if r["answered"] == 200]

    def statuses(self) -> list[dict]:
        return [s for p in self.ok() for e in p["entry"] for c in e["changes"] for s in c["value"].get("statuses", [])]

    def messages(self) -> list[dict]:
        return [m for p in self.ok() for e in p["entry"] for c in e["changes"] for m in c["value"].get("messages", [])]

    def changes(self, field: str) -> list[dict]:
        return [c["value"] for p in self.ok() for e in p["entry"] for c in e["changes"] if c["field"] == field]

    def wait_for(self, predicate, timeout: float = 5.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate():
                return True
            time.sleep(0.01)
        return False


class Switch:
    """The ASGI app uvicorn serves for the whole session; each test plugs its own sandbox app in."""

    def __init__(self):
        self.app = None

    async def __call__(self, scope, receive, send):
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        await self.app(scope, receive, send)


@pytest.fixture(scope="session")
def sandbox_live():
    switch = Switch()
    config = uvicorn.Config(switch, host="127.0.0.1", port=0, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    loop_box = {}

    def run():
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        loop_box["loop"] = loop
        loop.run_until_complete(server.serve())

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    base_url = f"http://127.0.0.1:{port}"
    # Clients are made once: each new httpx client loads the CA bundle (~50 ms).
    client = httpx.Client(base_url=base_url, headers={"Authorization": f"Bearer {TOKEN}"}, timeout=10)
    anon = httpx.Client(base_url=base_url, timeout=10)
    yield switch, loop_box["loop"], base_url, client, anon
    client.close()
    anon.close()
    server.should_exit = True
    thread.join(timeout=5)


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.close()


class Live:
    """A test's sandbox: `client` speaks HTTP to it (with the demo token), `sb` is the running Sandbox."""

    def __init__(self, base_url: str, app, clock: FakeClock | None, receiver: Receiver, client, anon):
        self.base_url = base_url
        self.app = app
        self.sb = app.state.sandbox
        self.state = self.sb.state
        self.clock = clock
        self.receiver = receiver
        self.client = client
        self.anon = anon

    def send(self, body: dict, *, phone: str = PHONE, token: str | None = None) -> httpx.Response:
        payload = {"messaging_product": "whatsapp", **body}
        headers = {"Authorization": f"Bearer {token}"} if token else None
        return self.client.post(f"{V}/{phone}/messages", json=payload, headers=headers)

    def text(self, to: str = ALICE, body: str = "hello", **extra) -> httpx.Response:
        return self.send({"to": "+" + to, "type": "text", "text": {"body": body}, **extra})

    def flush(self, **body) -> dict:
        response = self.anon.post("/_sandbox/webhooks/flush", json=body)
        assert response.status_code == 200, response.text
        return response.json()

    def customer_says(self, wa_id: str, body: dict, phone: str = PHONE) -> httpx.Response:
        return self.anon.post(f"/_sandbox/customers/{wa_id}/messages", json={"phone_number_id": phone, **body})



def make_live(sandbox_live, receiver, *, clock: FakeClock | None, config: dict | None = None) -> Live:
    switch, loop, url, client, anon = sandbox_live
    state = SandboxState.demo(clock=clock)
    state.config.update({"delivery_delay_ms": 100, "template_review_ms": 100, "webhook_batch_window_ms": 20,
                         "webhook_backoff_base_s": 0.05, "webhook_backoff_max_s": 1.0, **(config or {})})
    app = create_app(state, webhook_url=receiver.url, clock=clock)
    asyncio.run_coroutine_threadsafe(app.state.sandbox.dispatcher.start(), loop).result(5)
    switch.app = app
    return Live(url, app, clock, receiver, client, anon)


def stop_live(sandbox_live, live: Live) -> None:
    loop = sandbox_live[1]
    asyncio.run_coroutine_threadsafe(live.sb.dispatcher.stop(), loop).result(5)
    # The session's server outlives the test's app: calls left open would keep their phone peers (sockets, tasks).
    asyncio.run_coroutine_threadsafe(live.sb.calling.phones.close_all(), loop).result(5)


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def sb(sandbox_live, receiver, clock):
    """The default: a demo sandbox on a frozen clock (nothing happens until a flush or clock.advance)."""
    live = make_live(sandbox_live, receiver, clock=clock)
    yield live
    stop_live(sandbox_live, live)


@pytest.fixture
def sb_realtime(sandbox_live, receiver):
    """A demo sandbox on the real clock, for backoff timings."""
    live = make_live(sandbox_live, receiver, clock=None)
    yield live
    stop_live(sandbox_live, live)


def verify_signature(request: dict, secret: str = APP_SECRET) -> bool:
    expected = "sha256=" + hmac.new(secret.encode(), request["body"], hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, request["headers"].get("X-Hub-Signature-256", ""))


def graph_error(response: httpx.Response) -> dict:
    data = response.json()
    assert "error" in data, data
    return data["error"]
