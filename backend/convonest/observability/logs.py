"""Log lines an operator can search: one JSON object a line (LOG_FORMAT=json, the default outside DEBUG) carrying
the request id (the one echoed in X-Request-ID and stored on audit events), the business (its schema) and the
Celery task id. `make dev` keeps the plain format (LOG_FORMAT=plain).

What goes in a message is each caller's business: the Graph client and the webhook paths already mask tokens and
never log bodies; this formatter adds context, never request data.
"""
import json
import logging
from datetime import UTC, datetime

from celery import current_task


class ContextFilter(logging.Filter):
    """Adds `request_id` and `task_id` to every record ("" outside a request or a task). django-tenants'
    TenantContextFilter, before this one, adds `schema_name`."""

    def filter(self, record: logging.LogRecord) -> bool:
        from apps.audit.context import current_origin  # logging is configured before the apps are loaded

        origin = current_origin()
        record.request_id = origin.request_id if origin is not None else ""
        task = current_task
        record.task_id = (getattr(task.request, "id", None) or "") if task else ""
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", ""),
            "business": _business(getattr(record, "schema_name", "")),
            "task_id": getattr(record, "task_id", ""),
        }
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


def _business(schema_name: str) -> str:
    return "" if schema_name in ("", "public", "-") else schema_name
