"""Run the sandbox for tests: uvicorn in a daemon thread on a free 127.0.0.1 port.

    with SandboxServer(webhook_url=...) as server:
        server.url        # http://127.0.0.1:<port>, a Graph base URL
        server.control    # httpx.Client on /_sandbox (reset, faults, act as the customer)
"""
from __future__ import annotations

import socket
import threading
import time

import httpx
import uvicorn

from sandbox.app import create_app
from sandbox.state import SandboxState


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class SandboxServer:
    def __init__(self, *, webhook_url: str | None = None, state: SandboxState | None = None):
        # By default webhooks go to a closed port: delivery is retried in the background, harmlessly.
        app = create_app(state or SandboxState.demo(), webhook_url=webhook_url or f"http://127.0.0.1:{free_port()}/hook")
        self.app = app
        self.socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.socket.bind(("127.0.0.1", 0))
        self.port = self.socket.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(app, log_level="warning", lifespan="on", timeout_graceful_shutdown=2)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.socket]}, daemon=True)
        self.control = httpx.Client(base_url=f"{self.url}/_sandbox", timeout=10)

    def __enter__(self) -> SandboxServer:
        self.thread.start()
        deadline = time.monotonic() + 15
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the sandbox did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc) -> None:
        self.control.close()
        self.server.should_exit = True
        self.thread.join(10)
        self.socket.close()

    def reset(self) -> None:
        self.control.post("/reset", json={"demo": True}).raise_for_status()
        self.control.delete("/faults").raise_for_status()
