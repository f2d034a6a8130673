"""Reads of a business's contacts. Every query runs in the request's tenant schema; rows that don't
exist there (another business's ids included) are the same 404."""
import re

import phonenumbers
from django.contrib.postgres.search import SearchQuery, SearchVector
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404

from apps.contacts.filters import FilterError, compile_filter, validate_filter
from apps.contacts.identity import identity_hashes
from apps.contacts.models import (
    AttributeDefinition,
    ConsentCategory,
    ConsentEvent,
    ConsentState,
    Contact,
    ContactImport,
    ContactImportError,
    ContactMergeRecord,
    ContactSettings,
    Segment,
    Suppression,
)

_PHONE_QUERY = re.compile(r"\+?[\d\s().-]+")
_WORD = re.compile(r"\w+", re.UNICODE)


def _get(queryset, pk):
    try:
        return queryset.get(pk=int(pk))
    except (queryset.model.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


def contact_settings_get() -> ContactSettings:
    settings, _ = ContactSettings.objects.get_or_create(id=1)
    return settings


def attribute_definition_list() -> QuerySet[AttributeDefinition]:
    return AttributeDefinition.objects.all()


def access_attribute_definition(definition_id) -> AttributeDefinition:
    return _get(AttributeDefinition.objects.all(), definition_id)


def segment_list() -> QuerySet[Segment]:
    return Segment.objects.all()


def access_segment(segment_id) -> Segment:
    return _get(Segment.objects.all(), segment_id)


def contact_list() -> QuerySet[Contact]:
    """Contacts that exist for people: erased tombstones are never listed."""
    return Contact.objects.filter(erased_at__isnull=True)


def access_contact(contact_id) -> Contact:
    return _get(contact_list(), contact_id)


def search_q(q: str, default_region: str) -> Q:
    """Search by phone (prefix of the E.164 form, also typed nationally), email prefix or name words.

    Each branch is served by an index: phone and email by pattern-ops btrees, names by the GIN
    full-text index, word by word as prefixes ("ann sm" finds "Anna Smith").
    """
    q = q.strip()[:100]
    digits = re.sub(r"\D", "", q)
    if _PHONE_QUERY.fullmatch(q) and len(digits) >= 3:
        prefixes = {"+" + digits}
        if q.startswith("00"):
            prefixes = {"+" + digits[2:]}
        elif not q.startswith("+") and default_region:
            code = phonenumbers.country_code_for_region(default_region)
            if code and digits.lstrip("0"):
                prefixes.add(f"+{code}{digits.lstrip('0')}")
        result = Q(pk__in=[])
        for prefix in prefixes:
            result |= Q(phone__startswith=prefix)
        return result
    email = Q(email__startswith=q.lower()) & ~Q(email="")  # the second term lets the partial index serve
    if "@" in q:
        return email
    words = _WORD.findall(q.lower())[:8]
    if not words:
        return Q()
    query = " & ".join("'" + w.replace("'", "''") + "':*" for w in words)
    return Q(name_search=SearchQuery(query, search_type="raw", config="simple")) | email


def with_name_search(queryset: QuerySet[Contact]) -> QuerySet[Contact]:
    # The same expression as the contact_name_search index, so the planner uses it.
    return queryset.annotate(name_search=SearchVector("name", config="simple"))


def contact_query(*, q: str = "", segment=None, filter_document=None, tags=None,
                  default_region: str = "") -> QuerySet[Contact]:
    """The contacts a list, count, export or bulk action is about. Raises ValidationError naming the
    parameter at fault (an unknown segment, an invalid filter)."""
    queryset = contact_list()
    definitions = None
    if segment not in (None, ""):
        try:
            saved = Segment.objects.get(pk=int(segment))
        except (Segment.DoesNotExist, ValueError, TypeError, OverflowError):
            raise ValidationError({"segment": ["No such segment."]}) from None
        definitions = list(attribute_definition_list())
        try:
            document = validate_filter(saved.filter, definitions)
        except FilterError as exc:
            raise ValidationError({"segment": [f"This segment no longer works: {exc}"]}) from None
        queryset = queryset.filter(compile_filter(document))
    if filter_document not in (None, {}, ""):
        try:
            document = validate_filter(filter_document, definitions or list(attribute_definition_list()))
        except FilterError as exc:
            raise ValidationError({"filter": [str(exc)]}) from None
        queryset = queryset.filter(compile_filter(document))
    if tags:
        queryset = queryset.filter(tags__overlap=list(tags))
    if q and q.strip():
        queryset = with_name_search(queryset).filter(search_q(q, default_region))
    return queryset


def consent_event_list(*, contact: Contact) -> QuerySet[ConsentEvent]:
    return ConsentEvent.objects.filter(contact=contact).order_by("-occurred_at", "-id")


def merge_record_list(*, contact: Contact) -> QuerySet[ContactMergeRecord]:
    return ContactMergeRecord.objects.filter(survivor_ref=contact.pk)


def import_list() -> QuerySet[ContactImport]:
    return ContactImport.objects.all()


def access_import(import_id) -> ContactImport:
    return _get(ContactImport.objects.all(), import_id)


def import_error_list(*, contact_import: ContactImport) -> QuerySet[ContactImportError]:
    return ContactImportError.objects.filter(contact_import=contact_import).order_by("row_number", "id")


def consent_state_mismatches() -> list[tuple[int, str, str, str]]:
    """(contact id, category, column value, ledger value) wherever the denormalised state disagrees
    with the ledger. Empty by construction; a test and an operator check rely on it."""
    from django.db import connection

    sql = """
        WITH latest AS (
            SELECT DISTINCT ON (contact_id, category) contact_id, category,
                   CASE action WHEN 'opt_in' THEN 'opted_in' ELSE 'opted_out' END AS state
            FROM contacts_consentevent ORDER BY contact_id, category, occurred_at DESC, id DESC
        )
        SELECT c.id, cat.category, cat.column_state, COALESCE(l.state, 'unknown')
        FROM contacts_contact c
        CROSS JOIN LATERAL (VALUES ('marketing', c.marketing_consent), ('utility', c.utility_consent))
            AS cat(category, column_state)
        LEFT JOIN latest l ON l.contact_id = c.id AND l.category = cat.category
        WHERE cat.column_state <> COALESCE(l.state, 'unknown')
    """
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchall()


def suppressed_categories(identities) -> set[str]:
    """The consent categories the suppression list (erased or deleted people who had opted out) holds for
    any of these identities (E.164 phone with its +, or WhatsApp user id); empty when none is listed."""
    hashes = {h for value in identities if value for h in identity_hashes(value)}  # any key, fallbacks too
    if not hashes:
        return set()
    rows = Suppression.objects.filter(identity_hash__in=hashes).values_list("categories", flat=True)
    return {category for categories in rows for category in categories}


# --- WhatsApp identity ----------------------------------------------------------------------------

def recipient_of(contact: Contact) -> str:
    """Meta's `to` for this contact, the one rule of every send: the WhatsApp id Meta last reported (the number
    the customer writes from), else the phone's digits, else the business-scoped user id (BSUID); "" when the
    contact has none (an erased one)."""
    return contact.wa_id or (contact.phone or "").lstrip("+") or contact.wa_user_id or ""


def contact_matching_sender(*, phone: str | None, user_id: str | None) -> Contact | None:
    """The contact (not erased) with this user id or this E.164 phone; the oldest when both match someone."""
    matches = Q(pk__in=[])
    if user_id:
        matches |= Q(wa_user_id=user_id)
    if phone:
        matches |= Q(phone=phone)
    return contact_list().filter(matches).order_by("pk").first()


def contact_with_phone(phone: str) -> Contact | None:
    """The contact (not erased) with this E.164 phone."""
    return contact_list().filter(phone=phone).order_by("pk").first()


# --- Consent --------------------------------------------------------------------------------------

def contact_opted_out_categories(contact: Contact) -> set[str]:
    """The categories this contact has opted out of, read now (not from the caller's copy): an opt-out recorded
    since the contact was loaded counts."""
    states = Contact.objects.filter(pk=contact.pk).values("marketing_consent", "utility_consent").first() or {}
    return {c for c in ConsentCategory.values if states.get(f"{c}_consent") == ConsentState.OPTED_OUT}


def consent_event_exists(contact: Contact, *, category: str, action: str, source: str, occurred_at) -> bool:
    """Whether the ledger already holds this exact event (a redelivered webhook records nothing twice)."""
    return ConsentEvent.objects.filter(contact=contact, category=category, action=action, source=source,
                                       occurred_at=occurred_at).exists()


def consent_latest(contact: Contact, *, category: str) -> tuple[str, str] | None:
    """The (action, source) of the contact's latest event in this category, or None when there is none."""
    return (ConsentEvent.objects.filter(contact=contact, category=category).order_by("-occurred_at", "-id")
            .values_list("action", "source").first())
