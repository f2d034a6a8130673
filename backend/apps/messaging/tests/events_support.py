"""Test helpers for the events service: the real ASGI app on uvicorn in a thread, and committed data.

The service authorizes on its own database connections (a pool thread's), so what it must see (members,
memberships) has to be committed: `committed(fn)` runs fn in a fresh thread, whose connection is in
autocommit, outside the test's rolled-back transaction. Whoever commits cleans up.
"""
from __future__ import annotations

import json
import socket
import threading
import time

import httpx
import uvicorn
from django.db import connections

from apps.messaging.events_asgi import EventsApp


def committed(fn, *args, **kwargs):
    result, error = [], []

    def run():
        try:
            result.append(fn(*args, **kwargs))
        except BaseException as exc:  # re-raised in the caller's thread
            error.append(exc)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(30)
    if error:
        raise error[0]
    return result[0] if result else None


class EventsServer:
    """The events service on a free 127.0.0.1 port; `url` to call it (send the tenant's Host header)."""

    def __init__(self, *, auth_threads: int = 2):
        self.app = EventsApp(auth_threads=auth_threads)
        self.socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.socket.bind(("127.0.0.1", 0))
        self.port = self.socket.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(self.app, log_level="warning", lifespan="on", timeout_graceful_shutdown=2,
                                backlog=1024)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.socket]}, daemon=True)

    def __enter__(self) -> EventsServer:
        self.thread.start()
        deadline = time.monotonic() + 15
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the events service did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(10)
        self.socket.close()


def access_cookie(business, user) -> str:
    """A real login (the API's endpoint) on the business's host; the access cookie it set."""
    return business.client(user).cookies["cn-access"].value


def open_stream(server: EventsServer, host: str, cookie: str | None = None, **headers) -> httpx.Response:
    """GET the events path and read it to its end (tests shorten INBOX_STREAM_SECONDS)."""
    cookies = {"cn-access": cookie} if cookie else {}
    return httpx.get(f"{server.url}/api/inbox/events/", headers={"Host": host, "Accept": "text/event-stream",
                                                                 **headers}, cookies=cookies, timeout=30)


def parse_events(body: str) -> list[dict]:
    events = []
    for block in body.split("\n\n"):
        fields = dict(line.split(": ", 1) for line in block.splitlines() if ": " in line and not line.startswith(":"))
        if "event" in fields:
            events.append({"id": fields["id"], "event": fields["event"], **json.loads(fields["data"])})
    return events
