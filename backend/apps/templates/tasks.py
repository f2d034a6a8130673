from celery import shared_task


@shared_task(ignore_result=True)
def templates_sync_task(sync_id: int) -> None:
    """Thin: the sync records its own outcome (done or failed) on its row."""
    from apps.templates.sync import templates_sync_run

    templates_sync_run(sync_id)


@shared_task(ignore_result=True)
def templates_sync_all() -> None:
    """Beat, in the public schema: in every business, one sync per connected WhatsApp account, each its own task
    (enqueued from inside the business's schema, so it runs there)."""
    from django.db import transaction
    from django_tenants.utils import get_public_schema_name, schema_context

    from apps.audit.context import acting_as
    from apps.templates.sync import SCHEDULER, stale_syncs_close, templates_sync_start
    from apps.whatsapp.models import BusinessAccount
    from tenants.models import Tenant

    for schema in Tenant.objects.filter(is_active=True).exclude(schema_name=get_public_schema_name()).values_list(
            "schema_name", flat=True):
        with schema_context(schema), transaction.atomic(), acting_as(SCHEDULER):
            stale_syncs_close()
            for waba_id in BusinessAccount.objects.exclude(access_token="").values_list("waba_id", flat=True):
                templates_sync_start(waba_id=waba_id, trigger="schedule")
