"""Refresh-token sessions: families, revocation, reuse detection.

A *family* is the chain of refresh tokens rotated from one login (the `fam` claim, set at login and
carried over by each rotation, which keeps every claim). Rotation blacklists the token it replaces, so
a blacklisted token presented again means two parties hold the same session, e.g. an attacker who
refreshed with a stolen token first. We cannot tell which is which, so the whole family ends: both
must log in again, and only the rightful owner can.

Access tokens carry the family too (simplejwt copies the refresh token's claims), so ending a family ends its
access tokens at once: the ended family ids stay in the global cache for an access token's lifetime, and
tenants.auth refuses their tokens. A password change or reset also ends every access token issued before
it, durably, through User.password_changed_at (the cache is only the exact, per-family half).
"""
import logging
import uuid
from datetime import timedelta

import jwt
from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.utils import timezone
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken

from tenants.models import User

logger = logging.getLogger(__name__)

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
    live = [(token, _claims(token.token).get(FAMILY_CLAIM)) for token in OutstandingToken.objects.filter(
        user_id=user_id, expires_at__gt=timezone.now(), blacklistedtoken__isnull=True)]
    if family is not None:
        live = [(token, fam) for token, fam in live if fam == family]
    BlacklistedToken.objects.bulk_create([BlacklistedToken(token=token) for token, _ in live], ignore_conflicts=True)
    ended = {fam for _, fam in live if fam} | ({family} if family else set())
    if ended:  # once the blacklisting is committed: a rolled-back revocation must not end anything
        transaction.on_commit(lambda: _families_end(ended), robust=True)
    return len(live)


def _family_key(family: str) -> str:
    return f"session-family-ended:{family}"


def _families_end(families: set[str]) -> None:
    lifetime = int(api_settings.ACCESS_TOKEN_LIFETIME.total_seconds()) + 60  # + clock skew
    try:
        caches["global"].set_many({_family_key(family): 1 for family in families}, timeout=lifetime)
    except Exception as exc:  # Redis down: the access tokens run out by themselves, as before
        logger.warning("could not record ended session families (access tokens live out their lifetime): %s", exc)


def access_token_ended(*, user: User, claims) -> bool:
    """Whether this access token's session has ended: issued before the user's last password change (a whole
    second earlier, since `iat` has seconds only; a token of the same second is caught by its family), or of
    an ended family. Reads the user row authentication loaded and one cache key: no query."""
    changed = user.password_changed_at
    issued = claims.get("iat")
    if changed is not None and isinstance(issued, int | float) and issued < int(changed.timestamp()):
        return True
    family = claims.get(FAMILY_CLAIM)
    if not family:
        return False
    try:
        return caches["global"].get(_family_key(str(family))) is not None
    except Exception as exc:  # Redis down: fail open on the family half only (the password half still holds)
        logger.warning("could not check the session family of an access token: %s", exc)
        return False


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
