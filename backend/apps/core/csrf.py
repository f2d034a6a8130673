"""CSRF defence: an unsafe request the session cookies would authenticate must come from this origin's pages.

Every tenant is `{slug}.BASE_DOMAIN`, so all tenants (and any future marketing or help host) are one *site*
and SameSite=Lax cookies ride along on a POST from a sibling's page. We don't use a CSRF token: the
browser already says where a request comes from, in headers no page can set or forge:

1. `Sec-Fetch-Site` (every current browser): must be `same-origin`, or `none` (the user typed it).
   `same-site` is exactly the sibling-tenant case, so it is refused.
2. else `Origin` (older browsers send it on every cross-origin POST): must equal this request's own
   origin, the scheme and host Django sees through the trusted proxy, or an entry of
   CSRF_TRUSTED_ORIGINS (exact origins; a `*.` wildcard there would readmit every sibling tenant).
3. else (no browser header at all: a script, or a very old browser) the request must be one a
   cross-site page can't send without a CORS preflight, which we never grant: PUT/PATCH/DELETE, or a
   POST whose Content-Type is not a form's or text/plain (the app always posts JSON).

The access cookie is checked in `tenants.auth`; views that set or spend the cookies without it
(login, refresh, logout, handoff, invite accept) use `SameOriginRequired`.
"""
import logging

from django.conf import settings

security_log = logging.getLogger("convonest.security")

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
ALLOWED_FETCH_SITES = frozenset({"same-origin", "none"})
# What a <form>, or fetch() in no-cors mode, can send cross-site without a preflight (Fetch standard's
# CORS-safelisted Content-Type values). No Content-Type at all is the bodiless no-cors POST.
SIMPLE_CONTENT_TYPES = frozenset({"", "application/x-www-form-urlencoded", "multipart/form-data", "text/plain"})


def request_origin(request) -> str:
    """This request's own origin as the browser wrote it: scheme and host as forwarded by our proxy."""
    return f"{request.scheme}://{request.get_host()}"


def cross_origin_reason(request) -> str | None:
    """Why this request may have come from another origin's page; None when it provably did not."""
    if request.method in SAFE_METHODS:
        return None
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None:
        return None if fetch_site.lower() in ALLOWED_FETCH_SITES else f"Sec-Fetch-Site is {fetch_site!r}"
    origin = request.headers.get("Origin")
    if origin is not None:
        trusted = {o for o in settings.CSRF_TRUSTED_ORIGINS if "*" not in o}
        if origin == request_origin(request) or origin in trusted:
            return None
        return f"Origin {origin!r} is not {request_origin(request)!r}"
    if request.method != "POST":
        return None
    content_type = request.META.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
    if content_type in SIMPLE_CONTENT_TYPES:
        return f"no Origin or Sec-Fetch-Site, and a {content_type or 'bodiless'} POST"
    return None


def require_same_origin(request) -> None:
    """Raise 403 `csrf_failed` unless the request provably comes from this origin (or is a read)."""
    request = getattr(request, "_request", request)  # DRF's Request wraps Django's
    reason = cross_origin_reason(request)
    if reason is None:
        return
    security_log.warning("cross-origin %s %s refused: %s", request.method, request.path, reason)
    # Imported here: DRF loads the authentication classes (which use this module) while errors.py is loading.
    from apps.core.errors import ApplicationError

    raise ApplicationError(
        "This request did not come from this site's own pages. Reload the page and try again.",
        code="csrf_failed", status_code=403,
    )


class SameOriginRequired:
    """View mixin: unsafe requests must come from this origin, with or without a session cookie.

    For the views that set or spend the auth cookies without the access cookie authenticating them:
    a forged login or handoff would sign the victim into the attacker's account (login CSRF), a forged
    refresh or logout would spend the victim's refresh cookie.
    """

    def initial(self, request, *args, **kwargs):
        require_same_origin(request)
        super().initial(request, *args, **kwargs)
