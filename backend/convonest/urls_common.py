"""Routes every host serves, public or tenant."""
from django.conf import settings
from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.permissions import BasePermission

from apps.core import views
from convonest.observability.exposition import metrics
from tenants.auth import TenantJWTCookieAuthentication
from tenants.permissions import request_member
from tenants.site_api import SiteApi, SiteLogoApi
from tenants.staff_auth import PLATFORM_SCOPE, PlatformAuthentication


class CanReadApiSchema(BasePermission):
    """The route map is for the people who use it (audit L9): anyone in DEBUG; in production a member of this
    host's business, or platform staff (their session or script token) on the public host. Anonymous callers get
    401."""

    def has_permission(self, request, view) -> bool:
        if settings.DEBUG:
            return True
        user = request.user
        if not (user and user.is_authenticated):
            return False
        return request_member(request) is not None or (user.is_staff and request.auth is not None
                                                       and request.auth.get("scope") == PLATFORM_SCOPE)


_schema_access = {
    "authentication_classes": [PlatformAuthentication, TenantJWTCookieAuthentication],
    "permission_classes": [CanReadApiSchema],
}

probe_patterns = [
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("metrics", metrics, name="metrics"),  # the operator's, with METRICS_TOKEN (docs/observability.md)
]

api_common_patterns = [
    path("site/", SiteApi.as_view(), name="site"),
    path("site/logo/", SiteLogoApi.as_view(), name="site-logo"),
    path("schema/", SpectacularAPIView.as_view(urlconf="convonest.urls_schema", **_schema_access), name="schema"),
    # Swagger UI from drf-spectacular-sidecar's static files (settings.SPECTACULAR_SETTINGS), never a CDN.
    path("docs/", SpectacularSwaggerView.as_view(url_name="schema", **_schema_access), name="api-docs"),
]

handler400 = "apps.core.errors.json_400"
handler403 = "apps.core.errors.json_403"
handler404 = "apps.core.errors.json_404"
handler500 = "apps.core.errors.json_500"
