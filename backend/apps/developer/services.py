"""API keys: create, rotate, revoke. The full key exists only in the return value of create and rotate. Each is
recorded in the audit log (apps.audit) in its transaction."""
import logging
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from apps.audit.recorder import record
from apps.core.errors import ApplicationError
from apps.developer import keys
from apps.developer.models import ApiKey, ApiKeyScope
from tenants.members import Member

security_log = logging.getLogger("convonest.security")


def _check_scopes(scopes: list[str]) -> list[str]:
    scopes = sorted(set(scopes))
    if not scopes or scopes == [ApiKeyScope.READ_ONLY]:
        raise ApplicationError("Choose at least one of messages, templates, contacts or campaigns.",
                               code="validation_error", errors={"scopes": ["Choose at least one area."]})
    return scopes


@transaction.atomic
def api_key_create(*, actor: Member, name: str, scopes: list[str], expires_at=None,
                   rate_limit: int | None = None) -> tuple[ApiKey, str]:
    key, prefix, digest = keys.generate()
    api_key = ApiKey.objects.create(
        name=name, prefix=prefix, secret_hash=digest, scopes=_check_scopes(scopes), expires_at=expires_at,
        rate_limit=rate_limit, created_by=actor.user, created_by_email=actor.user.email,
    )
    record(actor, "api_key.created", target=api_key,
           detail={"scopes": api_key.scopes, "expires_at": expires_at.isoformat() if expires_at else None,
                   "rate_limit": rate_limit})
    security_log.info("API key %s (%s) created by user %s", api_key.pk, prefix, actor.user_id)
    return api_key, key


ROTATION_GRACE_HOURS = 24  # the default; the API takes 0 to MAX_ROTATION_GRACE_HOURS
MAX_ROTATION_GRACE_HOURS = 168


@transaction.atomic
def api_key_rotate(*, actor: Member, api_key: ApiKey, grace_hours: int = ROTATION_GRACE_HOURS) -> tuple[ApiKey, str]:
    """A new secret for the same key (name, scopes, limits kept). The secret it replaces keeps working for
    `grace_hours` (0: it stops at once), so the systems using it can switch over without an outage.

    One previous secret at most: rotating again within a grace period makes the secret being replaced the previous
    one (with the new grace) and ends the older one at once."""
    if not 0 <= grace_hours <= MAX_ROTATION_GRACE_HOURS:
        raise ApplicationError(f"The grace period is 0 to {MAX_ROTATION_GRACE_HOURS} hours.", code="validation_error",
                               errors={"grace_hours": [f"0 to {MAX_ROTATION_GRACE_HOURS}."]})
    api_key = ApiKey.objects.select_for_update().get(pk=api_key.pk)
    key, prefix, digest = keys.generate()
    now = timezone.now()
    if grace_hours:
        api_key.previous_secret_hash = api_key.secret_hash
        api_key.previous_key_expires_at = now + timedelta(hours=grace_hours)
    else:
        api_key.previous_secret_hash = api_key.previous_key_expires_at = None
    api_key.prefix, api_key.secret_hash, api_key.rotated_at = prefix, digest, now
    api_key.save(update_fields=["prefix", "secret_hash", "rotated_at", "previous_secret_hash",
                                "previous_key_expires_at"])
    record(actor, "api_key.rotated", target=api_key, detail={"grace_hours": grace_hours})
    security_log.info("API key %s rotated to %s by user %s (previous secret valid %sh)", api_key.pk, prefix,
                      actor.user_id, grace_hours)
    return api_key, key


@transaction.atomic
def api_key_revoke(*, actor: Member, api_key: ApiKey) -> None:
    """The key stops at once: its current secret and a previous one still in its grace period."""
    if api_key.revoked_at is None:
        api_key.revoked_at = timezone.now()
        api_key.previous_secret_hash = api_key.previous_key_expires_at = None
        api_key.save(update_fields=["revoked_at", "previous_secret_hash", "previous_key_expires_at"])
        record(actor, "api_key.revoked", target=api_key)
        security_log.info("API key %s (%s) revoked by user %s", api_key.pk, api_key.prefix, actor.user_id)
