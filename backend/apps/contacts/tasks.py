from celery import shared_task

# A million rows take well under a minute; the limits only stop a runaway import. The default
# 60 s task limit in settings is for short tasks.
IMPORT_SOFT_LIMIT = 3600


@shared_task(ignore_result=True, acks_late=True, soft_time_limit=IMPORT_SOFT_LIMIT, time_limit=IMPORT_SOFT_LIMIT + 60)
def contact_import_run(import_id: int) -> None:
    """Run one CSV import, in the schema of the business that enqueued it (tenant-schemas-celery)."""
    from apps.contacts.imports import import_run

    import_run(import_id=import_id)
