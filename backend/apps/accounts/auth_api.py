"""Sign-in on a tenant host: dj-rest-auth's views, made tenant-aware, plus the signup handoff."""
from dj_rest_auth.jwt_auth import CookieTokenRefreshSerializer, get_refresh_view, set_jwt_cookies
from dj_rest_auth.utils import jwt_encode
from dj_rest_auth.views import (
    LoginView,
    LogoutView,
    PasswordChangeView,
    PasswordResetConfirmView,
    PasswordResetView,
    UserDetailsView,
)
from drf_spectacular.utils import extend_schema, extend_schema_serializer, extend_schema_view
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView
from rest_framework_simplejwt.exceptions import InvalidToken, TokenError
from rest_framework_simplejwt.tokens import UntypedToken

from apps.accounts.serializers import LoginResultSerializer
from apps.core.auth import TENANT_CLAIM, current_tenant_id
from apps.core.permissions import IsTenantMember
from tenants.services import login_handoff_consume


def login_response(request, user) -> Response:
    """200 with the user; the session's JWTs set as httpOnly cookies for this host only."""
    access, refresh = jwt_encode(user)
    response = Response(LoginResultSerializer({"user": user}, context={"request": request}).data)
    set_jwt_cookies(response, access, refresh)
    return response


class LoginApi(LoginView):
    """Email and password of a member of this business. Failed attempts are throttled per email and IP."""

    throttle_classes: list = []  # failures are counted in LoginSerializer instead of all attempts


class DetailSerializer(serializers.Serializer):
    detail = serializers.CharField()


@extend_schema_view(post=extend_schema(request=None, responses=DetailSerializer, operation_id="auth_logout"))
class LogoutApi(LogoutView):
    """Blacklists the refresh token and clears the cookies."""

    http_method_names = ["post", "options"]


class TenantCookieTokenRefreshSerializer(CookieTokenRefreshSerializer):
    def validate(self, attrs):
        # Refresh only on the host that issued the token. Checked before rotation, so presenting another
        # business's token here neither mints a session nor blacklists the owner's.
        raw = self.extract_refresh_token()
        try:
            tenant_id = UntypedToken(raw).get(TENANT_CLAIM)
        except TokenError as exc:
            raise InvalidToken(str(exc)) from exc
        if tenant_id != current_tenant_id():
            raise InvalidToken("This session belongs to another business.")
        return super().validate(attrs)


class TokenRefreshApi(get_refresh_view()):
    serializer_class = TenantCookieTokenRefreshSerializer


class CurrentUserApi(UserDetailsView):
    """The signed-in user with their role in this business. PATCH updates the name."""

    permission_classes = [IsTenantMember]
    http_method_names = ["get", "patch", "options"]


class PasswordChangeApi(PasswordChangeView):
    """Change the password. Other devices are signed out; this one gets fresh cookies."""

    permission_classes = [IsTenantMember]

    @extend_schema(responses=LoginResultSerializer)
    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        serializer.save()
        return login_response(request, request.user)


class PasswordResetApi(PasswordResetView):
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "password_reset"


class PasswordResetConfirmApi(PasswordResetConfirmView):
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "password_reset"


class HandoffApi(APIView):
    """Exchange the single-use link from signup for a session on the new business's host."""

    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema_serializer(component_name="Handoff")
    class InputSerializer(serializers.Serializer):
        token = serializers.CharField(max_length=1000)

    @extend_schema(request=InputSerializer, responses=LoginResultSerializer, operation_id="auth_handoff")
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = login_handoff_consume(token=data.validated_data["token"], tenant=request.tenant)
        return login_response(request, user)
