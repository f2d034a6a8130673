"""Serializers plugged into dj-rest-auth (see REST_AUTH in settings) and the team API."""
from dj_rest_auth.serializers import PasswordChangeSerializer as BasePasswordChangeSerializer
from dj_rest_auth.serializers import PasswordResetConfirmSerializer as BasePasswordResetConfirmSerializer
from django.contrib.auth import authenticate
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework_simplejwt.serializers import TokenObtainPairSerializer
from rest_framework_simplejwt.settings import api_settings as jwt_settings
from rest_framework_simplejwt.token_blacklist.models import OutstandingToken

from apps.accounts.services import password_reset_request, session_started
from apps.core.client_ip import client_ident
from tenants.auth import TENANT_CLAIM, current_tenant_id
from tenants.login_throttle import login_check_allowed, login_record_failure, login_record_success
from tenants.members import Capability, capability_flags, member_of
from tenants.models import Role, User
from tenants.permissions import request_member
from tenants.sessions import FAMILY_CLAIM, new_family, sessions_revoke_all
from tenants.site_api import TenantSummarySerializer


class TenantTokenObtainSerializer(TokenObtainPairSerializer):
    """Tokens name the tenant they were issued on; TenantJWTCookieAuthentication enforces it."""

    @classmethod
    def get_token(cls, user):
        token = super().get_token(user)
        token[TENANT_CLAIM] = current_tenant_id()
        token[FAMILY_CLAIM] = new_family()  # rotation keeps every claim: the family follows the session
        # simplejwt stored the token before these claims existed; keep the stored copy whole, so a
        # family can be found among the user's tokens (tenants.sessions).
        OutstandingToken.objects.filter(jti=token[jwt_settings.JTI_CLAIM]).update(token=str(token))
        return token


CAPABILITIES_SCHEMA = {
    "type": "object", "additionalProperties": False, "required": [c.value for c in Capability],
    "properties": {c.value: {"type": "boolean"} for c in Capability},
    "description": "What this person may do in this business (tenants.members.Capability): read these flags "
                   "rather than comparing roles.",
}


class CurrentUserSerializer(serializers.ModelSerializer):
    role = serializers.SerializerMethodField()
    capabilities = serializers.SerializerMethodField()
    tenant = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "email", "first_name", "last_name", "role", "capabilities", "tenant"]
        read_only_fields = ["id", "email", "role", "capabilities", "tenant"]

    def _member(self, user):
        request = self.context["request"]
        return request_member(request) if request.user == user else member_of(user=user, tenant=request.tenant)

    @extend_schema_field(serializers.ChoiceField(choices=Role.choices))
    def get_role(self, user) -> str | None:
        member = self._member(user)
        return member.role if member is not None else None

    @extend_schema_field(CAPABILITIES_SCHEMA)
    def get_capabilities(self, user) -> dict:
        return capability_flags(self._member(user))

    @extend_schema_field(TenantSummarySerializer)
    def get_tenant(self, user) -> dict:
        tenant = self.context["request"].tenant
        return {"slug": tenant.slug, "name": tenant.name}


class LoginSerializer(serializers.Serializer):
    email = serializers.EmailField()
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False, max_length=128)

    def validate(self, attrs):
        request = self.context["request"]
        email, ip = attrs["email"].strip().lower(), client_ident(request)
        login_check_allowed(email=email, ip=ip)
        user = authenticate(request, email=email, password=attrs["password"])
        # A member of another business gets the same answer as a wrong password: no account probing.
        member = member_of(user=user, tenant=request.tenant)
        if member is None:
            login_record_failure(email=email, ip=ip)
            raise serializers.ValidationError("The email or password is not correct.", code="invalid_login")
        login_record_success(email=email, ip=ip)
        session_started(member=member, method="password")
        attrs["user"] = user
        return attrs


class LoginResultSerializer(serializers.Serializer):
    """What login and handoff answer: the user. The tokens travel only in httpOnly cookies."""

    user = serializers.SerializerMethodField()

    @extend_schema_field(CurrentUserSerializer)
    def get_user(self, data) -> dict:
        request = self.context["request"]
        request.user = data["user"]  # role lookup below is for the user who just signed in
        if hasattr(request, "_tenant_role"):
            del request._tenant_role
        return CurrentUserSerializer(data["user"], context=self.context).data


class PasswordChangeSerializer(BasePasswordChangeSerializer):
    """dj-rest-auth's checks (old password, Django's validators), but no Django session to update:
    every refresh token of the user is revoked instead, so other devices are signed out."""

    def save(self):
        self.set_password_form.save()
        sessions_revoke_all(user=self.user)


class PasswordResetSerializer(serializers.Serializer):
    """Ask for a reset link on this business's host. The answer, and the work done before it, are the
    same whether or not the email is known: the lookup and the mail happen in a Celery task."""

    email = serializers.EmailField()

    def save(self):
        password_reset_request(tenant=self.context["request"].tenant, email=self.validated_data["email"])


class PasswordResetConfirmSerializer(BasePasswordResetConfirmSerializer):
    """dj-rest-auth's uid/token/validators; then every session of the user ends, since whoever asked
    for the reset may be locking a thief out."""

    def save(self):
        super().save()
        sessions_revoke_all(user=self.user)
