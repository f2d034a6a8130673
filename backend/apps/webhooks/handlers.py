"""Handlers of routed Meta changes, by `field`. They run inside the business's schema, in a transaction.

Every change is already stored raw in the public schema (tenants.WebhookEvent/WebhookChange), so a field
without a handler here loses nothing: it is logged, and a later handler can replay it.
"""
import logging
from datetime import UTC, datetime

from apps.messaging.inbound import inbound_messages_store
from apps.messaging.media import media_downloads_enqueue
from apps.messaging.services import message_status_hold_or_apply
from apps.webhooks import account_health, template_updates
from apps.webhooks.calls import handle_calls
from apps.webhooks.user_preferences import handle_user_preferences

logger = logging.getLogger(__name__)


def _at(timestamp) -> datetime | None:
    try:
        return datetime.fromtimestamp(int(timestamp), tz=UTC)
    except (TypeError, ValueError, OverflowError):
        return None


def handle_messages(value: dict, **_) -> None:
    for status in value.get("statuses") or []:
        errors = status.get("errors") or []
        message_status_hold_or_apply(
            status=str(status.get("status", "")), wamid=str(status.get("id", "")),
            callback_data=status.get("biz_opaque_callback_data"), at=_at(status.get("timestamp")),
            error=errors[0] if errors else None,
            pricing=status.get("pricing") if isinstance(status.get("pricing"), dict) else None)
    if value.get("messages"):
        stored = inbound_messages_store(value)
        media_downloads_enqueue(stored)  # the files, after commit, in the background (apps.messaging.media)


HANDLERS = {
    "messages": handle_messages,
    "calls": handle_calls,
    "user_preferences": handle_user_preferences,
    "message_template_status_update": template_updates.handle_template_status,
    "message_template_quality_update": template_updates.handle_template_quality,
    "message_template_components_update": template_updates.handle_template_components,
    "template_category_update": template_updates.handle_template_category,
    "phone_number_quality_update": account_health.handle_phone_number_quality,
    "phone_number_name_update": account_health.handle_phone_number_name,
    "account_update": account_health.handle_account_update,
    "account_review_update": account_health.handle_account_review,
    "account_alerts": account_health.handle_account_alerts,
    "business_capability_update": account_health.handle_business_capability,
}


def handle_change(field: str, value: dict, **context) -> None:
    handler = HANDLERS.get(field)
    if handler is None:
        logger.info("no handler for webhook field %r yet; the change stays stored raw", field)
        return
    handler(value, **context)
