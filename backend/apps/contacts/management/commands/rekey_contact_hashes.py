from django.core.management.base import BaseCommand
from django_tenants.utils import get_public_schema_name, schema_context

from apps.contacts.identity_rekey import suppressions_rekey
from tenants.models import Tenant


class Command(BaseCommand):
    help = ("Move suppression hashes to the current CONTACT_HASH_KEY, in every business. Rotation: set the new "
            "key, put the old one in CONTACT_HASH_KEY_FALLBACKS, then run this. Only suppressions whose identity "
            "is stored again (in a contact) can move; keep the old key as a fallback for the rest.")

    def handle(self, *args, **options):
        moved = unknown = 0
        schemas = Tenant.objects.exclude(schema_name=get_public_schema_name()).values_list("schema_name", flat=True)
        for schema in schemas:
            with schema_context(schema):  # one transaction per business: a failure leaves the others done
                result = suppressions_rekey()
            moved += result.moved
            unknown += result.unknown
        self.stdout.write(f"re-keyed {moved} suppression(s) to the current CONTACT_HASH_KEY")
        if unknown:
            self.stdout.write(
                f"{unknown} suppression(s) of identities no longer stored can't be re-keyed (a keyed hash is "
                "one-way): keep every key they may have been made with in CONTACT_HASH_KEY_FALLBACKS")
