"""Writes to a business's outbound webhooks (owners and admins: manage_settings; the API checks it).

    endpoint_create / endpoint_update / endpoint_delete   the URL is checked (webhook_ssrf) on every save
    endpoint_secret_roll    a new secret, shown once; the old one still signs for OUTBOUND_WEBHOOK_SECRET_OVERLAP_HOURS
    endpoint_enable         a disabled endpoint back on: its waiting deliveries are due at once
    endpoint_ping           a `ping` event to one endpoint, attempted now (the answer is shown)
    delivery_replay         the same event again: a new delivery, same event id, attempted soon

Each change is recorded in the audit log (apps.audit) in its transaction, by the acting member (or API key). An
endpoint is named there by its URL's host: a path or query string may carry the receiver's own token.
"""
from __future__ import annotations

import uuid
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from apps.audit.recorder import diff, record
from apps.core.errors import ApplicationError
from apps.developer import events
from apps.developer.webhook_delivery import deliveries_of_endpoint_due_now, delivery_attempt
from apps.developer.webhook_models import WebhookDelivery, WebhookEndpoint, url_host
from apps.developer.webhook_signing import secret_new
from apps.developer.webhook_ssrf import AddressRefused, resolve_target
from tenants.members import Member


def _clean_url(url: str) -> str:
    url = url.strip()
    try:
        resolve_target(url)
    except AddressRefused as exc:
        raise ValidationError({"url": [str(exc)]}) from None
    return url


def _clean_events(chosen: list[str]) -> list[str]:
    unknown = sorted(set(chosen) - set(events.EVENT_TYPES))
    if unknown:
        raise ValidationError({"events": [f"Unknown event types: {', '.join(unknown)}."]})
    if not chosen:
        raise ValidationError({"events": ["Choose at least one event."]})
    return sorted(set(chosen))


@transaction.atomic
def endpoint_create(*, member: Member, url: str, events_: list[str], description: str = "") -> WebhookEndpoint:
    if WebhookEndpoint.objects.count() >= settings.OUTBOUND_WEBHOOK_MAX_ENDPOINTS:
        raise ApplicationError(f"A business has at most {settings.OUTBOUND_WEBHOOK_MAX_ENDPOINTS} webhook endpoints.",
                               code="webhook_endpoint_limit")
    endpoint = WebhookEndpoint.objects.create(url=_clean_url(url), events=_clean_events(events_),
                                              description=description.strip(), secret=secret_new(),
                                              created_by_email=member.user.email)
    record(member, "webhook_endpoint.created", target=endpoint, detail={"events": endpoint.events})
    events.subscriptions_forget()
    return endpoint


@transaction.atomic
def endpoint_update(*, actor: Member | None = None, endpoint: WebhookEndpoint, url: str | None = None,
                    events_: list[str] | None = None, description: str | None = None) -> WebhookEndpoint:
    before = _audited(endpoint)
    if url is not None:
        endpoint.url = _clean_url(url)
    if events_ is not None:
        endpoint.events = _clean_events(events_)
    if description is not None:
        endpoint.description = description.strip()
    endpoint.save()
    changes = diff(before, _audited(endpoint))
    if url is not None and url != before["url"]:
        changes["url"] = ["[changed]", "[changed]"]  # the host says enough; the rest may hold a token
    record(actor, "webhook_endpoint.updated", target=endpoint, changes=changes)
    events.subscriptions_forget()
    return endpoint


def _audited(endpoint: WebhookEndpoint) -> dict:
    return {"url": endpoint.url, "host": url_host(endpoint.url), "events": list(endpoint.events),
            "description": endpoint.description}


@transaction.atomic
def endpoint_delete(*, actor: Member | None = None, endpoint: WebhookEndpoint) -> None:
    record(actor, "webhook_endpoint.deleted", target=endpoint, detail={"events": list(endpoint.events)})
    endpoint.delete()  # its deliveries and attempts go with it
    events.subscriptions_forget()


@transaction.atomic
def endpoint_secret_roll(*, actor: Member | None = None, endpoint: WebhookEndpoint) -> WebhookEndpoint:
    """A new secret; the current one keeps signing (a second v1) for the overlap, so receivers can switch over."""
    endpoint = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
    overlap = settings.OUTBOUND_WEBHOOK_SECRET_OVERLAP_HOURS
    endpoint.previous_secret = endpoint.secret if overlap > 0 else None
    endpoint.previous_secret_expires_at = timezone.now() + timedelta(hours=overlap) if overlap > 0 else None
    endpoint.secret = secret_new()
    endpoint.save()
    record(actor, "webhook_endpoint.secret_rolled", target=endpoint, detail={"overlap_hours": max(overlap, 0)})
    return endpoint


@transaction.atomic
def endpoint_enable(*, actor: Member | None = None, endpoint: WebhookEndpoint) -> WebhookEndpoint:
    endpoint = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
    if endpoint.is_active:
        return endpoint
    _clean_url(endpoint.url)  # the address may have changed meanwhile
    reason = endpoint.disabled_reason
    endpoint.is_active, endpoint.disabled_reason, endpoint.disabled_at = True, "", None
    endpoint.failure_streak, endpoint.failing_since = 0, None
    endpoint.save()
    record(actor, "webhook_endpoint.enabled", target=endpoint, detail={"disabled_reason": reason})
    events.subscriptions_forget()
    events.deliveries_enqueue_on_commit(deliveries_of_endpoint_due_now(endpoint))
    return endpoint


def endpoint_ping(*, endpoint: WebhookEndpoint) -> WebhookDelivery:
    """Send a `ping` now (active or disabled: it helps fixing one before re-enabling it). One attempt, no retries; the
    delivery comes back with its outcome."""
    payload = events.envelope(events.PING, {"endpoint_id": endpoint.pk, "message": "Hello from ConvoNest."})
    delivery = WebhookDelivery.objects.create(endpoint=endpoint, event_type=events.PING,
                                              event_id=uuid.UUID(payload["id"]), payload=payload,
                                              next_attempt_at=timezone.now())
    return delivery_attempt(delivery.pk, force=True) or delivery


@transaction.atomic
def delivery_replay(*, actor: Member | None = None, delivery: WebhookDelivery) -> WebhookDelivery:
    """The same event (same id and payload) once more to the same endpoint, as a new delivery with its own attempts.
    For a disabled endpoint it waits until the endpoint is enabled again."""
    if delivery.payload.get("redacted"):
        raise ApplicationError("This event's data were erased with its contact; it can't be sent again.",
                               code="webhook_delivery_redacted")
    replay = WebhookDelivery.objects.create(endpoint_id=delivery.endpoint_id, event_type=delivery.event_type,
                                            event_id=delivery.event_id, payload=delivery.payload,
                                            replay_of=delivery, next_attempt_at=timezone.now())
    record(actor, "webhook_delivery.replayed", target=replay,
           detail={"replay_of": str(delivery.pk), "endpoint_id": delivery.endpoint_id,
                   "endpoint": url_host(delivery.endpoint.url)})
    events.deliveries_enqueue_on_commit([replay.pk])
    return replay
