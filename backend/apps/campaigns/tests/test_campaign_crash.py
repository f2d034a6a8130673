"""A dispatcher killed with SIGKILL mid-run: after its lease runs out another one resumes, and in the end every
recipient got the message exactly once (Meta's copy at the sandbox is the judge).

The data is committed (the `committed_business` fixture) because the dispatcher runs in a separate process."""
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import timedelta

from django.db import connection
from django.utils import timezone

from apps.campaigns.dispatcher import campaign_dispatch
from apps.campaigns.models import Campaign
from apps.campaigns.tests.support import add_contacts, connect_demo, create_campaign, in_schema, start, template_id
from apps.messaging.models import Message
from apps.messaging.outbox import message_send, message_status_hold_or_apply, messages_reconcile

RECIPIENTS = 300

_WORKER = """
import django, sys
django.setup()
from django_tenants.utils import schema_context
from apps.campaigns.dispatcher import campaign_dispatch
with schema_context(sys.argv[1]):
    campaign_dispatch(int(sys.argv[2]), run_seconds=120)
"""


def _database_url() -> str:
    s = connection.settings_dict
    host = s["HOST"] or "127.0.0.1"
    if host.startswith("/"):
        return f"postgresql://{s['USER']}@/{s['NAME']}?host={host}&port={s['PORT'] or 5432}"
    return f"postgresql://{s['USER']}@{host}:{s['PORT'] or 5432}/{s['NAME']}"


def _sent_at_sandbox(sandbox) -> list[dict]:
    rows = sandbox.control.get("/messages", params={"limit": 100000, "direction": "out"}).json()["data"]
    return rows


def test_a_dispatcher_killed_mid_run_resumes_with_no_one_messaged_twice_or_skipped(committed_business, graph_sandbox,
                                                                                  settings):
    business = committed_business
    number_id = connect_demo(business, graph_sandbox)
    add_contacts(business, RECIPIENTS)
    client = business.client(business.owner)
    created = create_campaign(client, number_id, template_id(business), throughput_cap=60)
    assert start(client, created["id"]).status_code == 200

    env = {**os.environ, "DATABASE_URL": _database_url(), "WHATSAPP_GRAPH_URL": settings.WHATSAPP_GRAPH_URL,
           "CAMPAIGN_PIPELINE": "true"}
    worker = subprocess.Popen([sys.executable, "-c", _WORKER, business.tenant.schema_name, str(created["id"])],
                              env=env)
    try:
        deadline = time.monotonic() + 60
        while len(_sent_at_sandbox(graph_sandbox)) < RECIPIENTS // 3:
            assert worker.poll() is None, "the dispatcher stopped before it was killed"
            assert time.monotonic() < deadline, "the dispatcher sent too little"
            time.sleep(0.05)
        os.kill(worker.pid, signal.SIGKILL)
    finally:
        worker.wait(10)
    at_kill = len(_sent_at_sandbox(graph_sandbox))
    assert at_kill < RECIPIENTS

    with in_schema(business):
        # Meta's status webhooks for what reached it (they carry our id) settle sends whose answer was lost.
        for copy in _sent_at_sandbox(graph_sandbox):
            message_status_hold_or_apply(status="sent", wamid=copy["id"],
                                         callback_data=copy["biz_opaque_callback_data"])
        assert campaign_dispatch(created["id"]) == "busy"  # the dead worker's lease still holds
        Campaign.objects.filter(pk=created["id"]).update(lease_until=timezone.now() - timedelta(seconds=1))
        assert campaign_dispatch(created["id"], run_seconds=60) == "completed"
        # What the killed worker had claimed but never sent: the outbox's reconciler sends it once.
        settings.MESSAGE_RECONCILE_AFTER_SECONDS = 0
        messages_reconcile()
        for pk in Message.objects.filter(status="queued").values_list("pk", flat=True):
            message_send(pk)
        statuses = Counter(Message.objects.filter(campaign_recipient__campaign_id=created["id"])
                           .values_list("status", flat=True))

    sent = Counter(m["wa_id"] for m in _sent_at_sandbox(graph_sandbox))
    assert len(sent) == RECIPIENTS, "someone was skipped"
    assert max(sent.values()) == 1, f"sent twice: {[k for k, v in sent.items() if v > 1]}"
    assert set(statuses) <= {"sent", "delivered", "read"}, statuses


def test_pausing_a_running_campaign_stops_its_sends_within_a_second(committed_business, graph_sandbox, settings):
    import threading

    settings.CAMPAIGN_PIPELINE = True  # as in production: batches sent on the dispatcher's sender thread
    business = committed_business
    number_id = connect_demo(business, graph_sandbox)
    add_contacts(business, RECIPIENTS)
    client = business.client(business.owner)
    created = create_campaign(client, number_id, template_id(business), throughput_cap=40)
    start(client, created["id"])

    def run() -> None:
        with in_schema(business):
            campaign_dispatch(created["id"], run_seconds=60)
        connection.close()

    dispatcher = threading.Thread(target=run)
    dispatcher.start()
    try:
        while len(_sent_at_sandbox(graph_sandbox)) < 40:
            time.sleep(0.02)
        assert client.post(f"/api/campaigns/{created['id']}/pause/").status_code == 200
        paused_at = time.monotonic()
        time.sleep(1.0)
        after_a_second = len(_sent_at_sandbox(graph_sandbox))
        time.sleep(1.0)
        assert len(_sent_at_sandbox(graph_sandbox)) == after_a_second, "still sending a second after the pause"
        assert time.monotonic() - paused_at < 3
    finally:
        dispatcher.join(30)
    assert not dispatcher.is_alive()
    with connection.cursor() as cursor:  # the dispatcher and its sender thread closed their connections
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                       "AND pid <> pg_backend_pid()")
        assert cursor.fetchone()[0] == 0
    assert after_a_second < RECIPIENTS
    with in_schema(business):
        assert Campaign.objects.get(pk=created["id"]).status == "paused"
        assert not Message.objects.filter(campaign_recipient__campaign_id=created["id"], status="queued").exists()


def test_a_dispatcher_task_may_outlive_its_run_to_finish_the_batch_in_flight():
    """The worker's default limits (60 s soft) would interrupt a 45-second run still finishing its last batch, in the
    middle of a commit; the task carries its own, longer limits (and Celery reads `None` as "the default")."""
    from django.conf import settings as django_settings

    from apps.campaigns.tasks import campaign_dispatch_task

    assert campaign_dispatch_task.soft_time_limit >= django_settings.CAMPAIGN_DISPATCH_SECONDS + 60
    assert campaign_dispatch_task.time_limit > campaign_dispatch_task.soft_time_limit
    assert campaign_dispatch_task.soft_time_limit > django_settings.CELERY_TASK_SOFT_TIME_LIMIT
