"""`record()`: the one way an event enters the audit log.

Called by the service that makes a change, inside that change's transaction (services run in `transaction.atomic`),
so the event exists exactly when the change does: a rolled-back change leaves no event, a committed one can't lose
its event. The actor is whoever the service was told acts (a `Member`, the same one it checks rights with), or an
`Actor` for automations and Meta; how they came (a person's session, an API key, a reseller's staff) and from where
(address, user agent, request id) is read here, once, for every door alike.
"""
from __future__ import annotations

import re
from typing import Any

from django.db import models

from apps.audit.actions import ACTIONS
from apps.audit.context import Actor, current_actor, current_origin
from apps.audit.models import ActorType, AuditEvent

# Field names whose values never enter the log (the change is recorded, its value is not).
_SECRET = re.compile(r"secret|token|password|passphrase|api_key|credential|private", re.IGNORECASE)
REDACTED = "[redacted]"


def record(actor, action: str, *, target: models.Model | None = None, target_type: str = "", target_id: Any = "",
           target_label: str = "", changes: dict | None = None, detail: dict | None = None) -> AuditEvent:
    """Write one audit event. `actor`: a tenants.members.Member (an API key's `KeyMember` included), an `Actor`,
    or None for the actor bound by `acting_as` (else the system). `target`: the model instance acted on; it is
    named by its `audit_label` when it has one (contacts have none: personal data stays out of the log)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}: add it to apps.audit.actions.ACTIONS")
    if target is not None:
        target_type = target_type or target._meta.model_name
        target_id = target_id or target.pk
        target_label = target_label or getattr(target, "audit_label", "")
    who = _actor_fields(actor)
    origin = current_origin()
    return AuditEvent.objects.create(
        action=action, target_type=target_type[:32], target_id=str(target_id)[:64], target_label=target_label[:255],
        changes=redact(changes or {}), detail={**who.pop("detail"), **redact(detail or {})},
        ip=origin.ip if origin else None, user_agent=origin.user_agent if origin else "",
        request_id=origin.request_id if origin else "", **who)


def diff(before: dict, after: dict) -> dict:
    """{field: [before, after]} for the fields whose values differ (the `changes` of an update)."""
    return {name: [before.get(name), value] for name, value in after.items() if before.get(name) != value}


def redact(values: dict) -> dict:
    return {name: REDACTED if _SECRET.search(str(name)) else value for name, value in values.items()}


def _actor_fields(actor) -> dict:
    if actor is None:
        actor = current_actor()
    if isinstance(actor, Actor):
        return {"actor_type": actor.type, "actor_id": actor.id[:64], "actor_label": actor.label[:255], "detail": {}}
    user = actor.user
    key = getattr(actor, "key", None)  # apps.developer.auth.KeyMember: the creator acting through their key
    if key is not None:
        return {"actor_type": ActorType.API_KEY, "actor_id": str(key.pk), "actor_label": f"{key.name} ({key.prefix}…)",
                "detail": {"key_owner": user.email}}
    reseller = _reseller_of(actor)
    if reseller is not None:
        return {"actor_type": ActorType.RESELLER, "actor_id": str(user.pk), "actor_label": user.email,
                "detail": {"reseller": reseller}}
    return {"actor_type": ActorType.MEMBER, "actor_id": str(user.pk), "actor_label": user.email, "detail": {}}


def _reseller_of(member) -> str | None:
    """The reseller's name when the member acts by their reseller's role (they hold no membership of their own)."""
    from tenants.models import Membership

    tenant = member.tenant
    if tenant.reseller_id is None or Membership.objects.filter(user_id=member.user.pk, tenant=tenant).exists():
        return None
    return tenant.reseller.name
