"""GET /metrics for Prometheus: the counters of every process of this pod (multiprocess mode when
PROMETHEUS_MULTIPROC_DIR is set) and gauges read live at scrape time: the webhook backlog and its age, the depth
of each Celery queue, PostgreSQL connections by state.

Operator-only: off (404) unless METRICS_TOKEN is set, then `Authorization: Bearer <METRICS_TOKEN>`. The ingress
never routes /metrics; Prometheus scrapes the pods directly (deploy/k8s). Nothing here names a business.
"""
import hmac
import logging
import os

import redis
from django.conf import settings
from django.db import connection
from django.http import Http404, HttpResponse, JsonResponse
from prometheus_client import REGISTRY, CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from prometheus_client.multiprocess import MultiProcessCollector

from apps.core.errors import envelope

logger = logging.getLogger(__name__)

# kombu's Redis transport keeps a queue's priorities in separate lists: the queue's name, then name + sep + step.
_PRIORITY_SEP = "\x06\x16"
_PRIORITY_STEPS = (3, 6, 9)


def celery_queues() -> list[str]:
    routed = {route["queue"] for route in settings.CELERY_TASK_ROUTES.values() if "queue" in route}
    return sorted({settings.CELERY_TASK_DEFAULT_QUEUE, *routed})


class LiveCollector:
    """Gauges read when Prometheus scrapes (a few cheap queries every scrape interval, not per event)."""

    def collect(self):
        for read in (self._backlog, self._queues, self._connections):
            try:
                yield from read()
            except Exception as exc:  # one source down (Redis, the database) must not hide the others
                logger.warning("metrics: %s unavailable: %s", read.__name__.strip("_"), exc)

    @staticmethod
    def _backlog():
        from tenants.ingress.models import WebhookEvent

        table = WebhookEvent._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(f"""SELECT status, count(*), extract(epoch FROM now() - min(received_at))
                               FROM {table} WHERE status IN ('received', 'failed') GROUP BY status""")
            rows = {status: (count, age) for status, count, age in cursor.fetchall()}
        events = GaugeMetricFamily("convonest_webhook_backlog_events",
                                   "Stored webhook events not routed yet (failed: backing off)", labels=["status"])
        oldest = GaugeMetricFamily("convonest_webhook_backlog_oldest_seconds",
                                   "Age of the oldest stored webhook event not routed yet (0: none)")
        for status in ("received", "failed"):
            events.add_metric([status], rows.get(status, (0, None))[0])
        ages = [float(age) for _, age in rows.values() if age is not None]
        oldest.add_metric([], max(ages, default=0.0))
        yield events
        yield oldest

    @staticmethod
    def _queues():
        client = redis.Redis.from_url(settings.CELERY_BROKER_URL, socket_timeout=2)
        depth = GaugeMetricFamily("convonest_queue_depth", "Tasks waiting in each Celery queue", labels=["queue"])
        for queue in celery_queues():
            with client.pipeline(transaction=False) as pipe:
                for key in [queue, *(f"{queue}{_PRIORITY_SEP}{step}" for step in _PRIORITY_STEPS)]:
                    pipe.llen(key)
                depth.add_metric([queue], sum(pipe.execute()))
        yield depth

    @staticmethod
    def _connections():
        with connection.cursor() as cursor:
            cursor.execute("SELECT coalesce(state, 'unknown'), count(*) FROM pg_stat_activity "
                           "WHERE datname = current_database() GROUP BY 1")
            rows = cursor.fetchall()
        gauge = GaugeMetricFamily("convonest_db_connections",
                                  "PostgreSQL connections to this database, by state (active, idle, idle in "
                                  "transaction, ...)", labels=["state"])
        for state, count in rows:
            gauge.add_metric([state], count)
        yield gauge


def exposition() -> bytes:
    """The text Prometheus reads: every process's counters, then the live gauges."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        counters = CollectorRegistry()
        MultiProcessCollector(counters)
    else:
        counters = REGISTRY
    live = CollectorRegistry(auto_describe=False)
    live.register(LiveCollector())
    return generate_latest(counters) + generate_latest(live)


def metrics(request):
    token = settings.METRICS_TOKEN
    if not token:
        raise Http404
    given = request.headers.get("Authorization", "").encode()
    if not hmac.compare_digest(given, f"Bearer {token}".encode()):
        return JsonResponse(envelope("not_authenticated", "Send the operator's METRICS_TOKEN as a Bearer token."),
                            status=401)
    return HttpResponse(exposition(), content_type=CONTENT_TYPE_LATEST)
