"""Open inbox streams can't starve the API (audit H4): 200 of them against the real servers.

The API runs as in production, gunicorn with gthread workers (here one worker of 4 threads, so the old
design, a stream per API thread, would be starved by the 5th stream); the events service runs on uvicorn;
both are subprocesses on the test database. We measure the API and Meta's webhook endpoint with no stream
open, then with 200 streams open (and events flowing to them), and compare.
"""
import asyncio
import hashlib
import hmac
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from urllib.parse import quote

import httpx
import pytest
from django.conf import settings

from apps.core.redis import redis_client
from apps.messaging import live, stream_leases
from apps.messaging.tests.events_support import committed
from conftest import PASSWORD
from tenants.models import WebhookEvent

STREAMS = 200
SAMPLES = 15
APP_SECRET = "load-test-app-secret"


def _tail(log) -> str:
    log.seek(0)
    return log.read().decode(errors="replace")[-3000:]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _database_url() -> str:
    db = settings.DATABASES["default"]
    auth = quote(db["USER"]) + (f":{quote(db['PASSWORD'])}" if db.get("PASSWORD") else "")
    host = db["HOST"] or "127.0.0.1"
    if host.startswith("/"):  # the embedded PostgreSQL of make test listens on a unix socket only
        return f"postgresql://{auth}@/{db['NAME']}?host={quote(host)}"
    return f"postgresql://{auth}@{host}:{db['PORT'] or 5432}/{db['NAME']}"


def _start(cmd: list[str], port: int, env: dict, log) -> subprocess.Popen:
    process = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=log)
    deadline = time.monotonic() + 40
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{cmd[2]} exited: {_tail(log)}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return process
        except httpx.TransportError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"{cmd[2]} did not start")


@pytest.fixture
def servers(alpha, tmp_path):
    """(api_url, events_url): gunicorn (gthread) and the events service on the committed test database."""
    env = {**os.environ, "DATABASE_URL": _database_url(), "WHATSAPP_APP_SECRET": APP_SECRET,
           "INBOX_STREAMS_PER_PERSON": str(STREAMS), "INBOX_STREAMS_PER_BUSINESS": str(STREAMS),
           "DJANGO_SETTINGS_MODULE": "convonest.settings", "PYTHONUNBUFFERED": "1"}
    api_port, events_port = _free_port(), _free_port()
    started = []
    log = (tmp_path / "servers.log").open("w+b")  # a file, not a pipe: a full pipe would stall the servers
    try:
        started.append(_start([sys.executable, "-m", "gunicorn", "convonest.wsgi", "--bind", f"127.0.0.1:{api_port}",
                               "--workers", "1", "--worker-class", "gthread", "--threads", "4",
                               "--log-level", "warning"], api_port, env, log))
        started.append(_start([sys.executable, "-m", "uvicorn", "apps.messaging.events_asgi:application",
                               "--host", "127.0.0.1", "--port", str(events_port), "--log-level", "warning",
                               "--no-access-log", "--timeout-graceful-shutdown", "1", "--backlog", "1024"],
                              events_port, env, log))
        yield f"http://127.0.0.1:{api_port}", f"http://127.0.0.1:{events_port}"
        log.flush()
        print(_tail(log))  # shown when the test fails
    finally:
        for process in started:
            process.terminate()
        for process in started:
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                process.kill()
        log.close()


class Streams:
    """Hold `count` event streams open from an asyncio loop in a thread, as many browsers would (plain
    sockets: an HTTP client library's pool would be the bottleneck at this count, not the service)."""

    def __init__(self, url: str, host: str, cookie: str, count: int):
        self.port = int(url.rsplit(":", 1)[1])
        self.request = (f"GET /api/inbox/events/ HTTP/1.1\r\nHost: {host}\r\nAccept: text/event-stream\r\n"
                        f"Cookie: cn-access={cookie}\r\n\r\n").encode()
        self.count = count
        self.opened = 0
        self.statuses: list[int] = []
        self.events = [0] * count
        self.error = None
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)

    async def _one(self, index: int) -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", self.port)
        try:
            writer.write(self.request)
            status = int((await reader.readline()).split()[1])
            self.statuses.append(status)
            if status != 200:
                return
            while line := await reader.readline():
                if line.startswith(b"retry:"):
                    self.opened += 1
                elif line.startswith(b"event:"):
                    self.events[index] += 1
        finally:
            writer.close()

    async def _all(self) -> None:
        results = await asyncio.gather(*(self._one(i) for i in range(self.count)), return_exceptions=True)
        self.error = next((r for r in results if isinstance(r, Exception)), None)

    def __enter__(self):
        self.thread.start()
        self.future = asyncio.run_coroutine_threadsafe(self._all(), self.loop)
        return self

    def __exit__(self, *exc):
        self.future.cancel()  # that is how browsers leave: the connections close
        time.sleep(0.2)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)


def _latencies(send, samples: int = SAMPLES) -> tuple[list[float], list[int]]:
    took, statuses = [], []
    for _ in range(samples):
        started = time.perf_counter()
        statuses.append(send().status_code)
        took.append(time.perf_counter() - started)
    return took, statuses


def _wait_for(condition, timeout: float, what=lambda: "") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out {what()}"
        time.sleep(0.1)


def test_two_hundred_open_streams_leave_the_api_and_the_webhook_endpoint_as_fast_as_before(servers, alpha):
    api_url, events_url = servers
    api = httpx.Client(base_url=api_url, timeout=5)  # a starved API would time out, not just be slow
    login = api.post("/api/auth/login/", json={"email": alpha.owner.email, "password": PASSWORD},
                     headers={"Host": alpha.host})
    assert login.status_code == 200, login.text
    cookie = login.cookies["cn-access"]
    bodies = []

    def user():
        return api.get("/api/auth/user/", headers={"Host": alpha.host}, cookies={"cn-access": cookie})

    def webhook():
        body = json.dumps({"object": "whatsapp_business_account", "entry": [], "n": len(bodies)}).encode()
        bodies.append(body)
        signature = "sha256=" + hmac.new(APP_SECRET.encode(), body, hashlib.sha256).hexdigest()
        return api.post("/webhooks/whatsapp", content=body, headers={
            "Host": settings.BASE_DOMAIN, "Content-Type": "application/json", "X-Hub-Signature-256": signature})

    try:
        _latencies(user, 3), _latencies(webhook, 3)  # warm up (imports, connections)
        base_user, base_user_codes = _latencies(user)
        base_hook, base_hook_codes = _latencies(webhook)

        schema = alpha.tenant.schema_name
        with Streams(events_url, alpha.host, cookie, STREAMS) as streams:
            _wait_for(lambda: streams.opened == STREAMS or len(streams.statuses) == STREAMS and
                      set(streams.statuses) != {200}, timeout=30,
                      what=lambda: (streams.opened, len(streams.statuses), set(streams.statuses), streams.error))
            assert streams.statuses == [200] * STREAMS and streams.opened == STREAMS
            assert stream_leases.open_count(schema) == STREAMS

            publishing = threading.Event()

            def publish():  # events keep flowing to every stream while we measure (at least one)
                while True:
                    redis_client().xadd(live.stream_key(schema), {"data": json.dumps(
                        {"kind": "note", "conversation_id": 1, "assignee_id": None})})
                    if publishing.wait(0.25):
                        return
            publisher = threading.Thread(target=publish, daemon=True)
            publisher.start()
            try:
                busy_user, busy_user_codes = _latencies(user)
                busy_hook, busy_hook_codes = _latencies(webhook)
            finally:
                publishing.set()
                publisher.join(5)
            _wait_for(lambda: min(streams.events) > 0, timeout=10,
                      what=lambda: (sum(streams.events), streams.events.count(0), streams.error))  # all live

        _wait_for(lambda: stream_leases.open_count(schema) == 0, timeout=15,
                  what=lambda: stream_leases.open_count(schema))  # closing gave every slot back
    finally:
        api.close()
        digests = [hashlib.sha256(body).hexdigest() for body in bodies]
        committed(lambda: WebhookEvent.objects.filter(sha256__in=digests).delete())

    assert base_user_codes == busy_user_codes == [200] * SAMPLES
    assert base_hook_codes == busy_hook_codes == [200] * SAMPLES
    for name, base, busy in (("api", base_user, busy_user), ("webhook", base_hook, busy_hook)):
        print(f"{name}: median {statistics.median(base) * 1000:.1f} ms with no stream, "
              f"{statistics.median(busy) * 1000:.1f} ms with {STREAMS} open (max {max(busy) * 1000:.1f} ms)")
        # A small factor, plus a floor for a shared, noisy CI machine; a starved pool would take seconds.
        assert statistics.median(busy) <= 3 * statistics.median(base) + 0.05, (name, base, busy)
        assert max(busy) < 1.0, (name, busy)
