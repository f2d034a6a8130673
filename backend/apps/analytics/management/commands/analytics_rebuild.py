"""Recompute the dashboard's daily tables from the raw rows: `manage.py analytics_rebuild [--from D --to D]
[--schema t_slug]` (every business's schema without --schema)."""
import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django_tenants.utils import get_tenant_model, schema_context

from apps.analytics.rollup import rebuild


class Command(BaseCommand):
    help = "Recompute the dashboard's daily tables (apps.analytics) from messages and response facts"

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="start", type=dt.date.fromisoformat, help="first day (business's date)")
        parser.add_argument("--to", dest="end", type=dt.date.fromisoformat, help="last day (business's date)")
        parser.add_argument("--schema", help="one business's schema (default: every business)")

    def handle(self, *args, start=None, end=None, schema=None, **options):
        if (start is None) != (end is None):
            raise CommandError("Give both --from and --to, or neither (every day).")
        if start and end and start > end:
            raise CommandError("--from is after --to.")
        schemas = [schema] if schema else list(
            get_tenant_model().objects.exclude(schema_name="public").values_list("schema_name", flat=True))
        for name in schemas:
            with schema_context(name):
                result = rebuild(start, end)
            self.stdout.write(f"{name}: {result['days']} day(s), {result['message_rows']} message row(s), "
                              f"{result['agent_rows']} agent row(s)")
