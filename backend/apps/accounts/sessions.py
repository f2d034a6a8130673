"""Refresh-token sessions: families, revocation, reuse detection.

A *family* is the chain of refresh tokens rotated from one login (the `fam` claim, set at login and
carried over by each rotation, which keeps every claim). Rotation blacklists the token it replaces, so
a blacklisted token presented again means two parties hold the same session, e.g. an attacker who
refreshed with a stolen token first. We cannot tell which is which, so the whole family ends: both
must log in again, and only the rightful owner can.
"""
import uuid
from datetime import timedelta

import jwt
from django.conf import settings
from django.utils import timezone
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken

from tenants.models import User

FAMILY_CLAIM = "fam"


def new_family() -> str:
    return uuid.uuid4().hex


def _claims(raw: str) -> dict:
    # Stored rows are tokens we issued; only their claims are read here, never trusted as credentials.
    try:
        return jwt.decode(raw, options={"verify_signature": False, "verify_exp": False})
    except jwt.PyJWTError:
        return {}


def sessions_revoke(*, user_id: int, family: str | None = None) -> int:
    """Blacklist the user's live refresh tokens: all of them, or those of one family. Returns how many."""
    live = OutstandingToken.objects.filter(user_id=user_id, expires_at__gt=timezone.now(),
                                           blacklistedtoken__isnull=True)
    if family is not None:
        live = [token for token in live if _claims(token.token).get(FAMILY_CLAIM) == family]
    BlacklistedToken.objects.bulk_create([BlacklistedToken(token=token) for token in live], ignore_conflicts=True)
    return len(live)


def sessions_revoke_all(*, user: User) -> int:
    """Every device signs in again (password change, password reset)."""
    return sessions_revoke(user_id=user.pk)


def refresh_reuse_detected(*, claims: dict) -> bool:
    """Whether this refresh token was already rotated (or revoked). A reuse outside the grace period
    ends its family; tokens issued before families existed end every session of the user.

    The grace period covers two tabs of one browser refreshing with the same cookie at once: the
    loser gets the usual 401 and the new cookie its sibling just received, without ending anything.
    """
    row = BlacklistedToken.objects.filter(token__jti=claims.get("jti")).values("blacklisted_at").first()
    if row is None:
        return False
    grace = timedelta(seconds=settings.REFRESH_REUSE_GRACE_SECONDS)
    if timezone.now() - row["blacklisted_at"] > grace:
        user_id = claims.get(api_settings.USER_ID_CLAIM)
        if user_id is not None:
            sessions_revoke(user_id=int(user_id), family=claims.get(FAMILY_CLAIM))
    return True
