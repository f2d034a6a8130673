"""Endpoints every host serves: probes and "what is this host"."""
from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.http import JsonResponse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView


def healthz(request):
    """The process is up. Nothing else is checked: a liveness probe must not depend on the database."""
    return JsonResponse({"status": "ok"})


def readyz(request):
    """Ready to serve: PostgreSQL and Redis both answer."""
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception:  # noqa: BLE001 - any failure means not ready
        checks["database"] = "unavailable"
    try:
        caches["global"].set("readyz", "1", timeout=5)
        checks["redis"] = "ok" if caches["global"].get("readyz") == "1" else "unavailable"
    except Exception:  # noqa: BLE001
        checks["redis"] = "unavailable"
    ready = all(value == "ok" for value in checks.values())
    return JsonResponse({"status": "ok" if ready else "unavailable", "checks": checks}, status=200 if ready else 503)


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
