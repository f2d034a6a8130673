"""CSRF: a request that the session cookies authenticate must prove it was sent by this origin's own pages.

Every tenant is a subdomain of BASE_DOMAIN, one *site*, so SameSite=Lax cookies go along with a POST from
a sibling tenant's page. The browser-set `Sec-Fetch-Site` and `Origin` headers are what a page can't forge.
"""
import pytest
from django_tenants.utils import schema_context
from rest_framework.test import APIClient

from apps.contacts.models import Contact
from conftest import PASSWORD, access_cookie, refresh_cookie
from tenants.models import Invite

FORM = "application/x-www-form-urlencoded"


def victim(business) -> APIClient:
    """A logged-in browser whose requests carry no browser provenance headers until a test adds them."""
    client = business.client(business.owner)
    client.defaults.pop("HTTP_SEC_FETCH_SITE", None)
    return client


def _contacts(business) -> int:
    with schema_context(business.tenant.schema_name):
        return Contact.objects.count()


@pytest.fixture
def alpha_contacts(alpha):
    with schema_context(alpha.tenant.schema_name):
        Contact.objects.create(phone="+919876543210", name="Asha")
        Contact.objects.create(phone="+919876543211", name="Ravi")
    return alpha


# A cross-site <form> auto-submitted from another page: old browsers send neither header, newer ones say
# where it came from. None of them may act with the victim's cookies.
CROSS_SITE = {
    "no provenance headers": {},
    "another site": {"HTTP_ORIGIN": "https://evil.localhost", "HTTP_SEC_FETCH_SITE": "cross-site"},
    "a sibling tenant": {"HTTP_ORIGIN": "http://beta.localhost", "HTTP_SEC_FETCH_SITE": "same-site"},
    "a foreign Origin only": {"HTTP_ORIGIN": "https://evil.localhost"},
    "a sibling Origin only": {"HTTP_ORIGIN": "http://beta.localhost"},
    "a null Origin": {"HTTP_ORIGIN": "null"},
}


@pytest.mark.parametrize("headers", CROSS_SITE.values(), ids=CROSS_SITE.keys())
def test_a_cross_site_form_cannot_invite_an_admin_with_the_victims_cookies(alpha, headers):
    response = victim(alpha).post("/api/team/invites/", "email=att%40evil.example&role=admin", content_type=FORM,
                                  **headers)

    assert response.status_code == 403
    assert response.json()["code"] == "csrf_failed"
    assert not Invite.objects.filter(email="att@evil.example").exists()


@pytest.mark.parametrize("headers", CROSS_SITE.values(), ids=CROSS_SITE.keys())
def test_a_cross_site_form_cannot_bulk_delete_contacts(alpha_contacts, headers):
    response = victim(alpha_contacts).post("/api/contacts/bulk/", "action=delete&filter=%7B%7D", content_type=FORM,
                                           **headers)

    assert response.status_code == 403
    assert response.json()["code"] == "csrf_failed"
    assert _contacts(alpha_contacts) == 2


def test_a_bodiless_cross_site_post_is_refused_too(alpha_contacts):
    """fetch(url, {method: "POST", mode: "no-cors", credentials: "include"}) needs no preflight."""
    with schema_context(alpha_contacts.tenant.schema_name):
        contact_id = Contact.objects.first().pk

    response = victim(alpha_contacts).post(f"/api/contacts/{contact_id}/erase/")

    assert response.status_code == 403
    assert response.json()["code"] == "csrf_failed"
    assert _contacts(alpha_contacts) == 2


SAME_ORIGIN = {
    "Sec-Fetch-Site same-origin": {"HTTP_SEC_FETCH_SITE": "same-origin"},
    "Sec-Fetch-Site none (typed by the user)": {"HTTP_SEC_FETCH_SITE": "none"},
    "this Origin": {"HTTP_ORIGIN": "http://alpha.localhost"},
    "this Origin and Sec-Fetch-Site": {"HTTP_ORIGIN": "http://alpha.localhost", "HTTP_SEC_FETCH_SITE": "same-origin"},
    "JSON without browser headers (an API script)": {},
}


@pytest.mark.parametrize("headers", SAME_ORIGIN.values(), ids=SAME_ORIGIN.keys())
def test_the_apps_own_json_requests_pass(alpha, headers):
    response = victim(alpha).post("/api/team/invites/", {"email": "new@alpha.example", "role": "agent"},
                                  format="json", **headers)

    assert response.status_code == 201, response.content
    assert Invite.objects.filter(email="new@alpha.example").exists()


def test_a_form_body_is_refused_even_from_this_origin_because_the_api_is_json_only(alpha):
    response = victim(alpha).post("/api/team/invites/", "email=new%40alpha.example&role=agent", content_type=FORM,
                                  HTTP_SEC_FETCH_SITE="same-origin")

    assert response.status_code == 415
    assert response.json()["code"] == "unsupported_media_type"
    assert not Invite.objects.filter(email="new@alpha.example").exists()


def test_reads_are_not_checked(alpha):
    response = victim(alpha).get("/api/auth/user/", HTTP_SEC_FETCH_SITE="cross-site", HTTP_ORIGIN="https://evil.localhost")

    assert response.status_code == 200


def test_a_delete_needs_no_origin_because_browsers_preflight_it(alpha):
    """A cross-site page can only send PUT, PATCH or DELETE after a CORS preflight, which we never grant."""
    invite = victim(alpha).post("/api/team/invites/", {"email": "gone@alpha.example"}, format="json",
                                HTTP_SEC_FETCH_SITE="same-origin").json()

    assert victim(alpha).delete(f"/api/team/invites/{invite['id']}/").status_code == 204


def test_behind_the_proxy_the_origin_is_the_browsers_host_and_scheme(alpha):
    """Next.js (dev) and nginx forward the browser's host and scheme; Django compares the Origin to those."""
    client = victim(alpha)
    via_proxy = {"HTTP_HOST": "127.0.0.1:8000", "HTTP_X_FORWARDED_HOST": "alpha.localhost:3000"}
    body = {"email": "x@alpha.example"}

    same = client.post("/api/team/invites/", body, format="json", HTTP_ORIGIN="http://alpha.localhost:3000",
                       **via_proxy)
    other_port = client.post("/api/team/invites/", body, format="json", HTTP_ORIGIN="http://alpha.localhost:4000",
                             **via_proxy)
    https = client.post("/api/team/invites/", {"email": "y@alpha.example"}, format="json",
                        HTTP_ORIGIN="https://alpha.localhost:3000", HTTP_X_FORWARDED_PROTO="https", **via_proxy)
    downgraded = client.post("/api/team/invites/", body, format="json", HTTP_ORIGIN="http://alpha.localhost:3000",
                             HTTP_X_FORWARDED_PROTO="https", **via_proxy)

    assert same.status_code == 201, same.content
    assert other_port.status_code == 403
    assert https.status_code == 201, https.content
    assert downgraded.status_code == 403


def test_an_origin_listed_in_csrf_trusted_origins_passes(alpha, settings):
    settings.CSRF_TRUSTED_ORIGINS = ["https://alpha.localhost"]

    response = victim(alpha).post("/api/team/invites/", {"email": "t@alpha.example"}, format="json",
                                  HTTP_ORIGIN="https://alpha.localhost")

    assert response.status_code == 201, response.content


def test_a_bearer_token_is_not_a_cookie_and_needs_no_origin(alpha):
    """API clients that send the token themselves can't be driven by another page."""
    access = alpha.client(alpha.owner).cookies[access_cookie()].value
    client = APIClient(HTTP_HOST=alpha.host, HTTP_AUTHORIZATION=f"Bearer {access}")

    response = client.post("/api/team/invites/", {"email": "api@alpha.example"}, format="json",
                           HTTP_ORIGIN="https://evil.localhost")

    assert response.status_code == 201, response.content


# --- The auth endpoints: they set or spend the cookies without the access cookie authenticating them. ---

def test_a_cross_site_page_cannot_rotate_or_revoke_the_refresh_token(alpha):
    client = victim(alpha)
    client.cookies.pop(access_cookie())  # expired: only the refresh cookie is left
    refresh = client.cookies[refresh_cookie()].value

    rotated = client.post("/api/auth/token/refresh/", HTTP_SEC_FETCH_SITE="same-site",
                          HTTP_ORIGIN="http://beta.localhost")
    logged_out = client.post("/api/auth/logout/", HTTP_SEC_FETCH_SITE="same-site", HTTP_ORIGIN="http://beta.localhost")

    assert (rotated.status_code, rotated.json()["code"]) == (403, "csrf_failed")
    assert (logged_out.status_code, logged_out.json()["code"]) == (403, "csrf_failed")
    assert client.cookies[refresh_cookie()].value == refresh
    assert client.post("/api/auth/token/refresh/", HTTP_SEC_FETCH_SITE="same-origin").status_code == 200


def test_login_from_another_page_is_refused_so_nobody_is_signed_into_the_attackers_account(alpha):
    """Login CSRF: a forged login would put the victim in a session the attacker controls."""
    client = APIClient(HTTP_HOST=alpha.host)

    response = client.post("/api/auth/login/", {"email": alpha.owner.email, "password": PASSWORD}, format="json",
                           HTTP_ORIGIN="https://evil.localhost", HTTP_SEC_FETCH_SITE="cross-site")
    form = client.post("/api/auth/login/", f"email={alpha.owner.email}&password={PASSWORD}", content_type=FORM)

    assert (response.status_code, response.json()["code"]) == (403, "csrf_failed")
    assert (form.status_code, form.json()["code"]) == (403, "csrf_failed")
    assert access_cookie() not in response.cookies and access_cookie() not in form.cookies


def test_a_handoff_link_posted_from_another_page_is_refused_and_stays_unspent(public_client):
    signup = public_client.post("/api/signup/", {"business_name": "Gamma", "slug": "gamma", "email": "g@gamma.example",
                                                 "password": "gamma-passphrase-1"}, format="json").json()
    token = signup["login_url"].split("token=")[1]
    gamma = APIClient(HTTP_HOST="gamma.localhost")

    forged = gamma.post("/api/auth/handoff/", {"token": token}, format="json", HTTP_ORIGIN="http://alpha.localhost",
                        HTTP_SEC_FETCH_SITE="same-site")
    real = gamma.post("/api/auth/handoff/", {"token": token}, format="json", HTTP_SEC_FETCH_SITE="same-origin")

    assert (forged.status_code, forged.json()["code"]) == (403, "csrf_failed")
    assert real.status_code == 200


def test_signup_carries_no_cookies_and_is_not_checked(public_client):
    response = public_client.post("/api/signup/", {"business_name": "Delta", "slug": "delta",
                                                   "email": "d@delta.example", "password": "delta-passphrase-1"},
                                  format="json", HTTP_ORIGIN="https://elsewhere.example")

    assert response.status_code == 201, response.content
