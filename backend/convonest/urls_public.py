"""The public site (BASE_DOMAIN): signup, and later resellers, billing and Meta's webhooks."""
from django.urls import include, path

from convonest.urls_common import api_common_patterns, handler400, handler403, handler404, handler500, probe_patterns  # noqa: F401

urlpatterns = probe_patterns + [
    path("api/", include(api_common_patterns)),
    path("api/", include("tenants.urls")),
]
