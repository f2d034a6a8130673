"""The partner console's host (partners.BASE_DOMAIN, tenants.hosts): its sign-in under /api/auth/ (the paths a
business's host uses, so the frontend's client and the refresh cookie's path work alike) and its API."""
from django.urls import include, path

from convonest.urls_common import (  # noqa: F401 - Django reads the handlers from this module
    api_common_patterns,
    handler400,
    handler403,
    handler404,
    handler500,
    probe_patterns,
)
from tenants.partners.urls import auth_patterns, console_patterns

urlpatterns = probe_patterns + [
    path("api/", include(api_common_patterns)),
    path("api/auth/", include(auth_patterns)),
    path("api/partners/auth/", include(auth_patterns)),
    path("api/partners/", include(console_patterns)),
]
