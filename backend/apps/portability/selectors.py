"""Reads: the business's exports (the owner's, Capability.BUSINESS_DATA; checked by the views) and its deletion."""
import uuid

from django.core.cache import cache
from django.db.models import QuerySet
from django.http import Http404

from apps.portability.models import BusinessExport
from apps.portability.services import progress_key
from tenants.members import Member

# The list shows the recent history only: old rows say nothing a person still needs (the audit log keeps who asked).
EXPORT_LIST_SIZE = 20


def export_list(actor: Member) -> QuerySet[BusinessExport]:
    """The business's latest exports, newest first. The schema is the actor's business's: nothing else is here."""
    return BusinessExport.objects.order_by("-created_at")[:EXPORT_LIST_SIZE]


def access_export(actor: Member, export_id) -> BusinessExport:
    """One export of the actor's business; missing and "another business's" are the same 404."""
    try:
        return BusinessExport.objects.get(pk=uuid.UUID(str(export_id)))
    except (BusinessExport.DoesNotExist, ValueError):
        raise Http404 from None


def export_counts(export: BusinessExport) -> dict:
    """Rows written so far while the export runs (the task keeps them in the cache), else the final counts."""
    if export.status == BusinessExport.Status.RUNNING:
        return cache.get(progress_key(export.pk)) or {}
    return export.counts
