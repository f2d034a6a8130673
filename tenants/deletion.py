"""Deleting a business for good: the beat, once an owner's scheduled deletion is due (tenants.deletion_schedule), or
an operator (`manage.py delete_business <slug>`).

Tenant has auto_drop_schema=False (a stray `delete()` must not destroy a business), so deleting the row
alone leaves the schema, files, live stream and cache keys behind, and a new signup on the same slug used
to adopt that schema (audit M9). `tenant_delete` removes all of it:

- in one transaction: the routes (webhooks stop reaching it), the Tenant row with its domains,
  memberships and invites (CASCADE), and the schema: renamed to `archived_<slug>_<unix time>` (default:
  recoverable by an operator, unreachable by any host or signup) or dropped (`drop=True`);
- after commit: the media folder (`<schema>/` under MEDIA_ROOT; moved next to the archived schema's name
  when archiving, deleted when dropping, in the bucket too when one is configured: media and business exports),
  waiting import files, the business's Redis keys (the live-event stream, stream leases:
  apps.core.redis.business_key_patterns) and cache keys (`<schema>:…`, django-tenants' key prefix), and the route
  cache.

Every deletion leaves a DeletionRequest row in the public schema, completed in the same transaction: the owner's
scheduled one, or a new one for an operator's. It is the record that survives the schema (and its audit log).
"""
import logging
import shutil
import time
from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.utils import timezone
from django_tenants.utils import schema_exists

from apps.core.redis import business_key_patterns, redis_client
from tenants.ingress.routes import routes_cache_clear
from tenants.models import DeletionRequest, PhoneNumberRoute, Tenant, WabaRoute

logger = logging.getLogger(__name__)


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def archived_schema_name(tenant: Tenant) -> str:
    # 9 + at most 40 + 1 + 10 characters: within PostgreSQL's 63-character identifiers.
    return f"archived_{tenant.schema_name.removeprefix('t_')}_{int(time.time())}"


@transaction.atomic
def tenant_delete(*, tenant: Tenant, drop: bool = False) -> str | None:
    """Delete a business and everything it left in shared places. Returns the archived schema's name, or
    None when the schema was dropped."""
    if tenant.schema_name == "public":
        raise ValueError("The public site is not a business.")
    connection.set_schema_to_public()
    schema = tenant.schema_name
    PhoneNumberRoute.objects.filter(tenant=tenant).delete()
    WabaRoute.objects.filter(tenant=tenant).delete()
    record = _deletion_record(tenant)  # before the Tenant row goes: the open request is found by its tenant
    Tenant.objects.filter(pk=tenant.pk).delete()  # queryset delete: cascades, never TenantMixin's schema drop
    archived = None
    if schema_exists(schema):
        with connection.cursor() as cursor:
            if drop:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # deferred checks first: DROP refuses pending ones
                cursor.execute(f"DROP SCHEMA {_quote(schema)} CASCADE")
            else:
                archived = archived_schema_name(tenant)
                cursor.execute(f"ALTER SCHEMA {_quote(schema)} RENAME TO {_quote(archived)}")
    if archived:
        record.archived_as = archived
        record.save(update_fields=["archived_as"])
    transaction.on_commit(lambda: _forget_shared_state(schema, archived), robust=True)
    logger.warning("business %s (%s) deleted: schema %s", tenant.slug, schema, archived or "dropped")
    return archived


def _deletion_record(tenant: Tenant) -> DeletionRequest:
    """The business's scheduled deletion, completed now; or, for an operator's deletion, a new completed record.
    The Tenant row's deletion then sets its `tenant` to NULL and the row stays."""
    now = timezone.now()
    record = DeletionRequest.objects.select_for_update().filter(
        tenant_id=tenant.pk, cancelled_at__isnull=True, completed_at__isnull=True).first()
    if record is None:
        return DeletionRequest.objects.create(
            tenant=tenant, tenant_slug=tenant.slug, tenant_name=tenant.name, schema_name=tenant.schema_name,
            source=DeletionRequest.Source.OPERATOR, requested_at=now, due_at=now, completed_at=now)
    record.completed_at = now
    record.save(update_fields=["completed_at"])
    return record


def _forget_shared_state(schema: str, archived: str | None) -> None:
    media_root = Path(settings.MEDIA_ROOT)
    media = media_root / schema
    if media.exists():
        if archived:
            media.rename(media_root / archived)
        else:
            shutil.rmtree(media, ignore_errors=True)
    shutil.rmtree(media_root / "contact-imports" / schema, ignore_errors=True)
    if not archived:
        _storage_tree_delete(schema)
    client = redis_client()
    keys = [key for pattern in business_key_patterns(schema) for key in client.scan_iter(match=pattern, count=1000)]
    if keys:
        client.delete(*keys)
    routes_cache_clear()


def _storage_tree_delete(folder: str) -> None:
    """Every file under `folder` in the project's storage: in a bucket (S3 settings), where the folder above is not
    (media, business exports). On local disk the folder is gone already and this finds nothing."""
    try:
        folders, files = default_storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in files:
        default_storage.delete(f"{folder}/{name}")
    for name in folders:
        _storage_tree_delete(f"{folder}/{name}")
