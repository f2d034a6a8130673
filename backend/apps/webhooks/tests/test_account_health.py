"""Account and number health webhooks update the account/number and keep one HealthEvent per notice."""
import pytest
from django_tenants.utils import schema_context

from apps.webhooks.tests.support import (
    DISPLAY_A,
    NUMBER_A,
    NUMBER_B,
    WABA_A,
    WABA_B,
    conformance_changes,
    connect,
    deliver,
    envelope,
    use_secret,
)
from apps.whatsapp.models import BusinessAccount, HealthEvent, PhoneNumber
from tenants.models import WebhookChange


@pytest.fixture(autouse=True)
def _secret(settings):
    use_secret(settings)


def _quality(event="FLAGGED", **extra) -> tuple[str, dict]:
    return "phone_number_quality_update", {"display_phone_number": "15550000001", "event": event, **extra}


@pytest.mark.parametrize(("case", "field", "value"), conformance_changes("account_update"),
                         ids=lambda x: x if isinstance(x, str) else None)
def test_every_conformance_account_update_is_recorded_on_the_account(alpha, case, field, value):
    connect(alpha, NUMBER_A, WABA_A)

    deliver(envelope(WABA_A, (field, value)))

    assert WebhookChange.objects.get().status == "handled"
    with schema_context(alpha.tenant.schema_name):
        account = BusinessAccount.objects.get()
        event = HealthEvent.objects.get()
        assert (event.account_id, event.field, event.event, event.detail) == (account.pk, field, value["event"], value)
        assert account.health_event == value["event"] and account.health_updated_at is not None


def test_a_ban_and_its_reinstatement_are_tracked(alpha):
    connect(alpha, NUMBER_A, WABA_A)
    deliver(envelope(WABA_A, ("account_update", {"event": "DISABLED_UPDATE",
                                                 "ban_info": {"waba_ban_state": "DISABLE", "waba_ban_date": "x"}})))
    with schema_context(alpha.tenant.schema_name):
        assert BusinessAccount.objects.get().ban_state == "DISABLE"

    deliver(envelope(WABA_A, ("account_update", {"event": "DISABLED_UPDATE",
                                                 "ban_info": {"waba_ban_state": "REINSTATE", "waba_ban_date": "y"}})))
    deliver(envelope(WABA_A, ("account_review_update", {"decision": "APPROVED"})))

    with schema_context(alpha.tenant.schema_name):
        account = BusinessAccount.objects.get()
        assert (account.ban_state, account.review_status) == ("REINSTATE", "APPROVED")
        assert HealthEvent.objects.count() == 3


def test_a_quality_update_sets_the_numbers_event_and_tier(alpha):
    number = connect(alpha, NUMBER_A, WABA_A, DISPLAY_A)

    deliver(envelope(WABA_A, _quality("UPGRADE", old_limit="TIER_1K", current_limit="TIER_10K")))
    deliver(envelope(WABA_A, _quality("THROUGHPUT_UPGRADE", max_daily_conversations_per_business="TIER_100K"),
                     time=1767225700))

    with schema_context(alpha.tenant.schema_name):
        number.refresh_from_db()
        assert (number.health_event, number.messaging_limit_tier) == ("THROUGHPUT_UPGRADE", "TIER_100K")
        assert number.quality_rating == "GREEN" and number.status == "CONNECTED"  # not touched
        assert list(HealthEvent.objects.order_by("id").values_list("phone_number_id", "event")) == [
            (number.pk, "UPGRADE"), (number.pk, "THROUGHPUT_UPGRADE")]


def test_alerts_capabilities_and_name_reviews(alpha):
    number = connect(alpha, NUMBER_A, WABA_A, DISPLAY_A)
    deliver(envelope(WABA_A, ("account_alerts", {
        "entity_type": "PHONE_NUMBER", "entity_id": NUMBER_A, "alert_info": {
            "alert_severity": "WARNING", "alert_status": "ACTIVE",
            "alert_type": "INCREASED_CAPABILITIES_ELIGIBILITY_FAILED",
            "alert_description": "Not eligible"}})))
    deliver(envelope(WABA_A, ("business_capability_update", {"max_daily_conversations_per_business": "TIER_2K",
                                                             "max_phone_numbers_per_business": 2})))
    deliver(envelope(WABA_A, ("phone_number_name_update", {"display_phone_number": "15550000001",
                                                          "decision": "APPROVED", "requested_verified_name": "Acme"})))

    with schema_context(alpha.tenant.schema_name):
        number.refresh_from_db()
        assert (number.messaging_limit_tier, number.verified_name) == ("TIER_2K", "Acme")
        assert list(HealthEvent.objects.order_by("id").values_list("field", "phone_number_id")) == [
            ("account_alerts", number.pk), ("business_capability_update", None),
            ("phone_number_name_update", number.pk)]


def test_a_notice_redelivered_in_another_post_is_kept_once(alpha):
    connect(alpha, NUMBER_A, WABA_A)
    deliver(envelope(WABA_A, _quality("FLAGGED")))
    deliver(envelope(WABA_A, _quality("FLAGGED"), ("account_review_update", {"decision": "APPROVED"})))

    with schema_context(alpha.tenant.schema_name):
        assert list(HealthEvent.objects.order_by("id").values_list("event", flat=True)) == ["FLAGGED", "APPROVED"]


def test_alphas_number_health_never_writes_in_beta(alpha, beta):
    connect(alpha, NUMBER_A, WABA_A, DISPLAY_A)
    connect(beta, NUMBER_B, WABA_B, DISPLAY_A)  # the same display number format must not matter across schemas

    deliver(envelope(WABA_A, _quality("FLAGGED", current_limit="TIER_250"),
                     ("account_update", {"event": "ACCOUNT_VIOLATION", "violation_info": {"violation_type": "SCAM"}})))

    with schema_context(beta.tenant.schema_name):
        assert not HealthEvent.objects.exists()
        assert PhoneNumber.objects.get().health_event == "" and BusinessAccount.objects.get().health_event == ""
    with schema_context(alpha.tenant.schema_name):
        assert HealthEvent.objects.count() == 2
