"""Contacts out: streaming CSV of any filter, a person's full data (JSON), an import's error report.

CSV cells that a spreadsheet would run as a formula (=, @, +, - followed by something that isn't a
number) get a leading apostrophe (OWASP "CSV injection"); phone numbers like +91... stay as they are.
"""
import csv
import re

from django.utils import timezone

from apps.contacts.models import AttributeDefinition, Contact, ContactImport
from apps.contacts.selectors import consent_event_list, import_error_list, merge_record_list

BASE_COLUMNS = ["id", "phone", "wa_user_id", "name", "email", "language", "tags", "marketing_consent",
                "utility_consent", "first_seen_at", "last_seen_at", "last_inbound_at", "last_outbound_at",
                "created_at"]
_NUMBERISH = re.compile(r"[+-][\d\s().-]*")


def safe_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = value.isoformat() if hasattr(value, "isoformat") else str(value)
    if text and (text[0] in "=@\t\r" or (text[0] in "+-" and not _NUMBERISH.fullmatch(text))):
        return "'" + text
    return text


class _Line:
    """csv.writer target that hands back each line instead of buffering the file."""

    def write(self, line: str) -> str:
        return line


def contacts_csv(queryset, definitions: list[AttributeDefinition], batch: int = 2000):
    """Lines of the CSV export, read with a server-side cursor `batch` rows at a time."""
    writer = csv.writer(_Line())
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
    writer = csv.writer(_Line())
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
