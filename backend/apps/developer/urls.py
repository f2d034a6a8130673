"""Mounted at /api/developer/ on tenant hosts."""
from django.urls import path

from apps.developer import api_keys_api

urlpatterns = [
    path("api-keys/", api_keys_api.ApiKeyListApi.as_view(), name="developer-api-keys"),
    path("api-keys/<int:key_id>/", api_keys_api.ApiKeyDetailApi.as_view(), name="developer-api-key"),
    path("api-keys/<int:key_id>/rotate/", api_keys_api.ApiKeyRotateApi.as_view(), name="developer-api-key-rotate"),
]
