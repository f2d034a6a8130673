"""Celery, tenant-aware: a task enqueued inside a tenant's schema runs inside that schema.

tenant-schemas-celery stamps the current schema into each message's headers and switches the worker's
connection to it before the task body runs; tasks sent from the public schema run in public.
"""
import os

from tenant_schemas_celery.app import CeleryApp

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "convonest.settings")

app = CeleryApp("convonest")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

app.conf.beat_schedule = {
    "refill-schema-pool": {"task": "tenants.tasks.schema_pool_refill", "schedule": 60.0},
    "sweep-webhook-events": {"task": "tenants.tasks.webhook_events_sweep", "schedule": 60.0},
    "reconcile-stuck-sends": {"task": "apps.messaging.tasks.messages_reconcile_all", "schedule": 300.0},
}
