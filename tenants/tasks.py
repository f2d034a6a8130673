"""The control plane's Celery tasks (the webhook pipeline's are in tenants.ingress.tasks)."""
import logging

from celery import shared_task
from django.conf import settings
from django.db.models import Q

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


@shared_task(ignore_result=True)
def wallet_low_balance_alert(wallet_id: int) -> None:
    """A wholesale wallet fell below its threshold: mail the reseller's admins and the business's owners, once
    (tenants.billing.wallet decides when; the mail is skipped if the wallet was funded meanwhile)."""
    from tenants.billing.wallet import wallet_low_balance_mail_send

    logger.info("wallet %s low-balance alert: %s mails", wallet_id, wallet_low_balance_mail_send(wallet_id))


@shared_task(ignore_result=True)
def webhooks_replay_for_tenant(tenant_id: int) -> None:
    """A business resumed: route what Meta sent for its numbers and accounts while it was suspended (kept as
    unroutable meanwhile). Replaying twice is harmless: handled changes are no longer unroutable."""
    from tenants.ingress.models import WebhookChange
    from tenants.ingress.replay import webhook_changes_replay
    from tenants.models import PhoneNumberRoute, WabaRoute

    numbers = PhoneNumberRoute.objects.filter(tenant_id=tenant_id).values_list("phone_number_id", flat=True)
    accounts = WabaRoute.objects.filter(tenant_id=tenant_id).values_list("waba_id", flat=True)
    held = WebhookChange.objects.filter(status=WebhookChange.Status.UNROUTABLE).filter(
        Q(phone_number_id__in=list(numbers)) | Q(phone_number_id="", waba_id__in=list(accounts)))
    change_ids = list(held.values_list("pk", flat=True))
    if change_ids:
        routed = webhook_changes_replay(unroutable=True, failed=False, change_ids=change_ids)
        logger.info("replayed %s events held while business %s was suspended", routed, tenant_id)


@shared_task(ignore_result=True)
def business_deletions_run() -> None:
    """Beat: delete the businesses whose deletion grace period is over (tenants.deletion_schedule). One at a time;
    each request is locked while it runs, so overlapping runs skip it, and a cancellation either wins or waits."""
    from tenants.deletion_schedule import deletion_run, deletions_due

    for request_id in deletions_due():
        try:
            deletion_run(request_id)
        except Exception:  # one business failing must not keep the others' deletions waiting
            logger.exception("deleting the business of deletion request %s failed; retried at the next run",
                             request_id)
