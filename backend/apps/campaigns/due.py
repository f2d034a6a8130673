"""When each campaign's dispatcher should run next, across every business: one Redis sorted set of
"<schema>:<campaign id>" scored by the time it is due (a schedule, the end of quiet hours or of a back-off, or the
expiry of a running dispatcher's lease, so a killed one is picked up again).

The beat task `campaigns_due_dispatch` (every few seconds) pops what is due and enqueues its dispatcher inside its
business's schema; `campaigns_due_rebuild` (every few minutes) re-adds every scheduled or running campaign from the
databases, so a Redis restart loses nothing but a few minutes. A dispatcher enqueued twice is harmless: the lease
lets one run.
"""
from __future__ import annotations

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from apps.core.redis import redis_client


def _key() -> str:
    return f"{settings.CACHE_PREFIX}-global:campaigns:due"


def _member(campaign_id: int, schema: str | None = None) -> str:
    return f"{schema or connection.schema_name}:{campaign_id}"


def campaign_due(campaign_id: int, at, *, schema: str | None = None) -> None:
    redis_client().zadd(_key(), {_member(campaign_id, schema): at.timestamp()})


def campaign_not_due(campaign_id: int, *, schema: str | None = None) -> None:
    redis_client().zrem(_key(), _member(campaign_id, schema))


def campaign_due_on_commit(campaign) -> None:
    """Due at its next_run_at (now for a start or a resume); the dispatcher is enqueued now when it is due now."""
    schema, at, pk = connection.schema_name, campaign.next_run_at or timezone.now(), campaign.pk

    def register() -> None:
        campaign_due(pk, at, schema=schema)
        if at <= timezone.now():
            from apps.campaigns.tasks import campaign_dispatch_task

            campaign_dispatch_task.delay(pk)

    transaction.on_commit(register, robust=True)


def campaign_not_due_on_commit(campaign) -> None:
    schema, pk = connection.schema_name, campaign.pk
    transaction.on_commit(lambda: campaign_not_due(pk, schema=schema), robust=True)


def campaigns_due_pop(limit: int = 200) -> list[tuple[str, int]]:
    """(schema, campaign id) of what is due now, removed from the set (the dispatcher re-adds itself)."""
    client = redis_client()
    members = client.zrangebyscore(_key(), "-inf", timezone.now().timestamp(), start=0, num=limit)
    due = []
    for member in members:
        if client.zrem(_key(), member):  # another beat may have taken it
            schema, _, pk = member.decode().rpartition(":")
            due.append((schema, int(pk)))
    return due
