from apps.core.redis import redis_client
from celery import shared_task
from django.conf import settings


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
