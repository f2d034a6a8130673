"""How many live-inbox streams may be open at once: per person and per business, counted in Redis.

Each open stream holds a *lease*: its id in two sorted sets (the person's and the business's, both keyed
by the business's schema, so one business's streams never count against another's), scored by when the
lease runs out. The stream refreshes its lease while it runs and removes it when it ends; a lease whose
process died (kill -9, OOM, lost host) simply runs out, so no slot is lost for longer than
INBOX_STREAM_LEASE_SECONDS. Expired ids are swept by the next acquire, in the same Lua script as the count,
so two streams racing for the last slot can't both get it. Times come from Redis (TIME), not from the
callers' clocks.

`acquire` is synchronous (the authorization step runs in a thread, see events_asgi); `refresh` and
`release` are awaited by the streaming loop.
"""
import uuid
from dataclasses import dataclass

from django.conf import settings

from apps.core.errors import ApplicationError
from apps.core.redis import redis_client

_ACQUIRE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local ttl = tonumber(ARGV[2])
for i = 1, 2 do redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', now) end
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then return 1 end
if redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[4]) then return 2 end
for i = 1, 2 do
  redis.call('ZADD', KEYS[i], now + ttl, ARGV[1])
  redis.call('EXPIRE', KEYS[i], math.ceil(ttl) + 1)
end
return 0
"""

# 1 while the lease is still held (then extended), 0 once it ran out and was swept or released.
_REFRESH = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local ttl = tonumber(ARGV[2])
local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not score or tonumber(score) < now then return 0 end
for i = 1, 2 do
  redis.call('ZADD', KEYS[i], now + ttl, ARGV[1])
  redis.call('EXPIRE', KEYS[i], math.ceil(ttl) + 1)
end
return 1
"""


class TooManyStreams(ApplicationError):
    status_code = 429
    default_code = "too_many_streams"

    def __init__(self, message: str, *, retry_after: int):
        super().__init__(message, errors={"retry_after": [str(retry_after)]})
        self.wait = retry_after  # DRF's exception handler turns `wait` into the Retry-After header


@dataclass(frozen=True)
class Lease:
    id: str
    person_key: str
    business_key: str

    @property
    def keys(self) -> list[str]:
        return [self.person_key, self.business_key]


def _keys(schema_name: str, user_id: int) -> tuple[str, str]:
    base = f"{settings.CACHE_PREFIX}:inbox-streams:{schema_name}"
    return f"{base}:person:{user_id}", f"{base}:all"


def open_count(schema_name: str, user_id: int | None = None) -> int:
    """Leases held now in this business (or by this person in it); for tests and operators."""
    person_key, business_key = _keys(schema_name, user_id or 0)
    client = redis_client()
    now = client.time()
    return client.zcount(person_key if user_id else business_key, now[0] + now[1] / 1e6, "+inf")


def acquire(schema_name: str, user_id: int) -> Lease:
    """A lease for one more stream of this person in this business, or TooManyStreams (429)."""
    person_key, business_key = _keys(schema_name, user_id)
    lease = Lease(uuid.uuid4().hex, person_key, business_key)
    answer = redis_client().eval(_ACQUIRE, 2, person_key, business_key, lease.id,
                                 settings.INBOX_STREAM_LEASE_SECONDS, settings.INBOX_STREAMS_PER_PERSON,
                                 settings.INBOX_STREAMS_PER_BUSINESS)
    if answer == 1:
        raise TooManyStreams(f"You already have {settings.INBOX_STREAMS_PER_PERSON} live inbox connections open "
                             "in this business. Close a tab or try again shortly.",
                             retry_after=settings.INBOX_STREAM_RETRY_AFTER)
    if answer == 2:
        raise TooManyStreams("This business has too many live inbox connections open. Try again shortly.",
                             retry_after=settings.INBOX_STREAM_RETRY_AFTER)
    return lease


async def refresh(client, lease: Lease) -> bool:
    """Extend a running stream's lease; False when it had already run out (the stream should end)."""
    return bool(await client.eval(_REFRESH, 2, *lease.keys, lease.id, settings.INBOX_STREAM_LEASE_SECONDS))


async def release(client, lease: Lease) -> None:
    async with client.pipeline(transaction=False) as pipe:
        for key in lease.keys:
            pipe.zrem(key, lease.id)
        await pipe.execute()
