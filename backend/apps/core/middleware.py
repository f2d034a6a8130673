"""Request entry: which host was asked for, and which tenant that host serves.

This is the one place a request's schema is chosen. Nothing else may pick a schema from request data.
"""
import logging

from django.http import JsonResponse
from django_tenants.middleware.main import TenantMainMiddleware

from apps.core.client_ip import is_trusted_proxy

logger = logging.getLogger(__name__)

# Probes must answer on any host (load balancers call by IP), but they reveal nothing tenant-specific; so does
# /metrics (Prometheus scrapes pods by IP; it needs the operator's token).
PROBE_PATHS = {"/healthz", "/readyz", "/metrics"}


class TrustedProxyMiddleware:
    """Drop X-Forwarded-Host/-Proto unless the request comes from one of our proxies.

    Next.js (dev) and nginx (production) forward the browser's Host in X-Forwarded-Host. Anyone else
    could use the header to pick another tenant's host, so it is only believed from TRUSTED_PROXY_IPS.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_trusted_proxy(request.META.get("REMOTE_ADDR", "")):
            request.META.pop("HTTP_X_FORWARDED_HOST", None)
            request.META.pop("HTTP_X_FORWARDED_PROTO", None)
        return self.get_response(request)


class TenantHostMiddleware(TenantMainMiddleware):
    """django-tenants' host resolution, plus: inactive tenants are unknown, unknown hosts get a JSON 404."""

    def get_tenant(self, domain_model, hostname):
        return domain_model.objects.select_related("tenant").get(domain=hostname, tenant__is_active=True).tenant

    def no_tenant_found(self, request, hostname):
        if request.path in PROBE_PATHS:
            self.setup_url_routing(request=request, force_public=True)
            return None
        return JsonResponse(
            {"code": "unknown_host", "message": "No business is served at this address.", "errors": {}},
            status=404,
        )
