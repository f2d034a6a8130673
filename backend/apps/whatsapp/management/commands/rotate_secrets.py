from django.core.management.base import BaseCommand
from django.db import connection
from django_tenants.utils import schema_context

from apps.core.crypto import rotate
from tenants.models import Tenant


class Command(BaseCommand):
    help = ("Re-encrypt every stored WhatsApp access token with the first key of FIELD_ENCRYPTION_KEY. "
            "Rotation: put the new key first (old ones after it), run this, then drop the old keys.")

    def handle(self, *args, **options):
        total = 0
        for tenant in Tenant.objects.exclude(schema_name="public").only("schema_name"):
            with schema_context(tenant.schema_name), connection.cursor() as cursor:
                # Raw SQL on purpose: the model field would decrypt; here we re-encrypt ciphertext as is.
                cursor.execute("SELECT id, access_token FROM whatsapp_businessaccount")
                for row_id, ciphertext in cursor.fetchall():
                    cursor.execute("UPDATE whatsapp_businessaccount SET access_token = %s WHERE id = %s",
                                   [rotate(ciphertext), row_id])
                    total += 1
        self.stdout.write(f"re-encrypted {total} access token(s)")
