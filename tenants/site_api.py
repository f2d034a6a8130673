"""What this host is (every host serves it): the public site, a business or the partner console, and the brand it
wears (a reseller's white label, or none: ConvoNest's own)."""
from django.conf import settings
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from tenants.branding.brand import brand_view, host_reseller, logo_response
from tenants.branding.models import ResellerBrand


# A business as other payloads show it (the host's, the session's, signup's).
class TenantSummarySerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()


class BrandSerializer(serializers.Serializer):
    name = serializers.CharField()
    primary_color = serializers.CharField(allow_null=True, help_text="#rrggbb")
    logo_url = serializers.CharField(allow_null=True)


class SiteSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["public", "tenant", "partners"])
    base_domain = serializers.CharField()
    tenant = TenantSummarySerializer(allow_null=True)
    brand = BrandSerializer(allow_null=True, help_text="The reseller's white label this host wears; null: ConvoNest's")


def _host(request):
    tenant = getattr(request, "tenant", None)
    is_tenant = tenant is not None and tenant.schema_name != "public"
    return (tenant if is_tenant else None), getattr(request, "partners_console", False)


class SiteApi(APIView):
    """Whether this host is the public site, a business or the partner console, so the frontend can choose its
    shell and brand."""

    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(responses=SiteSerializer, operation_id="site_retrieve")
    def get(self, request):
        tenant, console = _host(request)
        data = {
            "kind": "tenant" if tenant else "partners" if console else "public",
            "base_domain": settings.BASE_DOMAIN,
            "tenant": {"slug": tenant.slug, "name": tenant.name} if tenant else None,
            "brand": brand_view(host_reseller(tenant, getattr(request, "console_reseller", None))),
        }
        return Response(SiteSerializer(data).data)


class SiteLogoApi(APIView):
    """The logo of the brand this host wears (404 when it has none). Cached: the URL changes with the logo."""

    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(responses={(200, "image/png"): OpenApiResponse(description="PNG, JPEG or WebP"),
                              404: OpenApiResponse(description="No logo")},
                   operation_id="site_logo_retrieve")
    def get(self, request):
        tenant, _ = _host(request)
        reseller = host_reseller(tenant, getattr(request, "console_reseller", None))
        return logo_response(ResellerBrand.objects.filter(reseller=reseller).first() if reseller else None)
