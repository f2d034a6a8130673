"""Contacts out: streaming CSV of any filter (apps.core.csv_export), a person's full data (JSON), an import's error
report."""
import json

from django.db import transaction
from django.utils import timezone

from apps.audit.recorder import record
from apps.contacts.filter_schema import filter_fields
from apps.contacts.models import AttributeDefinition, Contact, ContactImport
from apps.contacts.selectors import (
    attribute_definition_list,
    consent_event_list,
    import_error_list,
    merge_record_list,
)
from apps.core.csv_export import csv_writer, safe_cell

BASE_COLUMNS = ["id", "phone", "wa_user_id", "name", "email", "language", "tags", "marketing_consent",
                "utility_consent", "first_seen_at", "last_seen_at", "last_inbound_at", "last_outbound_at",
                "created_at"]


def contacts_csv(queryset, definitions: list[AttributeDefinition], batch: int = 2000):
    """Lines of the CSV export, read with a server-side cursor `batch` rows at a time."""
    writer = csv_writer()
    keys = [d.key for d in definitions]
    yield writer.writerow(BASE_COLUMNS + keys)
    fields = [c for c in BASE_COLUMNS if c != "tags"] + ["tags", "attributes"]
    for row in queryset.order_by("id").values_list(*fields).iterator(chunk_size=batch):
        record = dict(zip(fields, row, strict=True))
        record["tags"] = ", ".join(record["tags"])
        attributes = record.pop("attributes") or {}
        yield writer.writerow([safe_cell(record[c]) for c in BASE_COLUMNS] +
                              [safe_cell(attributes.get(k)) for k in keys])


def import_errors_csv(contact_import: ContactImport, batch: int = 2000):
    writer = csv_writer()
    yield writer.writerow(["row", "column", "value", "reason"])
    rows = import_error_list(contact_import=contact_import).values_list("row_number", "column", "value", "reason")
    for row_number, column, value, reason in rows.iterator(chunk_size=batch):
        yield writer.writerow([row_number, safe_cell(column), safe_cell(value), reason])


def contact_data_export(contact: Contact, definitions: list[AttributeDefinition]) -> dict:
    """Everything we hold about one person (a data subject access request), as JSON."""
    labels = {d.key: {"label": d.label, "type": d.type} for d in definitions}
    return {
        "exported_at": timezone.now().isoformat(),
        "profile": {
            "id": contact.pk, "phone": contact.phone, "wa_user_id": contact.wa_user_id, "wa_id": contact.wa_id,
            "name": contact.name, "email": contact.email, "language": contact.language,
            "first_seen_at": _iso(contact.first_seen_at), "last_seen_at": _iso(contact.last_seen_at),
            "last_inbound_at": _iso(contact.last_inbound_at), "last_outbound_at": _iso(contact.last_outbound_at),
            "created_at": _iso(contact.created_at), "updated_at": _iso(contact.updated_at),
        },
        "attributes": [{"key": k, "value": v, **labels.get(k, {"label": k, "type": None})}
                       for k, v in sorted(contact.attributes.items())],
        "tags": list(contact.tags),
        "consent": {
            "current": {"marketing": contact.marketing_consent, "utility": contact.utility_consent},
            "history": [{"category": e.category, "action": e.action, "source": e.source, "proof": e.proof,
                         "keyword": e.keyword, "recorded_by": e.actor_email, "occurred_at": _iso(e.occurred_at),
                         "recorded_at": _iso(e.created_at)} for e in consent_event_list(contact=contact)],
        },
        "merges": [{"merged_contact_id": m.merged_id, "merged_at": _iso(m.created_at), "merged_by": m.actor_email,
                    "field_winners": m.field_winners, "merged_profile": m.merged_snapshot}
                   for m in merge_record_list(contact=contact)],
    }


def _iso(moment):
    return moment.isoformat() if moment else None


# --- Exports are reads, recorded in the audit log all the same (who took the data out) ---------------------------

@transaction.atomic
def contact_export(*, actor, contact: Contact) -> dict:
    """A person's full data (a data access request), recorded as `contact.exported`."""
    record(actor, "contact.exported", target=contact, target_label="")
    return contact_data_export(contact, list(attribute_definition_list()))


@transaction.atomic
def contacts_export_record(*, actor, params) -> None:
    """A CSV export is starting (it streams after the view returns): `contacts.exported` with the selection. The
    search text and the filter's values are left out (they may be a person's name, email or number); the fields the
    filter tests, the segment and the tags are kept."""
    raw_filter = params.get("filter") or None
    try:
        document = json.loads(raw_filter) if raw_filter else None
    except json.JSONDecodeError:
        document = raw_filter
    record(actor, "contacts.exported", detail={
        "format": "csv", "filter_fields": filter_fields(document), "segment": params.get("segment") or None,
        "tags": [t for t in params.getlist("tag") if t.strip()] if hasattr(params, "getlist") else [],
        "search": bool(params.get("q"))})
