"""Outbound webhooks, mounted at /api/developer/webhooks/ on tenant hosts (convonest.urls_tenant)."""
from django.urls import path

from apps.developer import webhooks_api as api

urlpatterns = [
    path("", api.EndpointListApi.as_view(), name="developer-webhooks"),
    path("event-types/", api.EventTypeListApi.as_view(), name="developer-webhook-event-types"),
    path("<int:endpoint_id>/", api.EndpointDetailApi.as_view(), name="developer-webhook"),
    path("<int:endpoint_id>/roll-secret/", api.EndpointRollSecretApi.as_view(), name="developer-webhook-roll-secret"),
    path("<int:endpoint_id>/enable/", api.EndpointEnableApi.as_view(), name="developer-webhook-enable"),
    path("<int:endpoint_id>/test/", api.EndpointTestApi.as_view(), name="developer-webhook-test"),
    path("<int:endpoint_id>/deliveries/", api.DeliveryListApi.as_view(), name="developer-webhook-deliveries"),
    path("deliveries/<uuid:delivery_id>/", api.DeliveryDetailApi.as_view(), name="developer-webhook-delivery"),
    path("deliveries/<uuid:delivery_id>/replay/", api.DeliveryReplayApi.as_view(),
         name="developer-webhook-delivery-replay"),
]
