"""Celery tasks of business exports: they take ids and call the services."""
import logging

from celery import shared_task

logger = logging.getLogger(__name__)


# Longer than the default limits (60/90 s): a large business takes minutes. The hard limit stays under the broker's
# visibility timeout (2 h), or a running export would be delivered to a second worker.
@shared_task(ignore_result=True, soft_time_limit=6300, time_limit=6600)
def business_export_task(export_id: str) -> None:
    """Write one business's export (runs in its schema: tenant-schemas-celery)."""
    from apps.portability.services import export_run

    export = export_run(export_id)
    if export is not None:
        logger.info("business export %s: %s", export_id, export.status)


@shared_task(ignore_result=True)
def business_exports_expire_all() -> None:
    """Beat, hourly: in every business, delete expired exports' files and sweep dead or lost runs."""
    from django_tenants.utils import get_public_schema_name, schema_context

    from apps.portability.services import exports_expire
    from tenants.models import Tenant

    schemas = Tenant.objects.exclude(schema_name=get_public_schema_name()).values_list("schema_name", flat=True)
    for schema in list(schemas):
        with schema_context(schema):
            result = exports_expire()
        if any(result.values()):
            logger.info("business exports in %s: %s", schema, result)
