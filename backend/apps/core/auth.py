"""Authentication on tenant hosts: a JWT (httpOnly cookie) that was issued for *this* tenant.

Tokens carry the tenant id they were issued on (`tid`, see accounts.serializers). A token from tenant A
presented on tenant B's host is refused here, before any view runs; membership itself is re-checked on
every request by permissions.IsTenantMember, so removing someone takes effect at once.
"""
import logging

from dj_rest_auth.jwt_auth import JWTCookieAuthentication
from django.db import connection
from rest_framework import exceptions

security_log = logging.getLogger("convonest.security")

TENANT_CLAIM = "tid"


class TenantJWTCookieAuthentication(JWTCookieAuthentication):
    def authenticate(self, request):
        result = super().authenticate(request)
        if result is None:
            return None
        user, token = result
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
