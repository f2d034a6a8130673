"""Live inbox events: one capped Redis stream per business, read by the inbox's server-sent events.

Why a stream and not pub/sub: an EventSource reconnects with `Last-Event-ID`, and the stream can hand
it what it missed (an SSE connection lives at most INBOX_STREAM_SECONDS; see inbox_api.InboxEventsApi).
Events carry ids, not contents: the browser refetches through the API, which applies who may see what.
The key holds the schema name, so one business's stream is never read on another's host.
"""
import json
from functools import lru_cache

import redis
from django.conf import settings
from django.db import connection, transaction

from apps.core.redis import redis_client

STREAM_MAXLEN = 5000
MAX_BLOCK_SECONDS = 15


@lru_cache(maxsize=1)
def _blocking_client() -> redis.Redis:
    """For XREAD BLOCK: redis-py's default 5 s socket timeout would cut a longer block short."""
    return redis.Redis.from_url(settings.REDIS_URL, socket_timeout=MAX_BLOCK_SECONDS + 10)


def stream_key(schema_name: str) -> str:
    return f"{settings.CACHE_PREFIX}:inbox:{schema_name}"


def publish(kind: str, *, conversation_id: int | None, assignee_id: int | None = None, **data) -> None:
    """Announce a change after the transaction commits (listeners must find it in the database)."""
    if conversation_id is None:
        return
    key = stream_key(connection.schema_name)
    event = {"kind": kind, "conversation_id": conversation_id, "assignee_id": assignee_id, **data}
    transaction.on_commit(lambda: redis_client().xadd(
        key, {"data": json.dumps(event, default=str)}, maxlen=STREAM_MAXLEN, approximate=True))


def latest_id(schema_name: str) -> str:
    newest = redis_client().xrevrange(stream_key(schema_name), count=1)
    return newest[0][0].decode() if newest else "0-0"


def read_after(schema_name: str, last_id: str, *, block_ms: int) -> list[tuple[str, dict]]:
    """Events after `last_id`, waiting up to block_ms (at most MAX_BLOCK_SECONDS) for the first one."""
    block_ms = max(1, min(block_ms, MAX_BLOCK_SECONDS * 1000))
    answer = _blocking_client().xread({stream_key(schema_name): last_id}, block=block_ms, count=200)
    events = []
    for _key, entries in answer or []:
        for entry_id, fields in entries:
            events.append((entry_id.decode(), json.loads(fields[b"data"])))
    return events
