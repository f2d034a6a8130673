"""`migrate_schemas` at 10,000 businesses: skip the schemas already at the latest migration, migrate the rest in
parallel, and let one failing business fail alone.

django-tenants' executors run Django's `migrate` in every schema (public included), even one with nothing to
apply: about 0.1 s a schema, 17 minutes at 10,000 for a deploy that changes nothing in them. This one (codename
`convonest`, the default: settings sets EXECUTOR) first reads which schemas lack one of the migration graph's
leaves, a few queries for all of them; a schema holding every leaf holds everything before it, as Django applies a
graph in order. Only those schemas are migrated, in a fork pool of TENANT_MULTIPROCESSING_MAX_PROCESSES. A schema
whose migration raises is reported and the others go on; the command then fails, naming each failed schema, so a
deploy notices.

A targeted run (`migrate_schemas app 0007`, --fake, --plan, ...) goes through every schema, as before.
"""
from __future__ import annotations

import multiprocessing
import sys
import traceback

from django.conf import settings
from django.core.management.base import CommandError
from django.db import connection, connections
from django.db.migrations.loader import MigrationLoader
from django_tenants.migration_executors.base import MigrationExecutor, run_migrations

CHUNK = 500  # schemas per catalog query


def leaves() -> list[tuple[str, str]]:
    """The migration graph's leaf nodes: the newest migration of each app."""
    return sorted(MigrationLoader(None, ignore_no_migrations=True).graph.leaf_nodes())


def schemas_behind(schema_names: list[str], *, using: str = "default") -> list[str]:
    """The schemas (of `schema_names`, in order) that lack one of the graph's leaves, or any migration record."""
    wanted = leaves()
    cursor_connection = connections[using]
    current: set[str] = set()
    with cursor_connection.cursor() as cursor:
        cursor.execute("""SELECT n.nspname FROM pg_namespace n JOIN pg_class c ON c.relnamespace = n.oid
                          WHERE c.relname = 'django_migrations' AND c.relkind = 'r' AND n.nspname = ANY(%s)""",
                       [schema_names])
        recorded = [row[0] for row in cursor.fetchall()]
        for start in range(0, len(recorded), CHUNK):
            chunk = recorded[start:start + CHUNK]
            union = " UNION ALL ".join(
                f"SELECT %s AS schema, app, name FROM {cursor_connection.ops.quote_name(name)}.django_migrations"
                for name in chunk)
            cursor.execute(f"""SELECT m.schema FROM ({union}) m
                               JOIN unnest(%s::text[], %s::text[]) AS leaf(app, name)
                                 ON leaf.app = m.app AND leaf.name = m.name
                               GROUP BY m.schema HAVING count(*) = %s""",
                           [*chunk, [app for app, _ in wanted], [name for _, name in wanted], len(wanted)])
            current.update(row[0] for row in cursor.fetchall())
    return [name for name in schema_names if name not in current]


def _migrate_one(args, options, codename, count, job, allow_atomic: bool = False) -> tuple[str, str]:
    """One schema: ("", schema) when done, (traceback, schema) when it failed. In this process (`allow_atomic`) it
    may run inside the caller's transaction (a signup migrating its schema inline); a pool process owns its own."""
    index, schema_name = job
    try:
        run_migrations(args, options, codename, schema_name, allow_atomic=allow_atomic, idx=index, count=count)
    except Exception:  # this business fails alone; the run reports it at the end
        if not connection.in_atomic_block:  # a fresh connection for the next schema (never the caller's transaction)
            connection.close()
        return traceback.format_exc(), schema_name
    return "", schema_name


class SkippingParallelExecutor(MigrationExecutor):
    codename = "convonest"

    def run_migrations(self, tenants=None):
        tenants = list(tenants or [])
        if self.PUBLIC_SCHEMA_NAME in tenants:
            tenants.remove(self.PUBLIC_SCHEMA_NAME)
            self._migrate_public()
        if not tenants:
            return
        pending = tenants if self._targeted() else schemas_behind(tenants, using=self.TENANT_DB_ALIAS)
        if int(self.options.get("verbosity", 1)) >= 1:
            sys.stdout.write(f"[{self.codename}] {len(tenants) - len(pending)} of {len(tenants)} business schemas "
                             f"already at the latest migration; migrating {len(pending)}\n")
        failures = self._migrate(pending)
        if failures:
            for schema_name, trace in failures:
                sys.stderr.write(f"[{self.codename}:{schema_name}] migration failed:\n{trace}\n")
            raise CommandError(f"{len(failures)} of {len(pending)} business schemas failed to migrate (the others "
                               f"did): {', '.join(name for name, _ in failures)}")

    def _migrate_public(self) -> None:
        """Public too is skipped when it holds every leaf: Django's migrate lists the tables visible on the search
        path first (MigrationRecorder.has_table), a scan of the whole catalog: 21 s of a no-op run at 10,000
        businesses (2.8 M relations). What its post_migrate does without new migrations is the public site's host
        (tenants.apps), done here instead."""
        if self._targeted() or schemas_behind([self.PUBLIC_SCHEMA_NAME], using=self.TENANT_DB_ALIAS):
            run_migrations(self.args, self.options, self.codename, self.PUBLIC_SCHEMA_NAME)
            return
        from tenants.services import public_site_ensure

        connection.set_schema_to_public()
        public_site_ensure()
        if int(self.options.get("verbosity", 1)) >= 1:
            sys.stdout.write(f"[{self.codename}] the public schema is already at the latest migration\n")

    def _targeted(self) -> bool:
        """A run that is not "every schema to the latest": a target, a fake, a plan, a prune..."""
        options = self.options
        return bool(self.args or options.get("app_label") or options.get("migration_name") or options.get("fake")
                    or options.get("fake_initial") or options.get("plan") or options.get("prune")
                    or options.get("check_unapplied"))

    def _migrate(self, pending: list[str]) -> list[tuple[str, str]]:
        if not pending:
            return []
        if len(pending) == 1:  # one schema (a signup's, the pool's): its error is the caller's, as in django-tenants
            run_migrations(self.args, self.options, self.codename, pending[0], idx=0, count=1)
            return []
        processes = max(1, getattr(settings, "TENANT_MULTIPROCESSING_MAX_PROCESSES", 2))
        jobs = list(enumerate(pending))
        if processes == 1:
            results = [_migrate_one(self.args, self.options, self.codename, len(pending), job, allow_atomic=True)
                       for job in jobs]
        else:
            connections[self.TENANT_DB_ALIAS].close()  # each forked process opens its own
            context = multiprocessing.get_context("fork")
            with context.Pool(processes=min(processes, len(pending))) as pool:
                results = pool.starmap(_migrate_one, [(self.args, self.options, self.codename, len(pending), job)
                                                      for job in jobs], chunksize=1)
        return [(schema_name, trace) for trace, schema_name in results if trace]

    def run_multi_type_migrations(self, tenants):
        raise NotImplementedError("ConvoNest has one tenant type")
