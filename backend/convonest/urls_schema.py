"""Both hosts' APIs in one OpenAPI document (docs/api/openapi.yaml). Not served as routes."""
from django.urls import include, path

from convonest.urls_common import api_common_patterns

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
    path("api/billing/", include("tenants.billing.urls")),
]
