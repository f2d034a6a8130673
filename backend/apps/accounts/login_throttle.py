"""Failed-login throttling, counted per email across *every* tenant host and per client IP.

Counting per host would let an attacker try a global login on one host after another.
"""
import hashlib

from django.conf import settings
from django.core.cache import caches
from rest_framework.exceptions import Throttled

IP_FACTOR = 4  # one office may share an IP; allow it a few people's worth of typos


def _keys(email: str, ip: str) -> tuple[str, str]:
    digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]
    return f"login-fail:email:{digest}", f"login-fail:ip:{ip}"


def client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "")


def login_check_allowed(*, email: str, ip: str) -> None:
    cache = caches["global"]
    email_key, ip_key = _keys(email, ip)
    counts = cache.get_many([email_key, ip_key])
    if counts.get(email_key, 0) >= settings.LOGIN_FAILURE_LIMIT or \
            counts.get(ip_key, 0) >= settings.LOGIN_FAILURE_LIMIT * IP_FACTOR:
        raise Throttled(wait=settings.LOGIN_FAILURE_WINDOW_SECONDS,
                        detail="Too many failed sign-in attempts. Try again later or reset your password.")


def login_record_failure(*, email: str, ip: str) -> None:
    cache = caches["global"]
    for key in _keys(email, ip):
        # add() starts the window at the first failure; incr() never extends it.
        if not cache.add(key, 1, timeout=settings.LOGIN_FAILURE_WINDOW_SECONDS):
            try:
                cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.add(key, 1, timeout=settings.LOGIN_FAILURE_WINDOW_SECONDS)


def login_record_success(*, email: str, ip: str) -> None:
    caches["global"].delete(_keys(email, ip)[0])
