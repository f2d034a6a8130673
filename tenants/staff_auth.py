"""Platform staff sessions on the public host (ConvoNest employees: `User.is_staff`).

Staff sign in at `/api/platform/auth/login/` (tenants.staff_api) and get the same kind of session a business's
members get: two httpOnly JWT cookies, the refresh token rotated (and its reuse detected, tenants.sessions) and
blacklisted on logout. What makes it a *platform* session:

- The tokens carry `scope: "platform"` and `tid: None`. TenantJWTCookieAuthentication refuses a token whose
  `tid` isn't the host's business, so a platform token is useless on a business's host; PlatformAuthentication
  refuses anything but a platform token, and only on the public host, so a business session can't call the
  platform API (even a staff member's own business login).
- The cookies have their own names (`cn-staff-access`, `cn-staff-refresh`; `__Host-` prefixed over https, like
  the business cookies, convonest/cookies.py). They are host-only (no Domain), so a browser never sends them to a
  business's host, and no business cookie is ever read as a staff session. In development the refresh cookie is
  scoped to `/api/platform/auth/`; over https `__Host-` requires `Path=/`.
- The session has a family (`fam`), so a reused refresh token ends it, and logout ends it at once (its access
  token too). A password change or reset ends it like any session (User.password_changed_at).

A cookie-authenticated unsafe request must come from the public site's own pages (apps.core.csrf), as on
business hosts. `manage.py platform_token` still mints a short-lived bearer token for scripts: same claims,
no cookie, no refresh.
"""
import logging
from datetime import timedelta

from dj_rest_auth.app_settings import api_settings as rest_auth_settings
from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.permissions import BasePermission
from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.settings import api_settings as jwt_settings
from rest_framework_simplejwt.token_blacklist.models import OutstandingToken
from rest_framework_simplejwt.tokens import AccessToken, RefreshToken

from apps.core.csrf import require_same_origin
from tenants.auth import TENANT_CLAIM
from tenants.models import User
from tenants.sessions import FAMILY_CLAIM, access_token_ended, new_family

security_log = logging.getLogger("convonest.security")

PLATFORM_SCOPE = "platform"
SCOPE_CLAIM = "scope"
MAX_TOKEN_MINUTES = 24 * 60

ACCESS = "cn-staff-access"
REFRESH = "cn-staff-refresh"
REFRESH_PATH = "/api/platform/auth/"


def _secure() -> bool:
    # The business cookies' switch (settings.REST_AUTH from SITE_SCHEME): both kinds of session follow it.
    return bool(rest_auth_settings.JWT_AUTH_SECURE)


def access_cookie_name() -> str:
    return f"__Host-{ACCESS}" if _secure() else ACCESS


def refresh_cookie_name() -> str:
    return f"__Host-{REFRESH}" if _secure() else REFRESH


def _refresh_path() -> str:
    return "/" if _secure() else REFRESH_PATH  # __Host- demands Path=/


def is_public_host(request) -> bool:
    """The public site itself: not a business's host, nor the partner console's (also served in the public
    schema, tenants.hosts)."""
    request = getattr(request, "_request", request)  # DRF's Request wraps Django's
    tenant = getattr(request, "tenant", None)
    on_public_schema = tenant is None or tenant.schema_name == "public"
    return on_public_schema and not getattr(request, "partners_console", False)


def is_platform_claims(claims) -> bool:
    return claims.get(SCOPE_CLAIM) == PLATFORM_SCOPE and claims.get(TENANT_CLAIM, "missing") is None


def _mark_platform(token) -> None:
    token[SCOPE_CLAIM] = PLATFORM_SCOPE
    token[TENANT_CLAIM] = None


def platform_session_tokens(user: User) -> tuple[str, str]:
    """A new platform session for an active staff member: (access, refresh), one new family."""
    if not (user.is_active and user.is_staff):
        raise ValueError("platform sessions are for active staff users only")
    refresh = RefreshToken.for_user(user)
    _mark_platform(refresh)
    refresh[FAMILY_CLAIM] = new_family()
    # simplejwt stored the token before these claims existed; keep the stored copy whole, so the family can be
    # found among the user's tokens (tenants.sessions.sessions_revoke).
    OutstandingToken.objects.filter(jti=refresh[jwt_settings.JTI_CLAIM]).update(token=str(refresh))
    return str(refresh.access_token), str(refresh)  # the access token copies scope, tid and fam


def platform_token_for(user: User, *, minutes: int = 60) -> str:
    """A bearer access token for scripts (`manage.py platform_token`): staff only, at most a day, no refresh."""
    if not (user.is_active and user.is_staff):
        raise ValueError("platform tokens are for active staff users only")
    token = AccessToken.for_user(user)
    token.set_exp(lifetime=timedelta(minutes=max(1, min(minutes, MAX_TOKEN_MINUTES))))
    _mark_platform(token)
    return str(token)


def set_platform_cookies(response, access: str, refresh: str | None = None) -> None:
    now = timezone.now()
    common = {"secure": _secure(), "httponly": True, "samesite": rest_auth_settings.JWT_AUTH_SAMESITE, "domain": None}
    response.set_cookie(access_cookie_name(), access, expires=now + jwt_settings.ACCESS_TOKEN_LIFETIME, path="/",
                        **common)
    if refresh is not None:
        response.set_cookie(refresh_cookie_name(), refresh, expires=now + jwt_settings.REFRESH_TOKEN_LIFETIME,
                            path=_refresh_path(), **common)


def clear_platform_cookies(response) -> None:
    samesite = rest_auth_settings.JWT_AUTH_SAMESITE
    response.delete_cookie(access_cookie_name(), path="/", samesite=samesite)
    response.delete_cookie(refresh_cookie_name(), path=_refresh_path(), samesite=samesite)


class PlatformAuthentication(JWTAuthentication):
    """A platform token on the public host: the staff session's access cookie, or `Authorization: Bearer` (a
    script's token from `manage.py platform_token`). Any other token is refused (401), as is a platform token
    on any other host. A business's cookies are never read here: they have other names."""

    def authenticate(self, request):
        header = self.get_header(request)
        if header is not None:
            raw = self.get_raw_token(header)
        else:
            raw = request.COOKIES.get(access_cookie_name())
            if raw is not None:
                # Before the token is even read: a cross-site write gets the same 403 whether or not it's valid.
                require_same_origin(request)
        if raw is None:
            return None
        token = self.get_validated_token(raw)
        if not is_platform_claims(token) or not is_public_host(request):
            security_log.warning("non-platform token (scope %r, tid %r) refused on the platform API of host %s",
                                 token.get(SCOPE_CLAIM), token.get(TENANT_CLAIM), request.get_host())
            raise exceptions.AuthenticationFailed("This is not a platform staff session.", code="not_platform_token")
        user = self.get_user(token)
        if access_token_ended(user=user, claims=token):
            raise exceptions.AuthenticationFailed("This session has ended. Please log in again.",
                                                  code="session_ended")
        return user, token


class PlatformAuthScheme(OpenApiAuthenticationExtension):
    target_class = "tenants.staff_auth.PlatformAuthentication"
    name = ["platformSession", "platformToken"]

    def get_security_requirement(self, auto_schema):
        return [{"platformSession": []}, {"platformToken": []}]  # either one

    def get_security_definition(self, auto_schema):
        return [
            {"type": "apiKey", "in": "cookie", "name": ACCESS,
             "description": "httpOnly JWT set by /api/platform/auth/login/ for platform staff, valid on the public "
                            "host only; named `__Host-cn-staff-access` when the site is served over https. Writes "
                            "authenticated by the cookie must come from the site's own pages, else 403 "
                            "`csrf_failed`."},
            {"type": "http", "scheme": "bearer", "bearerFormat": "JWT",
             "description": "Platform staff token for scripts, from `manage.py platform_token`; public host only."},
        ]


class IsPlatformStaff(BasePermission):
    """Checked on every request, so someone who stops being staff loses access at once."""

    message = "Only ConvoNest platform staff can do this."

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user.is_active and user.is_staff)


class PlatformApi:
    """Mixin: who may call a platform view."""

    authentication_classes = [PlatformAuthentication]
    permission_classes = [IsPlatformStaff]
