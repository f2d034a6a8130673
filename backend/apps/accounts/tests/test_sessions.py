"""Refresh-token families: a rotated token presented again ends its whole family, and only that family."""
from conftest import refresh_cookie


def _refresh_with(business, token: str):
    client = business.client()  # a browser on the business's pages
    client.cookies[refresh_cookie()] = token
    return client, client.post("/api/auth/token/refresh/")


def test_when_a_thief_refreshes_first_the_victims_next_refresh_ends_both(alpha, settings):
    settings.REFRESH_REUSE_GRACE_SECONDS = 0
    victim = alpha.client(alpha.owner)
    laptop = alpha.client(alpha.owner)  # another login of the same person: another family
    stolen = victim.cookies[refresh_cookie()].value

    thief, first = _refresh_with(alpha, stolen)
    assert first.status_code == 200

    assert victim.post("/api/auth/token/refresh/").status_code == 401  # the victim reuses the rotated token
    assert thief.post("/api/auth/token/refresh/").status_code == 401  # and the thief's rotation died with it
    assert laptop.post("/api/auth/token/refresh/").status_code == 200  # other sessions are untouched


def test_a_thief_replaying_an_old_token_ends_the_victims_current_session_too(alpha, settings):
    settings.REFRESH_REUSE_GRACE_SECONDS = 0
    victim = alpha.client(alpha.owner)
    old = victim.cookies[refresh_cookie()].value
    assert victim.post("/api/auth/token/refresh/").status_code == 200

    _, replay = _refresh_with(alpha, old)

    assert replay.status_code == 401
    assert replay.json()["code"] in {"token_not_valid", "authentication_failed"}
    assert victim.post("/api/auth/token/refresh/").status_code == 401  # must log in again: only they can


def test_two_tabs_refreshing_at_once_do_not_end_the_session(alpha):
    tab_one = alpha.client(alpha.owner)
    shared = tab_one.cookies[refresh_cookie()].value
    assert tab_one.post("/api/auth/token/refresh/").status_code == 200

    _, tab_two = _refresh_with(alpha, shared)  # a moment later, with the cookie it read before

    assert tab_two.status_code == 401
    assert tab_one.post("/api/auth/token/refresh/").status_code == 200
