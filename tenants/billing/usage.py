"""Monthly usage counters (UsageCounter): one upsert per counted piece of work, in its own transaction.

Why counters in public rather than per-schema aggregates rolled up by a task: the limit on messages must be
checked at send time, and a count of rows in a tenant's schema on every send grows with the month; an upsert
on one row keyed (tenant, month, metric) costs the same on the first and the millionth message, rolls back
with the work it counts, and the platform's monthly roll-up is one indexed scan of one table (`usage_rollup`).
"""
from datetime import date, datetime

from django.db import connection
from django.utils import timezone

from tenants.billing.models import UsageCounter
from tenants.models import Tenant

# Metric names. Messages are also split by Meta's pricing (`message_metric`).
MESSAGES_SENT = "messages_sent"
MESSAGES_RECEIVED = "messages_received"
CAMPAIGN_SENDS = "campaign_sends"
CAMPAIGNS_STARTED = "campaigns_started"

_UPSERT = """
    INSERT INTO tenants_usagecounter (tenant_id, month, metric, value) VALUES (%s, %s, %s, %s)
    ON CONFLICT (tenant_id, month, metric) DO UPDATE SET value = tenants_usagecounter.value + EXCLUDED.value
"""


def month_of(when: datetime | None = None) -> date:
    when = when or timezone.now()
    return date(when.year, when.month, 1)


def message_metric(*, direction: str, category: str = "", billable: bool | None = None) -> str:
    """`messages:<direction>:<Meta pricing category>:<billable|free>`, e.g. messages:out:marketing:billable."""
    charge = "billable" if billable else "free" if billable is not None else "unknown"
    return f"messages:{direction}:{category or 'none'}:{charge}"[:64]


def usage_add(tenant_id: int, metric: str, n: int = 1, *, when: datetime | None = None) -> None:
    """Add `n` to this month's counter, in the caller's transaction."""
    if n:
        with connection.cursor() as cursor:
            cursor.execute(_UPSERT, [tenant_id, month_of(when), metric, n])


def usage_add_here(metric: str, n: int = 1) -> None:
    """`usage_add` for the business whose schema the connection is in (where tenant apps' work runs: a request on
    its host, a routed webhook change, or a test's schema_context, whose FakeTenant has no pk)."""
    tenant = connection.tenant
    tenant_id = getattr(tenant, "pk", None)
    if tenant_id is None:
        tenant_id = Tenant.objects.values_list("pk", flat=True).get(schema_name=tenant.schema_name)
    usage_add(tenant_id, metric, n)


def usage_add_within(tenant_id: int, metric: str, n: int, limit: int) -> int | None:
    """Add `n` only if the month's total stays within `limit`, atomically (concurrent senders can't both take
    the last unit). Returns the new total, or None when it would exceed the limit (nothing added)."""
    if n > limit:
        return None
    with connection.cursor() as cursor:
        cursor.execute(_UPSERT + " WHERE tenants_usagecounter.value + EXCLUDED.value <= %s RETURNING value",
                       [tenant_id, month_of(), metric, n, limit])
        row = cursor.fetchone()
    return row[0] if row else None


def usage_of(tenant_id: int, month: date | None = None) -> dict[str, int]:
    rows = UsageCounter.objects.filter(tenant_id=tenant_id, month=month or month_of())
    return dict(rows.values_list("metric", "value"))


def usage_rollup(month: date) -> dict[int, dict[str, int]]:
    """Every business's counters for `month`: {tenant_id: {metric: value}} from one index scan."""
    result: dict[int, dict[str, int]] = {}
    rows = UsageCounter.objects.filter(month=month).values_list("tenant_id", "metric", "value")
    for tenant_id, metric, value in rows:
        result.setdefault(tenant_id, {})[metric] = value
    return result
