"""What this host is (every host serves it): the public site or a business, and the business's summary."""
from django.conf import settings
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView


# A business as other payloads show it (the host's, the session's, signup's).
class TenantSummarySerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()


class SiteSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["public", "tenant"])
    base_domain = serializers.CharField()
    tenant = TenantSummarySerializer(allow_null=True)


class SiteApi(APIView):
    """Whether this host is the public site or a business, so the frontend can choose its shell."""

    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(responses=SiteSerializer, operation_id="site_retrieve")
    def get(self, request):
        tenant = getattr(request, "tenant", None)
        is_tenant = tenant is not None and tenant.schema_name != "public"
        data = {
            "kind": "tenant" if is_tenant else "public",
            "base_domain": settings.BASE_DOMAIN,
            "tenant": {"slug": tenant.slug, "name": tenant.name} if is_tenant else None,
        }
        return Response(SiteSerializer(data).data)
