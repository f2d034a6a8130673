from celery import shared_task
from django.conf import settings

from apps.core.redis import redis_client


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
def webhook_events_sweep() -> None:
    """Re-enqueue events stored but not processed a minute later (a lost task, a failed handler)."""
    from datetime import timedelta

    from django.utils import timezone

    from tenants.models import WebhookEvent

    cutoff = timezone.now() - timedelta(minutes=1)
    pending = WebhookEvent.objects.filter(status__in=[WebhookEvent.Status.RECEIVED, WebhookEvent.Status.FAILED],
                                          received_at__lt=cutoff, attempts__lt=20)
    for event_id in pending.values_list("pk", flat=True)[:1000]:
        webhook_event_route_task.delay(event_id)
