"""A Celery worker's metrics: tasks by name and outcome, and its own endpoint on CELERY_METRICS_PORT (workers serve
no HTTP otherwise). With PROMETHEUS_MULTIPROC_DIR set, the endpoint sums the worker's prefork children; the
sends, token-bucket waits and webhook lag that tasks count (apps.core.metrics) show there too."""
import logging
import os

from celery import signals
from prometheus_client import REGISTRY, CollectorRegistry, Counter, start_http_server
from prometheus_client.multiprocess import MultiProcessCollector

logger = logging.getLogger(__name__)

TASKS = Counter("convonest_tasks_total", "Celery tasks finished, by task and outcome (success, failure, retry, ...)",
                ["task", "outcome"])


@signals.task_postrun.connect
def _task_finished(task=None, state=None, **kwargs) -> None:
    TASKS.labels(getattr(task, "name", "unknown"), (state or "unknown").lower()).inc()


def registry() -> CollectorRegistry:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        collected = CollectorRegistry()
        MultiProcessCollector(collected)
        return collected
    return REGISTRY


@signals.worker_ready.connect
def _serve_metrics(**kwargs) -> None:
    port = os.environ.get("CELERY_METRICS_PORT")
    if port:
        start_http_server(int(port), registry=registry())
        logger.info("worker metrics on :%s/metrics", port)
