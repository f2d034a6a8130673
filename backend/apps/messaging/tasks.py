from celery import shared_task


@shared_task(bind=True, max_retries=None, ignore_result=True)
def message_send_task(self, message_id: str) -> None:
    """Thin: the service decides; the task only schedules the next try it asks for."""
    from apps.messaging.outbox import message_send

    outcome = message_send(message_id)
    if outcome.retry_after is not None:
        raise self.retry(countdown=max(outcome.retry_after, 0.05))


@shared_task(ignore_result=True)
def messages_reconcile_all() -> None:
    """Beat, in the public schema: in every business, one schema at a time, enqueue `queued` sends that lost
    their task and reconcile sends stuck in `sending` (outbox.messages_reconcile), and enqueue media
    downloads that lost theirs (media.media_downloads_sweep)."""
    from django_tenants.utils import get_public_schema_name, schema_context

    from apps.messaging.media import media_downloads_sweep
    from apps.messaging.outbox import messages_reconcile
    from tenants.models import Tenant

    for schema in Tenant.objects.filter(is_active=True).exclude(schema_name=get_public_schema_name()).values_list(
            "schema_name", flat=True):
        with schema_context(schema):
            messages_reconcile()
            media_downloads_sweep()


@shared_task(ignore_result=True)
def conversation_mark_read_task(conversation_id: int) -> None:
    from apps.messaging.outbox import conversation_mark_read_at_meta

    conversation_mark_read_at_meta(conversation_id)


@shared_task(bind=True, max_retries=None, ignore_result=True)
def message_media_download_task(self, message_id: str) -> None:
    """Thin: the service downloads and counts attempts; the task only schedules the retry it asks for."""
    from apps.messaging.media import message_media_download

    delay = message_media_download(message_id)
    if delay is not None:
        raise self.retry(countdown=delay)
