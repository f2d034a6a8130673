"""Handlers of routed Meta changes, by `field`. They run inside the business's schema, in a transaction.

Ingress (tenants/ingress, the control plane) routes each stored change and calls the handler registered for its
field (`ROUTED`, registered in apps.py). Each one parses the raw value once, at the edge, into typed events
(apps.whatsapp.webhook_events): items Meta never sends are dropped and their reasons returned to ingress, which
keeps them on the change's row; a change that can't be Meta's raises ChangeRejected. The typed handler below then
receives only events.

Every change is already stored raw in the public schema (tenants WebhookEvent/WebhookChange), so a field without
a handler loses nothing: ingress logs it, and a later handler can replay it.
"""
import logging
from collections.abc import Callable

from apps.messaging.inbound import inbound_store
from apps.messaging.media import media_downloads_enqueue
from apps.messaging.statuses import statuses_apply
from apps.webhooks import account_health, template_updates
from apps.webhooks.calls import handle_calls
from apps.webhooks.user_preferences import handle_user_preferences
from apps.whatsapp import webhook_events as meta
from apps.whatsapp.selectors import number_for_webhook
from tenants.ingress.registry import ChangeRejected

logger = logging.getLogger(__name__)


def handle_messages(change: meta.Parsed, **_) -> None:
    """Statuses of what the business sent, then the customers' messages (stored, filed, their media fetched)."""
    updates = change.of(meta.StatusUpdate)
    if updates:  # a campaign's statuses come up to 100 a change (1,000 at Meta): a few statements for all of them
        statuses_apply(updates)
    messages = change.of(meta.InboundMessage)
    if not messages:
        return
    number = number_for_webhook(change.phone_number_id)
    if number is None:
        logger.warning("inbound messages for a number this business no longer has; kept raw only")
        return
    stored = inbound_store(number, messages)
    media_downloads_enqueue(stored)  # the files, after commit, in the background (apps.messaging.media)


TypedHandler = Callable[..., None]


def routed(field: str, parse: Callable[[object], meta.Parsed], handle: TypedHandler):
    """The handler ingress calls for `field`: parse the raw value once, hand the typed events on, and return the
    problems of the items dropped. Ingress logs the problems (or the rejection) and keeps them on the change's row."""
    def handler(value, *, waba_id: str = "") -> list[str]:
        try:
            change = parse(value)
        except meta.PayloadRejected as exc:
            raise ChangeRejected(str(exc)) from None
        handle(change, waba_id=waba_id)
        return list(change.problems)

    handler.__qualname__ = handler.__name__ = f"handle_{field}"
    return handler


_TYPED: dict[str, TypedHandler] = {
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

# field -> the handler registered with ingress (apps.webhooks.apps.WebhooksConfig.ready)
ROUTED = {field: routed(field, meta.PARSERS[field], handle) for field, handle in _TYPED.items()}
