from django.apps import AppConfig
from django.db.models.signals import post_migrate


class TenantsConfig(AppConfig):
    name = "tenants"
    verbose_name = "Control plane (public schema)"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from tenants import migrate_executor  # noqa: F401 - registers migrate_schemas' `convonest` executor

        post_migrate.connect(_ensure_public_site, sender=self)


def _ensure_public_site(sender, using="default", **kwargs):
    # Every migrated database serves the public site on BASE_DOMAIN, without a manual step.
    from django.db import connection

    if connection.schema_name == "public":
        from tenants.services import public_site_ensure

        public_site_ensure()
