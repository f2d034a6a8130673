"""The webhook pipeline's Celery tasks. Their names are pinned to where they were first defined
(`tenants.tasks.*`): beat schedules and messages already queued name them so."""
from celery import shared_task


@shared_task(name="tenants.tasks.webhook_event_route_task", ignore_result=True, acks_late=True)
def webhook_event_route_task(event_id: int) -> None:
    """One event, now: what the endpoint queued per event before routers claimed in batches (such messages may
    still be queued)."""
    from tenants.ingress.router import webhook_event_route

    webhook_event_route(event_id)


@shared_task(name="tenants.tasks.webhook_events_sweep", ignore_result=True)
def webhook_events_sweep() -> int:
    """The router: route every due event, in batches (tenants.ingress.router.webhook_events_route_due). Woken
    after inserts (tenants.ingress.wake) and run by beat every few seconds, which also takes events whose lease
    ran out (a router died) or whose back-off is over. Returns how many events it routed."""
    from tenants.ingress.router import webhook_events_route_due

    return webhook_events_route_due()


@shared_task(name="tenants.tasks.webhook_retention", ignore_result=True)
def webhook_retention() -> None:
    """Beat: redact processed webhook bodies past WEBHOOK_BODY_RETENTION_HOURS."""
    from tenants.ingress.retention import webhook_retention_run

    webhook_retention_run()
