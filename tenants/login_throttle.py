"""Failed-login throttling: per (email, client) and per client, across *every* tenant host.

The client is the real one (apps.core.client_ip). Nothing is ever counted per email alone as a hard
limit: that would let anyone lock a person out by typing their address. Instead, when an email draws
many failures from many clients (a distributed guess), each client gets two tries at it per
window; the right password still works first time from anywhere. Counting per host would let an
attacker walk a global login across hosts, so the counters are global. Signup with an existing email
and invite acceptance with an existing login check a password too, and count here the same way.
"""
import hashlib

from django.conf import settings
from django.core.cache import caches
from rest_framework.exceptions import Throttled

IP_FACTOR = 4  # one office may share an IP; allow it a few people's worth of typos
UNDER_ATTACK_LIMIT = 2  # per client, for an email under a distributed attack: room for one typo


def email_digest(email: str) -> str:
    """An email as a cache-key part: normalised, and not readable from the cache."""
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]


def window_count(key: str, seconds: int) -> int:
    """Count one more in the global cache; the window starts at the first count (add()) and incr() never
    extends it. Returns the count so far in the window."""
    cache = caches["global"]
    if cache.add(key, 1, timeout=seconds):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=seconds)
        return 1


def _keys(email: str, ip: str) -> tuple[str, str, str]:
    digest = email_digest(email)
    return f"login-fail:email-ip:{digest}:{ip}", f"login-fail:ip:{ip}", f"login-fail:email:{digest}"


def login_check_allowed(*, email: str, ip: str) -> None:
    """Raise 429 when this client has used up its failures, for this email or at all."""
    pair_key, ip_key, email_key = _keys(email, ip)
    counts = caches["global"].get_many([pair_key, ip_key, email_key])
    pair_limit = settings.LOGIN_FAILURE_LIMIT
    if counts.get(email_key, 0) >= settings.LOGIN_FAILURE_EMAIL_ALERT:
        pair_limit = UNDER_ATTACK_LIMIT
    if counts.get(pair_key, 0) >= pair_limit or counts.get(ip_key, 0) >= settings.LOGIN_FAILURE_LIMIT * IP_FACTOR:
        raise Throttled(wait=settings.LOGIN_FAILURE_WINDOW_SECONDS,
                        detail="Too many failed sign-in attempts. Try again later or reset your password.")


def login_record_failure(*, email: str, ip: str) -> None:
    for key in _keys(email, ip):
        window_count(key, settings.LOGIN_FAILURE_WINDOW_SECONDS)


def login_record_success(*, email: str, ip: str) -> None:
    # Only this client's count for this email: the per-client total must not be resettable by an
    # attacker logging in to their own account, nor the per-email alert by the victim's own device.
    caches["global"].delete(_keys(email, ip)[0])
