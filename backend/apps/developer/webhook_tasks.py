"""Outbound webhook tasks: thin, they take ids (webhook_delivery decides)."""
from celery import shared_task

# One attempt waits at most the endpoint's timeout; explicit limits, since a task's None means the worker's default.


@shared_task(ignore_result=True, soft_time_limit=90, time_limit=120)
def webhook_deliver_task(delivery_id: str) -> None:
    """One attempt of one delivery, in the business's schema (enqueued from it). Retries are not Celery retries: the
    delivery's next_attempt_at says when, and the sweeper enqueues it then (a countdown of hours would outlive the
    broker's visibility timeout)."""
    from apps.developer.webhook_delivery import delivery_attempt

    delivery_attempt(delivery_id)


@shared_task(ignore_result=True)
def webhook_deliveries_sweep_all() -> None:
    """Beat, in the public schema: in every business, enqueue the deliveries that are due (retries, lost tasks)."""
    from django_tenants.utils import get_public_schema_name, schema_context

    from apps.developer.webhook_delivery import deliveries_sweep
    from tenants.models import Tenant

    for schema in Tenant.objects.filter(is_active=True).exclude(schema_name=get_public_schema_name()).values_list(
            "schema_name", flat=True):
        with schema_context(schema):
            deliveries_sweep()
