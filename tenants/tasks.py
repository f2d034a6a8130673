import logging

from celery import shared_task
from django.conf import settings

from apps.core.redis import redis_client

logger = logging.getLogger(__name__)


@shared_task(ignore_result=True)
def schema_pool_refill() -> None:
    """Top the warm schema pool up. One refill at a time: two would migrate schemas nobody needs."""
    from tenants.schema_pool import pool_fill

    lock = redis_client().lock("cn-global:lock:schema-pool-refill", timeout=600, blocking=False)
    if lock.acquire():
        try:
            pool_fill(settings.SCHEMA_POOL_SIZE)
        finally:
            lock.release()


@shared_task(ignore_result=True, acks_late=True)
def webhook_event_route_task(event_id: int) -> None:
    from tenants.webhook_router import webhook_event_route

    webhook_event_route(event_id)


@shared_task(ignore_result=True)
def webhook_events_sweep() -> int:
    """Beat: enqueue stored events whose lease ran out (the task was lost, or a failure's back-off is over).
    Returns how many were enqueued."""
    from tenants.webhook_router import webhook_events_lease_due, webhook_events_unlease

    due = webhook_events_lease_due()
    for index, event_id in enumerate(due):
        try:
            webhook_event_route_task.delay(event_id)
        except Exception as exc:  # the broker is down: give the leases back, the next sweep tries again
            logger.warning("webhook sweep: broker unavailable, %s event(s) left for the next sweep: %s",
                           len(due) - index, exc)
            webhook_events_unlease(due[index:])
            return index
    return len(due)


@shared_task(ignore_result=True)
def webhook_retention() -> None:
    """Beat: redact processed webhook bodies past WEBHOOK_BODY_RETENTION_HOURS."""
    from tenants.retention import webhook_retention_run

    webhook_retention_run()


@shared_task(ignore_result=True)
def cleanups() -> None:
    """Beat: expired refresh tokens, stale pending statuses, old webhook changes (tenants.retention)."""
    from tenants.retention import cleanups_run

    logger.info("cleanups: %s", cleanups_run())
