from django.urls import path

from tenants import api, platform_api

urlpatterns = [
    path("signup/", api.SignupApi.as_view(), name="signup"),
    path("signup/check-slug/", api.SlugCheckApi.as_view(), name="signup-check-slug"),
    path("platform/webhook-changes/", platform_api.WebhookChangeListApi.as_view(), name="platform-webhook-changes"),
    path("platform/webhook-events/", platform_api.WebhookEventListApi.as_view(), name="platform-webhook-events"),
]
