"""Templates listen to WhatsApp (which must not import templates): a connected account imports its templates."""
from django.db import connection
from django.dispatch import receiver
from django_tenants.utils import get_public_schema_name, schema_context

from apps.whatsapp.signals import account_connected


@receiver(account_connected, dispatch_uid="templates.sync_on_connect")
def _sync_on_connect(sender, *, waba_id: str, tenant=None, **kwargs) -> None:
    """Sent after the connection commits; the sync row is written in the business's schema and its task
    enqueued from there, so the worker runs it in that schema."""
    from apps.audit.context import acting_as
    from apps.templates.sync import SCHEDULER, templates_sync_start

    schema = tenant.schema_name if tenant is not None else connection.schema_name
    with schema_context(schema):
        if connection.schema_name == get_public_schema_name():  # no business to sync for
            return
        with acting_as(SCHEDULER):
            templates_sync_start(waba_id=str(waba_id), trigger="connect")
