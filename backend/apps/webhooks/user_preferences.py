"""Meta's `user_preferences` webhook: a customer stopped (or resumed) marketing messages in WhatsApp.

A stop becomes a marketing opt-out in the consent ledger (source `meta_preference`). The ledger takes
only opt-outs from that source (docs/contacts.md §2), so a `resume` or `signup` is not an opt-in here:
the contact is matched or created and the change stays stored raw, and the business records an
opt-in with its own proof if its policy says so.
"""
import logging
from datetime import UTC, datetime

from django.utils import timezone

from apps.contacts.models import ConsentAction, ConsentCategory, ConsentEvent, ConsentSource
from apps.contacts.services import consent_record
from apps.messaging.inbound import sender_contact

logger = logging.getLogger(__name__)

_ACTIONS = {"stop": ConsentAction.OPT_OUT}


def _at(timestamp) -> datetime | None:
    try:
        return min(datetime.fromtimestamp(int(timestamp), tz=UTC), timezone.now())
    except (TypeError, ValueError, OverflowError):
        return None


def _profile(value: dict, preference: dict) -> dict:
    """The `contacts[]` entry of this preference's customer (never another customer's user id)."""
    profiles = [c for c in value.get("contacts") or [] if isinstance(c, dict)]
    wa_id, user_id = preference.get("wa_id"), preference.get("user_id")
    for profile in profiles:
        if (wa_id and profile.get("wa_id") == wa_id) or (user_id and profile.get("user_id") == user_id):
            return profile
    return profiles[0] if len(profiles) == 1 and not wa_id and not user_id else {}


def _already_recorded(contact, action: str, at: datetime | None) -> bool:
    events = ConsentEvent.objects.filter(contact=contact, category=ConsentCategory.MARKETING)
    if at is not None:
        return events.filter(action=action, source=ConsentSource.META_PREFERENCE, occurred_at=at).exists()
    latest = events.order_by("-occurred_at", "-id").values_list("action", "source").first()
    return latest == (action, ConsentSource.META_PREFERENCE)


def handle_user_preferences(value: dict, **_) -> None:
    for preference in value.get("user_preferences") or []:
        if not isinstance(preference, dict):
            continue
        if preference.get("category") not in (None, "", "marketing_messages"):
            logger.info("user preference of category %r is not handled", preference.get("category"))
            continue
        profile = _profile(value, preference)
        user_id = preference.get("user_id") or profile.get("user_id")
        name = (profile.get("profile") or {}).get("name", "")
        contact = sender_contact(wa_id=preference.get("wa_id") or profile.get("wa_id"), user_id=user_id, name=name)
        if contact is None and user_id:  # a wa_id that is no valid phone: the user id alone still finds them
            contact = sender_contact(wa_id=None, user_id=user_id, name=name)
        choice = str(preference.get("value") or "").lower()
        action = _ACTIONS.get(choice)
        if contact is None or action is None:
            logger.info("marketing preference %r kept raw only (contact %s)", choice, getattr(contact, "pk", None))
            continue
        at = _at(preference.get("timestamp"))
        if _already_recorded(contact, action, at):
            continue
        detail = str(preference.get("detail") or "").strip()
        consent_record(contact=contact, category=ConsentCategory.MARKETING, action=action,
                       source=ConsentSource.META_PREFERENCE, occurred_at=at,
                       proof=f"WhatsApp marketing preference '{choice}'" + (f": {detail}" if detail else ""))
