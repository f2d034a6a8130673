"""The audit log as CSV: one line per event, read with a server-side cursor."""
import json

from apps.audit.actions import ACTIONS
from apps.core.csv_export import csv_writer, safe_cell

COLUMNS = ["occurred_at", "actor_type", "actor_id", "actor", "action", "action_label", "target_type", "target_id",
           "target", "changes", "detail", "ip", "user_agent", "request_id"]


def audit_events_csv(events, batch: int = 2000):
    writer = csv_writer()
    yield writer.writerow(COLUMNS)
    for e in events.iterator(chunk_size=batch):
        yield writer.writerow([safe_cell(value) for value in (
            e.occurred_at, e.actor_type, e.actor_id, e.actor_label, e.action, ACTIONS.get(e.action, e.action),
            e.target_type, e.target_id, e.target_label, json.dumps(e.changes, default=str) if e.changes else "",
            json.dumps(e.detail, default=str) if e.detail else "", e.ip, e.user_agent, e.request_id)])
