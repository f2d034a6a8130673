"""API keys: create, rotate, revoke. The full key exists only in the return value of create and rotate."""
import logging

from django.db import transaction
from django.utils import timezone

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
    security_log.info("API key %s (%s) created by user %s", api_key.pk, prefix, actor.user_id)
    return api_key, key


@transaction.atomic
def api_key_rotate(*, actor: Member, api_key: ApiKey) -> tuple[ApiKey, str]:
    """A new secret for the same key (name, scopes, limits kept); the old secret stops working at once."""
    key, prefix, digest = keys.generate()
    api_key.prefix, api_key.secret_hash, api_key.rotated_at = prefix, digest, timezone.now()
    api_key.save(update_fields=["prefix", "secret_hash", "rotated_at"])
    security_log.info("API key %s rotated to %s by user %s", api_key.pk, prefix, actor.user_id)
    return api_key, key


def api_key_revoke(*, actor: Member, api_key: ApiKey) -> None:
    if api_key.revoked_at is None:
        api_key.revoked_at = timezone.now()
        api_key.save(update_fields=["revoked_at"])
        security_log.info("API key %s (%s) revoked by user %s", api_key.pk, api_key.prefix, actor.user_id)
