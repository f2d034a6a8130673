"""A Celery worker on a second host consumes the same broker: the worker runs in its own network namespace (`ip netns`
plus a veth pair, its own addresses and host name) and reaches PostgreSQL and Redis only over the veth. An import
posted on alpha's host goes to this run's `imports` queue, runs on that host, and writes alpha's schema only. So a
worker needs nothing of the web process but the database, the broker and the import volume (a shared directory
here, ReadWriteMany in Kubernetes).

The embedded PostgreSQL listens on a unix socket and Redis on 127.0.0.1, which another host cannot reach: a small
relay on the host's end of the veth forwards to them and records who connected. Network namespaces need root: CI
runs as root (.ci/run); anywhere else this test fails and says why, rather than skip unnoticed.
"""
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import suppress
from dataclasses import dataclass
from ipaddress import IPv4Interface, IPv4Network
from pathlib import Path
from urllib.parse import urlparse, urlunparse

import pytest
from django.conf import settings
from django.db import connection

from apps.contacts.tests.worker_import import import_on_alpha_runs_and_writes_only_alpha
from convonest.celery import app as celery_app
from convonest.tests.conftest import REPO

IMPORT_TASK = "apps.contacts.tasks.contact_import_run"


class Relay:
    """Accepts TCP connections on `listen` and pipes each to `upstream`: (host, port), or a unix socket's path."""

    def __init__(self, listen: str, upstream: tuple[str, int] | str) -> None:
        self.upstream = upstream
        self.peers: set[str] = set()
        self.server = socket.create_server((listen, 0))
        self.port = self.server.getsockname()[1]
        self._open: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _connect(self) -> socket.socket:
        if isinstance(self.upstream, str):
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            sock.connect(self.upstream)
            return sock
        return socket.create_connection(self.upstream)

    def _accept(self) -> None:
        while True:
            try:
                client, (peer, _port) = self.server.accept()
            except OSError:  # closed
                return
            self.peers.add(peer)
            upstream = self._connect()
            self._open += [client, upstream]
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        with suppress(OSError):
            while data := source.recv(65536):
                sink.sendall(data)
        with suppress(OSError):
            sink.shutdown(socket.SHUT_WR)

    def close(self) -> None:
        self.server.close()
        for sock in self._open:
            with suppress(OSError):
                sock.close()


@dataclass
class SecondHost:
    namespace: str
    host_address: str  # this machine's end of the veth
    address: str  # the second host's


def _ip(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["ip", *args], capture_output=True, text=True, timeout=30)


def _free_subnet() -> IPv4Network:
    """A random /30 in 10.0.0.0/8 that no interface here uses (parallel runs each pick their own)."""
    used = [IPv4Interface(found).network for found in re.findall(r"inet (\S+)", _ip("-4", "-o", "addr").stdout)]
    while True:
        subnet = IPv4Network((10 << 24 | secrets.randbits(22) << 2, 30))
        if not any(subnet.overlaps(network) for network in used):
            return subnet


@pytest.fixture(scope="module")
def second_host():
    if os.geteuid() != 0 or not shutil.which("ip"):
        pytest.fail("this test needs root and iproute2 to create a network namespace (`ip netns add`); CI runs as "
                    "root (.ci/run). Run it as root, or leave it to CI.")
    tag = secrets.token_hex(3)
    namespace, host_side, far_side = f"cn-second-{tag}", f"cnh{tag}", f"cnn{tag}"  # interface names: 15 chars max
    subnet = _free_subnet()
    host_address, address = (str(a) for a in list(subnet.hosts())[:2])
    steps = [
        ["netns", "add", namespace],
        ["link", "add", host_side, "type", "veth", "peer", "name", far_side],
        ["link", "set", far_side, "netns", namespace],
        ["addr", "add", f"{host_address}/30", "dev", host_side],
        ["link", "set", host_side, "up"],
        ["-n", namespace, "addr", "add", f"{address}/30", "dev", far_side],
        ["-n", namespace, "link", "set", far_side, "up"],
        ["-n", namespace, "link", "set", "lo", "up"],
    ]
    try:
        for step in steps:
            done = _ip(*step)
            if done.returncode != 0:
                pytest.fail(f"`ip {' '.join(step)}` failed: {done.stderr.strip()}")
        yield SecondHost(namespace, host_address, address)
    finally:
        _ip("netns", "del", namespace)  # takes its end of the veth, and with it ours
        _ip("link", "del", host_side)


def _redis_upstream(url: str) -> tuple[str, int]:
    parsed = urlparse(url)
    return parsed.hostname or "127.0.0.1", parsed.port or 6379


def _through(url: str, relays: dict) -> str:
    """The Redis URL as the second host must use it: the relay's address instead of the server's."""
    relay = relays[_redis_upstream(url)]
    parsed = urlparse(url)
    credentials = parsed.netloc.rpartition("@")[0]
    netloc = f"{credentials}@" if credentials else ""
    return urlunparse(parsed._replace(netloc=f"{netloc}{relay.server.getsockname()[0]}:{relay.port}"))


@pytest.fixture(scope="module")
def remote_worker(second_host, django_db_setup):
    """`celery worker` inside the namespace, with its own host name (a UTS namespace), consuming the imports queue."""
    db = connection.settings_dict
    pg_upstream = (f"{db['HOST']}/.s.PGSQL.{db['PORT'] or 5432}" if db["HOST"].startswith("/")
                   else (db["HOST"] or "127.0.0.1", int(db["PORT"] or 5432)))
    relays = {"postgres": Relay(second_host.host_address, pg_upstream)}
    redis_urls = {settings.REDIS_URL, settings.CELERY_BROKER_URL, settings.CELERY_RESULT_BACKEND}
    for url in redis_urls:
        relays.setdefault(_redis_upstream(url), Relay(second_host.host_address, _redis_upstream(url)))
    hostname = f"second-host-{second_host.namespace.rsplit('-', 1)[1]}"
    node = f"second@{hostname}"
    env = {**os.environ,
           "DATABASE_URL": f"postgresql://{db['USER']}:{db['PASSWORD']}@{second_host.host_address}:"
                           f"{relays['postgres'].port}/{db['NAME']}",
           "REDIS_URL": _through(settings.REDIS_URL, relays),
           "CELERY_BROKER_URL": _through(settings.CELERY_BROKER_URL, relays),
           "CELERY_RESULT_BACKEND": _through(settings.CELERY_RESULT_BACKEND, relays),
           "CONVONEST_TESTING": "true", "CACHE_PREFIX": settings.CACHE_PREFIX, "MEDIA_ROOT": str(settings.MEDIA_ROOT),
           "BILLING_ENFORCE_LIMITS": "false"}  # as the autouse fixture has it in this process
    env.pop("CELERY_METRICS_PORT", None)
    set_hostname_then_celery = ("import os, socket, sys; socket.sethostname(sys.argv[1]); "
                                "os.execv(sys.executable, [sys.executable, '-m', 'celery', *sys.argv[2:]])")
    log = tempfile.NamedTemporaryFile(prefix="second-host-worker-", suffix=".log", delete=False)  # noqa: SIM115
    worker = subprocess.Popen(
        ["ip", "netns", "exec", second_host.namespace, "unshare", "--uts", "--",
         sys.executable, "-c", set_hostname_then_celery, hostname,
         "-A", "convonest", "worker", "-P", "solo", "-Q", settings.WORKLOAD_QUEUES["imports"], "-n", node,
         "-l", "info", "--without-gossip", "--without-mingle"],
        env=env, cwd=REPO / "backend", stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 90
        while not celery_app.control.ping(destination=[node], timeout=1):
            if worker.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the second host's worker did not come up:\n{Path(log.name).read_text()[-4000:]}")
        yield {"node": node, "hostname": hostname, "relays": relays, "address": second_host.address}
    finally:
        worker.terminate()
        try:
            worker.wait(30)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait(10)
        for relay in relays.values():
            relay.close()
        Path(log.name).unlink(missing_ok=True)


def test_an_import_posted_on_alpha_runs_on_the_second_host_and_writes_only_alpha(remote_worker, django_db_blocker):
    import_on_alpha_runs_and_writes_only_alpha(django_db_blocker, timeout=60)

    # It ran there: the second host's worker counts the task, under the host name only that namespace has...
    node = remote_worker["node"]
    stats = celery_app.control.inspect(destination=[node], timeout=5).stats()
    assert stats[node]["total"] == {IMPORT_TASK: 1}
    assert remote_worker["hostname"] != socket.gethostname()
    # ...and everything it read and wrote went over the veth, from the second host's own address.
    for name, relay in remote_worker["relays"].items():
        assert relay.peers == {remote_worker["address"]}, name
