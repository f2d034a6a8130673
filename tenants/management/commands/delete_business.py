from django.core.management.base import BaseCommand, CommandError

from tenants.deletion import tenant_delete
from tenants.models import Tenant


class Command(BaseCommand):
    help = ("Delete a business: its routes, Tenant row, members and domains; its schema archived (renamed "
            "archived_<slug>_<time>) or dropped with --drop; its media, import files, live stream and cache keys.")

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--drop", action="store_true", help="Drop the schema instead of archiving it")
        parser.add_argument("--yes", action="store_true", help="Don't ask for confirmation")

    def handle(self, *args, slug, drop, yes, **options):
        tenant = Tenant.objects.exclude(schema_name="public").filter(slug=slug).first()
        if tenant is None:
            raise CommandError(f"No business with the slug {slug!r}.")
        if not yes and input(f"Delete {tenant.name} ({slug}) for good? Type its slug: ").strip() != slug:
            raise CommandError("Not confirmed; nothing was deleted.")
        archived = tenant_delete(tenant=tenant, drop=drop)
        self.stdout.write(f"deleted {slug}: schema {'dropped' if archived is None else 'archived as ' + archived}")
