import re
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context
from rest_framework.test import APIClient

from apps.audit.models import AuditEvent
from conftest import PASSWORD
from tenants.models import Invite, Membership, Role, User


@pytest.fixture
def invite(django_capture_on_commit_callbacks):
    """POST an invite. Invites are mailed after commit; tests never commit, so run the callbacks."""

    def _invite(client, email="new@alpha.example", role="agent"):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post("/api/team/invites/", {"email": email, "role": role}, format="json")

    return _invite


def _token_from_mail() -> str:
    return re.search(r"/invite/accept#token=(\S+)", mail.outbox[-1].body).group(1)


def test_members_are_listed_oldest_first_with_cursor_pages(alpha):
    alpha.add_member("a1@alpha.example", Role.AGENT)
    alpha.add_member("a2@alpha.example", Role.ADMIN)
    client = alpha.client(alpha.owner)

    first = client.get("/api/team/members/", {"page_size": 2}).json()
    second = client.get(first["next"].split("testserver")[-1].replace(f"http://{alpha.host}", "")).json()

    assert [m["email"] for m in first["results"]] == ["owner@alpha.example", "a1@alpha.example"]
    assert first["results"][0]["is_you"] is True and first["results"][0]["role"] == "owner"
    assert [m["email"] for m in second["results"]] == ["a2@alpha.example"]
    assert second["next"] is None


def test_agents_see_the_team_but_cannot_manage_it(invite, alpha):
    agent = alpha.add_member("agent@alpha.example", Role.AGENT)
    owner_id = Membership.objects.get(user=alpha.owner).pk
    client = alpha.client(agent)

    assert client.get("/api/team/members/").status_code == 200
    for response in (
        invite(client),
        client.get("/api/team/invites/"),
        client.patch(f"/api/team/members/{owner_id}/", {"role": "agent"}, format="json"),
        client.delete(f"/api/team/members/{owner_id}/"),
    ):
        assert response.status_code == 403
        assert response.json()["message"] == "Only owners and admins can manage the team."
    assert Membership.objects.get(pk=owner_id).role == Role.OWNER


def test_an_invite_is_mailed_and_accepting_it_sets_the_password_and_signs_in(invite, alpha):
    response = invite(alpha.client(alpha.owner), "New@Alpha.example", "admin")

    assert response.status_code == 201
    assert response.json()["email"] == "new@alpha.example" and response.json()["status"] == "pending"
    assert mail.outbox[-1].to == ["new@alpha.example"]
    token = _token_from_mail()
    assert "http://alpha.localhost:3000/invite/accept#token=" in mail.outbox[-1].body
    assert Invite.objects.get().token_hash != token  # only a hash is stored

    newcomer = APIClient(HTTP_HOST=alpha.host)
    info = newcomer.post("/api/team/invites/lookup/", {"token": token}, format="json").json()
    assert info == {"email": "new@alpha.example", "role": "admin", "tenant": {"slug": "alpha", "name": "Alpha Ltd"},
                    "needs_password": True}
    accepted = newcomer.post("/api/team/invites/accept/", {"token": token, "password": "newcomer-pass-42",
                                                           "first_name": "Nia"}, format="json")
    assert accepted.status_code == 200, accepted.content
    assert accepted.json()["user"]["role"] == "admin"
    assert newcomer.get("/api/auth/user/").json()["first_name"] == "Nia"

    again = APIClient(HTTP_HOST=alpha.host).post("/api/team/invites/accept/",
                                                  {"token": token, "password": "x-y-z-1234567"},
                                                  format="json")
    assert again.status_code == 404 and again.json()["code"] == "invalid_token"


def test_someone_with_a_login_joins_with_their_existing_password(invite, alpha, beta):
    invite(alpha.client(alpha.owner), beta.owner.email)
    token = _token_from_mail()
    client = APIClient(HTTP_HOST=alpha.host)

    assert client.post("/api/team/invites/lookup/", {"token": token}, format="json").json()["needs_password"] is False
    assert client.post("/api/team/invites/accept/", {"token": token, "password": "guess-guess-1"},
                       format="json").status_code == 400
    assert client.post("/api/team/invites/accept/", {"token": token, "password": PASSWORD},
                       format="json").status_code == 200
    assert Membership.objects.filter(user=beta.owner, tenant=alpha.tenant, role=Role.AGENT).exists()


def test_an_invite_token_only_opens_its_own_business(invite, alpha, beta):
    invite(alpha.client(alpha.owner))
    token = _token_from_mail()

    response = beta.client().post("/api/team/invites/accept/", {"token": token, "password": "newcomer-pass-42"},
                                  format="json")

    assert response.status_code == 404
    assert not User.objects.filter(email="new@alpha.example").exists()


def test_expired_and_revoked_invites_cannot_be_accepted(invite, alpha):
    owner = alpha.client(alpha.owner)
    invite(owner, "late@alpha.example")
    late_token = _token_from_mail()
    Invite.objects.filter(email="late@alpha.example").update(expires_at=timezone.now() - timedelta(minutes=1))
    invite_id = invite(owner, "gone@alpha.example").json()["id"]
    gone_token = _token_from_mail()

    assert owner.delete(f"/api/team/invites/{invite_id}/").status_code == 204
    assert owner.delete(f"/api/team/invites/{invite_id}/").status_code == 409
    for token in (late_token, gone_token):
        response = APIClient(HTTP_HOST=alpha.host).post("/api/team/invites/lookup/", {"token": token}, format="json")
        assert response.status_code == 404
    statuses = {i["email"]: i["status"] for i in owner.get("/api/team/invites/").json()["results"]}
    assert statuses == {"late@alpha.example": "expired", "gone@alpha.example": "revoked"}


def test_inviting_twice_or_inviting_a_member_is_a_field_error(invite, alpha):
    owner = alpha.client(alpha.owner)
    invite(owner)

    twice = invite(owner, "NEW@alpha.example")
    member = invite(owner, alpha.owner.email)

    assert twice.status_code == 400 and "already pending" in twice.json()["errors"]["email"][0]
    assert member.status_code == 400 and "already a member" in member.json()["errors"]["email"][0]


def test_only_owners_make_owners(invite, alpha):
    admin = alpha.add_member("admin@alpha.example", Role.ADMIN)
    agent = alpha.add_member("agent@alpha.example", Role.AGENT)
    agent_id = Membership.objects.get(user=agent).pk
    admin_client = alpha.client(admin)

    assert invite(admin_client, "boss@alpha.example", "owner").status_code == 403
    assert admin_client.patch(f"/api/team/members/{agent_id}/", {"role": "owner"}, format="json").status_code == 403
    assert admin_client.patch(f"/api/team/members/{agent_id}/", {"role": "admin"}, format="json").status_code == 200
    owner_client = alpha.client(alpha.owner)
    promoted = owner_client.patch(f"/api/team/members/{agent_id}/", {"role": "owner"}, format="json")
    assert promoted.json()["role"] == "owner"


def test_the_last_owner_can_be_neither_demoted_nor_removed(alpha):
    owner_id = Membership.objects.get(user=alpha.owner, tenant=alpha.tenant).pk
    client = alpha.client(alpha.owner)

    demote = client.patch(f"/api/team/members/{owner_id}/", {"role": "admin"}, format="json")
    remove = client.delete(f"/api/team/members/{owner_id}/")

    for response in (demote, remove):
        assert response.status_code == 409
        assert response.json()["code"] == "last_owner"
    assert Membership.objects.get(pk=owner_id).role == Role.OWNER


def test_with_a_second_owner_the_first_may_step_down(alpha):
    alpha.add_member("co@alpha.example", Role.OWNER)
    owner_id = Membership.objects.get(user=alpha.owner, tenant=alpha.tenant).pk

    response = alpha.client(alpha.owner).patch(f"/api/team/members/{owner_id}/", {"role": "agent"}, format="json")

    assert response.status_code == 200


def test_removing_a_member_revokes_their_access(alpha):
    agent = alpha.add_member("agent@alpha.example", Role.AGENT)
    agent_client = alpha.client(agent)
    member_id = Membership.objects.get(user=agent).pk

    assert alpha.client(alpha.owner).delete(f"/api/team/members/{member_id}/").status_code == 204
    assert agent_client.get("/api/team/members/").status_code == 403
    assert User.objects.filter(pk=agent.pk).exists()  # the login stays; only this membership went


def test_an_unknown_role_is_a_field_error(invite, alpha):
    response = invite(alpha.client(alpha.owner), role="superuser")

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["role"]


def test_team_changes_are_in_the_business_own_audit_log(invite, alpha, beta):
    client = alpha.client(alpha.owner)
    invite(client)
    agent = alpha.add_member("agent@alpha.example", Role.AGENT)
    client.patch(f"/api/team/members/{Membership.objects.get(user=agent).pk}/", {"role": "admin"}, format="json")

    activity = client.get("/api/audit/events/", {"action": "team"}).json()["results"]

    assert [e["action"] for e in activity] == ["team.role_changed", "team.invite_sent"]
    assert activity[0]["changes"] == {"role": ["agent", "admin"]}
    assert activity[0]["target_label"] == "agent@alpha.example"
    assert activity[0]["actor_label"] == alpha.owner.email
    with schema_context(beta.tenant.schema_name):
        assert not AuditEvent.objects.filter(action__startswith="team.").exclude(action="auth.login").exists()
    assert beta.client(beta.owner).get("/api/audit/events/", {"action": "team"}).json()["results"] == []
    connection.set_schema_to_public()


@pytest.mark.parametrize("method", ["patch", "delete"])
def test_a_member_of_another_business_is_not_found_and_untouched(alpha, beta, method):
    victim = beta.add_member("victim@beta.example", Role.ADMIN)
    victim_id = Membership.objects.get(user=victim).pk

    response = getattr(alpha.client(alpha.owner), method)(f"/api/team/members/{victim_id}/", {"role": "agent"},
                                                          format="json")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert Membership.objects.get(pk=victim_id).role == Role.ADMIN


def test_an_invite_of_another_business_is_not_found_and_untouched(invite, alpha, beta):
    invite_id = invite(beta.client(beta.owner), "x@beta.example").json()["id"]

    response = alpha.client(alpha.owner).delete(f"/api/team/invites/{invite_id}/")

    assert response.status_code == 404
    assert Invite.objects.get(pk=invite_id).status == "pending"
    assert alpha.client(alpha.owner).get("/api/team/invites/").json()["results"] == []


def _rates(settings, **rates):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {
        **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], **rates}}


def test_invitations_are_capped_per_business_a_day_and_other_businesses_keep_theirs(invite, alpha, beta, settings):
    _rates(settings, invite_business="2/day", invite_member="100/hour")
    admin = alpha.add_member("admin@alpha.example", Role.ADMIN)
    owner, other_admin = alpha.client(alpha.owner), alpha.client(admin)

    codes = [invite(owner, "a@x.example").status_code, invite(other_admin, "b@x.example").status_code,
             invite(owner, "c@x.example").status_code]

    assert codes == [201, 201, 429]
    assert Invite.objects.filter(tenant=alpha.tenant).count() == 2
    assert invite(beta.client(beta.owner), "c@x.example").status_code == 201
    assert owner.get("/api/team/invites/").status_code == 200  # listing is not an invitation


def test_invitations_are_capped_per_member(invite, alpha, settings):
    _rates(settings, invite_business="100/day", invite_member="1/hour")
    admin = alpha.add_member("admin@alpha.example", Role.ADMIN)

    assert invite(alpha.client(alpha.owner), "a@x.example").status_code == 201
    assert invite(alpha.client(alpha.owner), "b@x.example").status_code == 429
    assert invite(alpha.client(admin), "b@x.example").status_code == 201


@pytest.mark.parametrize(("fmt", "status", "code"), [("json", 400, "validation_error"),
                                                     ("multipart", 415, "unsupported_media_type")])  # JSON only
def test_accepting_without_a_password_is_a_field_error_not_a_crash(invite, alpha, fmt, status, code):
    invite(alpha.client(alpha.owner))
    token = _token_from_mail()

    response = APIClient(HTTP_HOST=alpha.host, HTTP_SEC_FETCH_SITE="same-origin").post(
        "/api/team/invites/accept/", {"token": token}, format=fmt)

    assert (response.status_code, response.json()["code"]) == (status, code)
    if fmt == "json":
        assert response.json()["errors"] == {"password": ["This field is required."]}
    assert Invite.objects.get().status == "pending"


def test_the_invitation_is_looked_up_by_post_never_by_a_token_in_the_url(invite, alpha):
    invite(alpha.client(alpha.owner))
    token = _token_from_mail()
    client = APIClient(HTTP_HOST=alpha.host)

    assert client.get("/api/team/invites/accept/", {"token": token}).status_code == 405
    assert client.get("/api/team/invites/lookup/", {"token": token}).status_code == 405
    assert client.post("/api/team/invites/lookup/", {"token": token}, format="json").status_code == 200
    assert client.post("/api/team/invites/lookup/", {"token": "wrong"}, format="json").status_code == 404


def test_guessing_an_existing_logins_password_through_an_invitation_counts_as_failed_logins(invite, alpha, beta,
                                                                                           settings):
    settings.LOGIN_FAILURE_LIMIT = 2
    invite(alpha.client(alpha.owner), beta.owner.email)  # whoever holds this link knows beta's owner's email
    token = _token_from_mail()
    holder = APIClient(HTTP_HOST=alpha.host, HTTP_X_FORWARDED_FOR="203.0.113.66")

    for guess in ("guess-guess-1", "guess-guess-2"):
        assert holder.post("/api/team/invites/accept/", {"token": token, "password": guess},
                           format="json").status_code == 400
    right = holder.post("/api/team/invites/accept/", {"token": token, "password": PASSWORD}, format="json")

    assert right.status_code == 429
    assert not Membership.objects.filter(user=beta.owner, tenant=alpha.tenant).exists()
    owner = APIClient(HTTP_HOST=alpha.host, HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert owner.post("/api/team/invites/accept/", {"token": token, "password": PASSWORD},
                      format="json").status_code == 200
