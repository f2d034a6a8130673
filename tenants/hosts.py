"""Which surface a host serves: a business (its Domain rows), the public site, or the partner console.

apps.core.middleware resolves businesses from their Domain rows (their subdomain, or a custom domain once it was
proved, tenants.branding.domains); the console is not a business, so it is answered here, in the control plane that
owns resellers: `partners.<BASE_DOMAIN>` (settings.PARTNERS_HOST) serves every reseller's console, and a reseller's
verified custom domain serves that reseller's branded console only. Both use the console's URLs in the public
schema. Nothing else may choose a schema or a urlconf from request data. Every other host answers 404, which is
why Django's ALLOWED_HOSTS can admit custom domains (settings).
"""
from django.conf import settings
from django.urls import set_urlconf

from apps.core.middleware import TenantHostMiddleware
from tenants.branding.domains import reseller_for_console_host
from tenants.models import Tenant

PARTNERS_URLCONF = "convonest.urls_partners"


class HostMiddleware(TenantHostMiddleware):
    def no_tenant_found(self, request, hostname):
        reseller = None
        if hostname != settings.PARTNERS_HOST:
            reseller = reseller_for_console_host(hostname)
            if reseller is None:
                return super().no_tenant_found(request, hostname)
        request.tenant = Tenant.objects.get(schema_name="public")  # the console's tables are all public
        request.partners_console = True
        request.console_reseller = reseller  # None on the shared console host: any reseller's people sign in
        request.urlconf = PARTNERS_URLCONF
        set_urlconf(PARTNERS_URLCONF)
        return None


def partners_console_url() -> str:
    port = f":{settings.SITE_PORT}" if settings.SITE_PORT else ""
    return f"{settings.SITE_SCHEME}://{settings.PARTNERS_HOST}{port}"
