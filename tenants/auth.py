"""Authentication on tenant hosts: a JWT (httpOnly cookie) that was issued for *this* tenant.

Tokens carry the tenant id they were issued on (`tid`, see accounts.serializers). A token from tenant A
presented on tenant B's host is refused here, before any view runs; membership itself is re-checked on
every request by permissions.IsTenantMember, so removing someone takes effect at once. An access token whose
session ended (password changed or reset since it was issued, or its refresh family revoked) is refused
too (tenants.sessions.access_token_ended).

When the token comes from the cookie (not an `Authorization` header), an unsafe request must also prove
it was sent by this origin's own pages (apps.core.csrf): the browser attaches the cookie to requests
that other pages of the same site make.
"""
import logging

from dj_rest_auth.app_settings import api_settings as rest_auth_settings
from dj_rest_auth.jwt_auth import JWTCookieAuthentication
from django.db import connection
from rest_framework import exceptions

from apps.core.csrf import require_same_origin
from tenants.sessions import access_token_ended

security_log = logging.getLogger("convonest.security")

TENANT_CLAIM = "tid"


class TenantJWTCookieAuthentication(JWTCookieAuthentication):
    def authenticate(self, request):
        # Before the token is even read: a cross-site write gets the same 403 whether or not it's valid.
        if self.get_header(request) is None and rest_auth_settings.JWT_AUTH_COOKIE in request.COOKIES:
            require_same_origin(request)
        result = super().authenticate(request)
        if result is None:
            return None
        user, token = result
        if access_token_ended(user=user, claims=token):
            raise exceptions.AuthenticationFailed("This session has ended. Please log in again.",
                                                  code="session_ended")
        tenant = getattr(request, "tenant", None)
        if tenant is None or tenant.schema_name == "public" or token.get(TENANT_CLAIM) != tenant.pk:
            security_log.warning(
                "token of tenant %s used on host of %s (user %s)",
                token.get(TENANT_CLAIM), getattr(tenant, "pk", None), user.pk,
            )
            raise exceptions.AuthenticationFailed(
                "This session belongs to another business. Log in on this address.", code="wrong_tenant"
            )
        return user, token


def current_tenant_id() -> int | None:
    tenant = getattr(connection, "tenant", None)
    return None if tenant is None or tenant.schema_name == "public" else tenant.pk
