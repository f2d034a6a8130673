"""Reading the audit log: one filtered query for the page and the CSV alike (the same rule whatever the door)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404

from apps.audit.models import AuditEvent
from tenants.members import Capability, Member


@dataclass(frozen=True)
class AuditFilter:
    action: str = ""  # an action ("campaign.started") or an area ("campaign")
    actor_type: str = ""
    actor_id: str = ""
    target_type: str = ""
    target_id: str = ""
    since: dt.datetime | None = None  # included
    until: dt.datetime | None = None  # excluded


def audit_event_list(actor: Member, where: AuditFilter) -> QuerySet[AuditEvent]:
    """The business's audit events matching `where`, newest first. Only members who may read the log get any:
    for the others it doesn't exist (404), whichever door they came by."""
    if not actor.can(Capability.VIEW_AUDIT_LOG):
        raise Http404
    events = AuditEvent.objects.all()
    if where.action:
        events = events.filter(action=where.action) if "." in where.action else \
            events.filter(action__startswith=f"{where.action}.")
    for field in ("actor_type", "actor_id", "target_type", "target_id"):
        if value := getattr(where, field):
            events = events.filter(**{field: value})
    if where.since is not None:
        events = events.filter(occurred_at__gte=where.since)
    if where.until is not None:
        events = events.filter(occurred_at__lt=where.until)
    return events.order_by("-occurred_at", "-id")
