"""`make e2e`: the Playwright suite against a fresh database of its own.

On the PostgreSQL server of DATABASE_URL (embedded unless set, see services.py) it drops and creates
`convonest_e2e`, runs migrate_schemas and fill_schema_pool there, then `npm --prefix frontend run e2e`
(next build + playwright) with:

    DATABASE_URL     that database
    SITE_PORT        3100 (the port the browser uses: `next start` on 3100)
    E2E_BACKEND_CMD  Django on 127.0.0.1:8001 (Playwright's webServer starts it)
    BACKEND_URL      http://127.0.0.1:8001 (where Next.js forwards /api/*)
    EVENTS_URL       http://127.0.0.1:8003 (the events service, started here: the live inbox's stream)
    STRIPE_API_BASE  localstripe with Stripe's hosted Checkout and portal pages (sandbox.stripe_hosted) on a free
                     port (started here, from scratch, its plans seeded and our webhook registered)

The development database `convonest` is never touched. CONVONEST_E2E_DATABASE renames the e2e one
(for two checkouts sharing one server).
"""
from __future__ import annotations

import os
import shlex
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from envfile import REPO_DIR, load_env_defaults
from run import DEV_WORKER_QUEUES
from services import ServiceError, ensure_services, release_services

E2E_DATABASE = os.environ.get("CONVONEST_E2E_DATABASE") or "convonest_e2e"
BACKEND_ADDR = "127.0.0.1:8001"
EVENTS_PORT = "8003"  # not make dev's 8002
FRONTEND_PORT = "3100"
SANDBOX_PORT = "8011"  # not make dev's 8010: both may run at once
CHROMIUM = Path("/usr/bin/chromium")


def with_database(url: str, name: str) -> str:
    """The same server URL (socket ?host= kept), another database."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


def free_port() -> int:
    """A port nothing listens on now (localstripe: make dev's may hold 8420)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def recreate_database(url: str, name: str) -> None:
    import psycopg
    from psycopg import sql

    # Connect to the server's maintenance database, never to the one being dropped.
    with psycopg.connect(with_database(url, "postgres"), autocommit=True, connect_timeout=10) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def run(cmd: list[str], env: dict[str, str]) -> int:
    """Run in our process group (a Ctrl-C reaches it directly); pass SIGTERM on."""
    print(f"[e2e] $ {shlex.join(cmd)}", file=sys.stderr, flush=True)
    child = subprocess.Popen(cmd, env=env, cwd=REPO_DIR)
    previous = signal.signal(signal.SIGTERM, lambda signum, _f: child.send_signal(signum))
    try:
        code = child.wait()
    finally:
        signal.signal(signal.SIGTERM, previous)
    return 128 - code if code < 0 else code


def main() -> int:
    load_env_defaults(REPO_DIR)
    if not CHROMIUM.exists():
        print(f"[e2e] {CHROMIUM} is missing: install Debian's chromium (make install does, as root)",
              file=sys.stderr)
        return 1
    try:
        services = ensure_services(REPO_DIR / ".data", "e2e")
    except ServiceError as exc:
        print(f"[e2e] {exc}", file=sys.stderr)
        return 1
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the children get the terminal's Ctrl-C themselves
    try:
        os.environ.update(services)
        try:
            recreate_database(services["DATABASE_URL"], E2E_DATABASE)
        except Exception as exc:  # any driver error, reported plainly
            print(f"[e2e] cannot recreate database {E2E_DATABASE}: {exc}", file=sys.stderr)
            return 1
        manage = [sys.executable, str(REPO_DIR / "backend" / "manage.py")]
        stripe_port = free_port()
        env = {
            **os.environ,
            "DATABASE_URL": with_database(services["DATABASE_URL"], E2E_DATABASE),
            "SITE_PORT": FRONTEND_PORT,
            "E2E_BACKEND_CMD": shlex.join([*manage, "runserver", BACKEND_ADDR, "--noreload"]),
            "E2E_BACKEND_URL": f"http://{BACKEND_ADDR}",
            "E2E_FRONTEND_PORT": FRONTEND_PORT,
            "BACKEND_URL": f"http://{BACKEND_ADDR}",
            "EVENTS_URL": f"http://127.0.0.1:{EVENTS_PORT}",
            "NEXT_TELEMETRY_DISABLED": "1",
            "PYTHONUNBUFFERED": "1",
            # The WhatsApp sandbox stands in for Meta; the demo business gets its demo number.
            "WHATSAPP_GRAPH_URL": f"http://127.0.0.1:{SANDBOX_PORT}",
            "E2E_SANDBOX_URL": f"http://127.0.0.1:{SANDBOX_PORT}",
            # localstripe (with hosted Checkout) stands in for Stripe, as in make dev.
            "STRIPE_API_BASE": f"http://127.0.0.1:{stripe_port}",
            # The demo stays on the basic trial (the billing test buys a plan from it): no 10,000-contact audience.
            "DEMO_AUDIENCE_SIZE": "0",
        }
        print(f"[e2e] database {E2E_DATABASE} recreated; backend {BACKEND_ADDR}, frontend :{FRONTEND_PORT}",
              file=sys.stderr, flush=True)
        sandbox = subprocess.Popen(
            [sys.executable, "-m", "sandbox", "--port", SANDBOX_PORT, "--state-file", "none",
             "--webhook-url", f"http://localhost:{BACKEND_ADDR.split(':')[1]}/webhooks/whatsapp"],
            env=env, cwd=REPO_DIR)
        # --from-scratch: never read the store a dev localstripe left in /tmp/localstripe.pickle.
        stripe = subprocess.Popen([sys.executable, "-m", "sandbox.stripe_hosted", "--port", str(stripe_port),
                                   "--from-scratch"], env=env, cwd=REPO_DIR, stdout=subprocess.DEVNULL)
        try:
            if not wait_for_port(int(SANDBOX_PORT)):
                print("[e2e] the WhatsApp sandbox did not start", file=sys.stderr)
                return 1
            if not wait_for_port(stripe_port):
                print("[e2e] localstripe did not start", file=sys.stderr)
                return 1
            webhook = f"http://localhost:{BACKEND_ADDR.split(':')[1]}/webhooks/stripe"
            for step in (["migrate_schemas"], ["fill_schema_pool"], ["bootstrap_demo"],
                         ["billing_seed", "--webhook-url", webhook]):
                code = run([*manage, *step], env)
                if code != 0:
                    return code
            # A real worker sends what the browser queues (the outbox), as in production.
            worker = subprocess.Popen([sys.executable, "-m", "celery", "-A", "convonest", "worker", "-P", "solo",
                                       "-Q", DEV_WORKER_QUEUES, "-l", "warning"], env=env, cwd=REPO_DIR)
            # Campaign dispatchers have their own queue and worker (settings.CELERY_TASK_ROUTES).
            dispatcher = subprocess.Popen([sys.executable, "-m", "celery", "-A", "convonest", "worker", "-P", "solo",
                                           "-Q", "campaigns", "-n", "campaigns@%h", "-l", "warning"], env=env,
                                          cwd=REPO_DIR)
            # The live inbox's server-sent events come from the events service, as in production.
            events = subprocess.Popen([sys.executable, "-m", "uvicorn", "apps.messaging.events_asgi:application",
                                       "--host", "127.0.0.1", "--port", EVENTS_PORT, "--timeout-graceful-shutdown",
                                       "2", "--log-level", "warning"], env=env, cwd=REPO_DIR)
            try:
                if not wait_for_port(int(EVENTS_PORT)):
                    print("[e2e] the events service did not start", file=sys.stderr)
                    return 1
                # Arguments go on to Playwright: `infra/dev/e2e.py e2e/billing.spec.ts` runs one file.
                return run(["npm", "--prefix", str(REPO_DIR / "frontend"), "run", "e2e", "--", *sys.argv[1:]], env)
            finally:
                for child in (events, worker, dispatcher):
                    child.terminate()
                for child in (events, worker, dispatcher):
                    child.wait(20)
        finally:
            for child in (stripe, sandbox):
                child.terminate()
            for child in (stripe, sandbox):
                child.wait(10)
    finally:
        release_services()


def wait_for_port(port: int, timeout: float = 30) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return True
        except OSError:
            time.sleep(0.2)
    return False


if __name__ == "__main__":
    sys.exit(main())
