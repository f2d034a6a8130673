"""Platform staff tools on the public host (ConvoNest employees, `User.is_staff`), starting with the webhook
inbox: which changes could not be routed or failed, and why.

Authentication: a short-lived bearer token minted for a staff member by `manage.py platform_token`. It
carries `scope: platform` and no tenant, so it works on the public host only: on a business's host
TenantJWTCookieAuthentication refuses it (wrong tenant), and business sessions are refused here.
"""
from datetime import timedelta

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_serializer, extend_schema_view
from rest_framework import exceptions, serializers
from rest_framework.generics import ListAPIView
from rest_framework.permissions import BasePermission
from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.tokens import AccessToken

from apps.core.pagination import CursorPagination
from tenants.auth import TENANT_CLAIM
from tenants.ingress.models import WebhookChange, WebhookEvent
from tenants.models import User

PLATFORM_SCOPE = "platform"
MAX_TOKEN_MINUTES = 24 * 60


def platform_token_for(user: User, *, minutes: int = 60) -> str:
    """An access token for the platform API; staff only, at most a day."""
    if not (user.is_active and user.is_staff):
        raise ValueError("platform tokens are for active staff users only")
    token = AccessToken.for_user(user)
    token.set_exp(lifetime=timedelta(minutes=max(1, min(minutes, MAX_TOKEN_MINUTES))))
    token["scope"] = PLATFORM_SCOPE
    token[TENANT_CLAIM] = None
    return str(token)


class PlatformTokenAuthentication(JWTAuthentication):
    """`Authorization: Bearer <platform token>` on the public host; any other token is refused."""

    def authenticate(self, request):
        header = self.get_header(request)
        raw = self.get_raw_token(header) if header is not None else None
        if raw is None:
            return None
        token = self.get_validated_token(raw)
        tenant = getattr(request, "tenant", None)
        on_public = tenant is None or tenant.schema_name == "public"
        if token.get("scope") != PLATFORM_SCOPE or token.get(TENANT_CLAIM) is not None or not on_public:
            raise exceptions.AuthenticationFailed("This is not a platform staff token.", code="not_platform_token")
        return self.get_user(token), token


class PlatformTokenScheme(OpenApiAuthenticationExtension):
    target_class = "tenants.platform_api.PlatformTokenAuthentication"
    name = "platformToken"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "bearerFormat": "JWT",
                "description": "Platform staff token from `manage.py platform_token`; public host only."}


class IsPlatformStaff(BasePermission):
    message = "Only ConvoNest platform staff can do this."

    def has_permission(self, request, view) -> bool:
        return bool(request.user and request.user.is_authenticated and request.user.is_staff)


class PlatformApi:
    """Mixin: who may call a platform view."""

    authentication_classes = [PlatformTokenAuthentication]
    permission_classes = [IsPlatformStaff]


class WebhookChangeSerializer(serializers.Serializer):
    """Enough to find and replay a change; never the payload (it holds other businesses' customers' data)."""

    id = serializers.IntegerField()
    event_id = serializers.IntegerField()
    position = serializers.IntegerField()
    received_at = serializers.DateTimeField(source="event.received_at")
    field = serializers.CharField()
    phone_number_id = serializers.CharField()
    waba_id = serializers.CharField()
    tenant = serializers.CharField(source="tenant.slug", allow_null=True, default=None)
    status = serializers.CharField(help_text="pending, handled, unroutable, failed or rejected")
    error = serializers.CharField()
    event_attempts = serializers.IntegerField(source="event.attempts")
    event_status = serializers.CharField(source="event.status", help_text="received, processed, failed or dead")
    handled_at = serializers.DateTimeField(allow_null=True)


class WebhookChangePagination(CursorPagination):
    ordering = "-id"


class FilteredListApi(PlatformApi, ListAPIView):
    """A platform list, newest first: the view's `FilterSerializer` (validated query parameters named after
    model fields) filters `rows()` by equality."""

    pagination_class = WebhookChangePagination

    def rows(self):
        raise NotImplementedError

    def get_queryset(self):
        filters = self.FilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        return self.rows().filter(**filters.validated_data)


@extend_schema_view(get=extend_schema(operation_id="platform_webhook_changes_list", parameters=[
    OpenApiParameter("status", str, enum=WebhookChange.Status.values, description="Only changes in this state"),
    OpenApiParameter("field", str, description="Only changes of this webhook field, e.g. messages"),
]))
class WebhookChangeListApi(FilteredListApi):
    """The webhook inbox's changes, newest first: received time, field, number/account, state and error."""

    serializer_class = WebhookChangeSerializer

    @extend_schema_serializer(component_name="WebhookChangeFilter")
    class FilterSerializer(serializers.Serializer):
        status = serializers.ChoiceField(choices=WebhookChange.Status.choices, required=False)
        field = serializers.CharField(max_length=64, required=False)

    def rows(self):
        return WebhookChange.objects.select_related("event", "tenant").defer("event__body")


class WebhookEventSerializer(serializers.Serializer):
    """An event's processing state; never its body."""

    id = serializers.IntegerField()
    received_at = serializers.DateTimeField()
    status = serializers.CharField(help_text="received, processed, failed (backing off) or dead (needs a person)")
    attempts = serializers.IntegerField()
    error = serializers.CharField(help_text="Why the last attempt failed, or why the event is dead")
    lease_until = serializers.DateTimeField(allow_null=True, help_text="Not retried before this time")
    processed_at = serializers.DateTimeField(allow_null=True)
    redacted_at = serializers.DateTimeField(allow_null=True, help_text="When its raw body was redacted (retention)")


@extend_schema_view(get=extend_schema(operation_id="platform_webhook_events_list", parameters=[
    OpenApiParameter("status", str, enum=WebhookEvent.Status.values, description="Only events in this state"),
]))
class WebhookEventListApi(FilteredListApi):
    """Stored webhook events, newest first; `?status=dead` lists those that ran out of attempts."""

    serializer_class = WebhookEventSerializer

    @extend_schema_serializer(component_name="WebhookEventFilter")
    class FilterSerializer(serializers.Serializer):
        status = serializers.ChoiceField(choices=WebhookEvent.Status.choices, required=False)

    def rows(self):
        return WebhookEvent.objects.defer("body")
