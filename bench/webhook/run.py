"""Webhook ingest benchmark, in three parts, on one server (gunicorn), in one run:

1. Ingest: signed, unique Meta status events per second through the real endpoint (`POST /webhooks/whatsapp` on
   the public host: verify, one INSERT, wake a router, 200) divided by a trivial Django view (`/healthz`), from a
   native load generator (wrk, one thread; bench.webhook.load): a warm-up, then rounds alternating trivial and
   webhook; the ratio of each pair, printed as min / median / max, with the webhook's p99.
2. Every accepted event is then stored, routed and handled by the real router (two processes): counted.
3. Routing throughput: the router (batch claims) in 1 and 2 processes, for single-status events and for
   Meta-sized batches (100 statuses per change), statuses/s and events/s (bench.webhook.routing).

Without wrk (Debian's package; `make bench-webhook` installs it when run as root) the Python generator runs instead
and the bench says so: it shares the two cores with the server and caps both sides. `--smoke` (make test): a second
of each, the Python generator, no rates, only "every accepted event stored and handled".

Runs against its own database, `<DATABASE_URL's name>_bench_webhook` (`..._smoke`), created and dropped here.
Usage (from the repository root): python -m bench.webhook.run [--seconds 10] [--rounds 3] [--connections 16]
    [--workers 2] [--messages 1000] [--batched-messages 3000] [--python] [--smoke]
"""
import argparse
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

import httpx
from cryptography.fernet import Fernet

from bench.common import bench_database
from bench.webhook import load
from bench.webhook.events import NUMBERS, SECRET, WABA, delivered

REPO = Path(__file__).resolve().parents[2]
# The endpoint wakes a router through the broker; the bench's wake-ups go to a Redis database of their own and
# are dropped at the end (nothing consumes them: the bench routes after the HTTP rounds).
BENCH_BROKER_DB = 12


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=10, help="length of each round")
    parser.add_argument("--warmup", type=float, default=3, help="warm-up of each endpoint")
    parser.add_argument("--rounds", type=int, default=3, help="pairs of rounds (trivial, webhook)")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--messages", type=int, default=1000, help="messages of the single-status routing runs")
    parser.add_argument("--batched-messages", type=int, default=3000, help="messages of the batched runs")
    parser.add_argument("--python", action="store_true", help="use the Python generator even if wrk is there")
    parser.add_argument("--smoke", action="store_true", help="seconds: every accepted event stored and handled")
    args = parser.parse_args()
    if args.smoke:
        args.seconds, args.warmup, args.rounds, args.python = 1, 0, 1, True

    redis_url = urlparse(os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"))
    broker = urlunparse(redis_url._replace(path=f"/{BENCH_BROKER_DB}"))
    with bench_database("bench_webhook_smoke" if args.smoke else "bench_webhook") as bench_url:
        env = {**os.environ, "DATABASE_URL": bench_url, "WHATSAPP_APP_SECRET": SECRET, "DJANGO_DEBUG": "0",
               "DJANGO_SETTINGS_MODULE": "convonest.settings", "LOG_LEVEL": "WARNING",
               "CELERY_TASK_ALWAYS_EAGER": "0", "CELERY_BROKER_URL": broker, "CACHE_PREFIX": "cnbench_webhook",
               "BILLING_ENFORCE_LIMITS": "false", **_production_secrets()}
        os.environ.update(env)
        try:
            return _run(args, env)
        finally:
            import redis

            redis.Redis.from_url(broker).flushdb()


def _production_secrets() -> dict[str, str]:
    """gunicorn with DEBUG off refuses development and example secrets (convonest.checks): fresh ones per run."""
    fresh = {name: secrets.token_urlsafe(48) for name in (
        "DJANGO_SECRET_KEY", "JWT_SIGNING_KEY", "CONTACT_HASH_KEY", "WHATSAPP_VERIFY_TOKEN", "STRIPE_SECRET_KEY",
        "STRIPE_WEBHOOK_SECRET")}
    return {**fresh, "FIELD_ENCRYPTION_KEY": Fernet.generate_key().decode(),
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend"}


def _setup():
    """A business with eight numbers, and a few threads on each (statuses announce live events in them)."""
    from django.core.management import call_command
    from django_tenants.utils import schema_context

    from apps.contacts.services import contact_for_recipient
    from apps.messaging.conversations import conversation_for
    from apps.whatsapp.client import PhoneNumberInfo
    from apps.whatsapp.services import _save_connection
    from tenants.services import tenant_signup

    call_command("migrate_schemas", interactive=False, verbosity=0)
    tenant = tenant_signup(business_name="Bench", slug="bench", email="b@bench.example",
                           password="bench-passphrase-1").tenant
    with schema_context(tenant.schema_name):
        numbers = _save_connection(tenant=tenant, waba_id=WABA, access_token="t", connected_via="manual", numbers=[
            PhoneNumberInfo({"id": number, "display_phone_number": f"+1 555-010-{i:04d}"})
            for i, number in enumerate(NUMBERS)])
        threads = {number.phone_number_id: [
            conversation_for(contact=contact_for_recipient(phone=f"+1650555{i * 10 + k:04d}"), number=number)
            for k in range(5)] for i, number in enumerate(numbers)}
    return tenant, threads


def _run(args, env) -> int:
    import django

    django.setup()
    from tenants.ingress.models import WebhookChange, WebhookEvent

    tenant, threads = _setup()
    use_wrk = not args.python and load.wrk_available()
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "convonest.wsgi", "-b", f"127.0.0.1:{port}", "-w", str(args.workers),
         "--log-level", "warning"], cwd=REPO / "backend", env=env)
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_until_up(base)
        with tempfile.TemporaryDirectory(prefix="bench-webhook-") as scratch:
            ingest = _Ingest(base, Path(scratch), args.connections, use_wrk)
            pairs = ingest.rounds(args.warmup, args.seconds, args.rounds)
    finally:
        server.terminate()
        server.wait(10)

    from bench.webhook.routing import route_all, routing_run

    accepted = sum(webhook.ok for _, webhook in pairs) + ingest.warmup_ok
    refused = sum(webhook.other for _, webhook in pairs) + ingest.warmup_other
    stored = WebhookEvent.objects.count()
    route_seconds = route_all(2)
    handled = WebhookChange.objects.filter(status="handled", tenant=tenant).count()
    processed = WebhookEvent.objects.filter(status="processed").count()

    print(f"\nwebhook benchmark: gunicorn -w {args.workers}, {args.connections} connections, "
          + (f"wrk -t1, {args.rounds} x {args.seconds:.0f} s rounds after a {args.warmup:.0f} s warm-up" if use_wrk
             else "the PYTHON load generator (fallback: wrk is missing or --python; it shares the cores with the "
                  "server and caps both sides, so the ratio says little)"))
    ratios = []
    for index, (trivial, webhook) in enumerate(pairs, start=1):
        ratios.append(webhook.rps / trivial.rps)
        print(f"  round {index}: trivial view {trivial.rps:6.0f} req/s (p99 {trivial.p99_ms:5.1f} ms)   "
              f"webhook {webhook.rps:6.0f} ev/s (p50 {webhook.p50_ms:5.1f} ms, p99 {webhook.p99_ms:5.1f} ms)   "
              f"ratio {ratios[-1]:.2f}")
    p99s = [webhook.p99_ms for _, webhook in pairs]
    print(f"  ratio webhook / trivial: min {min(ratios):.2f}  median {statistics.median(ratios):.2f}  "
          f"max {max(ratios):.2f};  webhook p99: min {min(p99s):.1f}  median {statistics.median(p99s):.1f}  "
          f"max {max(p99s):.1f} ms")
    # wrk stops at the deadline without reading the answers in flight: those events are stored, not counted
    # as accepted (at most one per connection and round).
    in_flight = stored - accepted
    print(f"  accepted {accepted} (refused or failed: {refused}), stored {stored}"
          + (f" ({in_flight} answered after wrk stopped reading)" if in_flight else "")
          + f", routed {processed} and handled {handled} by 2 routers in {route_seconds:.1f} s")
    ingest_ok = (refused == 0 and 0 <= in_flight <= args.connections * (args.rounds + 1)
                 and stored == processed == handled)
    if not use_wrk:
        ingest_ok = ingest_ok and accepted == stored
    if args.smoke:
        return 0 if ingest_ok else 1

    print("\nrouting throughput (router: batch claims; statuses of real messages, sent -> delivered -> read):")
    routing_ok = True
    for per_change, messages in ((1, args.messages), (100, args.batched_messages)):
        for workers in (1, 2):
            routed = routing_run(tenant, threads, label=f"r{per_change}w{workers}", messages=messages,
                                 per_change=per_change, workers=workers)
            routing_ok = routing_ok and routed.handled == routed.events and routed.read == messages
            print(f"  {per_change:3d} status(es) per change, {workers} router(s): {routed.events:6d} events, "
                  f"{routed.statuses} statuses in {routed.seconds:5.2f} s = {routed.events_per_second:6.0f} "
                  f"events/s, {routed.statuses_per_second:6.0f} statuses/s (handled {routed.handled}/"
                  f"{routed.events}, read {routed.read}/{messages})")
    return 0 if ingest_ok and routing_ok else 1


def _wait_until_up(base: str) -> None:
    for _ in range(300):
        try:
            if httpx.get(f"{base}/healthz", timeout=1, headers={"Host": "localhost"}).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise RuntimeError("gunicorn did not answer /healthz")


class _Ingest:
    """The HTTP rounds: each webhook round posts bodies no earlier round posted."""

    def __init__(self, base: str, scratch: Path, connections: int, use_wrk: bool) -> None:
        self.base, self.scratch, self.connections, self.use_wrk = base, scratch, connections, use_wrk
        self.next_body = 0
        self.warmup_ok = self.warmup_other = 0

    def rounds(self, warmup: float, seconds: float, count: int) -> list[tuple[load.Round, load.Round]]:
        if warmup:
            trivial = self._trivial(warmup)
            webhook = self._webhook(warmup, trivial.rps)
            self.warmup_ok, self.warmup_other = webhook.ok, webhook.other
        pairs = []
        for _ in range(count):
            trivial = self._trivial(seconds)
            pairs.append((trivial, self._webhook(seconds, trivial.rps)))
        return pairs

    def _trivial(self, seconds: float) -> load.Round:
        url = f"{self.base}/healthz"
        if self.use_wrk:
            return load.wrk_round(url, seconds, self.connections)
        return load.python_round(url, seconds, self.connections)

    def _webhook(self, seconds: float, trivial_rps: float) -> load.Round:
        # Enough unique bodies for the webhook to outrun the trivial view threefold (a body is never posted twice;
        # at 1.5x, a round at 1.8x ran out and posted 90 bodies again, answered 200 as repeats and not stored).
        count = int(max(trivial_rps, 1000) * 3 * seconds) + 1000
        bodies = [delivered(i) for i in range(self.next_body, self.next_body + count)]
        self.next_body += count
        url = f"{self.base}/webhooks/whatsapp"
        if self.use_wrk:
            path = load.bodies_file_write(self.scratch / f"bodies-{self.next_body}.txt", bodies)
            return load.wrk_round(url, seconds, self.connections, path)
        return load.python_round(url, seconds, self.connections, bodies)


if __name__ == "__main__":
    sys.exit(main())
