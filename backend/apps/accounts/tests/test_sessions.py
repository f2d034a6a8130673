"""Refresh-token families: a rotated token presented again ends its whole family, and only that family."""
from conftest import refresh_cookie

ENDED = "This session has ended. Please log in again."


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


# --- Access tokens die with their session ------------------------------------------------------------------

def test_a_revoked_familys_access_tokens_are_refused_while_the_users_other_login_keeps_working(
        alpha, settings, django_capture_on_commit_callbacks):
    settings.REFRESH_REUSE_GRACE_SECONDS = 0
    victim = alpha.client(alpha.owner)
    laptop = alpha.client(alpha.owner)  # another login of the same person: another family
    thief, first = _refresh_with(alpha, victim.cookies[refresh_cookie()].value)
    assert first.status_code == 200 and thief.get("/api/auth/user/").status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        assert victim.post("/api/auth/token/refresh/").status_code == 401  # the reuse ends the family

    for session in (thief, victim):  # their access cookies are still within their 15 minutes
        response = session.get("/api/auth/user/")
        assert (response.status_code, response.json()["message"]) == (401, ENDED)
    assert laptop.get("/api/auth/user/").status_code == 200
    assert laptop.post("/api/auth/token/refresh/").status_code == 200


def test_an_access_token_issued_before_the_last_password_change_is_refused_without_any_cache(alpha):
    from datetime import timedelta

    from django.core.cache import caches
    from django.utils import timezone
    from rest_framework_simplejwt.tokens import AccessToken

    from conftest import access_cookie
    from tenants.auth import TENANT_CLAIM
    from tenants.models import User

    User.objects.filter(pk=alpha.owner.pk).update(password_changed_at=timezone.now() - timedelta(minutes=2))
    earlier = AccessToken.for_user(alpha.owner)  # issued a minute before the change, like a stolen cookie
    earlier[TENANT_CLAIM] = alpha.tenant.pk
    earlier.set_iat(at_time=timezone.now() - timedelta(minutes=1))
    earlier.set_exp(from_time=timezone.now() - timedelta(minutes=1))
    thief = alpha.client()
    thief.cookies[access_cookie()] = str(earlier)
    assert thief.get("/api/auth/user/").status_code == 200

    alpha.owner.set_password("a-changed-pass-42")  # any place the password is set: change, reset, invite
    alpha.owner.save()
    caches["global"].clear()  # the database alone decides

    response = thief.get("/api/auth/user/")
    assert (response.status_code, response.json()["message"]) == (401, ENDED)
    assert alpha.client(alpha.owner, password="a-changed-pass-42").get("/api/auth/user/").status_code == 200
