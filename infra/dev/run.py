"""`make dev`: the whole app on one machine, one command, one Ctrl-C to stop it.

1. settings: `.env` (else `.env.example`) under the real environment;
2. PostgreSQL + Redis: embedded unless DATABASE_URL / REDIS_URL are set (services.py);
3. setup: migrate_schemas, fill_schema_pool, bootstrap_demo;
4. together, with prefixed coloured output: Django on 127.0.0.1:8000, the events service (the live
   inbox's server-sent events, uvicorn) on 127.0.0.1:8002, a Celery worker, Celery beat, Next.js on :3000
   (which forwards /api/* to Django, and /api/inbox/events/ to the events service).

Each child runs in its own process group. SIGINT (Ctrl-C) or SIGTERM stops them all: SIGTERM to every
group, a grace period, then SIGKILL (a second Ctrl-C skips the wait). If one child dies on its own
the others are stopped and run.py exits non-zero. Standard library only.

    python infra/dev/run.py [--no-setup] [--without frontend] [--proc NAME=CMD ...] [--grace 10]

`--proc` replaces the default processes (handy to run a subset, or to try the supervisor).
"""
from __future__ import annotations

import argparse
import os
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from envfile import REPO_DIR, load_env_defaults
from services import ServiceError, ensure_services, release_services

DATA_DIR = REPO_DIR / ".data"
PY = sys.executable
MANAGE = str(REPO_DIR / "backend" / "manage.py")
WEB_HOST = "127.0.0.1"
WEB_PORT = 8000
EVENTS_PORT = 8002
FRONTEND_PORT = 3000
SANDBOX_PORT = int(os.environ.get("SANDBOX_PORT", "8010"))
STRIPE_PORT = int(os.environ.get("LOCALSTRIPE_PORT", "8420"))
EARLY = {"sandbox", "stripe"}  # started before the setup steps, which need them
# The Celery queues of settings.CELERY_TASK_DEFAULT_QUEUE and WORKLOAD_QUEUES but campaigns (the dispatcher's).
DEV_WORKER_QUEUES = "celery,routing,sends,imports,media"

COLOURS = ["36", "35", "33", "32", "34", "96", "95", "93"]  # cyan, magenta, yellow, green, blue, ...


@dataclass
class Proc:
    name: str
    cmd: list[str]
    cwd: Path = REPO_DIR
    env: dict[str, str] = field(default_factory=dict)
    port: int | None = None  # must be free before we start
    popen: subprocess.Popen | None = None
    reader: threading.Thread | None = None


def events_cmd(host: str, port: int) -> list[str]:
    """The events service (apps/messaging/events_asgi.py); streams end at once on Ctrl-C, browsers reconnect."""
    return [PY, "-m", "uvicorn", "apps.messaging.events_asgi:application", "--host", host, "--port", str(port),
            "--timeout-graceful-shutdown", "3", "--no-access-log"]


def default_procs(data_dir: Path, web_port: int, frontend_port: int, events_port: int = EVENTS_PORT) -> list[Proc]:
    (data_dir / "celery").mkdir(parents=True, exist_ok=True)
    frontend_cmd = ["npm", "run", "dev"]
    if frontend_port != FRONTEND_PORT:
        frontend_cmd += ["--", "-p", str(frontend_port)]
    procs = [
        Proc("web", [PY, MANAGE, "runserver", f"{WEB_HOST}:{web_port}"], port=web_port),
        Proc("events", events_cmd(WEB_HOST, events_port), port=events_port),
        # One worker for every queue but campaigns on one machine (production gives each its own pool:
        # settings.WORKLOAD_QUEUES, docs/runbook.md "Queues and workers").
        Proc("worker", [PY, "-m", "celery", "-A", "convonest", "worker", "-l", "info", "-Q", DEV_WORKER_QUEUES]),
        # Campaign dispatchers (long-running, one per running campaign) on their own queue and worker.
        Proc("dispatcher", [PY, "-m", "celery", "-A", "convonest", "worker", "-l", "info", "-Q", "campaigns",
                            "-c", "2", "-n", "campaigns@%h"]),
        Proc("beat", [PY, "-m", "celery", "-A", "convonest", "beat", "-l", "info",
                      "-s", str(data_dir / "celery" / "beat-schedule")]),
        Proc("frontend", frontend_cmd, cwd=REPO_DIR / "frontend", port=frontend_port,
             env={"BACKEND_URL": f"http://{WEB_HOST}:{web_port}", "EVENTS_URL": f"http://{WEB_HOST}:{events_port}",
                  "NEXT_TELEMETRY_DISABLED": "1"}),
        # The WhatsApp sandbox stands in for Meta: started before setup (bootstrap_demo verifies the demo
        # number against it); its webhooks go to Django on the public host.
        # Its simulated customers read 60% of what is delivered and answer a sixth of that, so a campaign's funnel
        # fills past "delivered" (SANDBOX_READ_SHARE=0 leaves reading to the phone pages).
        Proc("sandbox", [PY, "-m", "sandbox", "--host", "127.0.0.1", "--port", str(SANDBOX_PORT),
                         "--webhook-url", f"http://localhost:{web_port}/webhooks/whatsapp"], port=SANDBOX_PORT,
             env={"SANDBOX_READ_SHARE": os.environ.get("SANDBOX_READ_SHARE", "0.6"),
                  "SANDBOX_REPLY_SHARE": os.environ.get("SANDBOX_REPLY_SHARE", "0.17")}),
        # localstripe, with Stripe's hosted Checkout and portal pages (sandbox.stripe_hosted), stands in for Stripe
        # (docs/billing.md; it keeps its store in /tmp/localstripe.pickle), and `billing_seed` (a setup step)
        # creates the plans and registers our webhook at every start: localstripe forgets webhooks when it stops.
        Proc("stripe", [PY, "-m", "sandbox.stripe_hosted", "--port", str(STRIPE_PORT)], port=STRIPE_PORT),
    ]
    return procs


SETUP_STEPS = [
    ("migrate", [PY, MANAGE, "migrate_schemas"]),
    ("pool", [PY, MANAGE, "fill_schema_pool"]),
    ("demo", [PY, MANAGE, "bootstrap_demo"]),
    ("stripe", [PY, MANAGE, "billing_seed", "--webhook-url", f"http://localhost:{WEB_PORT}/webhooks/stripe"]),
]


class Output:
    """Line-prefixed, coloured, thread-safe output."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.colour = (sys.stdout.isatty() and not os.environ.get("NO_COLOR")) or bool(
            os.environ.get("FORCE_COLOR")
        )
        self.width = 8
        self.colours: dict[str, str] = {}

    def prefix(self, name: str) -> str:
        label = f"{name:>{self.width}} |"
        if not self.colour:
            return label
        code = self.colours.setdefault(name, COLOURS[len(self.colours) % len(COLOURS)])
        return f"\033[{code}m{label}\033[0m"

    def line(self, name: str, text: str) -> None:
        data = f"{self.prefix(name)} {text}\n".encode(errors="replace")
        with self.lock:
            try:
                sys.stdout.buffer.write(data)
                sys.stdout.buffer.flush()
            except OSError:  # output closed (a pipe reader went away): keep supervising regardless
                pass

    def say(self, text: str) -> None:
        self.line("dev", text)


class Supervisor:
    def __init__(self, out: Output, grace: float) -> None:
        self.out = out
        self.grace = grace
        self.procs: list[Proc] = []
        self.stop_requested = threading.Event()
        self.hurry = threading.Event()
        self.stop_signal: int | None = None
        self.stopped = False

    # signals ------------------------------------------------------------------------------------
    def install_signal_handlers(self) -> None:
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(sig, self._on_signal)

    def _on_signal(self, signum: int, _frame) -> None:
        if self.stop_requested.is_set():
            self.hurry.set()
            return
        self.stop_signal = signum
        self.stop_requested.set()

    # children -----------------------------------------------------------------------------------
    def start(self, proc: Proc, env: dict[str, str]) -> None:
        proc.popen = subprocess.Popen(
            proc.cmd,
            cwd=proc.cwd,
            env={**env, **proc.env},
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # own process group: we decide when it gets a signal
        )
        proc.reader = threading.Thread(target=self._pump, args=(proc,), daemon=True)
        proc.reader.start()
        self.procs.append(proc)
        self.out.say(f"started {proc.name} (pid {proc.popen.pid}): {shlex.join(proc.cmd)}")

    def _pump(self, proc: Proc) -> None:
        assert proc.popen and proc.popen.stdout
        for raw in iter(proc.popen.stdout.readline, b""):
            self.out.line(proc.name, raw.decode(errors="replace").rstrip("\r\n"))

    @staticmethod
    def _killpg(proc: Proc, sig: int) -> None:
        if proc.popen is None:
            return
        try:
            os.killpg(proc.popen.pid, sig)
        except (ProcessLookupError, PermissionError):
            pass

    def stop_all(self) -> bool:
        """SIGTERM every group, wait up to `grace`, SIGKILL what is left. True if all went quietly."""
        if self.stopped:
            return True
        self.stopped = True
        running = [p for p in self.procs if p.popen and p.popen.poll() is None]
        if running:
            self.out.say(f"stopping {', '.join(p.name for p in running)} ...")
        for proc in self.procs:
            self._killpg(proc, signal.SIGTERM)
        deadline = time.monotonic() + self.grace
        while time.monotonic() < deadline and not self.hurry.is_set():
            if all(p.popen.poll() is not None for p in self.procs if p.popen):
                break
            time.sleep(0.1)
        quiet = True
        for proc in self.procs:
            if proc.popen and proc.popen.poll() is None:
                self.out.say(f"{proc.name} did not stop in time; killing it")
                quiet = False
            self._killpg(proc, signal.SIGKILL)  # also mops up stragglers left in the group
        for proc in self.procs:
            if proc.popen:
                proc.popen.wait()
            if proc.reader:
                proc.reader.join(timeout=2)
        return quiet

    def run_step(self, name: str, cmd: list[str], env: dict[str, str]) -> int:
        """Run a setup command to completion (interruptible); returns its exit code."""
        proc = Proc(name, cmd)
        self.start(proc, env)
        assert proc.popen
        while proc.popen.poll() is None:
            if self.stop_requested.wait(0.1):
                self.stop_all()
                return 130
        if proc.reader:
            proc.reader.join(timeout=5)
        self.procs.remove(proc)
        return proc.popen.returncode

    def supervise(self) -> int:
        """Wait until a stop is asked for (exit 0) or a child dies (exit non-zero)."""
        while not self.stop_requested.wait(0.2):
            for proc in self.procs:
                code = proc.popen.poll() if proc.popen else None
                if code is not None:
                    self.out.say(f"{proc.name} exited with code {code}; stopping the rest")
                    self.stop_all()
                    return code if code > 0 else (128 - code if code < 0 else 1)
        name = signal.Signals(self.stop_signal).name if self.stop_signal else "stop"
        self.out.say(f"{name} received")
        return 0 if self.stop_all() else 1


def port_in_use(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return True
    return False


def wait_for_port(port: int, stop: threading.Event, timeout: float = 180) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and not stop.is_set():
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return True
        except OSError:
            stop.wait(0.5)
    return False


def site_url(host: str) -> str:
    scheme = os.environ.get("SITE_SCHEME", "http")
    port = os.environ.get("SITE_PORT", str(FRONTEND_PORT))
    return f"{scheme}://{host}{':' + port if port else ''}"


def banner(out: Output, env: dict[str, str], web_port: int) -> None:
    base = os.environ.get("BASE_DOMAIN", "localhost")
    slug = os.environ.get("DEMO_TENANT_SLUG", "demo")
    lines = [
        "",
        "ConvoNest is starting",
        f"  public site    {site_url(base)}",
        f"  demo tenant    {site_url(f'{slug}.{base}')}",
        f"  demo login     {os.environ.get('DEMO_EMAIL', '')} / {os.environ.get('DEMO_PASSWORD', '')}",
        f"  Django (API)   http://{WEB_HOST}:{web_port}",
        f"  live events    http://{WEB_HOST}:{EVENTS_PORT}/api/inbox/events/  (the events service)",
        f"  WhatsApp       http://127.0.0.1:{SANDBOX_PORT}/_sandbox/  (the sandbox standing in for Meta)",
        f"  Stripe         http://127.0.0.1:{STRIPE_PORT}  (localstripe standing in for Stripe)",
        f"  database       {env['DATABASE_URL']}",
        f"  redis          {env['REDIS_URL']}",
        "  Ctrl-C stops everything",
        "",
    ]
    for line in lines:
        out.say(line)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Run ConvoNest for development (make dev).")
    parser.add_argument("--no-setup", action="store_true", help="skip migrate_schemas/fill_schema_pool/...")
    parser.add_argument("--without", action="append", default=[], metavar="NAME",
                        help="leave out a process (web, events, worker, dispatcher, beat, frontend, sandbox, stripe)")
    parser.add_argument("--proc", action="append", default=[], metavar="NAME=CMD",
                        help="run these processes instead of the default ones")
    parser.add_argument("--web-port", type=int, default=WEB_PORT, help="Django's port (default 8000)")
    parser.add_argument("--frontend-port", type=int, default=FRONTEND_PORT,
                        help="Next.js port (default 3000; SITE_PORT follows it)")
    parser.add_argument("--grace", type=float, default=10.0, help="seconds to wait after SIGTERM")
    parser.add_argument("--data-dir", type=Path, default=DATA_DIR)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    out = Output()
    sup = Supervisor(out, args.grace)
    sup.install_signal_handlers()

    used = load_env_defaults(REPO_DIR)
    out.say(f"settings from {used.name if used else '(environment only)'}; the real environment wins")

    if args.proc:
        procs = []
        for spec in args.proc:
            name, sep, cmd = spec.partition("=")
            if not sep or not cmd:
                out.say(f"--proc wants NAME=CMD, got {spec!r}")
                return 2
            procs.append(Proc(name, shlex.split(cmd)))
    else:
        procs = default_procs(args.data_dir, args.web_port, args.frontend_port)
    if args.frontend_port != FRONTEND_PORT:
        os.environ["SITE_PORT"] = str(args.frontend_port)  # links must point at the port browsers use
    procs = [p for p in procs if p.name not in args.without]
    if any(p.name == "stripe" for p in procs):
        os.environ.setdefault("STRIPE_API_BASE", f"http://127.0.0.1:{STRIPE_PORT}")
    frontend = next((p for p in procs if p.name == "frontend"), None)
    if frontend and not (frontend.cwd / "package.json").exists():
        out.say("frontend/package.json not found: running without the frontend")
        procs.remove(frontend)
    elif frontend and not (frontend.cwd / "node_modules").exists():
        out.say("frontend/node_modules is missing: run `make install` first")
        return 1
    busy = [p for p in procs if p.port and port_in_use(p.port)]
    if busy:
        for proc in busy:
            out.say(f"port {proc.port} ({proc.name}) is already in use: is `make dev` running elsewhere?")
        return 1

    try:
        env = ensure_services(args.data_dir, "dev")
    except ServiceError as exc:
        out.say(f"services: {exc}")
        return 1
    try:
        os.environ.update(env)
        child_env = {**os.environ, "PYTHONUNBUFFERED": "1", "DJANGO_SETTINGS_MODULE": "convonest.settings"}
        for proc in [p for p in procs if p.name in EARLY]:
            sup.start(proc, child_env)
            if proc.port and not wait_for_port(proc.port, sup.stop_requested):
                return 0 if sup.stop_requested.is_set() else 1
        if not args.no_setup:
            if not Path(MANAGE).exists():
                out.say("backend/manage.py not found")
                return 1
            for name, cmd in SETUP_STEPS:
                if sup.stop_requested.is_set():
                    return 0
                code = sup.run_step(name, cmd, child_env)
                if sup.stop_requested.is_set():
                    return 0
                if code != 0:
                    out.say(f"{shlex.join(cmd[1:])} failed (exit {code})")
                    return code
        if not procs:
            out.say("nothing to run")
            return 0
        if sup.stop_requested.is_set():
            return 0
        banner(out, env, args.web_port)
        for proc in [p for p in procs if p.name not in EARLY]:
            if shutil.which(proc.cmd[0]) is None and not Path(proc.cmd[0]).exists():
                out.say(f"{proc.name}: command not found: {proc.cmd[0]}")
                sup.stop_all()
                return 127
            sup.start(proc, child_env)
        ports = [p.port for p in procs if p.port]

        def announce_ready() -> None:
            if all(wait_for_port(port, sup.stop_requested) for port in ports):
                base = os.environ.get("BASE_DOMAIN", "localhost")
                slug = os.environ.get("DEMO_TENANT_SLUG", "demo")
                out.say(f"ready: {site_url(base)}  and  {site_url(f'{slug}.{base}')}")

        if ports:
            threading.Thread(target=announce_ready, daemon=True).start()
        return sup.supervise()
    finally:
        sup.stop_all()
        release_services()


if __name__ == "__main__":
    sys.exit(main())
