"""The webhook pipeline's Celery tasks. Their names are pinned to where they were first defined
(`tenants.tasks.*`): beat schedules and messages already queued name them so."""
import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(name="tenants.tasks.webhook_event_route_task", ignore_result=True, acks_late=True)
def webhook_event_route_task(event_id: int) -> None:
    from tenants.ingress.router import webhook_event_route

    webhook_event_route(event_id)


@shared_task(name="tenants.tasks.webhook_events_sweep", ignore_result=True)
def webhook_events_sweep() -> int:
    """Beat: enqueue stored events whose lease ran out (the task was lost, or a failure's back-off is over).
    Returns how many were enqueued."""
    from tenants.ingress.router import webhook_events_lease_due, webhook_events_unlease

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


@shared_task(name="tenants.tasks.webhook_retention", ignore_result=True)
def webhook_retention() -> None:
    """Beat: redact processed webhook bodies past WEBHOOK_BODY_RETENTION_HOURS."""
    from tenants.ingress.retention import webhook_retention_run

    webhook_retention_run()
