"""Per-key rate limit: a fixed one-minute window per key in Redis, reported in the IETF draft's headers.

Checked by the authentication itself (apps.developer.auth), so no view can opt out by naming its own throttles.
Every response to a key carries `RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset` (seconds until
the window ends, RateLimitHeadersMiddleware); over the limit it is 429 `throttled` with `Retry-After`.
"""
from dataclasses import dataclass

from django.conf import settings
from django.db import connection

from apps.core.redis import business_key, redis_client

WINDOW_SECONDS = 60

_COUNT = """
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('TTL', KEYS[1])
if ttl < 0 then redis.call('EXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {n, ttl}
"""


@dataclass(frozen=True)
class RateLimit:
    limit: int
    remaining: int
    reset: int  # seconds

    @property
    def exceeded(self) -> bool:
        return self.remaining < 0

    def headers(self) -> dict[str, str]:
        return {"RateLimit-Limit": str(self.limit), "RateLimit-Remaining": str(max(self.remaining, 0)),
                "RateLimit-Reset": str(self.reset)}


def limit_for(key) -> int:
    return key.rate_limit or settings.API_KEY_RATE_LIMIT


def count_request(key) -> RateLimit:
    """Count one request of `key` in its current window."""
    limit = limit_for(key)
    redis_key = business_key("apikey-rate", connection.schema_name, str(key.pk))
    count, ttl = redis_client().eval(_COUNT, 1, redis_key, WINDOW_SECONDS)
    return RateLimit(limit=limit, remaining=limit - int(count), reset=max(int(ttl), 1))


class RateLimitHeadersMiddleware:
    """Adds the RateLimit-* headers the key's authentication computed to its response, errors included."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        rate = getattr(request, "api_key_rate", None)
        if rate is not None:
            for name, value in rate.headers().items():
                response[name] = value
        return response
