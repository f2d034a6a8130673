"""`/api/developer/api-keys/`: a business's API keys. Owners and admins (manage_settings) manage them; the full key
is in the answer to create and rotate only (`key`), never in a list or a log."""
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_serializer, extend_schema_view
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.developer import services
from apps.developer.idempotency import NOT_KEPT_ATTRIBUTE
from apps.developer.models import ApiKey, ApiKeyScope
from apps.developer.ratelimit import limit_for
from apps.developer.selectors import access_api_key, api_key_list
from tenants.permissions import CanManageSettings


class ApiKeySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    prefix = serializers.CharField(help_text="The key's first characters (`cn_live_` and 8 more), to recognise it")
    scopes = serializers.ListField(child=serializers.ChoiceField(choices=ApiKeyScope.choices))
    rate_limit = serializers.SerializerMethodField(help_text="Requests a minute")
    created_by = serializers.EmailField(source="created_by_email")
    created_at = serializers.DateTimeField()
    rotated_at = serializers.DateTimeField(allow_null=True)
    last_used_at = serializers.DateTimeField(allow_null=True)
    last_used_ip = serializers.IPAddressField(allow_null=True)
    expires_at = serializers.DateTimeField(allow_null=True)
    previous_key_expires_at = serializers.SerializerMethodField(
        help_text="After a rotation with a grace period: until when the previous secret still works (else null)")

    def get_rate_limit(self, key: ApiKey) -> int:
        return limit_for(key)

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_previous_key_expires_at(self, key: ApiKey) -> str | None:
        expires = key.previous_key_expires_at
        return serializers.DateTimeField().to_representation(expires) if expires and expires > timezone.now() else None


@extend_schema_serializer(component_name="ApiKeyCreated")
class ApiKeyCreatedSerializer(ApiKeySerializer):
    key = serializers.CharField(help_text="The whole key. Shown this once: store it now, it can't be read again.")


def _secret_once(response: Response) -> Response:
    """The answer holds the secret: never kept for an Idempotency-Key replay (nor cached anywhere)."""
    setattr(response, NOT_KEPT_ATTRIBUTE, True)
    response["Cache-Control"] = "no-store"
    return response


@extend_schema_view(get=extend_schema(operation_id="developer_api_keys_list"))
class ApiKeyListApi(ListAPIView):
    """GET: the business's API keys (never their secrets). POST: create one; the answer holds the key, once."""

    permission_classes = [CanManageSettings]
    serializer_class = ApiKeySerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ApiKey.objects.none()
        return api_key_list(self.request.member)

    @extend_schema_serializer(component_name="ApiKeyCreate")
    class InputSerializer(serializers.Serializer):
        name = serializers.CharField(max_length=100)
        scopes = serializers.ListField(child=serializers.ChoiceField(choices=ApiKeyScope.choices), min_length=1,
                                       max_length=len(ApiKeyScope.choices))
        expires_at = serializers.DateTimeField(required=False, allow_null=True)
        rate_limit = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=100_000,
                                              help_text="Requests a minute; default the installation's")

    @extend_schema(request=InputSerializer, responses={201: ApiKeyCreatedSerializer},
                   operation_id="developer_api_keys_create")
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        api_key, key = services.api_key_create(actor=request.member, **data.validated_data)
        return _secret_once(Response({**ApiKeySerializer(api_key).data, "key": key}, status=status.HTTP_201_CREATED))


class ApiKeyDetailApi(APIView):
    permission_classes = [CanManageSettings]

    @extend_schema(responses=ApiKeySerializer, operation_id="developer_api_keys_retrieve")
    def get(self, request, key_id: int):
        return Response(ApiKeySerializer(access_api_key(request.member, key_id)).data)

    @extend_schema(responses={204: None}, operation_id="developer_api_keys_revoke")
    def delete(self, request, key_id: int):
        """Revoke: the key stops working at once (a previous secret in its grace period too)."""
        services.api_key_revoke(actor=request.member, api_key=access_api_key(request.member, key_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


class ApiKeyRotateApi(APIView):
    permission_classes = [CanManageSettings]

    @extend_schema_serializer(component_name="ApiKeyRotate")
    class InputSerializer(serializers.Serializer):
        grace_hours = serializers.IntegerField(
            required=False, default=services.ROTATION_GRACE_HOURS, min_value=0,
            max_value=services.MAX_ROTATION_GRACE_HOURS,
            help_text="How long the previous secret keeps working (hours, 0 to 168; 0 ends it at once). Rotating "
                      "again within the grace period ends the older secret at once.")

    @extend_schema(request=InputSerializer, responses=ApiKeyCreatedSerializer, operation_id="developer_api_keys_rotate")
    def post(self, request, key_id: int):
        """A new secret for the key (returned once as `key`); the previous one keeps working for `grace_hours`
        (default 24), shown as `previous_key_expires_at`."""
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        api_key, key = services.api_key_rotate(actor=request.member, api_key=access_api_key(request.member, key_id),
                                               grace_hours=data.validated_data["grace_hours"])
        return _secret_once(Response({**ApiKeySerializer(api_key).data, "key": key}))
