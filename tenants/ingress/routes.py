"""A change's routing keys: checked for what Meta sends, then phone_number_id / WABA id -> tenant, for Meta's
shared webhook endpoint. Cached; the cache is invalidated (by bumping a generation number) whenever a number
connects or disconnects."""
import re

from django.core.cache import caches

from tenants.models import PhoneNumberRoute, Tenant, WabaRoute

_TTL = 300
_GENERATION_KEY = "routes:generation"
_MISSING = 0  # cached "no tenant", so unknown numbers don't hit the database on every event

META_ID = re.compile(r"[0-9]{1,32}")  # phone number ids and WABA ids (routing columns are 32 long)
FIELD = re.compile(r"[a-z_]{1,64}")


def routing_problem(field: str, phone_number_id, waba_id) -> str | None:
    """Why the change's routing keys can't be Meta's, or None. Empty ids are fine (fields without a number)."""
    if not isinstance(field, str) or not FIELD.fullmatch(field):
        return "field is not a webhook field name"
    for name, value in (("metadata.phone_number_id", phone_number_id), ("entry.id", waba_id)):
        if value in (None, ""):
            continue
        if not isinstance(value, str | int) or isinstance(value, bool) or not META_ID.fullmatch(str(value)):
            return f"{name} is not a Meta id (digits, at most 32)"
    return None


def _cache():
    return caches["global"]


def _generation() -> int:
    return _cache().get_or_set(_GENERATION_KEY, 1, timeout=None)


def routes_cache_clear() -> None:
    cache = _cache()
    if not cache.add(_GENERATION_KEY, 2, timeout=None):
        cache.incr(_GENERATION_KEY)


def _lookup(kind: str, key: str, query) -> Tenant | None:
    cache_key = f"routes:{_generation()}:{kind}:{key}"
    tenant_id = _cache().get(cache_key)
    if tenant_id is None:
        tenant_id = query.filter(**{kind: key}).values_list("tenant_id", flat=True).first() or _MISSING
        _cache().set(cache_key, tenant_id, timeout=_TTL)
    return Tenant.objects.filter(pk=tenant_id, is_active=True).first() if tenant_id else None


def tenant_for_phone_number(phone_number_id: str) -> Tenant | None:
    return _lookup("phone_number_id", str(phone_number_id), PhoneNumberRoute.objects)


def tenant_for_waba(waba_id: str) -> Tenant | None:
    return _lookup("waba_id", str(waba_id), WabaRoute.objects)
