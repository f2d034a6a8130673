"""Send pacing in Redis, shared by every worker: a token bucket per phone number at its Meta
throughput, and a per-recipient (pair) bucket so we never trip Meta's 131056.

Keys are global (phone_number_id is unique across tenants) and name what they limit.
"""
from dataclasses import dataclass

from django.conf import settings

from apps.core.metrics import RATE_LIMIT_WAITS
from apps.core.redis import redis_client

# Atomically refill by elapsed time, then take one token if there is one.
# Returns {allowed (1/0), seconds to wait until a token is available}.
_TOKEN_BUCKET = """
local key = KEYS[1]
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
local state = redis.call('HMGET', key, 'tokens', 'at')
local tokens = tonumber(state[1]) or burst
local at = tonumber(state[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - at) * rate)
local allowed = 0
local wait = 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
else
  wait = (1 - tokens) / rate
end
redis.call('HSET', key, 'tokens', tokens, 'at', now)
redis.call('EXPIRE', key, math.ceil(burst / rate) + 60)
return {allowed, tostring(wait)}
"""


@dataclass(frozen=True)
class Decision:
    allowed: bool
    retry_after: float = 0.0


def _take(key: str, *, rate: float, burst: float, bucket: str) -> Decision:
    client = redis_client()
    seconds, micros = client.time()
    allowed, wait = client.eval(_TOKEN_BUCKET, 1, key, rate, burst, seconds + micros / 1_000_000)
    if not allowed:
        RATE_LIMIT_WAITS.labels(bucket).inc()
    return Decision(bool(allowed), float(wait))


def number_take(phone_number_id: str, *, mps: int) -> Decision:
    """One send from this number, at most `mps` a second (a one-second burst)."""
    return _take(_number_key(phone_number_id), rate=mps, burst=mps, bucket="number")


def pair_take(phone_number_id: str, recipient: str) -> Decision:
    """One send to this person from this number, within the pair limit (settings.PAIR_RATE_*)."""
    return _take(f"{settings.CACHE_PREFIX}-global:rl:pair:{phone_number_id}:{recipient}",
                 rate=settings.PAIR_RATE_PER_SECOND, burst=settings.PAIR_RATE_BURST, bucket="pair")


# Up to ARGV[4] tokens at once (a campaign's batch): returns {granted, seconds until the next token}.
_TOKEN_BUCKET_MANY = """
local key = KEYS[1]
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
local want = tonumber(ARGV[4])
local state = redis.call('HMGET', key, 'tokens', 'at')
local tokens = tonumber(state[1]) or burst
local at = tonumber(state[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - at) * rate)
local granted = math.min(want, math.floor(tokens))
tokens = tokens - granted
local wait = 0
if tokens < 1 then
  wait = (1 - tokens) / rate
end
redis.call('HSET', key, 'tokens', tokens, 'at', now)
redis.call('EXPIRE', key, math.ceil(burst / rate) + 60)
return {granted, tostring(wait)}
"""

# One pair token for each of many recipients (KEYS), in one round trip: returns a list of 1/0.
_PAIR_BUCKETS = """
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
local out = {}
for i, key in ipairs(KEYS) do
  local state = redis.call('HMGET', key, 'tokens', 'at')
  local tokens = tonumber(state[1]) or burst
  local at = tonumber(state[2]) or now
  tokens = math.min(burst, tokens + math.max(0, now - at) * rate)
  if tokens >= 1 then
    tokens = tokens - 1
    out[i] = 1
  else
    out[i] = 0
  end
  redis.call('HSET', key, 'tokens', tokens, 'at', now)
  redis.call('EXPIRE', key, math.ceil(burst / rate) + 60)
end
return out
"""


@dataclass(frozen=True)
class Grant:
    granted: int
    retry_after: float = 0.0


def _number_key(phone_number_id: str) -> str:
    return f"{settings.CACHE_PREFIX}-global:rl:number:{phone_number_id}"


def number_take_many(phone_number_id: str, *, mps: int, want: int, burst: int | None = None) -> Grant:
    """Up to `want` sends from this number now, from the same bucket as `number_take` (the inbox and the
    campaigns share the number's throughput). `burst` caps what an idle bucket holds (default: one second's)."""
    client = redis_client()
    seconds, micros = client.time()
    granted, wait = client.eval(_TOKEN_BUCKET_MANY, 1, _number_key(phone_number_id), mps, burst or mps,
                                seconds + micros / 1_000_000, want)
    if int(granted) < want:
        RATE_LIMIT_WAITS.labels("number").inc()
    return Grant(int(granted), float(wait))


def pairs_take(phone_number_id: str, recipients: list[str]) -> list[bool]:
    """`pair_take` for many recipients in one round trip."""
    if not recipients:
        return []
    client = redis_client()
    seconds, micros = client.time()
    keys = [f"{settings.CACHE_PREFIX}-global:rl:pair:{phone_number_id}:{to}" for to in recipients]
    allowed = client.eval(_PAIR_BUCKETS, len(keys), *keys, settings.PAIR_RATE_PER_SECOND, settings.PAIR_RATE_BURST,
                          seconds + micros / 1_000_000)
    return [bool(a) for a in allowed]
