"""Serializers plugged into dj-rest-auth (see REST_AUTH in settings) and the team API."""
from dj_rest_auth.serializers import PasswordChangeSerializer as BasePasswordChangeSerializer
from django.contrib.auth import authenticate
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework_simplejwt.serializers import TokenObtainPairSerializer
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken

from apps.accounts.login_throttle import client_ip, login_check_allowed, login_record_failure, login_record_success
from apps.core.auth import TENANT_CLAIM, current_tenant_id
from apps.core.permissions import request_role
from apps.core.views import TenantSummarySerializer
from tenants.models import Role, User
from tenants.selectors import tenant_role_for
from tenants.services import tenant_url


class TenantTokenObtainSerializer(TokenObtainPairSerializer):
    """Tokens name the tenant they were issued on; TenantJWTCookieAuthentication enforces it."""

    @classmethod
    def get_token(cls, user):
        token = super().get_token(user)
        token[TENANT_CLAIM] = current_tenant_id()
        return token


class CurrentUserSerializer(serializers.ModelSerializer):
    role = serializers.SerializerMethodField()
    tenant = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "email", "first_name", "last_name", "role", "tenant"]
        read_only_fields = ["id", "email", "role", "tenant"]

    @extend_schema_field(serializers.ChoiceField(choices=Role.choices))
    def get_role(self, user) -> str | None:
        request = self.context["request"]
        if request.user == user:
            return request_role(request)
        return tenant_role_for(user=user, tenant=request.tenant)

    @extend_schema_field(TenantSummarySerializer)
    def get_tenant(self, user) -> dict:
        tenant = self.context["request"].tenant
        return {"slug": tenant.slug, "name": tenant.name}


class LoginSerializer(serializers.Serializer):
    email = serializers.EmailField()
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False, max_length=128)

    def validate(self, attrs):
        request = self.context["request"]
        email, ip = attrs["email"].strip().lower(), client_ip(request)
        login_check_allowed(email=email, ip=ip)
        user = authenticate(request, email=email, password=attrs["password"])
        # A member of another business gets the same answer as a wrong password: no account probing.
        if user is None or tenant_role_for(user=user, tenant=request.tenant) is None:
            login_record_failure(email=email, ip=ip)
            raise serializers.ValidationError("The email or password is not correct.", code="invalid_login")
        login_record_success(email=email, ip=ip)
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
        for token in OutstandingToken.objects.filter(user=self.user):
            BlacklistedToken.objects.get_or_create(token=token)


class PasswordResetSerializer(serializers.Serializer):
    """Mail a reset link on this tenant's host. Answers the same whether or not the email is known."""

    email = serializers.EmailField()

    def save(self):
        request = self.context["request"]
        tenant = request.tenant
        user = User.objects.filter(email__iexact=self.validated_data["email"], is_active=True).first()
        if user is None or tenant_role_for(user=user, tenant=tenant) is None:
            return
        uid = urlsafe_base64_encode(force_bytes(user.pk))
        token = default_token_generator.make_token(user)
        link = f"{tenant_url(tenant)}/reset-password?uid={uid}&token={token}"
        send_mail(
            subject=f"Reset your ConvoNest password for {tenant.name}",
            message=f"Someone asked to reset the password of {user.email}.\n\n"
                    f"Choose a new password: {link}\n\nIf it wasn't you, ignore this email.",
            from_email=None, recipient_list=[user.email],
        )
