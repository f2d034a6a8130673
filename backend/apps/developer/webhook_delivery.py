"""Delivering outbound webhooks: at least once, signed, retried over a day, then dead; endpoints that keep failing are
disabled with a notice to the owners (docs/webhooks-outbound.md).

    delivery_attempt   the task's body: claim a due delivery (a lease: next_attempt_at moves past the request's
                       longest time, so a second worker or the sweeper leaves it alone, and a worker that dies leaves
                       it due again), check the address, POST it signed, record the attempt and what comes next
    deliveries_sweep   beat, in every business: enqueue due deliveries whose task was lost or whose retry is due

A 2xx answer is success; anything else (another status, a redirect, which is never followed, a timeout, a refused
address) is a failed attempt. Retries follow settings.OUTBOUND_WEBHOOK_RETRY_SCHEDULE (seconds after each failed
attempt, with ±10 % jitter): 1 min, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h by default, about 28 hours, then `dead`.
"""
from __future__ import annotations

import json
import logging
import random
import time
from dataclasses import dataclass, field
from datetime import timedelta

import httpx
from django.conf import settings
from django.core.mail import send_mail
from django.db import connection, transaction
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from apps.audit.context import acting_as, automation
from apps.audit.recorder import record
from apps.developer.events import PING
from apps.developer.webhook_models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from apps.developer.webhook_signing import HEADER, signature_header
from apps.developer.webhook_ssrf import AddressRefused, resolve_target

logger = logging.getLogger(__name__)

Status = WebhookDelivery.Status
DUE = (Status.PENDING, Status.FAILED)
EXCERPT = 2048
USER_AGENT = "ConvoNest-Webhooks/1.0"
DELIVERY = automation("webhook_delivery", "Webhook delivery")  # who disables a failing endpoint, in the audit log


@dataclass
class Answer:
    status: int | None = None
    headers: dict = field(default_factory=dict)
    body: str = ""
    error: str = ""
    duration_ms: int = 0

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


def body_bytes(payload: dict) -> bytes:
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False, sort_keys=True).encode()


def endpoint_secrets(endpoint: WebhookEndpoint) -> list[str]:
    keys = [endpoint.secret]
    if endpoint.previous_secret and endpoint.previous_secret_expires_at and \
            endpoint.previous_secret_expires_at > timezone.now():
        keys.append(endpoint.previous_secret)
    return keys


def _post(url: str, body: bytes, headers: dict) -> Answer:
    """One POST to `url`'s checked address (webhook_ssrf), no redirects, no proxies, short timeouts; the first 2 KB of
    the answer."""
    started = time.monotonic()
    answer = Answer()
    try:
        target = resolve_target(url)
        timeout = httpx.Timeout(settings.OUTBOUND_WEBHOOK_TIMEOUT_SECONDS, connect=min(
            5.0, settings.OUTBOUND_WEBHOOK_TIMEOUT_SECONDS))
        extensions = {"sni_hostname": target.host} if target.scheme == "https" else {}
        with httpx.Client(timeout=timeout, follow_redirects=False, trust_env=False) as client:
            with client.stream("POST", target.connect_url, content=body,
                               headers={**headers, "Host": target.host_header}, extensions=extensions) as response:
                answer.status = response.status_code
                answer.headers = {k: v[:200] for k, v in list(response.headers.items())[:30]}
                chunks, size = [], 0
                for chunk in response.iter_bytes():
                    chunks.append(chunk)
                    size += len(chunk)
                    if size >= EXCERPT:
                        break
                answer.body = b"".join(chunks)[:EXCERPT].decode("utf-8", "replace")
        if 300 <= answer.status < 400:
            answer.error = f"Redirects are not followed ({answer.status} to {answer.headers.get('location', '?')})."
        elif not answer.ok:
            answer.error = f"The endpoint answered {answer.status}."
    except AddressRefused as exc:
        answer.error = str(exc)
    except httpx.TimeoutException:
        answer.error = f"No answer within {settings.OUTBOUND_WEBHOOK_TIMEOUT_SECONDS} seconds."
    except httpx.HTTPError as exc:
        answer.error = f"{type(exc).__name__}: {exc}"[:500]
    answer.duration_ms = int((time.monotonic() - started) * 1000)
    return answer


def _claim(delivery_id, *, now, force: bool) -> bool:
    """Take a due delivery for one attempt: its next_attempt_at becomes a lease past the request's longest time."""
    due = WebhookDelivery.objects.filter(pk=delivery_id, status__in=DUE)
    if not force:
        due = due.filter(next_attempt_at__lte=now, endpoint__is_active=True)
    lease = now + timedelta(seconds=settings.OUTBOUND_WEBHOOK_LEASE_SECONDS)
    return bool(due.update(next_attempt_at=lease, attempts=F("attempts") + 1, updated_at=now))


def delivery_attempt(delivery_id, *, force: bool = False) -> WebhookDelivery | None:
    """Attempt one delivery if it is due (any time when `force`: the test ping). Safe to call any number of times."""
    now = timezone.now()
    if not _claim(delivery_id, now=now, force=force):
        return None
    delivery = WebhookDelivery.objects.select_related("endpoint").filter(pk=delivery_id).first()
    if delivery is None:  # its endpoint was deleted meanwhile
        return None
    endpoint = delivery.endpoint
    body = body_bytes(delivery.payload)
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "ConvoNest-Event": delivery.event_type,
        "ConvoNest-Delivery": str(delivery.pk),
        "ConvoNest-Attempt": str(delivery.attempts),
        HEADER: signature_header(endpoint_secrets(endpoint), body),
    }
    answer = _post(endpoint.url, body, headers)
    with transaction.atomic():
        if not WebhookDelivery.objects.select_for_update().filter(pk=delivery.pk).exists():
            return None  # the endpoint was deleted during the request
        WebhookAttempt.objects.create(delivery=delivery, number=delivery.attempts, url=endpoint.url,
                                      request_headers=headers, response_status=answer.status,
                                      response_headers=answer.headers, response_body=answer.body,
                                      error=answer.error[:500], duration_ms=answer.duration_ms)
        _settle(delivery, answer)
    if not answer.ok:
        logger.info("webhook delivery %s (%s) to endpoint %s: attempt %s failed: %s", delivery.pk,
                    delivery.event_type, endpoint.pk, delivery.attempts, answer.error)
    delivery.refresh_from_db()
    return delivery


def retry_delay(attempts: int) -> float | None:
    """Seconds until the next attempt after `attempts` failed ones, or None when the schedule is spent."""
    schedule = settings.OUTBOUND_WEBHOOK_RETRY_SCHEDULE
    if attempts > len(schedule):
        return None
    return schedule[attempts - 1] * random.uniform(0.9, 1.1)


def _settle(delivery: WebhookDelivery, answer: Answer) -> None:
    now = timezone.now()
    fields = {"last_response_status": answer.status, "last_response_body": answer.body,
              "last_error": answer.error[:500], "updated_at": now}
    ping = delivery.event_type == PING
    if answer.ok:
        WebhookDelivery.objects.filter(pk=delivery.pk).update(status=Status.SUCCEEDED, completed_at=now,
                                                              next_attempt_at=None, **fields)
        if not ping:
            WebhookEndpoint.objects.filter(pk=delivery.endpoint_id).update(
                failure_streak=0, failing_since=None, last_success_at=now)
        return
    delay = None if ping else retry_delay(delivery.attempts)  # a ping is one attempt, shown at once
    if delay is None:
        WebhookDelivery.objects.filter(pk=delivery.pk).update(status=Status.DEAD, completed_at=now,
                                                              next_attempt_at=None, **fields)
    else:
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            status=Status.FAILED, next_attempt_at=now + timedelta(seconds=delay), **fields)
    if not ping:
        _count_failure(delivery.endpoint_id, now=now)


def _count_failure(endpoint_id: int, *, now) -> None:
    """One more failed attempt in a row. An endpoint failing OUTBOUND_WEBHOOK_DISABLE_AFTER_FAILURES times in a row
    over at least OUTBOUND_WEBHOOK_DISABLE_AFTER_HOURS (both: a busy endpoint's short outage isn't enough, nor a quiet
    one's two failures a day apart) is disabled, and its business's owners are told once."""
    WebhookEndpoint.objects.filter(pk=endpoint_id).update(
        failure_streak=F("failure_streak") + 1, failing_since=Coalesce("failing_since", now), last_failure_at=now)
    endpoint = WebhookEndpoint.objects.get(pk=endpoint_id)
    if not endpoint.is_active or endpoint.failure_streak < settings.OUTBOUND_WEBHOOK_DISABLE_AFTER_FAILURES:
        return
    if now - endpoint.failing_since < timedelta(hours=settings.OUTBOUND_WEBHOOK_DISABLE_AFTER_HOURS):
        return
    reason = (f"Disabled automatically after {endpoint.failure_streak} failed attempts in a row since "
              f"{endpoint.failing_since:%Y-%m-%d %H:%M} UTC.")
    if WebhookEndpoint.objects.filter(pk=endpoint_id, is_active=True).update(
            is_active=False, disabled_reason=reason, disabled_at=now):
        from apps.developer.events import subscriptions_forget

        subscriptions_forget()
        endpoint.is_active, endpoint.disabled_reason, endpoint.disabled_at = False, reason, now
        with acting_as(DELIVERY):
            record(None, "webhook_endpoint.disabled", target=endpoint,
                   detail={"reason": reason, "failed_attempts": endpoint.failure_streak})
        logger.warning("webhook endpoint %s disabled after %s failed attempts", endpoint_id, endpoint.failure_streak)
        schema = connection.schema_name
        transaction.on_commit(lambda: endpoint_disabled_notice(schema, endpoint, reason), robust=True)


def endpoint_disabled_notice(schema_name: str, endpoint: WebhookEndpoint, reason: str) -> None:
    """Tell the business's owners, once per disabling (the conditional update above lets one worker do it)."""
    from tenants.models import Membership, Role, Tenant
    from tenants.services import tenant_url

    tenant = Tenant.objects.filter(schema_name=schema_name).first()
    if tenant is None:
        return
    owners = list(Membership.objects.filter(tenant=tenant, role=Role.OWNER, user__is_active=True)
                  .values_list("user__email", flat=True))
    if not owners:
        return
    send_mail(
        subject=f"A webhook endpoint of {tenant.name} was disabled",
        message=f"ConvoNest stopped sending webhooks to {endpoint.url}.\n\n{reason}\n\n"
                f"Events for it are kept while it is disabled. Fix the endpoint, then re-enable it in "
                f"Settings → Developers → Webhooks: {tenant_url(tenant)}/settings#webhooks\n",
        from_email=None, recipient_list=owners,
    )


def deliveries_sweep(*, limit: int = 1000) -> int:
    """Due deliveries of active endpoints (a retry that is due, or a task lost to a broker outage or a dead worker):
    enqueue them. The claim in delivery_attempt makes a duplicate task harmless."""
    from apps.developer.events import deliveries_enqueue_on_commit

    due = list(WebhookDelivery.objects.filter(status__in=DUE, next_attempt_at__lte=timezone.now(),
                                              endpoint__is_active=True)
               .order_by("next_attempt_at").values_list("pk", flat=True)[:limit])
    deliveries_enqueue_on_commit(due)
    return len(due)


def deliveries_of_endpoint_due_now(endpoint: WebhookEndpoint) -> list:
    """A re-enabled endpoint: its waiting deliveries are due at once."""
    waiting = WebhookDelivery.objects.filter(Q(endpoint=endpoint) & Q(status__in=DUE))
    ids = list(waiting.values_list("pk", flat=True))
    waiting.update(next_attempt_at=timezone.now())
    return ids
