"""A business's custom domains, on its own host (convonest.urls_tenant mounts them under /api/domains/)."""
from django.urls import path

from tenants.branding import api

urlpatterns = [
    path("", api.DomainListApi.as_view(), name="domains"),
    path("<int:claim_id>/", api.DomainDetailApi.as_view(), name="domain"),
    path("<int:claim_id>/verify/", api.DomainVerifyApi.as_view(), name="domain-verify"),
]
