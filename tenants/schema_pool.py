"""A warm pool of pre-migrated tenant schemas, so a signup never waits for migrations.

Filling: create `pool_<hex>`, run the tenant migrations into it, record it with the fingerprint of the
migration state it was built at. Claiming (inside the signup transaction): lock one current row with
SKIP LOCKED, `ALTER SCHEMA ... RENAME` it to the new tenant's name, delete the row. Renaming a schema is
a catalog update, so a signup costs the same with 1 or 1,000 tenants. If the transaction rolls back,
the rename does too (PostgreSQL DDL is transactional) and the schema is back in the pool.

Deploys that add migrations change the fingerprint: older pooled schemas are never handed out, and
`pool_fill` drops them. Tenants that exist are migrated by `migrate_schemas` as usual.
"""
import hashlib
import logging
import sys
import uuid
from functools import lru_cache
from pathlib import Path

from django.core.management import call_command
from django.db import connection, transaction
from django.db.migrations.loader import MigrationLoader
from django_tenants.utils import schema_exists

from tenants.models import PooledSchema

logger = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def migration_fingerprint() -> str:
    """Hash of every migration file's contents: changes when a migration is added or edited."""
    digest = hashlib.sha256()
    graph = MigrationLoader(None, ignore_no_migrations=True).graph
    for key in sorted(graph.nodes):
        digest.update(repr(key).encode())
        source = getattr(sys.modules.get(graph.nodes[key].__module__), "__file__", None)
        if source:
            digest.update(Path(source).read_bytes())
    return digest.hexdigest()[:32]


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def pool_create_schema() -> str:
    """Create and migrate one pooled schema. Slow (runs migrations); call from a task or command."""
    name = f"pool_{uuid.uuid4().hex[:16]}"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE SCHEMA {_quote(name)}")
    try:
        call_command("migrate_schemas", schema_name=name, tenant=True, interactive=False, verbosity=0)
    except Exception:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP SCHEMA IF EXISTS {_quote(name)} CASCADE")
        raise
    finally:
        connection.set_schema_to_public()
    PooledSchema.objects.create(schema_name=name, fingerprint=migration_fingerprint())
    return name


def pool_drop_stale() -> int:
    """Drop pooled schemas built at another migration state. Returns how many were dropped."""
    dropped = 0
    for row in PooledSchema.objects.exclude(fingerprint=migration_fingerprint()):
        with transaction.atomic():
            locked = PooledSchema.objects.select_for_update(skip_locked=True).filter(pk=row.pk).first()
            if locked is None:
                continue
            with connection.cursor() as cursor:
                cursor.execute(f"DROP SCHEMA IF EXISTS {_quote(locked.schema_name)} CASCADE")
            locked.delete()
            dropped += 1
    return dropped


def pool_fill(size: int) -> int:
    """Top the pool up to `size` current schemas. Returns how many were created."""
    connection.set_schema_to_public()
    pool_drop_stale()
    missing = size - PooledSchema.objects.filter(fingerprint=migration_fingerprint()).count()
    created = 0
    for _ in range(max(missing, 0)):
        pool_create_schema()
        created += 1
    return created


def pool_claim(*, schema_name: str) -> bool:
    """Rename a pooled schema to `schema_name`. Must run inside the signup's transaction.

    Returns False when the pool is empty; the caller then migrates a fresh schema inline.
    """
    assert connection.in_atomic_block, "pool_claim must run inside the signup transaction"
    if schema_exists(schema_name):
        return False
    row = (
        PooledSchema.objects.select_for_update(skip_locked=True)
        .filter(fingerprint=migration_fingerprint())
        .order_by("created_at")
        .first()
    )
    if row is None:
        logger.warning("schema pool empty: migrating %s inline", schema_name)
        return False
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER SCHEMA {_quote(row.schema_name)} RENAME TO {_quote(schema_name)}")
    row.delete()
    return True


def pool_size() -> int:
    return PooledSchema.objects.filter(fingerprint=migration_fingerprint()).count()


