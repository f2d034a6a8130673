"""Live inbox events: one capped Redis stream per business, read by the inbox's server-sent events.

Why a stream and not pub/sub: an EventSource reconnects with `Last-Event-ID`, and the stream can hand
it what it missed (an SSE connection lives at most INBOX_STREAM_SECONDS; see inbox_api.InboxEventsApi).
Events carry ids, not contents: the browser refetches through the API, which applies who may see what.
The key holds the schema name, so one business's stream is never read on another's host.

Streams are served by the events service (events_asgi.py), on asyncio: `LiveStream` is what the view
hands it once the request is authorized; reading it holds no thread and no database connection.
"""
import json
import logging
import random
import time
from dataclasses import dataclass

import redis.asyncio
from django.conf import settings
from django.db import connection, transaction
from django.http import StreamingHttpResponse

from apps.core.redis import redis_client
from apps.messaging import selectors, stream_leases
from tenants.members import Member

logger = logging.getLogger(__name__)

STREAM_MAXLEN = 5000
MAX_BLOCK_SECONDS = 15
# Set by the events service on the requests it serves (a WSGI environ / META key no header can forge).
SERVED_BY_EVENTS_SERVICE = "convonest.events_service"


def async_client() -> redis.asyncio.Redis:
    """For XREAD BLOCK: redis-py's default 5 s socket timeout would cut a longer block short. One per event
    loop (the events service makes one at startup). Each open stream blocks one connection of its pool, so
    the pool is sized for EVENTS_MAX_STREAMS, not redis-py's default of 100."""
    return redis.asyncio.Redis.from_url(settings.REDIS_URL, socket_timeout=MAX_BLOCK_SECONDS + 10,
                                        max_connections=settings.EVENTS_MAX_STREAMS + 50)


def stream_key(schema_name: str) -> str:
    return f"{settings.CACHE_PREFIX}:inbox:{schema_name}"


def publish(kind: str, *, conversation_id: int | None, assignee_id: int | None = None, **data) -> None:
    """Announce a change after the transaction commits (listeners must find it in the database)."""
    if conversation_id is None:
        return
    key = stream_key(connection.schema_name)
    event = {"kind": kind, "conversation_id": conversation_id, "assignee_id": assignee_id, **data}
    # Robust: the write is committed already; a Redis outage costs a live refresh, never a 500 or the hooks
    # registered after this one (the send task's enqueue among them).
    transaction.on_commit(lambda: _xadd(key, event), robust=True)


def publish_template(template_id: int) -> None:
    """A template changed (status, quality, category, attention): after commit, an event every member's stream
    delivers (templates belong to the whole business, not to a conversation)."""
    key = stream_key(connection.schema_name)
    event = {"kind": "template", "type": "template", "id": template_id}
    transaction.on_commit(lambda: _xadd(key, event), robust=True)


def _xadd(key: str, event: dict) -> None:
    try:
        redis_client().xadd(key, {"data": json.dumps(event, default=str)}, maxlen=STREAM_MAXLEN, approximate=True)
    except redis.RedisError as exc:
        about = event.get("conversation_id") if "conversation_id" in event else f"template {event.get('id')}"
        logger.warning("live event %s (%s) not published: %s", event["kind"], about, exc)


def latest_id(schema_name: str) -> str:
    newest = redis_client().xrevrange(stream_key(schema_name), count=1)
    return newest[0][0].decode() if newest else "0-0"


async def read_after(client: redis.asyncio.Redis, schema_name: str, last_id: str, *,
                     block_ms: int) -> list[tuple[str, dict]]:
    """Events after `last_id`, waiting up to block_ms (at most MAX_BLOCK_SECONDS) for the first one."""
    block_ms = max(1, min(block_ms, MAX_BLOCK_SECONDS * 1000))
    answer = await client.xread({stream_key(schema_name): last_id}, block=block_ms, count=200)
    events = []
    for _key, entries in answer or []:
        for entry_id, fields in entries:
            events.append((entry_id.decode(), json.loads(fields[b"data"])))
    return events


@dataclass(frozen=True)
class Listener:
    """Who listens, fixed when the stream is authorized (a reconnect authorizes again)."""

    schema: str
    member: Member
    agents_see_all: bool

    def may_see(self, event: dict) -> bool:
        return selectors.may_see(self.member, assignee_id=event.get("assignee_id"), agents_see_all=self.agents_see_all,
                                 kind=event.get("kind", ""))


def frame(event_id: str, event: dict) -> bytes:
    return f"id: {event_id}\nevent: {event['kind']}\ndata: {json.dumps(event, separators=(',', ':'))}\n\n".encode()


class LiveStream:
    """One authorized event stream: the frames to send, for a finite lifetime, while its lease is held."""

    def __init__(self, listener: Listener, last_id: str, lease: stream_leases.Lease):
        self.listener, self.last_id, self.lease = listener, last_id, lease
        # Jitter spreads the reconnects of streams opened together (a deploy, a network blip).
        self.lifetime = settings.INBOX_STREAM_SECONDS * random.uniform(0.9, 1.0)

    async def frames(self, client: redis.asyncio.Redis):
        deadline = time.monotonic() + self.lifetime
        refresh_every = settings.INBOX_STREAM_LEASE_SECONDS / 3
        refreshed = time.monotonic()
        yield b"retry: 1000\n\n"
        while (remaining := deadline - time.monotonic()) > 0:
            events = await read_after(client, self.listener.schema, self.last_id,
                                      block_ms=int(min(remaining, refresh_every) * 1000))
            if time.monotonic() - refreshed >= refresh_every:
                if not await stream_leases.refresh(client, self.lease):
                    return  # the lease ran out (this process stalled): reconnect and compete again
                refreshed = time.monotonic()
            if not events:
                yield b": keep-alive\n\n"
            for event_id, event in events:
                self.last_id = event_id
                if self.listener.may_see(event):
                    yield frame(event_id, event)

    async def close(self, client: redis.asyncio.Redis) -> None:
        await stream_leases.release(client, self.lease)


class EventStreamResponse(StreamingHttpResponse):
    """The view's answer: headers for the events service to send, and the LiveStream it then runs."""

    def __init__(self, stream: LiveStream):
        super().__init__(iter(()), content_type="text/event-stream")
        self.live_stream = stream
        self["Cache-Control"] = "no-cache"
        self["X-Accel-Buffering"] = "no"  # nginx must not buffer the stream
