from celery import shared_task

from apps.analytics.rollup import rebuild


@shared_task(ignore_result=True)
def analytics_rebuild_task() -> dict:
    """Recompute every day from the raw rows (after a time zone change), in the schema it was enqueued from."""
    return rebuild()
