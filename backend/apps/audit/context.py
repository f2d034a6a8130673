"""Who acts and from where, known once per request (or per job) instead of being passed through every call.

- A request's origin (the real client's address, its user agent, the request id) is bound by
  `apps.audit.middleware.AuditOriginMiddleware` for the request's duration.
- Work nobody started by hand runs `with acting_as(automation("campaign_dispatcher", "Campaign dispatcher")):`
  (Celery tasks, beat jobs) or `acting_as(META)` (what Meta's webhooks change); `record()` called without an actor
  takes the one bound here, else `SYSTEM` (a shell, a migration).
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from apps.audit.models import ActorType


@dataclass(frozen=True, slots=True)
class Actor:
    """Someone or something other than a member acting: an automation, Meta, the system."""

    type: str
    id: str
    label: str


@dataclass(frozen=True, slots=True)
class Origin:
    ip: str | None
    user_agent: str
    request_id: str


META = Actor(ActorType.META, "meta", "Meta")
SYSTEM = Actor(ActorType.SYSTEM, "system", "System")

_origin: ContextVar[Origin | None] = ContextVar("audit_origin", default=None)
_actor: ContextVar[Actor | None] = ContextVar("audit_actor", default=None)


def automation(name: str, label: str) -> Actor:
    return Actor(ActorType.AUTOMATION, name, label)


@contextmanager
def acting_as(actor: Actor) -> Iterator[Actor]:
    token = _actor.set(actor)
    try:
        yield actor
    finally:
        _actor.reset(token)


@contextmanager
def request_origin(origin: Origin) -> Iterator[Origin]:
    token = _origin.set(origin)
    try:
        yield origin
    finally:
        _origin.reset(token)


def current_origin() -> Origin | None:
    return _origin.get()


def current_actor() -> Actor:
    return _actor.get() or SYSTEM
