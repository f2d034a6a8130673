"""The public site (BASE_DOMAIN): signup, Meta's shared webhook endpoint, and later resellers and billing."""
from django.urls import include, path

from convonest.urls_common import (  # noqa: F401 - Django reads the handlers from this module
    api_common_patterns,
    handler400,
    handler403,
    handler404,
    handler500,
    probe_patterns,
)
from tenants.billing.webhook_api import stripe_webhook
from tenants.ingress.webhook_api import whatsapp_webhook

urlpatterns = probe_patterns + [
    path("webhooks/whatsapp", whatsapp_webhook, name="whatsapp-webhook"),
    path("webhooks/stripe", stripe_webhook, name="stripe-webhook"),
    path("api/", include(api_common_patterns)),
    path("api/", include("tenants.urls")),
]
