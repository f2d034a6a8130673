"""Many POSTs to Meta at once, for the Graph client's batched sends (GraphClient.send_messages): one asyncio loop
per process, on its own thread, with one aiohttp connection pool.

Why not threads: a campaign sends 1,000 messages a second. A pool of threads each blocking in httpx spent ~3 ms of
CPU a send, most of it threads taking turns at the GIL and at the pool's lock; one event loop with aiohttp's C
parser spends ~0.4 ms (`make bench-campaign ARGS=--profile ...`, docs/campaigns.md). Callers stay synchronous:
post_many blocks until every answer is in.

This module only moves bytes: what a request means, its checks and the typed errors of Meta's answers stay in
client.py. A request that got no answer comes back as a Failure saying whether it may have reached Meta.
"""
from __future__ import annotations

import asyncio
import atexit
import contextlib
import os
import threading
import time
from dataclasses import dataclass

import aiohttp
import httpx

CONNECTIONS = 128  # to Meta, per process: 1,000 msg/s at up to ~100 ms an answer
KEEPALIVE_SECONDS = 4.0


@dataclass(frozen=True)
class Reply:
    status: int
    content: bytes
    headers: dict[str, str]  # lower-cased names
    elapsed_ms: float


@dataclass(frozen=True)
class Failure:
    """No answer: `kind` is the exception's name. A connect failure never reached Meta; a later one (a timeout, a
    dropped connection) may have, so the send must not be repeated blindly."""

    kind: str
    detail: str
    may_have_reached: bool


class _Loop:
    def __init__(self):
        self.pid = os.getpid()
        self.loop = asyncio.new_event_loop()
        self.session: aiohttp.ClientSession | None = None
        threading.Thread(target=self.loop.run_forever, name="graph-sender", daemon=True).start()


_current: _Loop | None = None
_lock = threading.Lock()


def _event_loop() -> _Loop:
    """The process's loop, made after fork (a forked worker can't use its parent's thread or sockets)."""
    global _current
    if _current is None or _current.pid != os.getpid():
        with _lock:
            if _current is None or _current.pid != os.getpid():
                _current = _Loop()
    return _current


@atexit.register
def _close() -> None:
    """Close the pool on the way out (aiohttp warns about a session left open)."""
    current = _current
    if current is not None and current.pid == os.getpid() and current.session is not None:
        with contextlib.suppress(Exception):
            asyncio.run_coroutine_threadsafe(current.session.close(), current.loop).result(timeout=2)


def post_many(url: str, headers: dict[str, str], bodies: list[bytes], *,
              timeout: float | httpx.Timeout) -> list[Reply | Failure]:
    """POST each body to `url` concurrently; one Reply or Failure per body, in order."""
    if not bodies:
        return []
    if isinstance(timeout, httpx.Timeout):
        limits = aiohttp.ClientTimeout(connect=timeout.connect or timeout.pool, sock_read=timeout.read)
    else:
        limits = aiohttp.ClientTimeout(connect=timeout, sock_read=timeout)
    current = _event_loop()
    return asyncio.run_coroutine_threadsafe(_post_all(current, url, headers, bodies, limits), current.loop).result()


async def _post_all(current: _Loop, url: str, headers: dict[str, str], bodies: list[bytes],
                    timeout: aiohttp.ClientTimeout) -> list[Reply | Failure]:
    if current.session is None:
        # Redirects are refused (the token must not follow one); cookies are not kept between tenants' requests.
        # An idle connection is closed before a server would (uvicorn: 5 s), so a send never meets a connection the
        # other side has just dropped: that send's fate would be unknown.
        connector = aiohttp.TCPConnector(limit=CONNECTIONS, keepalive_timeout=KEEPALIVE_SECONDS)
        current.session = aiohttp.ClientSession(connector=connector,
                                                cookie_jar=aiohttp.DummyCookieJar(), auto_decompress=True)
    return list(await asyncio.gather(*(_post(current.session, url, headers, body, timeout) for body in bodies)))


async def _post(session: aiohttp.ClientSession, url: str, headers: dict[str, str], body: bytes,
                timeout: aiohttp.ClientTimeout) -> Reply | Failure:
    started = time.monotonic()
    try:
        async with session.post(url, data=body, headers=headers, timeout=timeout, allow_redirects=False) as response:
            content = await response.read()
            return Reply(response.status, content, {k.lower(): v for k, v in response.headers.items()},
                         (time.monotonic() - started) * 1000)
    except (aiohttp.ClientConnectorError, aiohttp.ConnectionTimeoutError) as exc:  # never reached Meta
        return Failure(type(exc).__name__, str(exc), may_have_reached=False)
    except (aiohttp.ClientError, TimeoutError) as exc:
        return Failure(type(exc).__name__, str(exc), may_have_reached=True)
