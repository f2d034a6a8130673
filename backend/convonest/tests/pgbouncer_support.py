"""Test helpers for test_pgbouncer_pooling: a real PgBouncer in front of the test database, and a turnstile that
makes threads take turns statement by statement in a seeded order, so the same races happen on every run."""
from __future__ import annotations

import os
import pwd
import random
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from pathlib import Path

PGBOUNCER = shutil.which("pgbouncer") or "/usr/sbin/pgbouncer"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _unprivileged_user(host: str) -> str | None:
    """PgBouncer refuses to run as root; then it drops to the owner of PostgreSQL's socket directory (the embedded
    server's system user, who can reach the socket), or to `nobody` for a server over TCP."""
    if os.getuid() != 0:
        return None
    if host.startswith("/"):
        return pwd.getpwuid(Path(host).stat().st_uid).pw_name
    return "nobody"


class PgBouncer:
    """`with PgBouncer(settings_dict, pool_mode="session", pool_size=2) as port:` one pooler on a free port of
    127.0.0.1, in front of the database `settings_dict` names, with its own ini and userlist in a temporary dir.
    Clients are trusted (the test's own loopback); it logs in to PostgreSQL as the test database's user."""

    def __init__(self, settings_dict: dict, pool_mode: str, pool_size: int):
        self.db = settings_dict
        self.pool_mode = pool_mode
        self.pool_size = pool_size
        self.port = _free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="cn-pgbouncer-"))
        self.process: subprocess.Popen | None = None

    def _ini(self) -> str:
        db = self.db
        server = [f"host={db['HOST'] or '127.0.0.1'}", f"port={db['PORT'] or 5432}", f"dbname={db['NAME']}",
                  f"user={db['USER']}"] + ([f"password={db['PASSWORD']}"] if db["PASSWORD"] else [])
        user = _unprivileged_user(db["HOST"] or "127.0.0.1")
        return "\n".join([
            "[databases]",
            f"{db['NAME']} = {' '.join(server)}",
            "[pgbouncer]",
            "listen_addr = 127.0.0.1",
            f"listen_port = {self.port}",
            "unix_socket_dir =",
            "auth_type = trust",
            f"auth_file = {self.dir / 'userlist.txt'}",
            f"pool_mode = {self.pool_mode}",
            f"default_pool_size = {self.pool_size}",
            "max_client_conn = 20",
            "server_reset_query = DISCARD ALL",  # the default, stated: session mode relies on it
            *([f"user = {user}"] if user else []),
        ]) + "\n"

    def __enter__(self) -> int:
        (self.dir / "userlist.txt").write_text(f'"{self.db["USER"]}" ""\n')  # trust still needs the user listed
        (self.dir / "pgbouncer.ini").write_text(self._ini())
        self.log = (self.dir / "pgbouncer.log").open("w")
        # In the foreground, logging to our file: we own its lifetime and need no pidfile.
        self.process = subprocess.Popen([PGBOUNCER, str(self.dir / "pgbouncer.ini")], stdout=self.log,
                                        stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return self.port
            except OSError:
                time.sleep(0.05)
        self.__exit__()
        raise RuntimeError(f"pgbouncer did not start:\n{(self.dir / 'pgbouncer.log').read_text()}")

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.log.close()
        shutil.rmtree(self.dir, ignore_errors=True)


class Turnstile:
    """Threads that run SQL one statement at a time, in an order drawn from a seeded random generator: before every
    statement the running thread hands the turn to a thread the generator picks (maybe itself) and waits until the
    turn is its own again. Only one thread runs at a time, so the same seed gives the same schedule on every run.
    Installed with `connection.execute_wrapper(turnstile.hook(name))`, the switch sits between django-tenants'
    `SET search_path` (sent when a cursor is opened) and the statement that relies on it, which is exactly where
    another client's SET can land on a shared server connection."""

    TIMEOUT = 30  # a thread that never hands the turn back is a bug: fail instead of hanging the suite

    def __init__(self, names: list[str], seed: int):
        self.order = list(names)
        self.turn = self.order[0]
        self.random = random.Random(seed)
        self.changed = threading.Condition()

    def wait_for_turn(self, name: str) -> None:
        with self.changed:
            if not self.changed.wait_for(lambda: self.turn == name, timeout=self.TIMEOUT):
                raise TimeoutError(f"{name} waited {self.TIMEOUT}s for its turn")

    def pass_turn(self, name: str) -> None:
        with self.changed:
            self.turn = self.random.choice(self.order)
            self.changed.notify_all()
        self.wait_for_turn(name)

    def leave(self, name: str) -> None:
        """A finished thread drops out, handing its turn on, so the others run on without it."""
        with self.changed:
            self.order.remove(name)
            if self.turn == name and self.order:
                self.turn = self.random.choice(self.order)
            self.changed.notify_all()

    def hook(self, name: str):
        def before_each_statement(execute, sql, params, many, context):
            self.pass_turn(name)
            return execute(sql, params, many, context)

        return before_each_statement
