"""The session cookies' names and scope, for settings.REST_AUTH (dj-rest-auth reads them from there).

Over https both cookies carry the `__Host-` prefix. A browser only accepts such a cookie when it is
Secure, has Path=/ and no Domain, and was set by the host itself, so no other host of our site (a
sibling tenant, a marketing page) can plant or overwrite one: every tenant shares BASE_DOMAIN, and
without the prefix `Set-Cookie: cn-refresh=…; Domain=.BASE_DOMAIN` from any of them would reach all.
That rules out the refresh cookie's narrow `/api/auth/` path; we keep the prefix and accept that the
(httpOnly) refresh token also goes to our own server on other requests to the host.

Plain http (local development) can't have Secure cookies, so the prefix is impossible there: the
cookies keep their short names and the refresh cookie its narrow path.
"""

ACCESS = "cn-access"
REFRESH = "cn-refresh"


def auth_cookies(*, secure: bool) -> dict:
    if secure:
        return {
            "JWT_AUTH_COOKIE": f"__Host-{ACCESS}",
            "JWT_AUTH_REFRESH_COOKIE": f"__Host-{REFRESH}",
            "JWT_AUTH_REFRESH_COOKIE_PATH": "/",
            "JWT_AUTH_SECURE": True,
            "JWT_AUTH_COOKIE_DOMAIN": None,  # host-only; required by __Host-
        }
    return {
        "JWT_AUTH_COOKIE": ACCESS,
        "JWT_AUTH_REFRESH_COOKIE": REFRESH,
        "JWT_AUTH_REFRESH_COOKIE_PATH": "/api/auth/",
        "JWT_AUTH_SECURE": False,
        "JWT_AUTH_COOKIE_DOMAIN": None,
    }
