"""Celery queues split by workload (settings.WORKLOAD_QUEUES; docs/runbook.md, "Queues and workers"): every task
lands on its workload's queue, for real in Redis and in the business's schema; a test run's queues carry its own
prefix; whatever runs everything on one machine (make dev, make e2e, docker compose) consumes every queue; the
metrics report each queue's depth. The Kubernetes pools per queue are checked by test_k8s_manifests.py."""
import json
import subprocess
import sys
import tempfile
import uuid

import pytest
import yaml
from django.conf import settings
from django_tenants.utils import schema_context

from apps.core.redis import redis_client
from convonest.celery import app as celery_app
from convonest.observability.exposition import LiveCollector, celery_queues
from convonest.tests.conftest import REPO, production_env, real_secrets, run_python

WORKLOADS = ("routing", "sends", "campaigns", "imports", "media")
# Every task of ours and its workload; None is the default queue. A new task must be placed here, on purpose.
WORKLOAD_OF = {
    "tenants.tasks.webhook_events_sweep": "routing",
    "tenants.tasks.webhook_event_route_task": "routing",
    "tenants.tasks.webhooks_replay_for_tenant": "routing",
    "apps.messaging.tasks.message_send_task": "sends",
    "apps.messaging.tasks.conversation_mark_read_task": "sends",
    "apps.campaigns.tasks.campaign_dispatch_task": "campaigns",
    "apps.contacts.tasks.contact_import_run": "imports",
    "apps.portability.tasks.business_export_task": "imports",
    "apps.messaging.tasks.message_media_download_task": "media",
    # Short, or periodic sweepers that only enqueue: the default queue.
    "tenants.tasks.webhook_retention": None,
    "tenants.tasks.schema_pool_refill": None,
    "tenants.tasks.cleanups": None,
    "tenants.tasks.billing_overage": None,
    "tenants.tasks.wallet_low_balance_alert": None,
    "apps.messaging.tasks.messages_reconcile_all": None,
    "apps.campaigns.tasks.campaigns_due_dispatch": None,
    "apps.campaigns.tasks.campaigns_due_rebuild": None,
    "apps.accounts.tasks.password_reset_mail": None,
    "apps.analytics.tasks.analytics_rebuild_task": None,
    "apps.templates.tasks.templates_sync_task": None,
    "apps.templates.tasks.templates_sync_all": None,
    "apps.developer.webhook_tasks.webhook_deliver_task": None,
    "apps.developer.webhook_tasks.webhook_deliveries_sweep_all": None,
    "tenants.tasks.business_deletions_run": None,
    "apps.portability.tasks.business_exports_expire_all": None,
}
DEFAULT = "celery"


def _our_tasks() -> set[str]:
    celery_app.loader.import_default_modules()  # autodiscovery is lazy: load every tasks module
    # Not Celery's own, nor the probes tests define (named tests.* or <app>.tests.*).
    return {name for name in celery_app.tasks if not name.startswith("celery.") and ".tests." not in f".{name}"}


def _queue_of(task_name: str) -> str:
    return celery_app.amqp.router.route({}, task_name, args=(), kwargs={})["queue"].name


def _expected_queue(task_name: str) -> str:
    workload = WORKLOAD_OF[task_name]
    return settings.WORKLOAD_QUEUES[workload] if workload else settings.CELERY_TASK_DEFAULT_QUEUE


def test_every_task_lands_on_its_workloads_queue():
    tasks = _our_tasks()
    assert tasks <= set(WORKLOAD_OF), f"place these tasks in a workload: {sorted(tasks - set(WORKLOAD_OF))}"
    assert set(WORKLOAD_OF) <= tasks, f"no such tasks any more: {sorted(set(WORKLOAD_OF) - tasks)}"
    for name in tasks:
        assert _queue_of(name) == _expected_queue(name), name


@pytest.mark.parametrize(("task_name", "args"), [
    ("tenants.tasks.webhook_events_sweep", []),
    ("apps.messaging.tasks.message_send_task", ["00000000-0000-0000-0000-000000000001"]),
    ("apps.contacts.tasks.contact_import_run", [1]),
    ("apps.messaging.tasks.message_media_download_task", ["00000000-0000-0000-0000-000000000002"]),
    ("apps.campaigns.tasks.campaign_dispatch_task", [1]),
])
def test_a_task_enqueued_in_a_business_waits_on_its_workloads_queue_with_the_business_schema(alpha, task_name,
                                                                                              args):
    """The real publish path (no worker consumes this run's queues here): the message is in the workload's Redis
    list, stamped with alpha's schema, and nowhere in the default queue."""
    assert task_name in _our_tasks()
    queue, broker = _expected_queue(task_name), redis_client()
    with schema_context(alpha.tenant.schema_name):
        task_id = celery_app.tasks[task_name].apply_async(args=args).id  # registered by _our_tasks()

    def ours(name: str) -> list[bytes]:
        return [raw for raw in broker.lrange(name, 0, -1) if json.loads(raw)["headers"]["id"] == task_id]

    try:
        (raw,) = ours(queue)
        assert json.loads(raw)["headers"]["_schema_name"] == alpha.tenant.schema_name
        assert ours(settings.CELERY_TASK_DEFAULT_QUEUE) == []
    finally:
        for raw in ours(queue):
            broker.lrem(queue, 1, raw)


def test_a_test_runs_queues_carry_its_prefix_and_production_names_them_by_workload():
    prefix = settings.CACHE_PREFIX
    assert settings.CELERY_TASK_DEFAULT_QUEUE == prefix  # a parallel run (CACHE_PREFIX=...) never takes these tasks
    assert settings.WORKLOAD_QUEUES == {w: f"{prefix}-{w}" for w in WORKLOADS}

    code = ("import json, django; django.setup(); from django.conf import settings as s; "
            "print(json.dumps([s.CELERY_TASK_DEFAULT_QUEUE, s.WORKLOAD_QUEUES]))")
    done = run_python(code, production_env(**real_secrets()))
    assert done.returncode == 0, done.stderr
    default, workloads = json.loads(done.stdout.strip().splitlines()[-1])
    assert (default, workloads) == (DEFAULT, {w: w for w in WORKLOADS})


def _consumed(commands: list[list[str]]) -> list[str]:
    """The queues the Celery workers among `commands` consume (a worker without -Q takes the default queue)."""
    queues = []
    for command in commands:
        if "worker" in command and "celery" in " ".join(command[:4]):
            queues += command[command.index("-Q") + 1].split(",") if "-Q" in command else [DEFAULT]
    return queues


def test_make_dev_make_e2e_and_compose_consume_every_queue_once():
    everything = sorted([DEFAULT, *WORKLOADS])
    dev = subprocess.run(
        [sys.executable, "-c", "import json, pathlib, sys, run, e2e; "
         "procs = run.default_procs(pathlib.Path(sys.argv[1]), 8000, 3000); "
         "print(json.dumps({'dev': [p.cmd for p in procs], 'e2e': e2e.DEV_WORKER_QUEUES}))", tempfile.mkdtemp()],
        cwd=REPO / "infra" / "dev", capture_output=True, text=True, timeout=60)
    assert dev.returncode == 0, dev.stderr
    found = json.loads(dev.stdout)
    assert sorted(_consumed(found["dev"])) == everything
    # make e2e: a worker on DEV_WORKER_QUEUES and a dispatcher on campaigns (infra/dev/e2e.py).
    assert sorted([*found["e2e"].split(","), "campaigns"]) == everything

    services = yaml.safe_load((REPO / "docker-compose.yml").read_text())["services"]
    assert sorted(_consumed([s["command"] for s in services.values() if isinstance(s.get("command"), list)])) \
        == everything


def test_the_metrics_report_the_depth_of_every_queue():
    queues = {settings.CELERY_TASK_DEFAULT_QUEUE, *settings.WORKLOAD_QUEUES.values()}
    assert set(celery_queues()) == queues
    broker, media = redis_client(), settings.WORKLOAD_QUEUES["media"]
    marker = f"probe-{uuid.uuid4().hex}"
    broker.rpush(media, marker, marker)
    try:
        (depth,) = LiveCollector._queues()
        waiting = {sample.labels["queue"]: sample.value for sample in depth.samples}
        assert set(waiting) == queues
        assert waiting[media] >= 2
    finally:
        broker.lrem(media, 0, marker)
