"""The campaign report as CSV: one line per recipient, streamed with a server-side cursor."""
from apps.campaigns.selectors import recipient_stage
from apps.core.csv_export import csv_writer, safe_cell

COLUMNS = ["recipient_id", "contact_id", "name", "to", "variant", "state", "error_code", "error_title",
           "skip_reason", "sent_at", "delivered_at", "read_at", "failed_at"]


def recipients_csv(recipients, batch: int = 2000):
    writer = csv_writer()
    yield writer.writerow(COLUMNS)
    for r in recipients.iterator(chunk_size=batch):
        message = r.message if r.message_id else None
        variant = chr(ord("A") + r.variant) if r.variant is not None else ""
        yield writer.writerow([safe_cell(value) for value in (
            r.pk, r.contact_id, r.contact_name, r.identity, variant, recipient_stage(r),
            message.error_code if message else r.error_code, message.error_title if message else r.error_title,
            r.skip_reason, message.sent_at if message else None, message.delivered_at if message else None,
            message.read_at if message else None, message.failed_at if message else None)])
