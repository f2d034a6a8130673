"""migrate_schemas at many businesses (tenants/migrate_executor.py): schemas already at the latest migration are
skipped, found in a few catalog queries; the rest migrate, one failing business failing alone and named."""
import io

import pytest
from django.core.management.base import CommandError
from django.db import connection

from tenants import migrate_executor
from tenants.migrate_executor import SkippingParallelExecutor, leaves, schemas_behind


def _drop_leaf(schema_name: str) -> tuple[str, str]:
    app, name = leaves()[0]
    with connection.cursor() as cursor:
        cursor.execute(f'DELETE FROM "{schema_name}".django_migrations WHERE app = %s AND name = %s', [app, name])
    return app, name


def test_migrated_businesses_are_current_and_one_missing_a_leaf_or_its_records_is_behind(alpha, beta):
    schemas = [alpha.tenant.schema_name, beta.tenant.schema_name]
    assert schemas_behind(schemas) == []
    _drop_leaf(beta.tenant.schema_name)
    with connection.cursor() as cursor:
        cursor.execute('CREATE SCHEMA "t_without_records"')
    assert schemas_behind([*schemas, "t_without_records"]) == [beta.tenant.schema_name, "t_without_records"]


def test_a_no_op_run_migrates_no_business_schema(alpha, beta, monkeypatch):
    migrated = []
    monkeypatch.setattr(migrate_executor, "run_migrations", lambda *a, **kw: migrated.append(a[3]))
    executor = SkippingParallelExecutor((), {"verbosity": 1})
    out = io.StringIO()
    monkeypatch.setattr("sys.stdout", out)
    executor.run_migrations(tenants=[alpha.tenant.schema_name, beta.tenant.schema_name])
    assert migrated == []
    assert "2 of 2 business schemas already at the latest migration; migrating 0" in out.getvalue()


def test_public_is_skipped_when_current_and_migrated_when_behind(alpha, monkeypatch):
    """Django's migrate in public scans the whole catalog before doing nothing (21 s at 10,000 businesses)."""
    from tenants.models import Domain

    migrated = []
    monkeypatch.setattr(migrate_executor, "run_migrations", lambda *a, **kw: migrated.append(a[3]))
    out = io.StringIO()
    monkeypatch.setattr("sys.stdout", out)
    Domain.objects.filter(tenant__schema_name="public").delete()  # what post_migrate would make again
    SkippingParallelExecutor((), {"verbosity": 1}).run_migrations(tenants=["public"])
    assert migrated == [] and "the public schema is already at the latest migration" in out.getvalue()
    assert Domain.objects.filter(tenant__schema_name="public").exists()  # the public site's host, ensured anyway

    _drop_leaf("public")
    SkippingParallelExecutor((), {"verbosity": 0}).run_migrations(tenants=["public"])
    assert migrated == ["public"]


@pytest.mark.parametrize("processes", [1, 2])
def test_a_failing_business_fails_alone_and_is_named(alpha, beta, settings, monkeypatch, processes):
    """Two businesses behind; the first one's migration raises. The second is still migrated (in a fork pool
    with two processes), and the run fails naming the first."""
    settings.TENANT_MULTIPROCESSING_MAX_PROCESSES = processes
    for business in (alpha, beta):
        _drop_leaf(business.tenant.schema_name)
    failing, fine = alpha.tenant.schema_name, beta.tenant.schema_name
    done_file = settings.BASE_DIR.parent / ".data" / f"migrate-executor-test-{processes}.txt"
    done_file.parent.mkdir(exist_ok=True)
    done_file.write_text("")

    def run(args, options, codename, schema_name, **kwargs):
        if schema_name == failing:
            raise RuntimeError("column already exists")
        with open(done_file, "a") as out:  # a forked process's memory is its own: it reports through a file
            out.write(schema_name)

    monkeypatch.setattr(migrate_executor, "run_migrations", run)
    monkeypatch.setattr(migrate_executor.connections[migrate_executor.connection.alias], "close", lambda: None)
    with pytest.raises(CommandError) as failed:
        SkippingParallelExecutor((), {"verbosity": 0}).run_migrations(tenants=[failing, fine])
    assert done_file.read_text() == fine
    assert str(failed.value).startswith(f"1 of 2 business schemas failed to migrate (the others did): {failing}")
    done_file.unlink()


def test_a_targeted_run_goes_through_every_schema(alpha, monkeypatch):
    migrated = []
    monkeypatch.setattr(migrate_executor, "run_migrations", lambda *a, **kw: migrated.append(a[3]))
    SkippingParallelExecutor(("messaging", "0008"), {"verbosity": 0}).run_migrations(
        tenants=[alpha.tenant.schema_name])
    assert migrated == [alpha.tenant.schema_name]


def test_migrate_schemas_uses_it_by_default():
    from django_tenants.migration_executors import get_executor

    assert get_executor() is SkippingParallelExecutor
