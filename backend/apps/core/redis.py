"""One Redis client per process, for what Django's cache API can't express (locks, token buckets)."""
from functools import lru_cache

import redis
from django.conf import settings


@lru_cache(maxsize=1)
def redis_client() -> redis.Redis:
    return redis.Redis.from_url(settings.REDIS_URL)
