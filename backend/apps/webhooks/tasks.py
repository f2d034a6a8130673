from celery import shared_task


@shared_task(bind=True, max_retries=None, ignore_result=True)
def message_media_download_task(self, message_id: str) -> None:
    """Thin: the service downloads and counts attempts; the task only schedules the retry it asks for.
    Lives here (the webhook handler enqueues it) so Celery's autodiscovery finds it."""
    from apps.messaging.media import message_media_download

    delay = message_media_download(message_id)
    if delay is not None:
        raise self.retry(countdown=delay)
