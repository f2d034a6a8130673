"""The dashboard's figures (GET /api/analytics/overview/), read from the daily tables, never from the raw rows.

Who sees what follows the inbox's rule (apps.messaging.selectors): those who see every conversation (owners and
admins, or agents when the business lets them) get the business's figures; an agent who sees only theirs gets
their own (messages they sent, their first responses and resolutions, their open conversations and the unassigned
ones), no business-wide message, spend or campaign figure.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.db import connection
from django.db.models import Count, Q, Sum

from apps.analytics.models import DailyAgentStats, DailyMessageStats
from apps.calls.selectors import calls_counts
from apps.campaigns.funnel import campaign_counts
from apps.campaigns.models import Campaign
from apps.contacts.selectors import contact_settings_get
from apps.messaging.models import Conversation
from apps.messaging.selectors import inbox_settings_get
from tenants.billing.rate_card import estimate
from tenants.billing.wallet_models import MICROS, WalletEntry
from tenants.billing.wallet_selectors import wallet_of
from tenants.members import Capability, Member
from tenants.models import User

MAX_DAYS = 366
# Days the API accepts (far outside them the day arithmetic would overflow; WhatsApp has no older messages).
FIRST_DAY, LAST_DAY = dt.date(2000, 1, 1), dt.date(2999, 12, 31)
RECENT_CAMPAIGNS = 5


def sees_business(member: Member) -> bool:
    return member.can(Capability.SEE_ALL_CONVERSATIONS) or inbox_settings_get().agents_see_all


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _mean(total: float, n: int) -> float | None:
    return round(total / n, 1) if n else None


def overview(member: Member, start: dt.date, end: dt.date) -> dict:
    business = sees_business(member)
    tz = inbox_settings_get().timezone or "UTC"
    messages = DailyMessageStats.objects.filter(day__range=(start, end))
    agents = DailyAgentStats.objects.filter(day__range=(start, end))
    if not business:
        messages = messages.filter(agent_id=member.user_id)
        agents = agents.filter(agent_id=member.user_id)

    # One grouped read per table: the per-day series and, below, the totals from it.
    per_day = (messages.values("day", "direction")
               .annotate(messages=Sum("messages"), sent=Sum("sent"), delivered=Sum("delivered"), read=Sum("read"),
                         failed=Sum("failed"), billable=Sum("billable")))
    series = {start + dt.timedelta(days=i): {"day": start + dt.timedelta(days=i), "messages_in": 0, "messages_out": 0,
                                              "sent": 0, "delivered": 0, "read": 0, "failed": 0}
              for i in range((end - start).days + 1)}
    for row in per_day:
        day = series[row["day"]]
        if row["direction"] == "in":
            day["messages_in"] += row["messages"]
        else:
            day["messages_out"] += row["messages"]
            for key in ("sent", "delivered", "read", "failed"):
                day[key] += row[key]

    agent_rows = (agents.values("agent_id").annotate(
        first_responses=Sum("first_responses"), first_response_seconds=Sum("first_response_seconds"),
        resolutions=Sum("resolutions"), resolution_seconds=Sum("resolution_seconds")))
    replies = dict(messages.filter(direction="out").exclude(agent_id=0).values("agent_id")
                   .annotate(n=Sum("messages")).values_list("agent_id", "n"))
    by_agent: dict[int, dict] = defaultdict(lambda: {"first_responses": 0, "first_response_seconds": 0.0,
                                                     "resolutions": 0, "resolution_seconds": 0.0})
    for row in agent_rows:
        by_agent[row["agent_id"]].update({k: row[k] for k in ("first_responses", "first_response_seconds",
                                                             "resolutions", "resolution_seconds")})
    for agent_id in replies:
        by_agent[agent_id]  # noqa: B018 (the defaultdict makes the row)
    people = {u.pk: u for u in User.objects.filter(pk__in=[a for a in by_agent if a])}

    fr_n = sum(a["first_responses"] for a in by_agent.values())
    fr_s = sum(a["first_response_seconds"] for a in by_agent.values())
    res_n = sum(a["resolutions"] for a in by_agent.values())
    res_s = sum(a["resolution_seconds"] for a in by_agent.values())
    days = list(series.values())
    out = {k: sum(d[k] for d in days) for k in ("sent", "delivered", "read", "failed")}
    totals = {
        "messages_in": sum(d["messages_in"] for d in days), "messages_out": sum(d["messages_out"] for d in days),
        **out,
        "delivery_rate": _rate(out["delivered"], out["sent"]), "read_rate": _rate(out["read"], out["delivered"]),
        "first_responses": fr_n, "first_response_seconds_mean": _mean(fr_s, fr_n),
        "resolutions": res_n, "resolution_seconds_mean": _mean(res_s, res_n),
    }
    return {
        "from": start, "to": end, "time_zone": tz, "scope": "business" if business else "own",
        "totals": totals, "series": days,
        "open_conversations": _open_conversations(member, business),
        "agents": sorted(({"agent_id": agent_id or None, "name": _name(people.get(agent_id)),
                           "replies": replies.get(agent_id, 0),
                           "first_responses": a["first_responses"],
                           "first_response_seconds_mean": _mean(a["first_response_seconds"], a["first_responses"]),
                           "resolutions": a["resolutions"],
                           "resolution_seconds_mean": _mean(a["resolution_seconds"], a["resolutions"])}
                          for agent_id, a in by_agent.items() if agent_id),
                         key=lambda a: (-a["replies"], a["name"])),
        "calls": calls_counts(start, end, tz, agent_id=None if business else member.user_id),
        "spend": _spend(messages, start, end) if business else None,
        "campaigns": _campaigns(start, end, tz) if business else [],
    }


def _name(user) -> str:
    if user is None:
        return "Former member"
    return " ".join(filter(None, [user.first_name, getattr(user, "last_name", "")])) or user.email


def _open_conversations(member: Member, business: bool) -> list[dict]:
    """Live, from the (assignee, status) index: open and pending conversations per assignee (None: unassigned)."""
    rows = Conversation.objects.filter(status__in=[Conversation.Status.OPEN, Conversation.Status.PENDING])
    if not business:
        rows = rows.filter(Q(assignee__isnull=True) | Q(assignee_id=member.user_id))
    counts = list(rows.values("assignee_id").annotate(n=Count("id")).order_by("-n"))
    people = {u.pk: u for u in User.objects.filter(pk__in=[r["assignee_id"] for r in counts if r["assignee_id"]])}
    return [{"assignee_id": r["assignee_id"],
             "name": _name(people.get(r["assignee_id"])) if r["assignee_id"] else "Unassigned", "count": r["n"]}
            for r in counts]


def _spend(messages, start: dt.date, end: dt.date) -> dict:
    """Billable messages by Meta's pricing category (from the daily tables) and what they cost: a wholesale
    business's wallet charges (what it really paid, Meta's rate plus the markup), else Meta's rate card priced at the
    business's default region (the rate card's rest-of-world rate without one): an estimate."""
    billable = dict(messages.filter(direction="out", billable__gt=0).values("category")
                    .annotate(n=Sum("billable")).values_list("category", "n"))
    wallet = wallet_of(connection.tenant)
    if wallet is not None:
        charges = (WalletEntry.objects.filter(wallet=wallet, kind=WalletEntry.Kind.CHARGE,
                                              created_at__date__range=(start, end))
                   .values("category").annotate(micros=Sum("amount_micros")))
        amounts = {(r["category"] or "").lower(): Decimal(-r["micros"]) / MICROS for r in charges}
        currency, basis = wallet.currency.upper(), "wallet"
    else:
        region = contact_settings_get().default_region or ""
        result = estimate({(region, category or "marketing"): n for category, n in billable.items()})
        amounts = {line.category.lower(): line.amount for line in result.lines}
        currency, basis = result.currency.upper(), "rate_card"
    categories = sorted(set(billable) | set(amounts))
    lines = [{"category": c or "unknown", "billable": billable.get(c, 0), "amount": str(amounts.get(c, Decimal(0)))}
             for c in categories]
    return {"basis": basis, "currency": currency,
            "total": str(sum((amounts.get(c, Decimal(0)) for c in categories), Decimal(0))), "by_category": lines}


def _campaigns(start: dt.date, end: dt.date, tz: str) -> list[dict]:
    """The latest campaigns started in the range, with their funnel (apps.campaigns.funnel)."""
    from apps.analytics.rollup import _bounds

    lower, upper = _bounds(start, end, tz)
    recent = Campaign.objects.filter(started_at__gte=lower, started_at__lt=upper).order_by("-started_at")
    out = []
    for campaign in recent[:RECENT_CAMPAIGNS]:
        counts, _ = campaign_counts(campaign)
        out.append({"id": campaign.pk, "name": campaign.name, "status": campaign.status,
                    "started_at": campaign.started_at,
                    **{k: counts[k] for k in ("recipients", "sent", "delivered", "read", "replied", "failed")}})
    return out
