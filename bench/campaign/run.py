"""Campaign dispatch benchmark: a 100,000-recipient campaign against the WhatsApp sandbox at a number's Meta
throughput (80 msg/s, and 1,000 after Meta's upgrade), the whole stack running as in production:

    the sandbox (a separate process: it enforces Meta's throughput, 130429, and pair rate, 131056, and sends signed
    status webhooks, up to 100 statuses a change) -> gunicorn (Meta's webhook endpoint) -> Celery workers (routing,
    statuses applied a change at a time) ; the campaign's dispatcher in its own Celery worker (queue `campaigns`)

For each rate it prints, measured in the same run:
  - achieved ÷ configured rate in the steady state (the first second, the start-up, left out);
  - duplicates at the sandbox (callback ids accepted more than once: must be 0) and 130429 answers (must be 0);
  - status lag p50 / p99: from the sandbox setting a message delivered to our MessageEvent for it;
  - the webhook backlog's peak (stored events not routed yet) and each process's peak RSS.
At 80 msg/s 100,000 recipients take ~21 minutes: a steady window (default 60 s) is measured, then the campaign is
cancelled (`--full` sends them all). Runs against its own database, `<DATABASE_URL's name>_bench_campaign`.

Usage (from the repository root): python -m bench.campaign.run [--recipients 100000] [--rates 1000,80]
    [--window-80 60] [--full]
"""
import argparse
import os
import socket
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import httpx

from bench.common import bench_database

REPO = Path(__file__).resolve().parents[2]
AIMS = {"ratio": 0.98, "duplicates": 0, "throttled": 0, "lag_p99": 2.0}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_http(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            httpx.get(url, timeout=1)
            return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer")


def _rss_peak_kb(pid: int) -> int:
    """VmHWM of a process and its children (a gunicorn or Celery master with its workers), in kB."""
    total = 0
    try:
        pids = [pid] + [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return 0
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    total = max(total, int(line.split()[1]))
        except OSError:
            pass
    return total


class Stack:
    """The processes of one run: sandbox, gunicorn, a routing worker and a dispatcher worker."""

    def __init__(self, env: dict):
        self.env = env
        self.sandbox_port, self.web_port = _free_port(), _free_port()
        self.procs: dict[str, subprocess.Popen] = {}
        self.peaks: Counter = Counter()

    def start(self) -> None:
        env = self.env
        self.procs["sandbox"] = subprocess.Popen(
            [sys.executable, "-m", "sandbox", "--host", "127.0.0.1", "--port", str(self.sandbox_port),
             "--webhook-url", f"http://localhost:{self.web_port}/webhooks/whatsapp"],
            env=env, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.procs["web (gunicorn)"] = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "convonest.wsgi", "-b", f"127.0.0.1:{self.web_port}", "-w", "2",
             "--worker-class", "gthread", "--threads", "8", "--log-level", "warning"],
            env=env, cwd=REPO / "backend")
        self.procs["worker (routing)"] = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "convonest", "worker", "-c", "2", "-l", "warning",
             "-n", "bench-routing@%h"], env=env, cwd=REPO / "backend")
        self.procs["dispatcher"] = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "convonest", "worker", "-P", "solo", "-Q", "campaigns", "-l",
             "warning", "-n", "bench-campaigns@%h"], env=env, cwd=REPO / "backend")
        _wait_http(f"http://127.0.0.1:{self.sandbox_port}/_sandbox/state")
        _wait_http(f"http://127.0.0.1:{self.web_port}/healthz")

    def sample(self) -> None:
        for name, proc in self.procs.items():
            self.peaks[name] = max(self.peaks[name], _rss_peak_kb(proc.pid))

    def stop(self) -> None:
        for proc in self.procs.values():
            proc.terminate()
        for proc in self.procs.values():
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                proc.kill()


def _seed(recipients: int, sandbox_url: str):
    """One business with the sandbox's two demo numbers (80 and 1,000 msg/s), its templates, and N contacts."""
    from django.db import connection
    from django_tenants.utils import schema_context

    from apps.templates.models import Template
    from apps.whatsapp.models import PhoneNumber
    from apps.whatsapp.services import bootstrap_connect
    from sandbox.demo_templates import demo_templates
    from sandbox.state import demo_values
    from tenants import services

    values = demo_values()
    services._refill_pool_later = lambda: None
    tenant = services.tenant_signup(business_name="Bench", slug="bench-campaign", email="b@bench.example",
                                    password="bench-passphrase-1").tenant
    with schema_context(tenant.schema_name):
        bootstrap_connect(tenant=tenant, waba_id=values["waba_id"], phone_number_id=values["phone_id"],
                          access_token=values["token"])
        PhoneNumber.objects.update(messaging_limit_tier="TIER_UNLIMITED")  # the bench measures pace, not the cap
        for i, d in enumerate(demo_templates()):
            Template.objects.update_or_create(
                waba_id=values["waba_id"], name=d["name"], language=d["language"],
                defaults={"meta_template_id": f"demo-{i}", "status": "APPROVED", "category": d["category"],
                          "components": d["components"], "parameter_format": d["parameter_format"]})
        with connection.cursor() as cursor:
            cursor.execute("""
                INSERT INTO contacts_contact (phone, wa_id, name, email, language, tags, attributes, marketing_consent,
                                              utility_consent, created_at, updated_at)
                SELECT '+1415' || lpad(i::text, 7, '0'), '', 'Person ' || i, '', '', ARRAY['bench'], '{}'::jsonb,
                       'opted_in', 'opted_in', now(), now()
                FROM generate_series(1, %s) AS i""", [recipients])
            cursor.execute("ANALYZE contacts_contact")
        numbers = {n.throughput_mps: n.phone_number_id for n in PhoneNumber.objects.all()}
    return tenant, numbers


def _settle(control: str, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        pending = httpx.get(f"{control}/webhooks", params={"state": "pending", "limit": 1, "body": 0}, timeout=30)
        if not pending.json()["deliveries"]:
            return
        time.sleep(1)


def _run_rate(tenant, number_id: str, rate: int, stack: Stack, window: float | None) -> dict:
    from django.db import connection
    from django_tenants.utils import schema_context

    from apps.campaigns.models import Campaign, CampaignVariant
    from apps.campaigns.services import campaign_cancel, campaign_start
    from apps.templates.models import Template
    from apps.whatsapp.models import PhoneNumber
    from tenants.ingress.models import WebhookEvent
    from tenants.members import Member
    from tenants.models import Role, User

    stack_url = f"http://127.0.0.1:{stack.sandbox_port}/_sandbox"
    _settle(stack_url)  # the previous run's status webhooks delivered: this run starts on an idle stack
    httpx.post(f"{stack_url}/reset", json={"demo": True}, timeout=30).raise_for_status()  # fresh counters
    member = Member(User.objects.get(email="b@bench.example"), tenant, Role.OWNER)
    with schema_context(tenant.schema_name):
        number = PhoneNumber.objects.get(phone_number_id=number_id)
        campaign = Campaign.objects.create(name=f"bench {rate}", phone_number=number, audience={"tags": ["bench"]})
        template = Template.objects.filter(name="appointment_reminder", status="APPROVED").first()
        mapping = {"body": [{"field": "first_name", "fallback": "there"}, {"value": "Friday at 10:00"}]}
        CampaignVariant.objects.create(campaign=campaign, index=0, template=template, mapping=mapping)
        started = time.monotonic()
        campaign_start(member=member, campaign=campaign)
        series, backlog_peak = [], 0
        while True:
            time.sleep(0.5)
            stack.sample()
            with connection.cursor() as cursor:
                cursor.execute("""SELECT count(*) FROM campaigns_campaignrecipient r
                                  JOIN messaging_message m ON m.id = r.message_id
                                  WHERE r.campaign_id = %s AND m.status IN ('sent', 'delivered', 'read')""",
                               [campaign.pk])
                sent = cursor.fetchone()[0]
            backlog = WebhookEvent.objects.filter(status__in=["received", "failed"]).count()
            backlog_peak = max(backlog_peak, backlog)
            series.append((time.monotonic() - started, sent))
            campaign.refresh_from_db()
            elapsed = time.monotonic() - started
            if campaign.status in ("completed", "failed", "paused") or (window and elapsed > window + 5):
                break
        if campaign.status == "running":
            campaign_cancel(member=member, campaign=campaign)
        time.sleep(3)  # the last statuses
        stack.sample()
    return {"series": series, "backlog_peak": backlog_peak, "campaign": campaign}


def _report(tenant, rate: int, result: dict, stack: Stack, full: bool) -> dict:
    from django.db import connection
    from django_tenants.utils import schema_context

    series = result["series"]
    moving = [(t, n) for t, n in series if n > 0]
    begin = next(((t, n) for t, n in moving if t >= moving[0][0] + 1.0), moving[0]) if moving else (0, 0)
    end = next(((t, n) for t, n in moving if n == moving[-1][1]), moving[-1]) if moving else (0, 0)
    achieved = (end[1] - begin[1]) / (end[0] - begin[0]) if end[0] > begin[0] else 0.0
    control = f"http://127.0.0.1:{stack.sandbox_port}/_sandbox"
    answer = httpx.get(f"{control}/messages", params={"limit": 1_000_000, "direction": "out"}, timeout=120)
    copies = answer.json()["data"]
    callbacks = Counter(m["biz_opaque_callback_data"] for m in copies)
    delivered_at = {m["id"]: s["timestamp"] for m in copies for s in m["statuses"] if s["status"] == "delivered"}
    with schema_context(tenant.schema_name), connection.cursor() as cursor:
        cursor.execute("""SELECT m.wamid, extract(epoch FROM min(e.created_at)) FROM messaging_messageevent e
                          JOIN messaging_message m ON m.id = e.message_id
                          WHERE e.status = 'delivered' AND m.wamid IS NOT NULL GROUP BY m.wamid""")
        applied = dict(cursor.fetchall())
        cursor.execute("""SELECT count(*) FROM messaging_messageevent
                          WHERE (detail -> 'error' ->> 'code') = '130429'""")
        throttled = cursor.fetchone()[0]
    lags = sorted(float(applied[w]) - delivered_at[w] for w in delivered_at if w in applied)

    def p(q: float) -> float:
        return lags[min(len(lags) - 1, int(q * len(lags)))] if lags else float("nan")

    return {"rate": rate, "achieved": achieved, "ratio": achieved / rate, "sent": len(copies),
            "duplicates": sum(1 for c in callbacks.values() if c > 1), "throttled": throttled,
            "lag_p50": p(0.50), "lag_p99": p(0.99), "lags": len(lags), "backlog_peak": result["backlog_peak"],
            "status": result["campaign"].status, "full": full}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--recipients", type=int, default=100_000)
    parser.add_argument("--rates", default="1000,80")
    parser.add_argument("--window-80", type=float, default=60.0, help="seconds measured at 80 msg/s (--full: all)")
    parser.add_argument("--full", action="store_true")
    args = parser.parse_args()
    with bench_database("bench_campaign") as url:
        # make dev's settings (its demo secrets: the sandbox signs with the demo app's secret), logs quiet.
        env = {**os.environ, "DATABASE_URL": url, "LOG_LEVEL": "WARNING",
               "DJANGO_SETTINGS_MODULE": "convonest.settings", "BILLING_ENFORCE_LIMITS": "false",
               "CELERY_TASK_DEFAULT_QUEUE": "celery", "CAMPAIGN_DISPATCH_SECONDS": "300"}
        from sandbox.state import demo_values

        demo = demo_values()
        env.update({"WHATSAPP_APP_ID": demo["app_id"], "WHATSAPP_APP_SECRET": demo["app_secret"]})
        stack = Stack(env)
        env["WHATSAPP_GRAPH_URL"] = f"http://127.0.0.1:{stack.sandbox_port}"
        os.environ.update(env)
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate_schemas", interactive=False, verbosity=0)
        stack.start()
        try:
            tenant, numbers = _seed(args.recipients, env["WHATSAPP_GRAPH_URL"])
            rows = []
            for rate in [int(r) for r in args.rates.split(",")]:
                if rate not in numbers:
                    print(f"no demo number at {rate} msg/s (have {sorted(numbers)})", file=sys.stderr)
                    continue
                window = None if args.full or rate >= 1000 else args.window_80
                result = _run_rate(tenant, numbers[rate], rate, stack, window)
                rows.append(_report(tenant, rate, result, stack, window is None))
        finally:
            stack.stop()
    print(f"\ncampaign dispatch: {args.recipients:,} recipients, the sandbox enforcing Meta's limits (2 cores shared "
          "by everything)")
    print(f"{'rate':>6} {'achieved/s':>10} {'ratio':>6} {'sent':>8} {'dupes':>6} {'130429':>6} {'lag p50':>8} "
          f"{'lag p99':>8} {'backlog':>8}  run")
    for r in rows:
        print(f"{r['rate']:>6} {r['achieved']:>10.1f} {r['ratio']:>6.3f} {r['sent']:>8,} {r['duplicates']:>6} "
              f"{r['throttled']:>6} {r['lag_p50']:>7.2f}s {r['lag_p99']:>7.2f}s {r['backlog_peak']:>8}  "
              f"{'all recipients' if r['full'] else f'{args.window_80:.0f} s window, then cancelled'} ({r['status']})")
    print(f"aims: ratio >= {AIMS['ratio']}, 0 duplicates, 0 x 130429, lag p99 < {AIMS['lag_p99']} s")
    print("peak RSS: " + ", ".join(f"{name} {kb / 1024:.0f} MB" for name, kb in stack.peaks.items()))
    print(f"(statistics over {statistics.mean([r['lags'] for r in rows]) if rows else 0:.0f} delivered statuses a run)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
