"""The control plane's Celery tasks (the webhook pipeline's are in tenants.ingress.tasks)."""
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


@shared_task(ignore_result=True)
def cleanups() -> None:
    """Beat: expired refresh tokens, stale tenant rows, old webhook changes (tenants.retention)."""
    from tenants.retention import cleanups_run

    logger.info("cleanups: %s", cleanups_run())


@shared_task(ignore_result=True)
def billing_overage() -> None:
    """Beat, daily: bill last month's messages beyond paid plans (tenants.billing.overage; repeats change nothing)."""
    from datetime import timedelta

    from tenants.billing.overage import overage_bill
    from tenants.billing.usage import month_of

    last_month = month_of() - timedelta(days=1)
    billed = overage_bill(month_of(last_month))
    logger.info("billing overage for %s: %s charges billed", f"{last_month:%Y-%m}", len(billed))
