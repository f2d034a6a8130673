"""Both hosts' APIs in one OpenAPI document (docs/api/openapi.yaml). Not served as routes."""
from django.urls import include, path

from convonest.urls_common import api_common_patterns
from tenants.partners.urls import auth_patterns, console_patterns

urlpatterns = [
    path("api/", include(api_common_patterns)),
    path("api/", include("tenants.urls")),
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
    # The partner console's host: documented under /api/partners/ (it also answers its sign-in at /api/auth/).
    path("api/partners/auth/", include(auth_patterns)),
    path("api/partners/", include(console_patterns)),
]
