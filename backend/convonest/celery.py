"""Celery, tenant-aware: a task enqueued inside a tenant's schema runs inside that schema.

tenant-schemas-celery stamps the current schema into each message's headers and switches the worker's
connection to it before the task body runs; tasks sent from the public schema run in public.
"""
import gc
import os

from celery import signals
from tenant_schemas_celery.app import CeleryApp

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "convonest.settings")

app = CeleryApp("convonest")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
app.autodiscover_tasks(["tenants.ingress"])  # the webhook pipeline's tasks (tenants.ingress.tasks)


@signals.worker_init.connect
@signals.beat_init.connect
def _refuse_insecure_start(**kwargs) -> None:
    """A worker or beat with DEBUG off and public or missing secrets does not start (convonest.checks)."""
    import sys

    from django.core.exceptions import ImproperlyConfigured

    from convonest.checks import refuse_insecure_start

    try:
        refuse_insecure_start()
    except ImproperlyConfigured as exc:
        # Celery logs and ignores a signal handler's exception; SystemExit is what stops it.
        print(exc, file=sys.stderr)
        raise SystemExit(1) from exc


# Collections of the young generation only after this many new objects, and of the older two after this many of the
# one below (Python's default: 700, 10, 10).
GC_THRESHOLDS = (20_000, 20, 20)


@signals.worker_init.connect
@signals.worker_process_init.connect
def _tune_garbage_collection(**kwargs) -> None:
    """Startup's objects (Django, its models, the imported code: ~200,000) leave the collector's view, and young
    objects are collected less often. A campaign's dispatcher allocates a batch's payloads, rows and requests at
    1,000 msg/s: with Python's defaults it spent a fifth of its CPU in the collector, each full collection walking
    every object of the process (33 of them, 5.5 s, in a 30,000-message campaign). In the main process before the
    pool forks (its children inherit it) and again in each child, for what it imported since. Garbage is collected
    first: frozen, it would be kept for good (an unclosed database connection among it stays open)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


@signals.task_prerun.connect
@signals.task_postrun.connect
def _close_old_connections(task=None, **kwargs) -> None:
    """What Django does around a request: close a database connection that is broken, left in a transaction, or
    older than CONN_MAX_AGE, and keep the others (settings.CELERY_DB_REUSE_MAX stops Celery closing them all)."""
    if not getattr(getattr(task, "request", None), "is_eager", False):
        from django.db import close_old_connections

        close_old_connections()


app.conf.beat_schedule = {
    "refill-schema-pool": {"task": "tenants.tasks.schema_pool_refill", "schedule": 60.0},
    # The webhook router, besides its wake-ups after inserts: leases run out, back-offs end, Redis was down.
    "sweep-webhook-events": {"task": "tenants.tasks.webhook_events_sweep", "schedule": 5.0},
    "reconcile-stuck-sends": {"task": "apps.messaging.tasks.messages_reconcile_all", "schedule": 300.0},
    "redact-webhook-bodies": {"task": "tenants.tasks.webhook_retention", "schedule": 600.0},
    "cleanups": {"task": "tenants.tasks.cleanups", "schedule": 3600.0},
    # Edits, additions and deletions made in Meta's tools reach every business within the hour.
    "sync-templates": {"task": "apps.templates.tasks.templates_sync_all", "schedule": 3600.0},
    # Businesses whose deletion grace period is over, and business exports past their expiry
    # (docs/data-export-and-deletion.md).
    "delete-due-businesses": {"task": "tenants.tasks.business_deletions_run", "schedule": 900.0},
    "expire-business-exports": {"task": "apps.portability.tasks.business_exports_expire_all", "schedule": 3600.0},
    # Messages beyond a paid plan in the month that ended go on the next invoice (idempotent: daily is safe).
    "bill-overage": {"task": "tenants.tasks.billing_overage", "schedule": 86400.0},
    # Scheduled campaigns, ends of waits, and dispatchers whose worker died (their lease ran out).
    "dispatch-due-campaigns": {"task": "apps.campaigns.tasks.campaigns_due_dispatch", "schedule": 2.0},
    "rebuild-due-campaigns": {"task": "apps.campaigns.tasks.campaigns_due_rebuild", "schedule": 300.0},
    # Outbound webhooks: retries that are due, and deliveries whose task was lost (apps.developer.webhook_delivery).
    "sweep-outbound-webhooks": {"task": "apps.developer.webhook_tasks.webhook_deliveries_sweep_all", "schedule": 60.0},
}


from convonest.observability import worker as _worker_metrics  # noqa: E402, F401 - its signal handlers
