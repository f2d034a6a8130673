"""Keyed hashes of identities (phone, WhatsApp user id) kept after a contact is erased or deleted.

A phone number has ~10^10 values per country, so a plain SHA-256 of it is reversed by enumeration in
minutes. HMAC-SHA256 with a server-side key isn't, without the key. The message is prefixed with the
business's schema name so two businesses' hashes of one number differ. The same HMAC is computed in SQL (with
PostgreSQL's built-in sha256, no extension) for set-based work: imports and bulk deletes.
"""
import hashlib
import hmac

from django.conf import settings
from django.db import connection

_BLOCK = 64


def _key() -> bytes:
    raw = getattr(settings, "CONTACT_HASH_KEY", "") or settings.SECRET_KEY
    key = hashlib.sha256(b"convonest.contacts.identity:" + raw.encode()).digest()
    return key.ljust(_BLOCK, b"\0")


def _prefix() -> str:
    # The schema name, not the tenant id: schema_context() and Celery know only the schema. A business's
    # schema is named once, at signup (renamed from the pool before it has any contact).
    return f"{connection.schema_name}:"


def identity_hash(value: str) -> str:
    return hmac.new(_key(), (_prefix() + value).encode(), hashlib.sha256).hexdigest()


def identity_hash_sql(column: str) -> tuple[str, list]:
    """SQL computing identity_hash(<column>), and its parameters (placed before the column's)."""
    key = _key()
    inner = bytes(b ^ 0x36 for b in key)
    outer = bytes(b ^ 0x5C for b in key)
    sql = f"encode(sha256(%s::bytea || sha256(%s::bytea || convert_to(%s || {column}, 'UTF8'))), 'hex')"
    return sql, [outer, inner, _prefix()]
