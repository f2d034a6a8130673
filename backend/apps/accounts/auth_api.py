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
from django.db import transaction
from drf_spectacular.utils import extend_schema, extend_schema_serializer, extend_schema_view
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_simplejwt.exceptions import InvalidToken, TokenError
from rest_framework_simplejwt.settings import api_settings as jwt_settings
from rest_framework_simplejwt.token_blacklist.models import OutstandingToken
from rest_framework_simplejwt.tokens import UntypedToken

from apps.accounts.serializers import LoginResultSerializer
from apps.accounts.services import password_change, session_started
from apps.core.csrf import SameOriginRequired
from apps.core.errors import envelope
from tenants.auth import TENANT_CLAIM, current_tenant_id
from tenants.members import member_of
from tenants.permissions import IsTenantMember
from tenants.services import login_handoff_consume
from tenants.sessions import refresh_reuse_detected


def login_response(request, user) -> Response:
    """200 with the user; the session's JWTs set as httpOnly cookies for this host only."""
    access, refresh = jwt_encode(user)
    response = Response(LoginResultSerializer({"user": user}, context={"request": request}).data)
    set_jwt_cookies(response, access, refresh)
    return response


@extend_schema_view(post=extend_schema(responses=LoginResultSerializer))  # dj-rest-auth would declare its input
class LoginApi(SameOriginRequired, LoginView):
    """Email and password of a member of this business. Failed attempts are throttled per email and IP."""

    throttle_classes: list = []  # failures are counted in LoginSerializer instead of all attempts
    throttle_scope = None


class DetailSerializer(serializers.Serializer):
    detail = serializers.CharField()


@extend_schema_view(post=extend_schema(request=None, responses=DetailSerializer, operation_id="auth_logout"))
class LogoutApi(SameOriginRequired, LogoutView):
    """Blacklists the refresh token and clears the cookies."""

    http_method_names = ["post", "options"]
    throttle_scope = None  # dj-rest-auth's shared scope; ending a session needs no limit

    def logout(self, request):
        response = super().logout(request)
        if response.status_code >= 400:  # dj-rest-auth answers {"detail"}; our errors are in the envelope
            response.data = envelope("not_authenticated", str(response.data.get("detail", "")))
        return response


class TenantCookieTokenRefreshSerializer(CookieTokenRefreshSerializer):
    def validate(self, attrs):
        # Refresh only on the host that issued the token. Checked before rotation, so presenting another
        # business's token here neither mints a session nor blacklists the owner's.
        raw = self.extract_refresh_token()
        try:
            claims = UntypedToken(raw).payload
        except TokenError as exc:
            raise InvalidToken(str(exc)) from exc
        if claims.get(TENANT_CLAIM) != current_tenant_id():
            raise InvalidToken("This session belongs to another business.")
        with transaction.atomic():
            # One rotation per token at a time: a concurrent second use waits, then counts as a reuse.
            OutstandingToken.objects.select_for_update().filter(jti=claims.get(jwt_settings.JTI_CLAIM)).first()
            reused = refresh_reuse_detected(claims=claims)  # ends the token's family (committed below)
            if not reused:
                return super().validate(attrs)
        raise InvalidToken("This session has ended. Please log in again.")


class TokenRefreshApi(SameOriginRequired, get_refresh_view()):
    serializer_class = TenantCookieTokenRefreshSerializer


class CurrentUserApi(UserDetailsView):
    """The signed-in user with their role in this business. PATCH updates the name."""

    permission_classes = [IsTenantMember]
    http_method_names = ["get", "patch", "options"]


class PasswordChangeApi(PasswordChangeView):
    """Change the password. Other devices are signed out; this one gets fresh cookies."""

    permission_classes = [IsTenantMember]
    throttle_scope = "password_change"  # it checks the old password: a stolen access cookie must not guess it

    @extend_schema(responses=LoginResultSerializer)
    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        password_change(actor=request.member, serializer=serializer)
        return login_response(request, request.user)


@extend_schema_view(post=extend_schema(responses=DetailSerializer))  # dj-rest-auth answers {"detail"}
class PasswordResetApi(PasswordResetView):
    """Mail a reset link (from a worker). Answers at once, the same for any address."""

    throttle_scope = "password_reset"


@extend_schema_view(post=extend_schema(responses=DetailSerializer))
class PasswordResetConfirmApi(PasswordResetConfirmView):
    """Set the new password from the mailed link. Every session of the user ends."""

    throttle_scope = "password_reset"


class HandoffApi(SameOriginRequired, APIView):
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
        session_started(member=member_of(user=user, tenant=request.tenant), method="handoff")
        return login_response(request, user)
