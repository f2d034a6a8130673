"""Meta's `user_preferences` webhook: a customer stopped (or resumed) marketing messages in WhatsApp.

A stop becomes a marketing opt-out in the consent ledger (source `meta_preference`). The ledger takes
only opt-outs from that source (docs/contacts.md §2), so a `resume` or `signup` is not an opt-in here:
the contact is matched or created and the change stays stored raw, and the business records an
opt-in with its own proof if its policy says so. Parsed into PreferenceChanges at the edge
(apps.whatsapp.webhook_events).
"""
import logging
from datetime import datetime

from django.utils import timezone

from apps.contacts.models import ConsentAction, ConsentCategory, ConsentSource
from apps.contacts.selectors import consent_event_exists, consent_latest
from apps.contacts.services import consent_record, contact_for_sender
from apps.whatsapp.webhook_events import Parsed, PreferenceChange

logger = logging.getLogger(__name__)

_ACTIONS = {"stop": ConsentAction.OPT_OUT}


def _already_recorded(contact, action: str, at: datetime | None) -> bool:
    if at is not None:
        return consent_event_exists(contact, category=ConsentCategory.MARKETING, action=action,
                                    source=ConsentSource.META_PREFERENCE, occurred_at=at)
    return consent_latest(contact, category=ConsentCategory.MARKETING) == (action, ConsentSource.META_PREFERENCE)


def _contact(preference: PreferenceChange):
    profile = preference.profile
    user_id = preference.user_id or (profile.user_id if profile else None)
    name = profile.name if profile else ""
    contact = contact_for_sender(wa_id=preference.wa_id or (profile.wa_id if profile else None), user_id=user_id,
                                 name=name)
    if contact is None and user_id:  # a wa_id that is no valid phone: the user id alone still finds them
        contact = contact_for_sender(wa_id=None, user_id=user_id, name=name)
    return contact


def handle_user_preferences(change: Parsed, **_) -> None:
    for preference in change.of(PreferenceChange):
        if preference.category not in ("", "marketing_messages"):
            logger.info("user preference of category %r is not handled", preference.category)
            continue
        contact = _contact(preference)
        action = _ACTIONS.get(preference.choice)
        if contact is None or action is None:
            logger.info("marketing preference %r kept raw only (contact %s)", preference.choice,
                        getattr(contact, "pk", None))
            continue
        # Meta's clock, never ahead of ours: a future time would outrank every later choice in the ledger.
        at = min(preference.at, timezone.now()) if preference.at is not None else None
        if _already_recorded(contact, action, at):
            continue
        consent_record(contact=contact, category=ConsentCategory.MARKETING, action=action,
                       source=ConsentSource.META_PREFERENCE, occurred_at=at,
                       proof=f"WhatsApp marketing preference '{preference.choice}'"
                       + (f": {preference.detail}" if preference.detail else ""))
