"""One Redis client per process, for what Django's cache API can't express (locks, token buckets, streams).

Per-business keys outside Django's cache follow one rule, `<CACHE_PREFIX>:<kind>:<schema>` or
`<CACHE_PREFIX>:<kind>:<schema>:<more>` (business_key): deleting a business finds them all by the schema
(business_key_patterns) without knowing which app made them.
"""
from functools import lru_cache

import redis
from django.conf import settings


@lru_cache(maxsize=1)
def redis_client() -> redis.Redis:
    return redis.Redis.from_url(settings.REDIS_URL)


def business_key(kind: str, schema_name: str, *more: str) -> str:
    """A per-business Redis key, e.g. business_key("inbox", "t_acme") -> "<prefix>:inbox:t_acme"."""
    return ":".join([settings.CACHE_PREFIX, kind, schema_name, *more])


def business_key_patterns(schema_name: str) -> list[str]:
    """SCAN patterns matching every business_key of this business, and no other business's (t_acme is not
    t_acme2). Django's per-business cache keys are `<schema>:...` (django-tenants' key function)."""
    prefix = settings.CACHE_PREFIX
    return [f"{prefix}:*:{schema_name}", f"{prefix}:*:{schema_name}:*", f"{schema_name}:*"]
