"""Meta's account and number health webhooks (reference §7.4, §8.4): phone_number_quality_update,
phone_number_name_update, account_update, account_review_update, account_alerts, business_capability_update.

They route by the WABA id (`waba_id` in the context); a number is named by its display number or id.
"""
import logging

from apps.whatsapp.health import health_event_record, number_of_account
from apps.whatsapp.models import BusinessAccount

logger = logging.getLogger(__name__)


def _text(value, limit: int = 64) -> str:
    return "" if value is None else str(value).strip()[:limit]


def _account(waba_id: str, field: str) -> BusinessAccount | None:
    account = BusinessAccount.objects.filter(waba_id=str(waba_id or "")).first()
    if account is None:
        logger.warning("%s for account %r that this business no longer has; kept raw only", field, waba_id)
    return account


def handle_phone_number_quality(value: dict, *, waba_id: str = "", **_) -> None:
    """Limit and throughput events. `current_limit` went away in Feb 2026 in favour of the portfolio's
    `max_daily_conversations_per_business`; either is the number's messaging limit tier."""
    account = _account(waba_id, "phone_number_quality_update")
    if account is None:
        return
    number = number_of_account(account, display_phone_number=_text(value.get("display_phone_number")))
    event = _text(value.get("event")).upper()
    changes = {"health_event": event} if event else {}
    tier = _text(value.get("max_daily_conversations_per_business") or value.get("current_limit"), 32)
    if tier:
        changes["messaging_limit_tier"] = tier
    health_event_record(account=account, number=number, field="phone_number_quality_update", event=event,
                        detail=value, number_changes=changes)


def handle_phone_number_name(value: dict, *, waba_id: str = "", **_) -> None:
    account = _account(waba_id, "phone_number_name_update")
    if account is None:
        return
    number = number_of_account(account, display_phone_number=_text(value.get("display_phone_number")))
    decision = _text(value.get("decision")).upper()
    changes = {}
    if decision == "APPROVED" and _text(value.get("requested_verified_name"), 200):
        changes["verified_name"] = _text(value.get("requested_verified_name"), 200)
    health_event_record(account=account, number=number, field="phone_number_name_update", event=decision,
                        detail=value, number_changes=changes)


def handle_account_update(value: dict, *, waba_id: str = "", **_) -> None:
    account = _account(waba_id, "account_update")
    if account is None:
        return
    event = _text(value.get("event")).upper()
    changes = {"health_event": event} if event else {}
    ban = value.get("ban_info")
    if isinstance(ban, dict) and _text(ban.get("waba_ban_state")):
        changes["ban_state"] = _text(ban.get("waba_ban_state"), 32).upper()
    health_event_record(account=account, field="account_update", event=event, detail=value,
                        account_changes=changes)


def handle_account_review(value: dict, *, waba_id: str = "", **_) -> None:
    account = _account(waba_id, "account_review_update")
    if account is None:
        return
    decision = _text(value.get("decision"), 32).upper()
    health_event_record(account=account, field="account_review_update", event=decision, detail=value,
                        account_changes={"review_status": decision} if decision else {})


def handle_account_alerts(value: dict, *, waba_id: str = "", **_) -> None:
    """An alert about the account or, when `entity_type` says so, one of its numbers."""
    account = _account(waba_id, "account_alerts")
    if account is None:
        return
    info = value.get("alert_info") if isinstance(value.get("alert_info"), dict) else {}
    alert = _text(info.get("alert_type")).upper()
    number = None
    if _text(value.get("entity_type")).upper() == "PHONE_NUMBER":
        number = number_of_account(account, phone_number_id=_text(value.get("entity_id")))
    health_event_record(account=account, number=number, field="account_alerts", event=alert, detail=value)


def handle_business_capability(value: dict, *, waba_id: str = "", **_) -> None:
    """Messaging limits belong to the business portfolio since Oct 2025: every number of the account has it."""
    account = _account(waba_id, "business_capability_update")
    if account is None:
        return
    limit = _text(value.get("max_daily_conversations_per_business") or value.get("max_daily_conversation_per_phone"),
                  32)
    health_event_record(account=account, field="business_capability_update", event=limit, detail=value,
                        all_numbers_changes={"messaging_limit_tier": limit} if limit else {})
