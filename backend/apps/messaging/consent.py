"""Consent at send time: the consent ledger (apps.contacts, docs/contacts.md §2, §5) decides what may be sent.

Rules (the outbox's one send path, message_send_to, calls `consent_require` for every send, people's and
automations' alike). The ledger is read through contacts' selectors; the enforcement is the outbox's:

- **Templates** are business-initiated; each goes only to someone who has not opted out of its category:
  MARKETING needs `marketing_consent` not opted out, UTILITY `utility_consent`. AUTHENTICATION (one-time
  codes) has no category in the ledger: the person asks for the code at that moment, so it always goes.
  The category comes from our copy of Meta's templates (apps.templates) for the sending number's WABA, and
  a template Meta announced it will move (`pending_category`) counts under both. **A template we don't know
  counts as every category**: we can't prove it isn't marketing, so it goes only to someone who opted out of
  nothing; for everyone else it goes as before (no local copy must not block sending).
- **The suppression list counts as opted out**: an erased or deleted person who had opted out is recognised
  by the keyed hash of their number or user id, with or without a contact row.
- **Free-form messages** (text, media, interactive, reactions) go only inside the 24-hour window the customer
  opened by writing to us (conversations.window_require_open). Those are service replies, which WhatsApp's
  policy allows after a marketing opt-out, so they are not checked here. That keeps the STOP confirmation,
  START, welcome and away messages working.
"""
from apps.contacts.models import ConsentCategory, ConsentState, Contact
from apps.contacts.selectors import contact_opted_out_categories, suppressed_categories
from apps.core.errors import ApplicationError
from apps.templates.models import Template

MARKETING, UTILITY, AUTHENTICATION = "MARKETING", "UTILITY", "AUTHENTICATION"
# Meta's template category -> the ledger categories a recipient must not have opted out of.
_LEDGER_CATEGORIES = {MARKETING: {ConsentCategory.MARKETING}, UTILITY: {ConsentCategory.UTILITY},
                      AUTHENTICATION: set()}
_UNKNOWN = set(ConsentCategory.values)


def template_categories(*, name: str, language: str, waba_id: str) -> set[str] | None:
    """Meta's categories of the template `name`/`language` of this WABA (current and announced), or None
    when we have no copy of it."""
    rows = list(Template.objects.filter(name=name, language=language, waba_id__in=[waba_id, ""])
                .values_list("category", "pending_category"))
    categories = {c.upper() for row in rows for c in row if c}
    return categories or None


def _guarded_categories(payload: dict, *, waba_id: str) -> tuple[set[str], str | None]:
    """The ledger categories a template send needs, and its name when we don't know its category."""
    template = payload.get("template") or {}
    name = str(template.get("name") or "")
    language = str((template.get("language") or {}).get("code") or "")
    categories = template_categories(name=name, language=language, waba_id=waba_id)
    if categories is None or not categories <= _LEDGER_CATEGORIES.keys():
        return _UNKNOWN, name
    return set().union(*(_LEDGER_CATEGORIES[c] for c in categories)), None


def opted_out_of(contact: Contact, needed: set[str]) -> set[str]:
    """The categories of `needed` this contact opted out of, from its ledger state as loaded (a campaign's batch
    loads its contacts inside the transaction that queues their messages). Suppressions are already folded into
    the state of a re-created contact (docs/contacts.md §5)."""
    states = {ConsentCategory.MARKETING: contact.marketing_consent, ConsentCategory.UTILITY: contact.utility_consent}
    return {category for category in needed if states.get(category) == ConsentState.OPTED_OUT}


def ledger_categories(payload: dict, *, waba_id: str) -> set[str]:
    """The ledger categories a template send must respect (every category for a template we don't know)."""
    return _guarded_categories(payload, waba_id=waba_id)[0]


def _identities(to: str, contact: Contact | None) -> set[str]:
    found = {to if not to.isdigit() else f"+{to}"}  # Meta's `to`: digits of E.164, or a user id
    if contact is not None:
        found |= {contact.phone, contact.wa_user_id}
    return {value for value in found if value}


def opted_out_categories(*, to: str, contact: Contact | None) -> set[str]:
    """The ledger categories the recipient opted out of: the contact's state, plus the suppression list."""
    opted_out = suppressed_categories(_identities(to, contact))
    if contact is not None and contact.pk is not None:
        opted_out |= contact_opted_out_categories(contact)  # read now: an opt-out since it was loaded counts
    return opted_out


def consent_require(*, payload: dict, to: str, contact: Contact | None, waba_id: str) -> None:
    """Refuse (400 `opted_out`) a template to someone who opted out of its category. See the module doc."""
    if payload.get("type") != "template":
        return
    needed, unknown_name = _guarded_categories(payload, waba_id=waba_id)
    if not needed:  # AUTHENTICATION: nothing in the ledger to read
        return
    refused = needed & opted_out_categories(to=to, contact=contact)
    if not refused:
        return
    labels = " and ".join(sorted(refused))
    if unknown_name is not None:
        message = (f"This person opted out of {labels} messages, and the template {unknown_name!r} isn't known "
                   f"here yet, so it may be one of those. Sync the templates, or send a template of a category "
                   f"they haven't opted out of.")
    else:
        message = (f"This person opted out of {labels} messages, so a {labels} template can't be sent to them. "
                   f"You can still answer them with a normal message while they have written in the last 24 hours.")
    raise ApplicationError(message, code="opted_out", errors={"to": [f"Opted out of {labels} messages."]})
