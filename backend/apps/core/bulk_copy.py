"""Rows written with one COPY, for the batched hot paths (a campaign's messages and every message's events): there
Django's bulk_create spent more CPU building model instances and compiling a VALUES list than PostgreSQL spent
inserting the rows.

bulk_create's contract, without its instances: no signals, no validation, no ids handed back (a client-side primary
key is the caller's to set; an identity column is numbered by the database).
"""
from __future__ import annotations

import functools
from collections.abc import Sequence

from django.db import connection, models
from django.utils import timezone
from psycopg.types.json import Jsonb

_NOW = object()


@functools.cache
def _plan(model: type[models.Model]) -> tuple[tuple[str, str, bool, object], ...]:
    """(attname, column, is JSON, fill) per column written; fill is what a row that leaves the field out gets: _NOW,
    a callable default (called per row) or a constant (the field's default, or what Django gives a field without
    one: "" or None)."""
    plan = []
    for field in model._meta.concrete_fields:
        if field.primary_key and field.db_returning:  # an identity column: the database numbers it
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            fill = _NOW
        elif field.has_default() and callable(field.default):
            fill = field.default
        else:
            fill = field.get_default()
        plan.append((field.attname, field.column, isinstance(field, models.JSONField), fill))
    return tuple(plan)


def copy_insert(model: type[models.Model], rows: Sequence[dict]) -> None:
    """Insert `rows` (attname -> value, e.g. `message_id`) into `model`'s table, in the current schema, with one
    COPY. A field a row leaves out gets what bulk_create would give it: its default, or now for auto_now(_add)."""
    if not rows:
        return
    plan = _plan(model)
    now = timezone.now()
    quote = connection.ops.quote_name
    columns = ", ".join(quote(column) for _, column, _, _ in plan)
    statement = f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for row in rows:
            values = []
            for attname, _, is_json, fill in plan:
                if attname in row:
                    value = row[attname]
                else:
                    value = now if fill is _NOW else fill() if callable(fill) else fill
                values.append(Jsonb(value) if is_json and value is not None else value)
            copy.write_row(values)
