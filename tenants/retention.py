"""The hourly cleanup of what would otherwise only grow (beat, in batches):

- old webhook changes and the bodies they no longer keep (tenants.ingress.retention);
- expired refresh tokens (simplejwt's OutstandingToken, and their BlacklistedToken rows with them);
- tenant rows past their retention, in every business, as settings.TENANT_ROWS_RETENTION declares them (e.g.
  PendingStatus: statuses for a wamid we never learned). Declared by model label, so the control plane imports
  no tenant app.
"""
import logging
from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.utils import timezone
from django_tenants.utils import get_public_schema_name, schema_context

from tenants.batches import in_batches
from tenants.ingress.retention import webhook_bodies_redact, webhook_changes_delete
from tenants.models import Tenant

logger = logging.getLogger(__name__)


def refresh_tokens_flush() -> int:
    """simplejwt's flushexpiredtokens: blacklist rows go with their token (on_delete CASCADE)."""
    from rest_framework_simplejwt.token_blacklist.models import OutstandingToken

    expired = OutstandingToken.objects.filter(expires_at__lte=timezone.now()).order_by("pk")
    return in_batches(expired, lambda ids: OutstandingToken.objects.filter(pk__in=ids).delete()[0])


def tenant_rows_prune() -> dict[str, int]:
    """Delete, in every business, the rows settings.TENANT_ROWS_RETENTION names once they are older than their
    setting's number of days. Returns the count per model label."""
    counts = {}
    schemas = list(Tenant.objects.exclude(schema_name=get_public_schema_name()).values_list("schema_name", flat=True))
    for label, date_field, days_setting in settings.TENANT_ROWS_RETENTION:
        model = apps.get_model(label)
        cutoff = timezone.now() - timedelta(days=getattr(settings, days_setting))
        counts[label] = 0
        for schema in schemas:
            with schema_context(schema):
                stale = model.objects.filter(**{f"{date_field}__lt": cutoff}).order_by("pk")
                counts[label] += in_batches(stale, lambda ids, m=model: m.objects.filter(pk__in=ids).delete()[0])
    return counts


def cleanups_run() -> dict[str, int]:
    # Changes first: an unroutable change past retention no longer keeps its event's body.
    return {"webhook_changes": webhook_changes_delete(), "webhook_bodies": webhook_bodies_redact(),
            "refresh_tokens": refresh_tokens_flush(), **tenant_rows_prune()}
