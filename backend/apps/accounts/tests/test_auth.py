from rest_framework.test import APIClient

from conftest import PASSWORD, access_cookie, refresh_cookie
from tenants.models import Membership, Reseller, ResellerMembership, ResellerRole, Role, User

OWNER_CAPABILITIES = {"manage_team": True, "manage_contacts": True, "manage_settings": True,
                      "see_all_conversations": True, "send": True, "manage_templates": True, "run_campaigns": True,
                      "billing": True, "manage_reseller_access": True, "view_audit_log": True,
                      "business_data": True}


def _login(client, email, password=PASSWORD):
    return client.post("/api/auth/login/", {"email": email, "password": password}, format="json")


def test_login_sets_httponly_cookies_and_returns_the_user_with_role(alpha):
    client = alpha.client()

    response = _login(client, alpha.owner.email)

    assert response.status_code == 200
    assert response.json()["user"] == {"id": alpha.owner.pk, "email": alpha.owner.email, "first_name": "",
                                       "last_name": "", "role": "owner", "capabilities": OWNER_CAPABILITIES,
                                       "tenant": {"slug": "alpha", "name": "Alpha Ltd"}}
    assert "access" not in response.json() and "refresh" not in response.json()
    for name in (access_cookie(), refresh_cookie()):
        assert response.cookies[name]["httponly"]
        assert response.cookies[name]["samesite"] == "Lax"
    assert response.cookies[refresh_cookie()]["path"] == "/api/auth/"


def test_current_user_needs_a_login(alpha):
    response = alpha.client().get("/api/auth/user/")

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_current_user_shows_the_role_in_this_business(alpha):
    agent = alpha.add_member("agent@alpha.example", Role.AGENT)

    body = alpha.client(agent).get("/api/auth/user/").json()

    assert body["role"] == "agent"
    assert body["tenant"] == {"slug": "alpha", "name": "Alpha Ltd"}


def test_current_user_may_update_their_name_but_not_their_email(alpha):
    client = alpha.client(alpha.owner)

    response = client.patch("/api/auth/user/", {"first_name": "Ada", "email": "evil@x.example"}, format="json")

    assert response.status_code == 200
    alpha.owner.refresh_from_db()
    assert (alpha.owner.first_name, alpha.owner.email) == ("Ada", "owner@alpha.example")


def test_wrong_password_is_a_clear_400(alpha):
    response = _login(alpha.client(), alpha.owner.email, "wrong-password-123")

    assert response.status_code == 400
    assert response.json() == {"code": "validation_error", "message": "The email or password is not correct.",
                               "errors": {"non_field_errors": ["The email or password is not correct."]}}


def test_a_member_of_another_business_cannot_log_in_here_and_learns_nothing(alpha, beta):
    response = _login(beta.client(), alpha.owner.email)

    assert response.status_code == 400
    assert response.json()["message"] == "The email or password is not correct."


def test_failed_logins_are_throttled_per_email_across_every_business(alpha, beta, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    for client in (alpha.client(), beta.client(), alpha.client()):
        assert _login(client, alpha.owner.email, "wrong-password-123").status_code == 400

    response = _login(alpha.client(), alpha.owner.email)  # even the right password waits now

    assert response.status_code == 429
    assert response.json()["code"] == "throttled"
    assert _login(alpha.client(), alpha.owner.email.upper()).status_code == 429
    assert _login(beta.client(), beta.owner.email).status_code == 200  # other people are unaffected


def test_a_successful_login_resets_the_failure_count(alpha, settings):
    settings.LOGIN_FAILURE_LIMIT = 2
    assert _login(alpha.client(), alpha.owner.email, "wrong-password-123").status_code == 400
    assert _login(alpha.client(), alpha.owner.email).status_code == 200
    assert _login(alpha.client(), alpha.owner.email, "wrong-password-123").status_code == 400
    assert _login(alpha.client(), alpha.owner.email).status_code == 200


def test_logout_blacklists_the_refresh_token_and_clears_cookies(alpha):
    client = alpha.client(alpha.owner)
    refresh = client.cookies[refresh_cookie()].value

    response = client.post("/api/auth/logout/")

    assert response.status_code == 200
    assert client.cookies[access_cookie()].value == ""
    reuse = APIClient(HTTP_HOST=alpha.host, HTTP_SEC_FETCH_SITE="same-origin")
    reuse.cookies[refresh_cookie()] = refresh
    assert reuse.post("/api/auth/token/refresh/").status_code == 401


def test_refresh_rotates_the_cookies(alpha):
    client = alpha.client(alpha.owner)
    old_refresh = client.cookies[refresh_cookie()].value

    response = client.post("/api/auth/token/refresh/")

    assert response.status_code == 200
    assert client.cookies[refresh_cookie()].value != old_refresh
    assert client.get("/api/auth/user/").status_code == 200


def test_a_refresh_token_of_one_business_is_refused_by_another(alpha, beta):
    refresh = alpha.client(alpha.owner).cookies[refresh_cookie()].value
    thief = beta.client()
    thief.cookies[refresh_cookie()] = refresh

    response = thief.post("/api/auth/token/refresh/")

    assert response.status_code == 401
    assert access_cookie() not in response.cookies or response.cookies[access_cookie()].value == ""
    owner = alpha.client()
    owner.cookies[refresh_cookie()] = refresh
    assert owner.post("/api/auth/token/refresh/").status_code == 200  # the owner's session survived


def test_a_removed_member_is_refused_at_once(alpha):
    agent = alpha.add_member("agent@alpha.example", Role.AGENT)
    client = alpha.client(agent)
    Membership.objects.filter(user=agent, tenant=alpha.tenant).delete()

    response = client.get("/api/auth/user/")

    assert response.status_code == 403
    assert response.json()["message"] == "You are not a member of this business."


def test_a_deactivated_user_is_refused(alpha):
    client = alpha.client(alpha.owner)
    User.objects.filter(pk=alpha.owner.pk).update(is_active=False)

    assert client.get("/api/auth/user/").status_code == 401


def test_reseller_people_act_in_their_resellers_businesses_only(alpha, beta):
    reseller = Reseller.objects.create(name="Agency", slug="agency")
    alpha.tenant.reseller = reseller
    alpha.tenant.save(update_fields=["reseller"])
    staff = User.objects.create_user(email="staff@agency.example", password=PASSWORD)
    ResellerMembership.objects.create(user=staff, reseller=reseller, role=ResellerRole.ADMIN)

    assert alpha.client(staff).get("/api/auth/user/").json()["role"] == "admin"
    assert _login(beta.client(), staff.email).status_code == 400


def _change_password(client, old: str):
    return client.post("/api/auth/password/change/", {"old_password": old, "new_password1": "brand-new-pass-77",
                                                       "new_password2": "brand-new-pass-77"}, format="json")


def test_password_change_needs_the_old_password(alpha):
    client = alpha.client(alpha.owner)

    wrong = _change_password(client, "nope-nope-nope")
    right = _change_password(client, PASSWORD)

    assert wrong.status_code == 400 and "old_password" in wrong.json()["errors"]
    assert right.status_code == 200
    alpha.owner.refresh_from_db()
    assert alpha.owner.check_password("brand-new-pass-77")


def test_password_change_signs_out_other_devices_but_not_this_one(alpha):
    laptop, phone = alpha.client(alpha.owner), alpha.client(alpha.owner)

    assert _change_password(laptop, PASSWORD).status_code == 200

    assert phone.post("/api/auth/token/refresh/").status_code == 401
    assert laptop.post("/api/auth/token/refresh/").status_code == 200
    assert laptop.get("/api/auth/user/").status_code == 200


def test_the_signup_handoff_link_signs_in_once_on_its_own_host_only(public_client, beta):
    signup = public_client.post("/api/signup/", {"business_name": "Gamma", "slug": "gamma", "email": "g@gamma.example",
                                                 "password": "gamma-passphrase-1"}, format="json").json()
    token = signup["login_url"].split("token=")[1]
    on_beta = beta.client().post("/api/auth/handoff/", {"token": token}, format="json")
    gamma = APIClient(HTTP_HOST="gamma.localhost")

    first = gamma.post("/api/auth/handoff/", {"token": token}, format="json")
    second = APIClient(HTTP_HOST="gamma.localhost").post("/api/auth/handoff/", {"token": token}, format="json")

    assert on_beta.status_code == 400
    assert first.status_code == 200
    assert first.json()["user"]["role"] == "owner"
    assert gamma.get("/api/auth/user/").json()["email"] == "g@gamma.example"
    assert second.status_code == 400
    assert second.json()["code"] == "invalid_token"


def test_a_tampered_handoff_token_is_refused(alpha):
    response = alpha.client().post("/api/auth/handoff/", {"token": "eyJ1IjoxfQ:forged:sig"}, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_token"


def test_the_current_user_shows_an_agent_only_what_their_role_allows(alpha):
    client = alpha.client(alpha.add_member("agent@alpha.example", Role.AGENT))

    capabilities = client.get("/api/auth/user/").json()["capabilities"]

    assert capabilities == {name: name == "send" for name in OWNER_CAPABILITIES}


def test_an_admin_holds_every_capability_but_billing_reseller_access_and_the_business_data(alpha):
    client = alpha.client(alpha.add_member("admin@alpha.example", Role.ADMIN))

    capabilities = client.get("/api/auth/user/").json()["capabilities"]

    owner_only = {"billing", "manage_reseller_access", "business_data"}
    assert capabilities == {name: name not in owner_only for name in OWNER_CAPABILITIES}
