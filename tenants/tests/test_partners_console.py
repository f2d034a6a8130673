"""The partner console: reseller signup, its own sign-in bound to its host, client businesses, entering one (audited
on both sides, revocable by the business's owner) and the reseller's team."""
import re
from urllib.parse import parse_qs, urlparse

import pytest
from django.conf import settings
from django.core import mail
from django_tenants.utils import schema_context
from rest_framework.test import APIClient

from conftest import access_cookie, refresh_cookie
from tenants.models import ResellerMembership, ResellerRole, Role, Tenant
from tenants.partners.models import ResellerEvent
from tenants.tests.partners_support import PASSWORD, console_client, make_partner


@pytest.fixture
def agency(db):
    return make_partner("agency")


@pytest.fixture
def rival(db):
    return make_partner("rival")


def _token_of(url: str) -> str:
    return parse_qs(urlparse(url).query)["token"][0]


# --- Signup and sign-in ------------------------------------------------------------------------------------------

def test_a_reseller_signs_up_on_the_public_host_and_lands_signed_in_on_its_console(public_client):
    response = public_client.post("/api/partners/signup/", {"company_name": "Growth Agency", "slug": "growth",
                                                            "email": "Boss@Growth.example", "password": PASSWORD},
                                  format="json")

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["reseller"]["name"] == "Growth Agency"
    assert body["login_url"].startswith(f"{body['console_url']}/partners/welcome?token=")
    assert urlparse(body["console_url"]).hostname == settings.PARTNERS_HOST
    console = console_client()
    session = console.post("/api/auth/handoff/", {"token": _token_of(body["login_url"])}, format="json")
    assert session.status_code == 200, session.content
    assert session.json()["email"] == "boss@growth.example"
    assert session.json()["role"] == "admin" and session.json()["capabilities"]["manage_businesses"] is True
    assert console.get("/api/auth/user/").json()["reseller"]["slug"] == "growth"
    again = console_client().post("/api/auth/handoff/", {"token": _token_of(body["login_url"])}, format="json")
    assert again.status_code == 400 and again.json()["code"] == "invalid_token"  # single use


def test_reseller_signup_refuses_bad_input_with_field_errors(public_client, agency):
    taken = public_client.post("/api/partners/signup/", {"company_name": "X", "slug": "agency",
                                                         "email": "x@x.example", "password": PASSWORD}, format="json")
    assert taken.status_code == 400 and "slug" in taken.json()["errors"]
    reserved = public_client.post("/api/partners/signup/", {"company_name": "X", "slug": "admin",
                                                            "email": "x@x.example", "password": PASSWORD},
                                  format="json")
    assert reserved.status_code == 400 and "slug" in reserved.json()["errors"]
    wrong = public_client.post("/api/partners/signup/", {"company_name": "X", "slug": "fresh-one",
                                                         "email": agency.admin.email, "password": "not-it-12345!"},
                               format="json")
    assert wrong.status_code == 400 and "email" in wrong.json()["errors"]
    assert console_client().post("/api/partners/signup/", {}, format="json").status_code == 404


def test_console_sessions_work_only_on_the_console_and_business_sessions_never_there(agency, alpha):
    console = agency.client()
    assert console.get("/api/partners/businesses/").status_code == 200
    # The console's cookie on a business's host, and a business's cookie on the console: both refused.
    on_business = APIClient(HTTP_HOST=alpha.host)
    on_business.cookies[access_cookie()] = console.cookies[access_cookie()].value
    assert on_business.get("/api/auth/user/").status_code == 401
    business = alpha.client(alpha.owner)
    on_console = console_client()
    on_console.cookies[access_cookie()] = business.cookies[access_cookie()].value
    assert on_console.get("/api/partners/businesses/").status_code == 401
    on_console.cookies[refresh_cookie()] = business.cookies[refresh_cookie()].value
    assert on_console.post("/api/auth/token/refresh/").status_code == 401


def test_a_business_member_cannot_sign_in_to_the_console(alpha):
    response = console_client().post("/api/auth/login/", {"email": alpha.owner.email, "password": PASSWORD},
                                     format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {"non_field_errors": ["The email or password is not correct."]}


def test_console_login_on_another_host_is_not_a_route_and_cross_site_writes_are_refused(agency, public_client):
    assert public_client.post("/api/partners/auth/login/", {"email": agency.admin.email, "password": PASSWORD},
                              format="json").status_code == 404
    console = agency.client()
    console.credentials(HTTP_SEC_FETCH_SITE="cross-site")
    response = console.post("/api/partners/businesses/", {"business_name": "X", "slug": "xxx-yyy",
                                                          "owner_email": "o@x.example"}, format="json")
    assert response.status_code == 403 and response.json()["code"] == "csrf_failed"


def test_the_console_refreshes_its_session_and_a_reused_refresh_token_ends_it(agency):
    console = agency.client()
    stolen = console.cookies[refresh_cookie()].value
    assert console.post("/api/auth/token/refresh/").status_code == 200
    thief = console_client()
    thief.cookies[refresh_cookie()] = stolen
    assert thief.post("/api/auth/token/refresh/").status_code == 401


def test_the_site_api_tells_the_frontend_it_is_on_the_console(db):
    assert console_client().get("/api/site/").json()["kind"] == "partners"


# --- Businesses --------------------------------------------------------------------------------------------------

def test_a_reseller_creates_a_client_business_whose_owner_is_invited(agency, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = agency.client().post("/api/partners/businesses/", {"business_name": "Bakery Co",
                                                                      "slug": "bakery",
                                                                      "owner_email": "Owner@Bakery.example"},
                                        format="json")

    assert response.status_code == 201, response.content
    business = response.json()
    assert business["slug"] == "bakery" and business["plan"]["code"] and business["numbers"] == []
    tenant = Tenant.objects.get(slug="bakery")
    assert tenant.reseller_id == agency.reseller.pk
    invite = tenant.invites.get()
    assert (invite.email, invite.role) == ("owner@bakery.example", Role.OWNER)
    assert [m.to for m in mail.outbox] == [["owner@bakery.example"]]
    assert re.search(r"http://bakery\.localhost(:\d+)?/invite/accept#token=", mail.outbox[0].body)
    event = ResellerEvent.objects.get(reseller=agency.reseller, action="business_created")
    assert (event.tenant_id, event.actor_email) == (tenant.pk, agency.admin.email)


def test_the_list_shows_plan_usage_number_health_and_last_activity_of_own_businesses_only(agency, rival, alpha,
                                                                                         beta):
    from apps.messaging.models import Conversation  # noqa: F401 - the business's own tables
    from apps.whatsapp.models import BusinessAccount, PhoneNumber
    from tenants.billing.usage import MESSAGES_SENT, usage_add

    agency.adopt(alpha)
    rival.adopt(beta)
    with schema_context(alpha.tenant.schema_name):
        account = BusinessAccount.objects.create(waba_id="waba-1", name="Alpha")
        PhoneNumber.objects.create(account=account, phone_number_id="555001", display_phone_number="+1 555 0001",
                                   verified_name="Alpha", quality_rating="YELLOW", status="CONNECTED",
                                   messaging_limit_tier="TIER_1K")
    usage_add(alpha.tenant.pk, MESSAGES_SENT, 42)

    rows = agency.client().get("/api/partners/businesses/").json()["results"]

    assert [r["slug"] for r in rows] == ["alpha"]
    assert rows[0]["usage"]["messages_sent"] == 42
    assert rows[0]["numbers"] == [{"phone_number_id": "555001", "display_phone_number": "+1 555 0001",
                                   "verified_name": "Alpha", "quality_rating": "YELLOW", "status": "CONNECTED",
                                   "messaging_limit_tier": "TIER_1K"}]
    assert "last_activity_at" in rows[0]
    assert [r["slug"] for r in rival.client().get("/api/partners/businesses/").json()["results"]] == ["beta"]
    assert agency.client().get("/api/partners/businesses/?q=zzz").json()["results"] == []


def test_suspending_a_business_takes_its_host_offline_until_it_is_resumed(agency, alpha):
    agency.adopt(alpha)
    console = agency.client()
    suspended = console.post(f"/api/partners/businesses/{alpha.tenant.pk}/suspend/", {"reason": "unpaid"},
                             format="json")
    assert suspended.status_code == 200 and suspended.json()["is_active"] is False
    assert alpha.client().get("/api/site/").status_code == 404
    again = console.post(f"/api/partners/businesses/{alpha.tenant.pk}/suspend/", {}, format="json")
    assert again.status_code == 409
    assert console.post(f"/api/partners/businesses/{alpha.tenant.pk}/resume/").json()["is_active"] is True
    assert alpha.client().get("/api/site/").json()["kind"] == "tenant"
    actions = list(ResellerEvent.objects.filter(tenant=alpha.tenant).values_list("action", flat=True))
    assert sorted(actions) == ["business_resumed", "business_suspended"]


def test_reseller_support_can_read_and_enter_but_not_create_suspend_or_manage_the_team(agency, alpha):
    agency.adopt(alpha)
    support = agency.client(agency.person("help@agency.example"))
    assert support.get("/api/partners/businesses/").status_code == 200
    assert support.post("/api/partners/businesses/", {"business_name": "X", "slug": "xyz-shop",
                                                      "owner_email": "o@x.example"}, format="json").status_code == 403
    assert support.post(f"/api/partners/businesses/{alpha.tenant.pk}/suspend/").status_code == 403
    assert support.post("/api/partners/team/invites/", {"email": "n@x.example"}, format="json").status_code == 403
    assert support.post(f"/api/partners/businesses/{alpha.tenant.pk}/enter/").status_code == 200


# --- Entering a business -----------------------------------------------------------------------------------------

def _enter(partner_client, business) -> APIClient:
    response = partner_client.post(f"/api/partners/businesses/{business.tenant.pk}/enter/")
    assert response.status_code == 200, response.content
    url = response.json()["url"]
    assert urlparse(url).hostname == business.host
    inside = business.client()
    signed_in = inside.post("/api/auth/handoff/", {"token": _token_of(url)}, format="json")
    assert signed_in.status_code == 200, signed_in.content
    return inside


def test_entering_signs_reseller_staff_in_with_the_role_their_reseller_role_grants_and_is_audited(agency, alpha):
    from apps.audit.models import AuditEvent

    agency.adopt(alpha)
    admin_inside = _enter(agency.client(), alpha)
    assert admin_inside.get("/api/auth/user/").json()["role"] == "admin"
    support = agency.person("help@agency.example")
    support_inside = _enter(agency.client(support), alpha)
    assert support_inside.get("/api/auth/user/").json()["role"] == "agent"

    entered = ResellerEvent.objects.filter(reseller=agency.reseller, action="business_entered", tenant=alpha.tenant)
    assert sorted(entered.values_list("actor_email", flat=True)) == [agency.admin.email, support.email]
    with schema_context(alpha.tenant.schema_name):
        log = AuditEvent.objects.filter(action="team.reseller_entered")
        assert sorted(log.values_list("actor_label", flat=True)) == [agency.admin.email, support.email]
        assert set(log.values_list("actor_type", flat=True)) == {"reseller"}
        assert {e.detail["reseller"] for e in log} == {agency.reseller.name}
        # Once inside, what they do is theirs too, as the reseller's staff (the sign-in through the handoff here).
        signed_in = AuditEvent.objects.filter(action="auth.login", actor_label=support.email).get()
        assert signed_in.actor_type == "reseller" and signed_in.detail["method"] == "handoff"
    # The business sees them in its team list as reseller access.
    people = alpha.client(alpha.owner).get("/api/team/reseller-access/").json()
    assert {p["email"] for p in people} == {agency.admin.email, support.email}


def test_the_owner_revokes_reseller_access_which_ends_entered_sessions_and_refuses_entering(agency, alpha):
    agency.adopt(alpha)
    inside = _enter(agency.client(), alpha)
    owner = alpha.client(alpha.owner)
    assert owner.get("/api/team/reseller-access/settings/").json() == {"reseller": "Agency Agency", "enabled": True}
    # The reseller's admin acts as an admin here: it can't turn its own access back on (or off).
    assert inside.put("/api/team/reseller-access/settings/", {"enabled": False}, format="json").status_code == 403

    assert owner.put("/api/team/reseller-access/settings/", {"enabled": False}, format="json").json()["enabled"] \
        is False

    assert inside.get("/api/auth/user/").status_code == 403  # at once: the role is derived per request
    refused = agency.client().post(f"/api/partners/businesses/{alpha.tenant.pk}/enter/")
    assert refused.status_code == 403 and refused.json()["code"] == "reseller_access_revoked"
    listed = agency.client().get(f"/api/partners/businesses/{alpha.tenant.pk}/").json()
    assert listed["reseller_access"] is False  # the reseller still sees the business it runs
    assert ResellerEvent.objects.filter(tenant=alpha.tenant, action="access_revoked").count() == 1
    owner.put("/api/team/reseller-access/settings/", {"enabled": True}, format="json")
    assert agency.client().post(f"/api/partners/businesses/{alpha.tenant.pk}/enter/").status_code == 200


def test_a_business_without_a_reseller_has_nothing_to_revoke(alpha):
    owner = alpha.client(alpha.owner)
    assert owner.get("/api/team/reseller-access/settings/").json() == {"reseller": None, "enabled": True}
    assert owner.put("/api/team/reseller-access/settings/", {"enabled": False}, format="json").status_code == 409


def test_an_entry_link_is_single_use_and_dies_with_the_resellers_access(agency, alpha):
    agency.adopt(alpha)
    url = agency.client().post(f"/api/partners/businesses/{alpha.tenant.pk}/enter/").json()["url"]
    alpha.tenant.reseller_access = False
    alpha.tenant.save(update_fields=["reseller_access"])
    response = alpha.client().post("/api/auth/handoff/", {"token": _token_of(url)}, format="json")
    assert response.status_code == 400 and response.json()["code"] == "invalid_token"


def test_a_suspended_business_cannot_be_entered(agency, alpha):
    agency.adopt(alpha)
    agency.client().post(f"/api/partners/businesses/{alpha.tenant.pk}/suspend/")
    response = agency.client().post(f"/api/partners/businesses/{alpha.tenant.pk}/enter/")
    assert response.status_code == 409 and response.json()["code"] == "business_suspended"


# --- The reseller's team -----------------------------------------------------------------------------------------

def test_an_invited_person_joins_the_resellers_team_and_signs_in_on_the_console(agency,
                                                                              django_capture_on_commit_callbacks):
    console = agency.client()
    with django_capture_on_commit_callbacks(execute=True):
        invited = console.post("/api/partners/team/invites/", {"email": "New@Agency.example", "role": "support"},
                               format="json")
    assert invited.status_code == 201, invited.content
    token = re.search(r"#token=(\S+)", mail.outbox[-1].body).group(1)
    fresh = console_client()
    info = fresh.post("/api/partners/team/invites/lookup/", {"token": token}, format="json").json()
    assert info["email"] == "new@agency.example" and info["needs_password"] is True
    joined = fresh.post("/api/partners/team/invites/accept/", {"token": token, "password": PASSWORD},
                        format="json")
    assert joined.status_code == 200, joined.content
    assert joined.json()["role"] == "support"
    assert fresh.get("/api/partners/businesses/").status_code == 200
    emails = [m["email"] for m in console.get("/api/partners/team/members/").json()["results"]]
    assert emails == [agency.admin.email, "new@agency.example"]


def test_the_last_admin_stays_and_a_removed_person_loses_the_console_at_once(agency):
    me = ResellerMembership.objects.get(user=agency.admin, reseller=agency.reseller)
    console = agency.client()
    demoted = console.patch(f"/api/partners/team/members/{me.pk}/", {"role": "support"}, format="json")
    assert demoted.status_code == 409 and demoted.json()["code"] == "last_admin"
    helper = agency.person("help@agency.example")
    helper_console = agency.client(helper)
    membership = ResellerMembership.objects.get(user=helper)
    assert console.delete(f"/api/partners/team/members/{membership.pk}/").status_code == 204
    assert helper_console.get("/api/partners/businesses/").status_code == 403
    actions = set(ResellerEvent.objects.filter(reseller=agency.reseller).values_list("action", flat=True))
    assert "member_removed" in actions


def test_a_person_in_two_resellers_chooses_one_at_login(agency, rival):
    both = rival.person("both@example.com", ResellerRole.ADMIN)
    ResellerMembership.objects.create(user=both, reseller=agency.reseller, role=ResellerRole.SUPPORT)
    session = console_client().post("/api/auth/login/", {"email": both.email, "password": PASSWORD,
                                                         "reseller": "agency"}, format="json")
    assert session.json()["reseller"]["slug"] == "agency" and session.json()["role"] == "support"
    nowhere = console_client().post("/api/auth/login/", {"email": both.email, "password": PASSWORD,
                                                         "reseller": "nobody"}, format="json")
    assert nowhere.status_code == 400


def test_the_list_costs_a_few_queries_per_business_shown_not_per_business_owned(agency, alpha, beta):
    """Each row reads its own schema (numbers, last activity) and its subscription: a fixed handful of queries per
    row of the page (at most 25), whatever the reseller's size or the business's data."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    console = agency.client()
    console.get("/api/partners/businesses/")  # subscriptions made on first read

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert console.get("/api/partners/businesses/").status_code == 200
        return len(captured)

    agency.adopt(alpha)
    console.get("/api/partners/businesses/")
    one = queries()
    agency.adopt(beta)
    console.get("/api/partners/businesses/")
    two = queries()
    assert two - one <= 8, (one, two)
