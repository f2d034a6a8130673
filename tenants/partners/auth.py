"""Sessions on the partner console's host: JWTs bound to the console and to one reseller.

A console token carries `scope: partners`, the reseller it was issued for (`rid`) and no business (`tid: None`),
so a business's host refuses it (tenants.auth: wrong tenant), and this authentication refuses business and
platform tokens. Membership in the reseller is checked again on every request (permissions.IsPartnerMember), so
removing someone from the team takes effect at once. Cookie-authenticated writes must prove they come from the
console's own pages, as on a business's host (apps.core.csrf).
"""
import logging

from dj_rest_auth.app_settings import api_settings as rest_auth_settings
from dj_rest_auth.jwt_auth import CookieTokenRefreshSerializer, JWTCookieAuthentication
from django.db import transaction
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework_simplejwt.exceptions import InvalidToken, TokenError
from rest_framework_simplejwt.settings import api_settings as jwt_settings
from rest_framework_simplejwt.token_blacklist.models import OutstandingToken
from rest_framework_simplejwt.tokens import RefreshToken, UntypedToken

from apps.core.csrf import require_same_origin
from tenants.auth import TENANT_CLAIM
from tenants.models import Reseller, User
from tenants.sessions import FAMILY_CLAIM, access_token_ended, new_family, refresh_reuse_detected

security_log = logging.getLogger("convonest.security")

PARTNERS_SCOPE = "partners"
RESELLER_CLAIM = "rid"


def on_console(request) -> bool:
    return bool(getattr(getattr(request, "_request", request), "partners_console", False))


def console_reseller(request) -> Reseller | None:
    """The reseller whose own (custom) domain this console host is; None on the shared console host."""
    return getattr(getattr(request, "_request", request), "console_reseller", None)


def partner_tokens_for(user: User, reseller: Reseller) -> tuple[str, str]:
    """(access, refresh) for `user` acting for `reseller` on the console; a new session family."""
    refresh = RefreshToken.for_user(user)
    refresh["scope"] = PARTNERS_SCOPE
    refresh[TENANT_CLAIM] = None
    refresh[RESELLER_CLAIM] = reseller.pk
    refresh[FAMILY_CLAIM] = new_family()
    # simplejwt stored the token before these claims existed; keep the stored copy whole (tenants.sessions).
    OutstandingToken.objects.filter(jti=refresh[jwt_settings.JTI_CLAIM]).update(token=str(refresh))
    return str(refresh.access_token), str(refresh)


def _is_console_token(claims) -> bool:
    return (claims.get("scope") == PARTNERS_SCOPE and claims.get(TENANT_CLAIM) is None
            and isinstance(claims.get(RESELLER_CLAIM), int))


class PartnerJWTCookieAuthentication(JWTCookieAuthentication):
    def authenticate(self, request):
        if self.get_header(request) is None and rest_auth_settings.JWT_AUTH_COOKIE in request.COOKIES:
            require_same_origin(request)
        result = super().authenticate(request)
        if result is None:
            return None
        user, token = result
        if access_token_ended(user=user, claims=token):
            raise exceptions.AuthenticationFailed("This session has ended. Please log in again.",
                                                  code="session_ended")
        fixed = console_reseller(request)
        if not on_console(request) or not _is_console_token(token) or (fixed and token[RESELLER_CLAIM] != fixed.pk):
            security_log.warning("a token that is not the console's was used on the console (user %s)", user.pk)
            raise exceptions.AuthenticationFailed("This session is not for the partner console. Log in here.",
                                                  code="wrong_tenant")
        return user, token


class PartnerCookieTokenRefreshSerializer(CookieTokenRefreshSerializer):
    """Rotate a console refresh token: only the console's, and a reused one ends its family."""

    def validate(self, attrs):
        raw = self.extract_refresh_token()
        try:
            claims = UntypedToken(raw).payload
        except TokenError as exc:
            raise InvalidToken(str(exc)) from exc
        if not _is_console_token(claims):
            raise InvalidToken("This session is not for the partner console.")
        with transaction.atomic():
            OutstandingToken.objects.select_for_update().filter(jti=claims.get(jwt_settings.JTI_CLAIM)).first()
            if not refresh_reuse_detected(claims=claims):
                return super().validate(attrs)
        raise InvalidToken("This session has ended. Please log in again.")


class PartnerCookieScheme(OpenApiAuthenticationExtension):
    target_class = "tenants.partners.auth.PartnerJWTCookieAuthentication"
    name = "partnerSession"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "cookie", "name": rest_auth_settings.JWT_AUTH_COOKIE,
                "description": "The partner console's session (partners.<BASE_DOMAIN>), set by its login."}
