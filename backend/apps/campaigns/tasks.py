from celery import shared_task
from django.conf import settings

# A dispatcher stops taking new work after CAMPAIGN_DISPATCH_SECONDS but finishes the batch in flight (Graph calls
# with their own timeouts). Its limits must leave room for that: the worker's defaults (60 s soft) would interrupt it
# mid-commit, and a task's `None` means "the worker's default", not "no limit".
DISPATCH_SOFT_LIMIT = settings.CAMPAIGN_DISPATCH_SECONDS + 120
DISPATCH_HARD_LIMIT = DISPATCH_SOFT_LIMIT + 30


@shared_task(ignore_result=True, soft_time_limit=DISPATCH_SOFT_LIMIT, time_limit=DISPATCH_HARD_LIMIT)
def campaign_dispatch_task(campaign_id: int) -> None:
    """Thin: run the campaign's dispatcher for a while (CAMPAIGN_DISPATCH_SECONDS), then hand over to a fresh task so
    no task outlives the broker's patience. Routed to the `campaigns` queue (settings.CELERY_TASK_ROUTES): long
    dispatchers never hold the workers that route Meta's webhooks."""
    from apps.campaigns.dispatcher import campaign_dispatch

    if campaign_dispatch(campaign_id) == "handed_over":
        campaign_dispatch_task.delay(campaign_id)


@shared_task(ignore_result=True)
def campaigns_due_dispatch() -> None:
    """Beat, in the public schema: enqueue the dispatcher of every campaign that is due (a schedule, the end of a
    wait, a lease that expired because its worker died), inside its business's schema."""
    from django_tenants.utils import schema_context

    from apps.campaigns.due import campaigns_due_pop

    for schema, campaign_id in campaigns_due_pop():
        with schema_context(schema):
            campaign_dispatch_task.delay(campaign_id)


@shared_task(ignore_result=True)
def campaigns_due_rebuild() -> None:
    """Beat, in the public schema: re-register every scheduled or running campaign of every business (the due set
    lives in Redis, which may have lost it)."""
    from django_tenants.utils import get_public_schema_name, schema_context

    from apps.campaigns.due import campaign_due
    from apps.campaigns.models import Campaign
    from tenants.models import Tenant

    for schema in Tenant.objects.filter(is_active=True).exclude(schema_name=get_public_schema_name()).values_list(
            "schema_name", flat=True):
        with schema_context(schema):
            for pk, next_run_at, lease_until, schedule_at in Campaign.objects.filter(
                    status__in=[Campaign.Status.SCHEDULED, Campaign.Status.RUNNING]).values_list(
                    "pk", "next_run_at", "lease_until", "schedule_at"):
                at = max(filter(None, [next_run_at, lease_until, schedule_at]), default=None)
                from django.utils import timezone

                campaign_due(pk, at or timezone.now(), schema=schema)
