"""A business's host ({slug}.BASE_DOMAIN): the product API, always inside that tenant's schema."""
from django.urls import include, path

from convonest.urls_common import api_common_patterns, handler400, handler403, handler404, handler500, probe_patterns  # noqa: F401

urlpatterns = probe_patterns + [
    path("api/", include(api_common_patterns)),
    path("api/", include("apps.accounts.urls")),
    path("api/contacts/", include("apps.contacts.urls")),
    path("api/whatsapp/", include("apps.whatsapp.urls")),
    path("api/", include("apps.messaging.urls")),
    path("api/templates/", include("apps.templates.urls")),
    path("api/calls/", include("apps.calls.urls")),
    path("api/campaigns/", include("apps.campaigns.urls")),
    path("api/analytics/", include("apps.analytics.urls")),
    path("api/developer/", include("apps.developer.urls")),
    path("api/developer/webhooks/", include("apps.developer.webhook_urls")),
    path("api/audit/", include("apps.audit.urls")),
    path("api/business/", include("apps.portability.urls")),
    path("api/billing/", include("tenants.billing.urls")),
    path("api/domains/", include("tenants.branding.urls")),
]
