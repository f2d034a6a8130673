"""Meta's account and number health webhooks (reference §7.4, §8.4): phone_number_quality_update,
phone_number_name_update, account_update, account_review_update, account_alerts, business_capability_update.

They route by the WABA id (`waba_id` in the context); a number is named by its display number or id. Parsed
into AccountUpdates at the edge (apps.whatsapp.webhook_events).
"""
import logging

from apps.whatsapp.health import health_event_record, number_of_account
from apps.whatsapp.models import BusinessAccount
from apps.whatsapp.webhook_events import AccountUpdate, Parsed

logger = logging.getLogger(__name__)


def _updates(change: Parsed, waba_id: str):
    """(account, update) of each update, when this business still has the account."""
    for update in change.of(AccountUpdate):
        account = BusinessAccount.objects.filter(waba_id=str(waba_id or "")).first()
        if account is None:
            logger.warning("%s for account %r that this business no longer has; kept raw only", update.field,
                           waba_id)
            continue
        yield account, update


def handle_phone_number_quality(change: Parsed, *, waba_id: str = "", **_) -> None:
    """Limit and throughput events: the number's health event and messaging limit tier."""
    for account, update in _updates(change, waba_id):
        number = number_of_account(account, display_phone_number=update.display_phone_number[:64])
        changes = {"health_event": update.event[:64]} if update.event else {}
        if update.messaging_limit:
            changes["messaging_limit_tier"] = update.messaging_limit[:32]
        health_event_record(account=account, number=number, field=update.field, event=update.event[:64],
                            detail=update.detail, number_changes=changes)


def handle_phone_number_name(change: Parsed, *, waba_id: str = "", **_) -> None:
    for account, update in _updates(change, waba_id):
        number = number_of_account(account, display_phone_number=update.display_phone_number[:64])
        changes = {}
        if update.event == "APPROVED" and update.verified_name:
            changes["verified_name"] = update.verified_name[:200]
        health_event_record(account=account, number=number, field=update.field, event=update.event[:64],
                            detail=update.detail, number_changes=changes)


def handle_account_update(change: Parsed, *, waba_id: str = "", **_) -> None:
    for account, update in _updates(change, waba_id):
        changes = {"health_event": update.event[:64]} if update.event else {}
        if update.ban_state:
            changes["ban_state"] = update.ban_state[:32]
        health_event_record(account=account, field=update.field, event=update.event[:64], detail=update.detail,
                            account_changes=changes)


def handle_account_review(change: Parsed, *, waba_id: str = "", **_) -> None:
    for account, update in _updates(change, waba_id):
        decision = update.event[:32]
        health_event_record(account=account, field=update.field, event=decision, detail=update.detail,
                            account_changes={"review_status": decision} if decision else {})


def handle_account_alerts(change: Parsed, *, waba_id: str = "", **_) -> None:
    """An alert about the account or, when `entity_type` says so, one of its numbers."""
    for account, update in _updates(change, waba_id):
        number = None
        if update.phone_number_id:
            number = number_of_account(account, phone_number_id=update.phone_number_id[:64])
        health_event_record(account=account, number=number, field=update.field, event=update.event[:64],
                            detail=update.detail)


def handle_business_capability(change: Parsed, *, waba_id: str = "", **_) -> None:
    """Messaging limits belong to the business portfolio since Oct 2025: every number of the account has it."""
    for account, update in _updates(change, waba_id):
        limit = update.messaging_limit[:32]
        health_event_record(account=account, field=update.field, event=limit, detail=update.detail,
                            all_numbers_changes={"messaging_limit_tier": limit} if limit else {})
