"""Webhook ingest benchmark: signed, realistic Meta events per second through the real endpoint
(`POST /webhooks/whatsapp` on the public host) under gunicorn, divided by a trivial Django view
(`/healthz`) on the same server, in the same run, with the same load generator.

Then every accepted event is routed (the Celery task's body, run here) and counted: stored == accepted,
and every change handled in the business's schema.

Runs against its own database, `<DATABASE_URL's name>_bench_webhook`, created and dropped here.
Usage (from the repository root): python -m bench.webhook.run [--seconds 10] [--concurrency 16] [--workers 2]
"""
import argparse
import asyncio
import hashlib
import hmac
import json
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx
from cryptography.fernet import Fernet

from bench.common import bench_database

REPO = Path(__file__).resolve().parents[2]
SECRET = "bench-app-secret"
NUMBER, WABA = "100000000000001", "200000000000001"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _event(i: int) -> bytes:
    """A status batch like Meta's: one `messages` change with a delivered status (unique per event)."""
    value = {"messaging_product": "whatsapp",
             "metadata": {"display_phone_number": "15550100001", "phone_number_id": NUMBER},
             "statuses": [{"id": f"wamid.bench{i:09d}", "status": "delivered", "timestamp": str(1767225600 + i),
                           "recipient_id": "16505550101",
                           "pricing": {"billable": False, "pricing_model": "PMP", "category": "utility"}}]}
    payload = {"object": "whatsapp_business_account",
               "entry": [{"id": WABA, "changes": [{"field": "messages", "value": value}]}]}
    return json.dumps(payload, separators=(",", ":")).encode()


async def _load(url: str, bodies: list[bytes] | None, seconds: float, concurrency: int) -> dict:
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    counter = iter(range(10**9))
    deadline = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(limits=limits, timeout=30, headers={"Host": "localhost"}) as client:
        async def worker():
            while time.perf_counter() < deadline:
                if bodies is None:
                    started = time.perf_counter()
                    response = await client.get(url)
                else:
                    body = bodies[next(counter) % len(bodies)]
                    signature = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
                    started = time.perf_counter()
                    response = await client.post(url, content=body, headers={
                        "Content-Type": "application/json", "X-Hub-Signature-256": signature})
                latencies.append(time.perf_counter() - started)
                statuses[response.status_code] = statuses.get(response.status_code, 0) + 1

        began = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - began
    latencies.sort()
    return {"rps": len(latencies) / elapsed, "p50": statistics.median(latencies) * 1000,
            "p99": latencies[int(len(latencies) * 0.99) - 1] * 1000, "statuses": statuses, "count": len(latencies)}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    with bench_database("bench_webhook") as bench_url:
        env = {**os.environ, "DATABASE_URL": bench_url, "WHATSAPP_APP_SECRET": SECRET, "DJANGO_DEBUG": "0",
               "DJANGO_SETTINGS_MODULE": "convonest.settings", "LOG_LEVEL": "WARNING",
               "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY") or "bench-secret-key-not-for-production",
               "FIELD_ENCRYPTION_KEY": os.environ.get("FIELD_ENCRYPTION_KEY") or Fernet.generate_key().decode()}
        os.environ.update(env)
        return _run(args, env)


def _run(args, env) -> int:
    import django

    django.setup()
    from django.core.management import call_command
    from django_tenants.utils import schema_context

    from apps.whatsapp.client import PhoneNumberInfo
    from apps.whatsapp.services import _save_connection
    from tenants.ingress.router import webhook_event_route
    from tenants.models import WebhookChange, WebhookEvent
    from tenants.services import tenant_signup

    call_command("migrate_schemas", interactive=False, verbosity=0)
    tenant = tenant_signup(business_name="Bench", slug="bench", email="b@bench.example",
                           password="bench-passphrase-1").tenant
    with schema_context(tenant.schema_name):
        _save_connection(tenant=tenant, waba_id=WABA, access_token="t", connected_via="manual",
                         numbers=[PhoneNumberInfo({"id": NUMBER, "display_phone_number": "+1 555-010-0001"})])

    port = _free_port()
    # Celery's broker would be reached after each commit; route later, here, so the HTTP path is measured.
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "convonest.wsgi", "-b", f"127.0.0.1:{port}", "-w", str(args.workers),
         "--log-level", "warning"], cwd=REPO / "backend", env={**env, "CELERY_TASK_ALWAYS_EAGER": "0"})
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(200):
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        bodies = [_event(i) for i in range(200_000)]
        asyncio.run(_load(f"{base}/healthz", None, 2, args.concurrency))  # warm-up
        trivial = asyncio.run(_load(f"{base}/healthz", None, args.seconds, args.concurrency))
        webhook = asyncio.run(_load(f"{base}/webhooks/whatsapp", bodies, args.seconds, args.concurrency))
    finally:
        server.terminate()
        server.wait(10)

    accepted = webhook["statuses"].get(200, 0)
    stored = WebhookEvent.objects.count()
    started = time.perf_counter()
    for event_id in WebhookEvent.objects.values_list("pk", flat=True):
        webhook_event_route(event_id)
    routing = time.perf_counter() - started
    handled = WebhookChange.objects.filter(status="handled", tenant=tenant).count()

    print(f"\nwebhook benchmark: gunicorn -w {args.workers}, {args.concurrency} concurrent clients, "
          f"{args.seconds:.0f} s each")
    print(f"  trivial view  {trivial['rps']:8.0f} req/s   p50 {trivial['p50']:6.1f} ms   p99 {trivial['p99']:6.1f} ms")
    print(f"  webhook       {webhook['rps']:8.0f} ev/s    p50 {webhook['p50']:6.1f} ms   p99 {webhook['p99']:6.1f} ms")
    print(f"  ratio webhook / trivial: {webhook['rps'] / trivial['rps']:.2f}")
    print(f"  accepted {accepted}, stored {stored}, routed and handled {handled} "
          f"(routing {stored / routing:.0f} ev/s in one process); other answers: "
          f"{ {k: v for k, v in webhook['statuses'].items() if k != 200} }")
    return 0 if accepted == stored == handled else 1


if __name__ == "__main__":
    sys.exit(main())
