"""Public-host API: signup and the subdomain availability check."""
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_serializer
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.client_ip import client_ident
from tenants.services import tenant_signup, tenant_url
from tenants.site_api import TenantSummarySerializer
from tenants.slugs import SLUG_MAX, slug_problem


class SignupTenantSerializer(TenantSummarySerializer):
    url = serializers.CharField()


class SignupApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_scope = "signup"  # per real client (apps.core.throttling)

    @extend_schema_serializer(component_name="Signup")
    class InputSerializer(serializers.Serializer):
        business_name = serializers.CharField(max_length=200, trim_whitespace=True)
        slug = serializers.CharField(max_length=SLUG_MAX + 10, trim_whitespace=True)
        email = serializers.EmailField()
        password = serializers.CharField(write_only=True, max_length=128, trim_whitespace=False,
                                         style={"input_type": "password"})

        def validate_slug(self, value: str) -> str:
            value = value.lower()
            problem = slug_problem(value)
            if problem:
                raise serializers.ValidationError(problem)
            return value

    @extend_schema_serializer(component_name="SignupResult")
    class OutputSerializer(serializers.Serializer):
        tenant = SignupTenantSerializer()
        url = serializers.CharField(help_text="The business's own address.")
        login_url = serializers.CharField(help_text="Signs the owner in on that address; single use, 5 minutes.")

    @extend_schema(request=InputSerializer, responses={201: OutputSerializer}, operation_id="signup_create")
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        result = tenant_signup(**data.validated_data, client=client_ident(request))
        url = tenant_url(result.tenant)
        payload = {
            "tenant": {"slug": result.tenant.slug, "name": result.tenant.name, "url": url},
            "url": url,
            "login_url": result.login_url,
        }
        return Response(self.OutputSerializer(payload).data, status=status.HTTP_201_CREATED)


class SlugCheckApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema_serializer(component_name="SlugCheck")
    class OutputSerializer(serializers.Serializer):
        slug = serializers.CharField()
        available = serializers.BooleanField()
        reason = serializers.CharField(allow_blank=True)

    @extend_schema(
        parameters=[OpenApiParameter("slug", str, required=True)],
        responses=OutputSerializer, operation_id="signup_check_slug",
    )
    def get(self, request):
        slug = request.query_params.get("slug", "").strip().lower()
        problem = slug_problem(slug)
        return Response({"slug": slug, "available": problem is None, "reason": problem or ""})
