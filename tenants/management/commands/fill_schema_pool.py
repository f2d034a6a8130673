from django.conf import settings
from django.core.management.base import BaseCommand

from tenants.schema_pool import pool_drop_stale, pool_fill, pool_size


class Command(BaseCommand):
    help = "Top up the pool of pre-migrated tenant schemas that signups take (drops stale ones)."

    def add_arguments(self, parser):
        parser.add_argument("--size", type=int, default=settings.SCHEMA_POOL_SIZE)

    def handle(self, *args, size, **options):
        dropped = pool_drop_stale()
        created = pool_fill(size)
        self.stdout.write(f"schema pool: {pool_size()} ready ({created} created, {dropped} stale dropped)")
