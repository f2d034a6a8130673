from celery import shared_task


@shared_task(bind=True, max_retries=None, ignore_result=True)
def message_send_task(self, message_id: str) -> None:
    """Thin: the service decides; the task only schedules the next try it asks for."""
    from apps.messaging.services import message_send

    outcome = message_send(message_id)
    if outcome.retry_after is not None:
        raise self.retry(countdown=max(outcome.retry_after, 0.05))


@shared_task(ignore_result=True)
def messages_reconcile_task() -> None:
    from apps.messaging.services import messages_reconcile

    messages_reconcile()


@shared_task(ignore_result=True)
def conversation_mark_read_task(conversation_id: int) -> None:
    from apps.messaging.services import conversation_mark_read_at_meta

    conversation_mark_read_at_meta(conversation_id)
