"""Redis (cache, live streams, Celery broker) really unavailable: every client points at a port nothing
listens on, so calls fail with the real connection errors. No mock of Redis's behaviour."""
from contextlib import contextmanager

from django.test import override_settings

DEAD_REDIS = "redis://127.0.0.1:1/0"


def _reset_clients() -> None:
    from apps.core import redis as core_redis
    from convonest.celery import app

    core_redis.redis_client.cache_clear()
    app._pool = None  # kombu keeps producer pools per connection URL: the real broker's pool comes back intact
    app.amqp._producer_pool = None


@contextmanager
def redis_down():
    from convonest.celery import app

    broker = app.conf.broker_url
    with override_settings(REDIS_URL=DEAD_REDIS):
        app.conf.broker_url = DEAD_REDIS
        _reset_clients()
        try:
            yield
        finally:
            app.conf.broker_url = broker
            _reset_clients()
