"""Platform staff sign in on the public host with a real session (tenants.staff_auth, tenants.staff_api): httpOnly
host-only cookies, scoped to the platform, rotated with reuse detection, ended by logout; only staff may sign in,
and the session works nowhere else (nor does a business session work here)."""
import pytest
from dj_rest_auth.app_settings import api_settings as rest_auth_settings

from conftest import PASSWORD, access_cookie, refresh_cookie
from tenants.models import Membership, Role
from tenants.staff_auth import access_cookie_name, refresh_cookie_name
from tenants.tests.staff_support import (
    ENDED,
    INVALID_LOGIN,
    LOGIN,
    LOGOUT,
    ME,
    REFRESH,
    make_staff,
    public_browser,
    staff_access,
    staff_browser,
    staff_refresh,
)

BUSINESSES = "/api/platform/businesses/"


@pytest.fixture
def staff(db):
    return make_staff()


# --- Signing in -----------------------------------------------------------------------------------------------------

def test_staff_sign_in_with_httponly_host_only_cookies_of_their_own(staff):
    client = public_browser()

    response = client.post(LOGIN, {"email": "OPS@convonest.example ", "password": PASSWORD}, format="json")

    assert response.status_code == 200, response.content
    assert response.json() == {"user": {"id": staff.pk, "email": staff.email, "first_name": "", "last_name": ""}}
    access, refresh = response.cookies["cn-staff-access"], response.cookies["cn-staff-refresh"]
    for cookie in (access, refresh):
        assert cookie["httponly"] and cookie["samesite"] == "Lax" and cookie["domain"] == ""  # host-only
    assert (access["path"], refresh["path"]) == ("/", "/api/platform/auth/")
    assert access_cookie() not in response.cookies and refresh_cookie() not in response.cookies  # not a business's
    assert "access" not in response.json() and "refresh" not in response.json()  # tokens only in cookies
    assert client.get(ME).json()["email"] == staff.email
    assert client.get(BUSINESSES).status_code == 200
    staff.refresh_from_db()
    assert staff.last_login is not None


def test_over_https_the_staff_cookies_carry_the_host_prefix(staff, monkeypatch):
    monkeypatch.setattr(rest_auth_settings, "JWT_AUTH_SECURE", True)
    client = public_browser()

    response = client.post(LOGIN, {"email": staff.email, "password": PASSWORD}, format="json")

    assert (access_cookie_name(), refresh_cookie_name()) == ("__Host-cn-staff-access", "__Host-cn-staff-refresh")
    for name in (access_cookie_name(), refresh_cookie_name()):
        cookie = response.cookies[name]
        # What browsers demand of a __Host- cookie: Secure, Path=/, no Domain.
        assert (cookie["secure"], cookie["path"], cookie["domain"]) == (True, "/", "")
    assert client.get(ME).status_code == 200
    assert client.post(REFRESH).status_code == 200
    planted = public_browser()  # another host of the site can set `cn-staff-access`, never a __Host- cookie
    planted.cookies["cn-staff-access"] = staff_access(client)
    assert planted.get(ME).status_code == 401


def _refusal(response) -> tuple:
    return response.status_code, response.json(), dict(response.cookies)


@pytest.mark.parametrize("who", ["wrong password", "a business owner", "inactive staff", "unknown email"])
def test_anyone_but_active_staff_gets_the_wrong_password_answer(staff, alpha, who):
    email, password = {
        "wrong password": (staff.email, "not-the-password-1"),
        "a business owner": (alpha.owner.email, PASSWORD),  # the right password of a business login
        "inactive staff": ("gone@convonest.example", PASSWORD),
        "unknown email": ("nobody@convonest.example", PASSWORD),
    }[who]
    make_staff("gone@convonest.example", is_active=False)

    response = public_browser().post(LOGIN, {"email": email, "password": password}, format="json")

    assert _refusal(response) == (400, {"code": "validation_error", "message": INVALID_LOGIN,
                                        "errors": {"non_field_errors": [INVALID_LOGIN]}}, {})


def test_failed_staff_logins_share_the_business_logins_throttle(staff, alpha, settings):
    settings.LOGIN_FAILURE_LIMIT = 2
    for _ in range(2):  # guessing the staff member's password on a business's host ...
        assert alpha.client().post("/api/auth/login/", {"email": staff.email, "password": "guess-1"}).status_code == 400

    response = public_browser().post(LOGIN, {"email": staff.email, "password": PASSWORD}, format="json")

    assert (response.status_code, response.json()["code"]) == (429, "throttled")  # ... counts here too


# --- The session is the platform's, and only the public host's ------------------------------------------------------

def test_the_staff_session_is_refused_on_a_business_host_even_for_a_member(staff, alpha):
    Membership.objects.create(user=staff, tenant=alpha.tenant, role=Role.OWNER)
    token = staff_access(staff_browser(staff))

    as_business_cookie = alpha.client()
    as_business_cookie.cookies[access_cookie()] = token
    as_staff_cookie = alpha.client()
    as_staff_cookie.cookies[access_cookie_name()] = token  # never read there: not a business's cookie
    as_header = alpha.client().get("/api/auth/user/", HTTP_AUTHORIZATION=f"Bearer {token}")

    response = as_business_cookie.get("/api/auth/user/")
    assert (response.status_code, response.json()["code"]) == (401, "authentication_failed")
    assert as_staff_cookie.get("/api/auth/user/").json()["code"] == "not_authenticated"
    assert (as_header.status_code, as_header.json()["code"]) == (401, "authentication_failed")
    assert alpha.client().get("/api/platform/businesses/").status_code == 404  # no platform route there


def test_a_business_session_of_a_staff_member_is_not_a_platform_session(staff, alpha):
    Membership.objects.create(user=staff, tenant=alpha.tenant, role=Role.OWNER)
    business = alpha.client(staff)
    access, refresh = business.cookies[access_cookie()].value, business.cookies[refresh_cookie()].value

    in_staff_cookie = public_browser()
    in_staff_cookie.cookies[access_cookie_name()] = access
    in_business_cookie = public_browser()
    in_business_cookie.cookies[access_cookie()] = access
    as_header = public_browser().get(BUSINESSES, HTTP_AUTHORIZATION=f"Bearer {access}")
    refresh_here = public_browser()
    refresh_here.cookies[refresh_cookie_name()] = refresh

    response = in_staff_cookie.get(BUSINESSES)
    assert (response.status_code, response.json()["code"]) == (401, "authentication_failed")
    assert (in_business_cookie.get(BUSINESSES).status_code, in_business_cookie.get(BUSINESSES).json()["code"]) == (
        401, "not_authenticated")
    assert (as_header.status_code, as_header.json()["code"]) == (401, "authentication_failed")
    refreshed = refresh_here.post(REFRESH)
    assert refreshed.status_code == 401, refreshed.content  # neither minted a platform session ...
    assert business.post("/api/auth/token/refresh/").status_code == 200  # ... nor spent the business's


def test_someone_no_longer_staff_gets_403_and_cannot_refresh(staff):
    client = staff_browser(staff)
    staff.is_staff = False
    staff.save()

    response = client.get(BUSINESSES)

    assert (response.status_code, response.json()["code"]) == (403, "permission_denied")
    assert client.post(REFRESH).status_code == 401


def test_without_a_session_the_platform_api_is_401(db):
    response = public_browser().get(ME)

    assert (response.status_code, response.json()["code"]) == (401, "not_authenticated")


# --- Same-origin writes ---------------------------------------------------------------------------------------------

CROSS_SITE = {
    "no provenance headers": {},
    "another site": {"HTTP_ORIGIN": "https://evil.example", "HTTP_SEC_FETCH_SITE": "cross-site"},
    "a business's page": {"HTTP_ORIGIN": "http://alpha.localhost", "HTTP_SEC_FETCH_SITE": "same-site"},
}


@pytest.mark.parametrize("headers", CROSS_SITE.values(), ids=CROSS_SITE.keys())
def test_a_cross_site_page_cannot_act_with_the_staff_cookies(staff, headers):
    client = staff_browser(staff)
    client.defaults.pop("HTTP_SEC_FETCH_SITE")
    form = {"content_type": "application/x-www-form-urlencoded"}

    replay = client.post("/api/platform/webhook-changes/1/replay/", "", **form, **headers)
    refresh = client.post(REFRESH, "", **form, **headers)
    logout = client.post(LOGOUT, "", **form, **headers)
    stranger = public_browser()
    stranger.defaults.pop("HTTP_SEC_FETCH_SITE")
    login = stranger.post(LOGIN, f"email={staff.email}&password={PASSWORD}", **form, **headers)

    for response in (replay, refresh, logout, login):
        assert (response.status_code, response.json()["code"]) == (403, "csrf_failed"), response.wsgi_request.path
    assert client.get(ME, **headers).status_code == 200  # reads are not checked; nothing was spent


def test_a_script_token_needs_no_origin(staff):
    from tenants.staff_auth import platform_token_for

    client = public_browser(HTTP_AUTHORIZATION=f"Bearer {platform_token_for(staff)}")
    client.defaults.pop("HTTP_SEC_FETCH_SITE")

    response = client.post("/api/platform/webhook-changes/999999/replay/")

    assert response.status_code == 404  # got past authentication: no such change


# --- Refresh, reuse, logout -----------------------------------------------------------------------------------------

def test_refresh_rotates_both_cookies(staff):
    client = staff_browser(staff)
    old_access, old_refresh = staff_access(client), staff_refresh(client)

    response = client.post(REFRESH)

    assert response.status_code == 200 and set(response.json()) == {"access_expiration"}
    assert staff_refresh(client) != old_refresh and staff_access(client) != old_access
    assert response.cookies[refresh_cookie_name()]["path"] == "/api/platform/auth/"
    assert client.get(ME).status_code == 200


def test_a_reused_refresh_token_ends_the_session_for_both_holders(staff, settings, django_capture_on_commit_callbacks):
    settings.REFRESH_REUSE_GRACE_SECONDS = 0
    victim = staff_browser(staff)
    laptop = staff_browser(staff)  # another sign-in: another family
    thief = public_browser()
    thief.cookies[refresh_cookie_name()] = staff_refresh(victim)
    assert thief.post(REFRESH).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        reused = victim.post(REFRESH)  # the victim's copy was rotated by the thief: a reuse

    assert (reused.status_code, reused.json()["message"]) == (401, ENDED)
    assert thief.post(REFRESH).status_code == 401
    for session in (thief, victim):  # their access cookies die with the family, within their 15 minutes
        assert (session.get(ME).status_code, session.get(ME).json()["message"]) == (401, ENDED)
    assert laptop.get(ME).status_code == 200 and laptop.post(REFRESH).status_code == 200


def test_two_tabs_refreshing_at_once_do_not_end_the_session(staff):
    tab_one = staff_browser(staff)
    shared = staff_refresh(tab_one)
    assert tab_one.post(REFRESH).status_code == 200
    tab_two = public_browser()
    tab_two.cookies[refresh_cookie_name()] = shared

    assert tab_two.post(REFRESH).status_code == 401  # within the grace period: nothing revoked
    assert tab_one.post(REFRESH).status_code == 200


def test_an_access_token_in_the_refresh_cookie_is_refused(staff):
    client = staff_browser(staff)
    client.cookies[refresh_cookie_name()] = staff_access(client)

    assert client.post(REFRESH).status_code == 401


def test_logout_ends_the_session_at_once_and_clears_the_cookies(staff, django_capture_on_commit_callbacks):
    client = staff_browser(staff)
    other = staff_browser(staff)
    access, refresh = staff_access(client), staff_refresh(client)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(LOGOUT)

    assert response.status_code == 200
    assert response.cookies[access_cookie_name()].value == "" and response.cookies[refresh_cookie_name()].value == ""
    stolen = public_browser()
    stolen.cookies[access_cookie_name()] = access
    stolen.cookies[refresh_cookie_name()] = refresh
    assert (stolen.get(ME).status_code, stolen.get(ME).json()["message"]) == (401, ENDED)
    assert stolen.post(REFRESH).status_code == 401
    assert other.get(ME).status_code == 200  # another sign-in is another session


def test_logout_with_only_the_access_cookie_left_still_ends_the_session(staff, django_capture_on_commit_callbacks):
    client = staff_browser(staff)
    refresh = staff_refresh(client)
    del client.cookies[refresh_cookie_name()]  # e.g. the browser dropped it: the session must still end here

    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(LOGOUT).status_code == 200

    leftover = public_browser()
    leftover.cookies[refresh_cookie_name()] = refresh
    assert leftover.post(REFRESH).status_code == 401


def test_logout_without_a_session_still_clears_the_cookies(db):
    response = public_browser().post(LOGOUT)

    assert response.status_code == 200 and response.cookies[access_cookie_name()].value == ""


def test_a_password_change_ends_the_staff_session(staff):
    from datetime import timedelta

    from django.utils import timezone

    from tenants.models import User

    client = staff_browser(staff)

    # A change after the token was issued (`iat` has whole seconds: a change of the same second is the family's job).
    User.objects.filter(pk=staff.pk).update(password_changed_at=timezone.now() + timedelta(seconds=2))

    assert (client.get(ME).status_code, client.get(ME).json()["message"]) == (401, ENDED)
