"""Send pacing in Redis, shared by every worker: a token bucket per phone number at its Meta
throughput, and a per-recipient (pair) bucket so we never trip Meta's 131056.

Keys are global (phone_number_id is unique across tenants) and name what they limit.
"""
from dataclasses import dataclass

from django.conf import settings

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


def _take(key: str, *, rate: float, burst: float) -> Decision:
    client = redis_client()
    seconds, micros = client.time()
    allowed, wait = client.eval(_TOKEN_BUCKET, 1, key, rate, burst, seconds + micros / 1_000_000)
    return Decision(bool(allowed), float(wait))


def number_take(phone_number_id: str, *, mps: int) -> Decision:
    """One send from this number, at most `mps` a second (a one-second burst)."""
    return _take(f"{settings.CACHE_PREFIX}-global:rl:number:{phone_number_id}", rate=mps, burst=mps)


def pair_take(phone_number_id: str, recipient: str) -> Decision:
    """One send to this person from this number, within the pair limit (settings.PAIR_RATE_*)."""
    return _take(f"{settings.CACHE_PREFIX}-global:rl:pair:{phone_number_id}:{recipient}",
                 rate=settings.PAIR_RATE_PER_SECOND, burst=settings.PAIR_RATE_BURST)
