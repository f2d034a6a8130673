"""Writes to a business's contacts: profiles, consent, merges, erasure, bulk actions, definitions, and the
WhatsApp identity and activity of a contact (who wrote, whom we send to, when they last wrote). No other app
writes the Contact table: messaging and webhooks come here.

Everything runs in the current tenant schema. Services raise ApplicationError (with a code) for
business rules and Django ValidationError for field errors; both render in the API's envelope.

The audit log (apps.audit) gets one event per change a member or an API key makes, in the change's transaction;
services take that `actor` first. Contacts are named there by id only: field names, never values. What runs without
a member (a customer's first message, a STOP keyword) passes no actor to contact_create/update and consent_record,
and is not audited (the consent ledger keeps consent's own history); deletions and erasures are audited always.
"""
import datetime as dt

from django.core.exceptions import EmptyResultSet, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Q, QuerySet
from django.db.models.functions import Greatest
from django.utils import timezone

from apps.audit.recorder import diff, record
from apps.contacts import signals, values
from apps.contacts.filters import FilterError, filter_attribute_keys, validate_filter
from apps.contacts.identity import identity_hash, identity_hash_sql
from apps.contacts.models import (
    AttributeDefinition,
    AttributeType,
    ConsentAction,
    ConsentCategory,
    ConsentEvent,
    ConsentSource,
    ConsentState,
    Contact,
    ContactImportError,
    ContactMergeRecord,
    ContactSettings,
    Segment,
    Suppression,
)
from apps.contacts.phones import PhoneError, normalise_phone, region_is_known
from apps.contacts.selectors import (
    attribute_definition_list,
    contact_matching_sender,
    contact_settings_get,
    contact_with_phone,
    suppressed_categories,
)
from apps.core.errors import ApplicationError, Conflict
from tenants.members import Member

PROFILE_FIELDS = ("phone", "wa_user_id", "name", "email", "language")
OPT_OUT_ONLY_SOURCES = {ConsentSource.KEYWORD, ConsentSource.META_PREFERENCE}
CLOCK_SKEW = dt.timedelta(minutes=5)


# --- Settings -------------------------------------------------------------------------------------

@transaction.atomic
def contact_settings_update(*, actor: Member | None = None, default_region: str) -> ContactSettings:
    region = default_region.strip().upper()
    if region and not region_is_known(region):
        raise ValidationError({"default_region": ["Not a country code we know (use ISO 3166, e.g. IN, GB, US)."]})
    settings = contact_settings_get()
    before = {"default_region": settings.default_region}
    settings.default_region = region
    settings.save()
    record(actor, "contacts.settings_changed", target_type="contactsettings", target_label="Contact settings",
           changes=diff(before, {"default_region": region}))
    return settings


# --- Attribute definitions ------------------------------------------------------------------------

def _clean_choices(type_: str, choices: list[str]) -> list[str]:
    if type_ != AttributeType.CHOICE:
        if choices:
            raise ValidationError({"choices": ["Only choice attributes have choices."]})
        return []
    cleaned, seen = [], set()
    for choice in choices:
        text = " ".join(str(choice).split())
        if not text or len(text) > 100:
            raise ValidationError({"choices": ["Each choice is 1 to 100 characters."]})
        if text.lower() in seen:
            raise ValidationError({"choices": [f"{text!r} is listed twice."]})
        seen.add(text.lower())
        cleaned.append(text)
    if not cleaned or len(cleaned) > 200:
        raise ValidationError({"choices": ["A choice attribute has 1 to 200 choices."]})
    return cleaned


@transaction.atomic
def attribute_definition_create(*, actor: Member | None = None, key: str, label: str, type: str,
                                choices: list[str]) -> AttributeDefinition:
    try:
        key = values.clean_key(key)
    except ValueError as exc:
        raise ValidationError({"key": [str(exc)]}) from None
    if AttributeDefinition.objects.filter(key=key).exists():
        raise ValidationError({"key": ["An attribute with this key exists."]})
    definition = AttributeDefinition.objects.create(key=key, label=label.strip() or key, type=type,
                                                    choices=_clean_choices(type, choices))
    record(actor, "attribute.created", target=definition, detail={"type": type, "choices": definition.choices})
    return definition


@transaction.atomic
def attribute_definition_update(*, actor: Member | None = None, definition: AttributeDefinition,
                                label: str | None = None, choices: list[str] | None = None) -> AttributeDefinition:
    """Label and choices change; key and type don't (stored values and segments depend on them)."""
    before = {"label": definition.label, "choices": list(definition.choices)}
    if label is not None:
        definition.label = label.strip() or definition.key
    if choices is not None:
        new = _clean_choices(definition.type, choices)
        removed = {c.lower() for c in definition.choices} - {c.lower() for c in new}
        if removed:
            gone = [c for c in definition.choices if c.lower() in removed]
            in_use = Q(pk__in=[])
            for choice in gone:
                in_use |= Q(attributes__contains={definition.key: choice})
            count = Contact.objects.filter(in_use).count()
            if count:
                raise Conflict(f"{count} contacts have a choice you removed ({', '.join(gone)}). Change them first.",
                               code="choice_in_use")
        definition.choices = new
    definition.save()
    record(actor, "attribute.updated", target=definition,
           changes=diff(before, {"label": definition.label, "choices": list(definition.choices)}))
    return definition


@transaction.atomic
def attribute_definition_delete(*, actor: Member | None = None, definition: AttributeDefinition) -> int:
    """Delete the definition and every contact's value of it. Refused while a segment uses it."""
    users = [s.name for s in Segment.objects.all() if definition.key in _segment_keys(s)]
    if users:
        raise Conflict(f"Segments use this attribute: {', '.join(users)}. Change them first.",
                       code="attribute_in_use")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE contacts_contact SET attributes = attributes - %s WHERE attributes ? %s",
                       [definition.key, definition.key])
        cleared = cursor.rowcount
    record(actor, "attribute.deleted", target=definition, detail={"values_cleared": cleared})
    definition.delete()
    return cleared


def _segment_keys(segment: Segment) -> set[str]:
    try:
        return filter_attribute_keys(segment.filter or {})
    except (AttributeError, TypeError, StopIteration):
        return set()


# --- Contacts -------------------------------------------------------------------------------------

def _clean_profile(data: dict, *, region: str) -> dict:
    """Normalise the profile fields present in `data`; field errors are collected, not raised one by one."""
    cleaned, errors = {}, {}
    cleaners = {
        "phone": lambda v: normalise_phone(v, region or None),
        "wa_user_id": values.clean_user_id,
        "name": values.clean_name,
        "email": values.clean_email,
        "language": values.clean_language,
    }
    for field, clean in cleaners.items():
        if field not in data:
            continue
        raw = data[field]
        if raw in (None, ""):
            cleaned[field] = None if field in ("phone", "wa_user_id") else ""
            continue
        try:
            cleaned[field] = clean(str(raw))
        except (ValueError, PhoneError) as exc:
            errors[field] = [str(exc)[:1].upper() + str(exc)[1:] + "."]
    if "tags" in data:
        try:
            cleaned["tags"] = values.clean_tags(data["tags"] or [])
        except ValueError as exc:
            errors["tags"] = [str(exc)[:1].upper() + str(exc)[1:] + "."]
    if errors:
        raise ValidationError(errors)
    return cleaned


def _clean_attributes(changes: dict, current: dict) -> dict:
    """Merge `changes` into `current`: a value sets the key, None removes it. Keys must be defined."""
    if not isinstance(changes, dict):
        raise ValidationError({"attributes": ["An object of attribute key to value."]})
    coercers = values.coercers(attribute_definition_list())
    result, errors = dict(current), []
    for key, value in changes.items():
        coerce = coercers.get(key)
        if coerce is None:
            errors.append(f"{key}: no such attribute (define it in settings first).")
            continue
        if value is None or value == "":
            result.pop(key, None)
            continue
        try:
            result[key] = coerce(value)
        except ValueError as exc:
            errors.append(f"{key}: {exc}.")
    if errors:
        raise ValidationError({"attributes": errors})
    return result


def _identity_conflict(exc: IntegrityError):
    text = str(exc)
    field = "wa_user_id" if "wa_user_id" in text else "phone"
    return Conflict("Another contact has this " + ("WhatsApp user id." if field == "wa_user_id" else "phone number."),
                    code="contact_exists", errors={field: ["Another contact has this value."]})


def _check_identity_free(cleaned: dict, *, exclude_id=None) -> None:
    for field in ("phone", "wa_user_id"):
        value = cleaned.get(field)
        if value and Contact.objects.filter(**{field: value}).exclude(pk=exclude_id).exists():
            other = Contact.objects.filter(**{field: value}).values_list("pk", flat=True).first()
            raise Conflict("Another contact has this " +
                           ("WhatsApp user id." if field == "wa_user_id" else "phone number."),
                           code="contact_exists", errors={field: [f"Contact {other} has this value."]})


@transaction.atomic
def contact_create(*, actor: Member | None = None, data: dict, actor_email: str = "") -> Contact:
    region = contact_settings_get().default_region
    cleaned = _clean_profile(data, region=region)
    if not cleaned.get("phone") and not cleaned.get("wa_user_id"):
        raise ValidationError({"phone": ["A contact needs a phone number or a WhatsApp user id."]})
    attributes = _clean_attributes(data.get("attributes") or {}, {})
    _check_identity_free(cleaned)
    try:
        with transaction.atomic():
            contact = Contact.objects.create(**cleaned, attributes=attributes, first_seen_at=timezone.now())
    except IntegrityError as exc:  # a concurrent create won the race
        raise _identity_conflict(exc) from None
    _apply_suppressions(contact)
    signals.contact_created.send(sender=Contact, contact=contact)
    if actor is not None:
        record(actor, "contact.created", target=contact, target_label="",
               detail={"fields": sorted({*cleaned, *(["attributes"] if attributes else [])})})
    return contact


def contact_create_for_sender(*, wa_id: str | None, user_id: str | None, name: str = "") -> Contact:
    """A contact for someone who wrote on WhatsApp. Meta vouches for the sender's number, so one that
    phonenumbers' metadata doesn't know (a new or reserved range) is kept as +wa_id, not refused."""
    try:
        with transaction.atomic():
            return contact_create(data={"phone": f"+{wa_id}" if wa_id else None, "wa_user_id": user_id,
                                        "name": name[:200]})
    except ValidationError as exc:
        if not (wa_id and wa_id.isdigit() and 7 <= len(wa_id) <= 15) or "phone" not in exc.message_dict:
            raise
    cleaned = _clean_profile({"wa_user_id": user_id, "name": name[:200]}, region="")
    _check_identity_free({"phone": f"+{wa_id}", **cleaned})
    with transaction.atomic():
        contact = Contact.objects.create(phone=f"+{wa_id}", **cleaned, first_seen_at=timezone.now())
    _apply_suppressions(contact)
    signals.contact_created.send(sender=Contact, contact=contact)
    return contact


def contact_for_sender(*, wa_id: str | None, user_id: str | None, name: str = "") -> Contact | None:
    """The contact behind someone who wrote on WhatsApp (a message, a call, a preference): matched by user id or
    phone (the older contact when each names another), created when new. Meta's wa_id and profile name fill what
    we lack. None when Meta named nobody (or only a number that can't be stored and nobody else has it)."""
    phone = f"+{wa_id}" if wa_id else None
    contact = contact_matching_sender(phone=phone, user_id=user_id)
    if contact is not None:
        if wa_id and contact.wa_id != wa_id:
            Contact.objects.filter(pk=contact.pk).update(wa_id=wa_id)
            contact.wa_id = wa_id
        if name and not contact.name:
            Contact.objects.filter(pk=contact.pk).update(name=name[:200])
            contact.name = name[:200]
        return contact
    if not phone and not user_id:
        return None
    try:
        with transaction.atomic():
            contact = contact_create_for_sender(wa_id=wa_id, user_id=user_id, name=name)
    except (ValidationError, IntegrityError, Conflict):
        # A concurrent webhook created them first, or the number didn't parse: match again, or go on without.
        contact = contact_matching_sender(phone=phone, user_id=user_id)
    if contact is not None and wa_id:
        Contact.objects.filter(pk=contact.pk).update(wa_id=wa_id)
        contact.wa_id = wa_id
    return contact


def contact_for_recipient(*, phone: str) -> Contact:
    """The contact to send to at this number, added when new (every thread has a contact). The number may be
    written nationally: it is read with the business's default region. Raises PhoneError when it isn't one."""
    e164 = normalise_phone(phone, contact_settings_get().default_region or None)
    existing = contact_with_phone(e164)
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return contact_create(data={"phone": e164})
    except Conflict:  # created concurrently
        return Contact.objects.get(phone=e164, erased_at__isnull=True)


def contact_touch_inbound(contact: Contact, *, at: dt.datetime) -> None:
    """The contact wrote at `at` (Meta's clock): activity only moves forward, and the first sighting is kept."""
    Contact.objects.filter(pk=contact.pk).update(
        last_inbound_at=Greatest("last_inbound_at", at, output_field=Contact.last_inbound_at.field),
        last_seen_at=Greatest("last_seen_at", at, output_field=Contact.last_seen_at.field))
    Contact.objects.filter(pk=contact.pk, first_seen_at__isnull=True).update(first_seen_at=at)


def contact_touch_outbound(contact_id: int, *, at: dt.datetime) -> None:
    """Meta accepted a message to this contact at `at`."""
    Contact.objects.filter(pk=contact_id).update(last_outbound_at=at)


def contacts_touch_outbound(contact_ids: list[int], *, at: dt.datetime) -> None:
    """Meta accepted messages to these contacts at `at` (a campaign's batch): one statement."""
    if contact_ids:
        Contact.objects.filter(pk__in=contact_ids).update(last_outbound_at=at)


@transaction.atomic
def contact_update(*, actor: Member | None = None, contact: Contact, data: dict) -> Contact:
    region = contact_settings_get().default_region
    cleaned = _clean_profile(data, region=region)
    identity = {f: cleaned.get(f, getattr(contact, f)) for f in ("phone", "wa_user_id")}
    if not identity["phone"] and not identity["wa_user_id"]:
        raise ValidationError({"phone": ["A contact needs a phone number or a WhatsApp user id."]})
    if "attributes" in data:
        cleaned["attributes"] = _clean_attributes(data["attributes"], contact.attributes)
    changed_identity = any(f in cleaned and cleaned[f] != getattr(contact, f) for f in ("phone", "wa_user_id"))
    _check_identity_free(cleaned, exclude_id=contact.pk)
    for field, value in cleaned.items():
        setattr(contact, field, value)
    try:
        with transaction.atomic():
            contact.save()
    except IntegrityError as exc:
        raise _identity_conflict(exc) from None
    if changed_identity:
        _apply_suppressions(contact)
    signals.contact_updated.send(sender=Contact, contact=contact, fields=sorted(cleaned))
    if actor is not None:  # the field names only: values are personal data
        record(actor, "contact.updated", target=contact, target_label="", detail={"fields": sorted(cleaned)})
    return contact


def _ids_sql(queryset: QuerySet[Contact]) -> tuple[str, tuple]:
    try:
        return queryset.values("pk").query.sql_with_params()
    except EmptyResultSet:  # e.g. `ids: []`: Django knows no row matches and writes no SQL
        return "SELECT id FROM contacts_contact WHERE false", ()


def _delete(queryset: QuerySet[Contact]) -> int:
    """Delete contacts set-based (a bulk delete may cover a million rows; Django's cascade would load
    them all). Opt-outs survive as suppression hashes, so a re-import doesn't message them again."""
    ids_sql, params = _ids_sql(queryset)
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMP TABLE contact_delete_ids (id) ON COMMIT DROP AS {ids_sql}", params)
    doomed = "SELECT d.id FROM contact_delete_ids d"  # qualified: a bare `id` could bind to the outer table
    signals.contacts_deleting.send(sender=Contact, ids_sql=doomed, params=())
    with connection.cursor() as cursor:
        _suppress_sql(cursor, doomed)
        cursor.execute(f"DELETE FROM contacts_consentevent WHERE contact_id IN ({doomed})")
        cursor.execute(f"UPDATE contacts_contactmergerecord SET survivor_id = NULL WHERE survivor_id IN ({doomed})")
        cursor.execute(f"DELETE FROM contacts_contact WHERE id IN ({doomed})")
        deleted = cursor.rowcount
        cursor.execute("DROP TABLE contact_delete_ids")
    return deleted


@transaction.atomic
def contacts_delete(*, actor: Member | None = None, queryset: QuerySet[Contact], selection: dict | None = None) -> int:
    """A bulk delete (see _delete); `selection` says what was selected, for the audit log (no contact data)."""
    deleted = _delete(queryset)
    record(actor, "contacts.bulk_changed", detail={"action": "delete", "count": deleted, **(selection or {})})
    return deleted


@transaction.atomic
def contact_delete(*, actor: Member | None = None, contact: Contact) -> None:
    _delete(Contact.objects.filter(pk=contact.pk))
    record(actor, "contact.deleted", target=contact, target_label="")


def _suppress_sql(cursor, ids_sql: str) -> None:
    """Keep suppression hashes for the opted-out among the contacts `ids_sql` selects."""
    for column in ("phone", "wa_user_id"):
        hash_sql, hash_params = identity_hash_sql(f"c.{column}")
        cursor.execute(f"""
            INSERT INTO contacts_suppression (identity_hash, categories, erased_contact_id, created_at)
            SELECT {hash_sql},
                   array_remove(ARRAY[CASE WHEN c.marketing_consent = 'opted_out' THEN 'marketing' END,
                                      CASE WHEN c.utility_consent = 'opted_out' THEN 'utility' END], NULL),
                   c.id, now()
            FROM contacts_contact c
            WHERE c.id IN ({ids_sql}) AND c.{column} IS NOT NULL
              AND (c.marketing_consent = 'opted_out' OR c.utility_consent = 'opted_out')
            ON CONFLICT (identity_hash) DO UPDATE SET categories = ARRAY(
                SELECT DISTINCT unnest(contacts_suppression.categories || EXCLUDED.categories) ORDER BY 1)
        """, hash_params)


def _bulk_tags(sql: str, *, actor: Member | None, queryset: QuerySet[Contact], tags: list[str], action: str,
               selection: dict | None) -> int:
    """One UPDATE of the selection's tags. The ids it changed are read back (RETURNING) only when someone wants the
    contacts one by one (outbound webhooks): then `contacts_changed_in_bulk` carries them."""
    ids_sql, params = _ids_sql(queryset)
    wanted = signals.contact_events_wanted(("updated",))
    with connection.cursor() as cursor:
        cursor.execute(sql.format(ids_sql=ids_sql) + (" RETURNING id" if wanted else ""), [tags, *params, tags])
        affected = cursor.rowcount
        changed = [row[0] for row in cursor.fetchall()] if wanted else []
    if changed:
        signals.contacts_changed_in_bulk.send(sender=Contact, created_ids=[], updated_ids=changed, fields=["tags"])
    record(actor, "contacts.bulk_changed", detail={"action": action, "count": affected, "tags": list(tags),
                                                   **(selection or {})})
    return affected


@transaction.atomic
def contacts_tag(*, actor: Member | None = None, queryset: QuerySet[Contact], tags: list[str],
                 selection: dict | None = None) -> int:
    return _bulk_tags("""
        UPDATE contacts_contact SET updated_at = now(), tags = ARRAY(
            SELECT DISTINCT t COLLATE "C" FROM unnest(tags || %s::varchar[]) AS t ORDER BY 1)
        WHERE id IN ({ids_sql}) AND NOT tags @> %s::varchar[]
    """, actor=actor, queryset=queryset, tags=tags, action="tag", selection=selection)


@transaction.atomic
def contacts_untag(*, actor: Member | None = None, queryset: QuerySet[Contact], tags: list[str],
                   selection: dict | None = None) -> int:
    return _bulk_tags("""
        UPDATE contacts_contact SET updated_at = now(), tags = ARRAY(
            SELECT t FROM unnest(tags) AS t WHERE t <> ALL(%s::varchar[]) ORDER BY t COLLATE "C")
        WHERE id IN ({ids_sql}) AND tags && %s::varchar[]
    """, actor=actor, queryset=queryset, tags=tags, action="untag", selection=selection)


# --- Consent --------------------------------------------------------------------------------------

def _state_after(action: str) -> str:
    return ConsentState.OPTED_IN if action == ConsentAction.OPT_IN else ConsentState.OPTED_OUT


def _refresh_consent_state(contact_id: int) -> None:
    """Set both state columns from the ledger (its latest event per category), in SQL."""
    with connection.cursor() as cursor:
        cursor.execute("""
            UPDATE contacts_contact c SET
              marketing_consent = COALESCE((SELECT CASE e.action WHEN 'opt_in' THEN 'opted_in' ELSE 'opted_out' END
                  FROM contacts_consentevent e WHERE e.contact_id = c.id AND e.category = 'marketing'
                  ORDER BY e.occurred_at DESC, e.id DESC LIMIT 1), 'unknown'),
              utility_consent = COALESCE((SELECT CASE e.action WHEN 'opt_in' THEN 'opted_in' ELSE 'opted_out' END
                  FROM contacts_consentevent e WHERE e.contact_id = c.id AND e.category = 'utility'
                  ORDER BY e.occurred_at DESC, e.id DESC LIMIT 1), 'unknown')
            WHERE c.id = %s
        """, [contact_id])


@transaction.atomic
def consent_record(*, actor: Member | None = None, contact: Contact, category: str, action: str, source: str,
                   proof: str = "", keyword: str = "", actor_email: str = "",
                   occurred_at: dt.datetime | None = None) -> ConsentEvent:
    """Append one event to the ledger and update the contact's state column in the same transaction.

    The state is the latest event by `occurred_at`, so an opt-in proven with an older form doesn't
    undo a newer STOP. This is what the messaging module calls for STOP keywords and Meta's
    marketing-preference webhooks.
    """
    if category not in ConsentCategory.values:
        raise ValidationError({"category": [f"One of {ConsentCategory.values}."]})
    if action not in ConsentAction.values:
        raise ValidationError({"action": [f"One of {ConsentAction.values}."]})
    if source not in ConsentSource.values:
        raise ValidationError({"source": [f"One of {ConsentSource.values}."]})
    if action == ConsentAction.OPT_IN and source in OPT_OUT_ONLY_SOURCES:
        raise ValidationError({"source": ["This source only records opt-outs."]})
    now = timezone.now()
    occurred_at = occurred_at or now
    if occurred_at > now + CLOCK_SKEW:
        raise ValidationError({"occurred_at": ["Consent can't be recorded in the future."]})
    Contact.objects.select_for_update().filter(pk=contact.pk).values_list("pk").first()  # one writer per contact
    event = ConsentEvent.objects.create(contact=contact, category=category, action=action, source=source,
                                        proof=proof.strip(), keyword=keyword.strip()[:64], actor_email=actor_email,
                                        occurred_at=occurred_at)
    _refresh_consent_state(contact.pk)
    contact.refresh_from_db(fields=["marketing_consent", "utility_consent", "updated_at"])
    signals.consent_recorded.send(sender=Contact, contact=contact, event=event)
    if actor is not None:  # no proof text: it may quote the person
        record(actor, "contact.consent_changed", target=contact, target_label="",
               detail={"category": category, "action": action, "source": source, "consent_event_id": event.pk})
    return event


def _apply_suppressions(contact: Contact) -> None:
    """A contact whose identity matches an erased or deleted opted-out contact starts opted out."""
    for category in sorted(suppressed_categories([contact.phone, contact.wa_user_id])):
        if getattr(contact, f"{category}_consent") != ConsentState.OPTED_OUT:
            consent_record(contact=contact, category=category, action=ConsentAction.OPT_OUT,
                           source=ConsentSource.SUPPRESSION,
                           proof="This number or user id belonged to a contact who had opted out before being removed.")


# --- Merge ----------------------------------------------------------------------------------------

def _snapshot(contact: Contact) -> dict:
    return {
        "id": contact.pk, **{f: getattr(contact, f) for f in PROFILE_FIELDS}, "wa_id": contact.wa_id,
        "tags": list(contact.tags), "attributes": dict(contact.attributes),
        "marketing_consent": contact.marketing_consent, "utility_consent": contact.utility_consent,
        "created_at": contact.created_at.isoformat(),
    }


def _earliest(*moments):
    present = [m for m in moments if m is not None]
    return min(present) if present else None


def _latest(*moments):
    present = [m for m in moments if m is not None]
    return max(present) if present else None


@transaction.atomic
def contact_merge(*, actor: Member | None = None, survivor: Contact, merged: Contact, prefer: dict[str, str],
                  actor_email: str = "") -> ContactMergeRecord:
    """Fold `merged` into `survivor`, then delete it. For each profile field the survivor's value wins
    unless it is empty or `prefer[field] == "merged"`; `prefer["attributes"]` decides clashing keys.
    Tags are united, consent events move (the state is re-derived from the joined ledger)."""
    if survivor.pk == merged.pk:
        raise ApplicationError("A contact can't be merged into itself.", code="same_contact")
    for field, side in prefer.items():
        if field not in (*PROFILE_FIELDS, "attributes") or side not in ("survivor", "merged"):
            raise ValidationError({"prefer": [f"{field}: use one of {[*PROFILE_FIELDS, 'attributes']} "
                                              "with \"survivor\" or \"merged\"."]})
    # Lock both rows in id order, so two merges of the same pair can't deadlock.
    locked = {c.pk: c for c in Contact.objects.select_for_update().filter(pk__in=[survivor.pk, merged.pk],
                                                                         erased_at__isnull=True).order_by("pk")}
    if len(locked) != 2:
        raise ApplicationError("One of the contacts no longer exists.", code="not_found", status_code=404)
    survivor, merged = locked[survivor.pk], locked[merged.pk]
    snapshot = _snapshot(merged)
    winners = {}
    for field in PROFILE_FIELDS:
        theirs, ours = getattr(merged, field), getattr(survivor, field)
        take_theirs = bool(theirs) and (not ours or prefer.get(field) == "merged")
        winners[field] = "merged" if take_theirs else "survivor"
        if take_theirs:
            setattr(survivor, field, theirs)
    if prefer.get("attributes") == "merged":
        survivor.attributes = {**survivor.attributes, **merged.attributes}
    else:
        survivor.attributes = {**merged.attributes, **survivor.attributes}
    winners["attributes"] = prefer.get("attributes", "survivor")
    survivor.tags = sorted(set(survivor.tags) | set(merged.tags))
    survivor.wa_id = survivor.wa_id or merged.wa_id
    survivor.first_seen_at = _earliest(survivor.first_seen_at, merged.first_seen_at)
    for field in ("last_seen_at", "last_inbound_at", "last_outbound_at"):
        setattr(survivor, field, _latest(getattr(survivor, field), getattr(merged, field)))
    # Free the merged contact's identities before the survivor takes them (unique indexes).
    Contact.objects.filter(pk=merged.pk).update(phone=None, wa_user_id=None)
    survivor.save()
    moved = ConsentEvent.objects.filter(contact_id=merged.pk).update(contact_id=survivor.pk)
    _refresh_consent_state(survivor.pk)
    ContactMergeRecord.objects.filter(survivor_id=merged.pk).update(survivor_id=survivor.pk,
                                                                   survivor_ref=survivor.pk)
    signals.contacts_merged.send(sender=Contact, survivor_id=survivor.pk, merged_id=merged.pk)
    merge_record = ContactMergeRecord.objects.create(
        survivor=survivor, survivor_ref=survivor.pk, merged_id=merged.pk, actor_email=actor_email,
        field_winners=winners, merged_snapshot=snapshot, moved_consent_events=moved)
    Contact.objects.filter(pk=merged.pk).delete()
    survivor.refresh_from_db()
    taken = sorted({f for f in PROFILE_FIELDS if winners[f] == "merged"} | {"attributes", "tags"})
    signals.contact_updated.send(sender=Contact, contact=survivor, fields=taken)
    record(actor, "contact.merged", target=survivor, target_label="",
           detail={"merged_id": merged.pk, "field_winners": winners, "moved_consent_events": moved})
    return merge_record


# --- Erasure --------------------------------------------------------------------------------------

@transaction.atomic
def contact_erase(*, actor: Member | None = None, contact: Contact) -> Contact:
    """Remove the person's data, keep a tombstone row (same id, so other modules' references hold).

    - name, email, language, wa_id, tags, attributes and activity dates are cleared; phone and user id
      are set to NULL (they are no longer stored in any form, unless the next point applies);
    - if the person had opted out of a category, a keyed hash of each identity is kept as a
      Suppression, so a contact created later with that number starts opted out (and nothing else);
    - the consent ledger stays as evidence, with its proof texts removed; merge snapshots are cleared;
      rows of import error reports whose value is exactly the phone, email or user id are deleted;
    - `contact_erased(contact_id)` is sent in this transaction for messages to be anonymised.
    """
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    opted_out = [c for c in ConsentCategory.values if getattr(contact, f"{c}_consent") == ConsentState.OPTED_OUT]
    identities = [v for v in (contact.phone, contact.wa_user_id) if v]
    for identity in identities if opted_out else []:
        suppression, created = Suppression.objects.get_or_create(
            identity_hash=identity_hash(identity), defaults={"categories": opted_out, "erased_contact_id": contact.pk})
        if not created:
            suppression.categories = sorted(set(suppression.categories) | set(opted_out))
            suppression.save(update_fields=["categories"])
    traces = [v for v in (contact.phone, contact.wa_user_id, contact.email) if v]
    if traces:
        ContactImportError.objects.filter(value__in=traces).delete()
    ConsentEvent.objects.filter(contact=contact).update(proof="")
    ContactMergeRecord.objects.filter(Q(survivor_ref=contact.pk) | Q(merged_id=contact.pk)).update(merged_snapshot={})
    Contact.objects.filter(pk=contact.pk).update(
        phone=None, wa_user_id=None, wa_id="", name="", email="", language="", tags=[], attributes={},
        first_seen_at=None, last_seen_at=None, last_inbound_at=None, last_outbound_at=None,
        erased_at=timezone.now(), updated_at=timezone.now())
    signals.contact_erased.send(sender=Contact, contact_id=contact.pk)
    record(actor, "contact.erased", target=contact, target_label="")
    contact.refresh_from_db()
    return contact


# --- Segments -------------------------------------------------------------------------------------

def filter_validate(document) -> dict:
    try:
        return validate_filter(document, list(attribute_definition_list()))
    except FilterError as exc:
        raise ValidationError({"filter": [str(exc)]}) from None


@transaction.atomic
def segment_create(*, actor: Member | None = None, name: str, description: str, filter: dict,
                   actor_email: str = "") -> Segment:
    name = name.strip()
    if Segment.objects.filter(name__iexact=name).exists():
        raise ValidationError({"name": ["A segment with this name exists."]})
    segment = Segment.objects.create(name=name, description=description.strip(), filter=filter_validate(filter),
                                     created_by_email=actor_email or (actor.user.email if actor is not None else ""))
    record(actor, "segment.created", target=segment, detail={"filter": segment.filter})
    return segment


@transaction.atomic
def segment_update(*, actor: Member | None = None, segment: Segment, name: str | None = None,
                   description: str | None = None, filter: dict | None = None) -> Segment:
    before = {"name": segment.name, "description": segment.description, "filter": segment.filter}
    if name is not None:
        name = name.strip()
        if Segment.objects.filter(name__iexact=name).exclude(pk=segment.pk).exists():
            raise ValidationError({"name": ["A segment with this name exists."]})
        segment.name = name
    if description is not None:
        segment.description = description.strip()
    if filter is not None:
        segment.filter = filter_validate(filter)
    segment.save()
    record(actor, "segment.updated", target=segment,
           changes=diff(before, {"name": segment.name, "description": segment.description, "filter": segment.filter}))
    return segment


@transaction.atomic
def segment_delete(*, actor: Member | None = None, segment: Segment) -> None:
    record(actor, "segment.deleted", target=segment)
    segment.delete()
