"""Handlers of routed Meta changes, by `field`. They run inside the business's schema, in a transaction.

Every change is already stored raw in the public schema (tenants.WebhookEvent/WebhookChange), so a field
without a handler here loses nothing: it is logged, and a later handler can replay it.
"""
import logging
from datetime import UTC, datetime

from apps.messaging.inbound import inbound_messages_store
from apps.messaging.services import message_status_hold_or_apply

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
            error=errors[0] if errors else None)
    if value.get("messages"):
        inbound_messages_store(value)


HANDLERS = {"messages": handle_messages}


def handle_change(field: str, value: dict, **context) -> None:
    handler = HANDLERS.get(field)
    if handler is None:
        logger.info("no handler for webhook field %r yet; the change stays stored raw", field)
        return
    handler(value, **context)
