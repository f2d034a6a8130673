"""Keyed hashes of identities (phone, WhatsApp user id) kept after a contact is erased or deleted.

A phone number has ~10^10 values per country, so a plain SHA-256 of it is reversed by enumeration in
minutes. HMAC-SHA256 with a server-side key isn't, without the key. The message is prefixed with the
business's schema name so two businesses' hashes of one number differ. The same HMAC is computed in SQL (with
PostgreSQL's built-in sha256, no extension) for set-based work: imports and bulk deletes.

The key is CONTACT_HASH_KEY, its own secret: rotating SECRET_KEY (sessions, signed links) must not empty the
suppression list. A hash is one-way, so it can't be re-computed under a new key without the identity: old keys
stay in CONTACT_HASH_KEY_FALLBACKS, every lookup matches any key, and `rekey_contact_hashes` moves to the new
key the suppressions whose identity is stored again (the person came back as a contact).
"""
import hashlib
import hmac

from django.conf import settings
from django.db import connection

_BLOCK = 64


def _derive(raw: str) -> bytes:
    # Unchanged since the key was SECRET_KEY: hashes stored then are matched by putting the old
    # SECRET_KEY in CONTACT_HASH_KEY_FALLBACKS (and, in dev/test, CONTACT_HASH_KEY defaults to SECRET_KEY).
    key = hashlib.sha256(b"convonest.contacts.identity:" + raw.encode()).digest()
    return key.ljust(_BLOCK, b"\0")


def _key() -> bytes:
    """The current key: new hashes are written with it."""
    return _derive(settings.CONTACT_HASH_KEY)


def _keys() -> list[bytes]:
    """The current key, then every fallback: a stored hash made with any of them still matches."""
    keys = [_key()]
    for raw in getattr(settings, "CONTACT_HASH_KEY_FALLBACKS", []):
        derived = _derive(raw)
        if derived not in keys:
            keys.append(derived)
    return keys


def _prefix() -> str:
    # The schema name, not the tenant id: schema_context() and Celery know only the schema. A business's
    # schema is named once, at signup (renamed from the pool before it has any contact).
    return f"{connection.schema_name}:"


def _hmac(key: bytes, value: str) -> str:
    return hmac.new(key, (_prefix() + value).encode(), hashlib.sha256).hexdigest()


def identity_hash(value: str) -> str:
    """The hash to store, with the current key."""
    return _hmac(_key(), value)


def identity_hashes(value: str) -> list[str]:
    """Every hash `value` may be stored under (current key first): use these to look a suppression up."""
    return [_hmac(key, value) for key in _keys()]


def _sql_with_key(key: bytes, column: str) -> tuple[str, list]:
    inner = bytes(b ^ 0x36 for b in key)
    outer = bytes(b ^ 0x5C for b in key)
    sql = f"encode(sha256(%s::bytea || sha256(%s::bytea || convert_to(%s || {column}, 'UTF8'))), 'hex')"
    return sql, [outer, inner, _prefix()]


def identity_hash_sql(column: str) -> tuple[str, list]:
    """SQL computing identity_hash(<column>) (the current key), and its parameters (placed before the column's)."""
    return _sql_with_key(_key(), column)


def identity_hashes_sql(column: str) -> tuple[str, list]:
    """SQL for the comma-separated list of identity_hashes(<column>), for `stored_hash IN (...)`; parameters
    as identity_hash_sql's."""
    parts, params = [], []
    for key in _keys():
        sql, key_params = _sql_with_key(key, column)
        parts.append(sql)
        params += key_params
    return ", ".join(parts), params
