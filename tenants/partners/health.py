"""What the console shows of a business that only its own schema knows (numbers and their quality, last activity).

The control plane imports no tenant app, so the tenant apps that own those rows register a reader here (in their
AppConfig.ready()); the console calls every reader inside the business's schema, one business at a time, for the
page of businesses it shows.
"""
from collections.abc import Callable

from django_tenants.utils import schema_context

_READERS: list[Callable[[], dict]] = []


def summary_register(reader: Callable[[], dict]) -> None:
    """`reader()` runs inside a business's schema and returns keys of the summary (numbers, last_activity_at)."""
    _READERS.append(reader)


def business_summary(schema_name: str) -> dict:
    summary: dict = {"numbers": [], "last_activity_at": None}
    with schema_context(schema_name):
        for reader in _READERS:
            summary.update(reader())
    return summary
