"""Reading calls: the log (every member sees it: calls are not filed by assignee), one call, and the dashboard's
counts."""
import datetime as dt
import zoneinfo

from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404

from apps.calls.models import Call
from apps.calls.signalling import State
from tenants.members import Member


def call_list(member: Member, *, contact_id: int | None = None, conversation_id: int | None = None,
              agent_id: int | None = None, direction: str = "", status: str = "") -> QuerySet[Call]:
    """The business's call log, filtered by contact, conversation, the agent who answered or placed it, direction
    and status."""
    calls = Call.objects.select_related("phone_number")
    for field, value in (("contact_id", contact_id), ("conversation_id", conversation_id), ("agent_id", agent_id),
                         ("direction", direction), ("status", status)):
        if value not in (None, ""):
            calls = calls.filter(**{field: value})
    return calls


def access_call(member: Member, call_id) -> Call:
    """One call of this business (another business's, or none, is the same 404)."""
    try:
        return call_list(member).select_related("agent", "contact", "conversation").get(pk=int(call_id))
    except (Call.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def calls_counts(start: dt.date, end: dt.date, tz: str, *, agent_id: int | None = None) -> dict:
    """Calls begun on the days start..end (the business's dates): by direction and how they ended, and the talk
    time. `agent_id`: only the calls that member answered or placed."""
    zone = zoneinfo.ZoneInfo(tz)
    since = dt.datetime.combine(start, dt.time.min, zone)
    until = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, zone)
    calls = Call.objects.filter(created_at__gte=since, created_at__lt=until)
    if agent_id is not None:
        calls = calls.filter(agent_id=agent_id)
    inbound = Q(direction=Call.Direction.USER_INITIATED)
    return calls.aggregate(
        total=Count("id"), inbound=Count("id", filter=inbound),
        outbound=Count("id", filter=Q(direction=Call.Direction.BUSINESS_INITIATED)),
        answered=Count("id", filter=Q(answered_at__isnull=False)),
        missed=Count("id", filter=inbound & Q(status=State.MISSED)),
        rejected=Count("id", filter=Q(status=State.REJECTED)), failed=Count("id", filter=Q(status=State.FAILED)),
        talk_seconds=Sum("duration_seconds", default=0))
