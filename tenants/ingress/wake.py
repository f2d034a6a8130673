"""Waking a router after an insert, without one broker message per event.

A Redis flag (`SET NX` with an expiry) says "a router has been woken and will claim again": the endpoint, after
its insert commits, publishes the router task only when it is the one that set the flag; a router clears the
flag before each claim. An insert committed before the clear is seen by that claim; one committed after finds
the flag gone and wakes a router again. So no event waits for a wake-up, and a burst costs one Redis round trip
per request and a few tasks per second, not one task per event.

With Redis or the broker down the flag is not set (or cleared again) and the event just stays stored: beat runs
the router every few seconds (tenants.tasks.webhook_events_sweep), and the flag's expiry bounds how long a lost
task can keep others from being published.
"""
import logging
from contextlib import suppress

from django.conf import settings

from apps.core.redis import redis_client

logger = logging.getLogger(__name__)


def _flag() -> str:
    return f"{settings.CACHE_PREFIX}:ingress:router-woken"


def router_wake() -> None:
    """Make sure a router will claim events committed so far. Never raises: the events are stored either way."""
    from tenants.ingress.tasks import webhook_events_sweep

    try:
        if not redis_client().set(_flag(), 1, nx=True, ex=settings.WEBHOOK_ROUTER_WAKE_EXPIRY_SECONDS):
            return  # a router was woken and has not claimed since: it will see this event
        webhook_events_sweep.delay()
    except Exception as exc:  # Redis or the broker is down: beat's run of the router takes the event
        logger.warning("webhook router not woken (beat's run will route the event): %s", exc)
        with suppress(Exception):  # Redis is down: there is no flag to clear
            redis_client().delete(_flag())


def router_woken() -> None:
    """A router is about to claim: later inserts must wake a router again."""
    try:
        redis_client().delete(_flag())
    except Exception as exc:  # the flag expires on its own; this claim goes ahead
        logger.warning("webhook router wake flag not cleared: %s", exc)
