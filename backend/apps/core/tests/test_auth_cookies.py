"""The session cookies in both configurations: `__Host-` prefixed and Secure over https, short names in dev."""
import pytest
from dj_rest_auth.app_settings import api_settings as rest_auth_settings

from conftest import PASSWORD, access_cookie, refresh_cookie
from convonest.cookies import auth_cookies


@pytest.fixture
def over_https(settings, monkeypatch):
    """settings.REST_AUTH as SITE_SCHEME=https builds it (dj-rest-auth caches its settings, so patch those too)."""
    cookies = auth_cookies(secure=True)
    settings.REST_AUTH = {**settings.REST_AUTH, **cookies}
    for key, value in cookies.items():
        monkeypatch.setattr(rest_auth_settings, key, value)


def _login(client):
    from django.conf import settings

    owner = settings.TEST_BUSINESSES["alpha"].owner
    return client.post("/api/auth/login/", {"email": owner.email, "password": PASSWORD})


def test_over_https_both_cookies_are_host_only_secure_and_carry_the_host_prefix(alpha, over_https):
    client = alpha.client()

    response = _login(client)

    assert response.status_code == 200, response.content
    assert (access_cookie(), refresh_cookie()) == ("__Host-cn-access", "__Host-cn-refresh")
    assert "cn-access" not in response.cookies and "cn-refresh" not in response.cookies
    for name in (access_cookie(), refresh_cookie()):
        cookie = response.cookies[name]
        # What browsers demand of a __Host- cookie: Secure, Path=/, no Domain.
        assert (cookie["secure"], cookie["path"], cookie["domain"]) == (True, "/", "")
        assert cookie["httponly"] and cookie["samesite"] == "Lax"


def test_over_https_the_prefixed_cookies_carry_the_whole_session(alpha, over_https):
    client = alpha.client()
    _login(client)

    assert client.get("/api/auth/user/").status_code == 200
    old_refresh = client.cookies[refresh_cookie()].value
    assert client.post("/api/auth/token/refresh/").status_code == 200
    assert client.cookies[refresh_cookie()].value != old_refresh
    logout = client.post("/api/auth/logout/")
    assert logout.status_code == 200
    for name in (access_cookie(), refresh_cookie()):
        assert (logout.cookies[name].value, logout.cookies[name]["path"]) == ("", "/")
    assert client.get("/api/auth/user/").status_code == 401


def test_over_https_a_cookie_without_the_prefix_is_ignored(alpha, over_https):
    """Another host of the site can set `cn-access` for the whole domain, but never a __Host- cookie."""
    session = alpha.client()
    _login(session)
    planted = alpha.client()
    planted.cookies["cn-access"] = session.cookies[access_cookie()].value

    assert planted.get("/api/auth/user/").status_code == 401


def test_over_http_in_development_the_cookies_keep_their_short_names(alpha):
    response = _login(alpha.client())

    assert (access_cookie(), refresh_cookie()) == ("cn-access", "cn-refresh")
    assert response.cookies["cn-access"]["secure"] == ""
    assert response.cookies["cn-access"]["path"] == "/"
    assert response.cookies["cn-refresh"]["path"] == "/api/auth/"
