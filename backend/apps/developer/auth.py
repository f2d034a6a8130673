"""`Authorization: Bearer cn_live_…`: a business's API key, on that business's host only.

- The host chose the schema, so a key of business A presented on B's host is simply not found: 401. On the public
  site or the partner console (public schema) every key is 401.
- The key acts as its creator (a `KeyMember`: the creator's membership now, within the key's scopes). Removing the
  creator, or taking their rights, stops the key on its next request.
- Only the views in `public_api.PUBLIC_API` accept keys, each needing one scope; a `read_only` key may only read.
  Refusals are 403 before any view code runs.
- After a rotation the previous secret keeps working for the rotation's grace period (`previous_key_expires_at`,
  at most 7 days); revoking ends both at once.
- Rate limited per key (ratelimit.py); `last_used_at`/`last_used_ip` are written at most once a minute.
- A bearer key carries no ambient credential, so the same-origin check of cookie writes (apps.core.csrf) does not
  apply. Tokens that don't start with `cn_live_` fall through to the session authentication.
"""
import ipaddress
import logging
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Q
from django.utils import timezone
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.permissions import SAFE_METHODS

from apps.core.client_ip import client_ip
from apps.developer import keys
from apps.developer.models import ApiKey, ApiKeyScope
from apps.developer.public_api import scope_for
from apps.developer.ratelimit import count_request
from apps.developer.scopes import scope_capabilities
from tenants.members import Capability, Member, member_of

security_log = logging.getLogger("convonest.security")

TOUCH_EVERY = timedelta(minutes=1)


@dataclass(frozen=True, slots=True)
class KeyMember(Member):
    """The key's creator acting through the key: their current role's capabilities, within the key's scopes."""

    key: ApiKey | None = None

    @property
    def capabilities(self) -> frozenset[Capability]:
        held = Member.capabilities.fget(self)
        return held & scope_capabilities(self.key.scopes) if self.key is not None else held


def bearer_key(request) -> str | None:
    """The API key in the Authorization header, or None (no header, or a token that is not an API key)."""
    parts = get_authorization_header(request).split()
    if len(parts) != 2 or parts[0].lower() != b"bearer":
        return None
    try:
        token = parts[1].decode("ascii")
    except UnicodeDecodeError:
        return None
    return token if keys.looks_like_key(token) else None


def _forbidden(message: str, code: str):
    # Imported here: DRF loads the authentication classes while apps.core.errors is loading (see apps.core.csrf).
    from apps.core.errors import ApplicationError

    return ApplicationError(message, code=code, status_code=403)


def _refuse(message: str) -> exceptions.AuthenticationFailed:
    return exceptions.AuthenticationFailed(message, code="authentication_failed")


def find_key(token: str) -> ApiKey | None:
    """The live key this token is, in the current schema: its current secret, or the secret before its last rotation
    while that rotation's grace period lasts. Revoked or expired, neither works."""
    digest = keys.hash_key(token)
    now = timezone.now()
    key = ApiKey.objects.select_related("created_by").filter(
        Q(secret_hash=digest) | Q(previous_secret_hash=digest, previous_key_expires_at__gt=now)).first()
    if key is None or key.revoked_at is not None or (key.expires_at is not None and key.expires_at <= now):
        return None
    if keys.matches(token, key.secret_hash):
        return key
    previous_live = key.previous_key_expires_at is not None and key.previous_key_expires_at > now
    if previous_live and key.previous_secret_hash and keys.matches(token, key.previous_secret_hash):
        return key
    return None


class ApiKeyAuthentication(BaseAuthentication):
    def authenticate_header(self, request):
        return 'Bearer realm="api"'

    def authenticate(self, request):
        token = bearer_key(request)
        if token is None:
            return None
        tenant = getattr(request, "tenant", None)
        if tenant is None or tenant.schema_name == "public":
            raise _refuse("API keys work only on their business's own address.")
        key = find_key(token)
        if key is None:
            security_log.warning("API key %s… refused on host of tenant %s", token[:16], tenant.pk)
            raise _refuse("This API key is not valid here (unknown, revoked or expired).")
        user = key.created_by
        member = member_of(user=user, tenant=tenant) if user is not None and user.is_active else None
        if member is None:
            raise _refuse("The person who created this API key is no longer a member of the business.")

        rate = count_request(key)
        request._request.api_key_rate = rate
        if rate.exceeded:
            raise exceptions.Throttled(wait=rate.reset)

        view = (getattr(request, "parser_context", None) or {}).get("view")
        scope = scope_for(view)
        if scope is None:
            raise _forbidden("API keys can't use this endpoint; it is not part of the public API.",
                             "api_key_not_allowed")
        if scope not in key.scopes:
            raise _forbidden(f"This API key lacks the `{scope}` scope.", "api_key_scope")
        if ApiKeyScope.READ_ONLY in key.scopes and request.method not in SAFE_METHODS:
            raise _forbidden("This API key is read-only.", "api_key_scope")

        # tenants.permissions.request_member computes the member once per request into `_member`: the key's
        # restricted member takes its place, so IsTenantMember and requires() work unchanged.
        request._member = KeyMember(user=user, tenant=tenant, role=member.role, key=key)
        self._touch(request, key)
        return user, key

    @staticmethod
    def _touch(request, key: ApiKey) -> None:
        now = timezone.now()
        try:
            ip = str(ipaddress.ip_address(client_ip(request._request)))
        except ValueError:  # no usable peer address (e.g. a unix socket)
            ip = None
        if key.last_used_at is None or now - key.last_used_at >= TOUCH_EVERY:
            ApiKey.objects.filter(pk=key.pk).update(last_used_at=now, last_used_ip=ip)
