"""Beat cleanups of tables that only grew (L7): expired refresh tokens, stale pending statuses, old webhook changes."""
import json
from datetime import timedelta

from django.utils import timezone
from django_tenants.utils import schema_context
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken

from apps.messaging.models import PendingStatus
from apps.webhooks.tests.support import NUMBER_A, WABA_A, connect, deliver, envelope, use_secret, with_number
from tenants.models import WebhookChange, WebhookEvent
from tenants.retention import cleanups_run


def _token(user, jti: str, *, expired: bool) -> OutstandingToken:
    now = timezone.now()
    token = OutstandingToken.objects.create(user=user, jti=jti, token="x", created_at=now - timedelta(days=20),
                                            expires_at=now - timedelta(days=1) if expired else now + timedelta(days=1))
    BlacklistedToken.objects.create(token=token)
    return token


def test_expired_refresh_tokens_and_their_blacklist_rows_are_flushed(alpha):
    _token(alpha.owner, "old", expired=True)
    live = _token(alpha.owner, "live", expired=False)

    cleanups_run()

    # Other tests' committed logins may hold unexpired tokens too: look only at this test's two.
    assert list(OutstandingToken.objects.filter(jti__in=["old", "live"]).values_list("jti", flat=True)) == ["live"]
    assert BlacklistedToken.objects.filter(token=live).exists()
    assert not OutstandingToken.objects.filter(expires_at__lt=timezone.now()).exists()


def test_pending_statuses_that_never_matched_are_dropped_after_their_retention_in_every_business(
        alpha, beta, settings):
    settings.PENDING_STATUS_RETENTION_DAYS = 7
    for business in (alpha, beta):
        with schema_context(business.tenant.schema_name):
            stale = PendingStatus.objects.create(wamid=f"wamid.{business.tenant.slug}.stale", status="delivered")
            PendingStatus.objects.filter(pk=stale.pk).update(created_at=timezone.now() - timedelta(days=8))
            PendingStatus.objects.create(wamid=f"wamid.{business.tenant.slug}.recent", status="delivered")

    cleanups_run()

    for business in (alpha, beta):
        with schema_context(business.tenant.schema_name):
            assert list(PendingStatus.objects.values_list("wamid", flat=True)) == [
                f"wamid.{business.tenant.slug}.recent"]


def test_handled_and_unroutable_changes_past_retention_are_deleted_and_their_bodies_redacted(alpha, settings):
    use_secret(settings)
    settings.WEBHOOK_CHANGE_RETENTION_DAYS = 30
    settings.WEBHOOK_BODY_RETENTION_HOURS = 72
    connect(alpha, NUMBER_A, WABA_A)
    inbound = {"messaging_product": "whatsapp", "messages": [
        {"from": "16505550101", "id": "wamid.C1", "timestamp": "1767225600", "type": "text", "text": {"body": "x"}}]}
    deliver(envelope("999", ("messages", with_number(inbound, "999000000000009"))))  # unroutable
    deliver(envelope(WABA_A, ("messages", with_number(inbound, NUMBER_A))))  # handled
    deliver(envelope(WABA_A, ("messages", with_number({**inbound, "messages": []}, NUMBER_A)),
                     time=1767225601))  # handled, recent
    old = timezone.now() - timedelta(days=31)
    recent_event = WebhookEvent.objects.latest("pk")
    WebhookEvent.objects.exclude(pk=recent_event.pk).update(received_at=old, processed_at=old)

    cleanups_run()

    assert list(WebhookChange.objects.values_list("event_id", flat=True)) == [recent_event.pk]
    assert WebhookEvent.objects.count() == 3  # the hashes stay: a redelivery is still a no-op
    assert all(json.loads(e.body) == {} for e in WebhookEvent.objects.exclude(pk=recent_event.pk))
