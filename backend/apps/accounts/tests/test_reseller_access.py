"""Settings → Team shows who acts in the business through its reseller (audit L8): listed, with the role
they act as, marked as the reseller's and not removable here; another business sees none of them."""
from tenants.models import Membership, Reseller, ResellerMembership, ResellerRole, Role, User

PASSWORD = "correct-horse-battery-9"


def _reseller_of(business, slug="agency"):
    reseller = Reseller.objects.create(name="Growth Agency", slug=slug)
    business.tenant.reseller = reseller
    business.tenant.save(update_fields=["reseller"])
    return reseller


def _person(email: str, reseller, role: str) -> User:
    user = User.objects.create_user(email=email, password=PASSWORD)
    ResellerMembership.objects.create(user=user, reseller=reseller, role=role)
    return user


def test_the_team_sees_the_resellers_people_and_the_role_they_act_as(alpha):
    reseller = _reseller_of(alpha)
    _person("boss@agency.example", reseller, ResellerRole.ADMIN)
    _person("helpdesk@agency.example", reseller, ResellerRole.SUPPORT)
    both = _person("also-member@agency.example", reseller, ResellerRole.SUPPORT)
    Membership.objects.create(user=both, tenant=alpha.tenant, role=Role.ADMIN)  # their own membership wins
    agent = alpha.add_member("agent@alpha.example", Role.AGENT)

    response = alpha.client(agent).get("/api/team/reseller-access/")

    assert response.status_code == 200, response.content
    people = {p["email"]: p for p in response.json()}
    assert set(people) == {"boss@agency.example", "helpdesk@agency.example"}
    assert (people["boss@agency.example"]["role"], people["boss@agency.example"]["reseller_role"]) == ("admin", "admin")
    assert people["helpdesk@agency.example"]["role"] == "agent"
    assert all(p["source"] == "reseller" and p["removable"] is False and p["reseller"] == "Growth Agency"
               for p in people.values())
    members = alpha.client(agent).get("/api/team/members/").json()["results"]
    assert "boss@agency.example" not in {m["email"] for m in members}  # not a member: nothing to remove there


def test_a_business_without_a_reseller_or_with_another_sees_none_of_them(alpha, beta):
    _person("boss@agency.example", _reseller_of(alpha), ResellerRole.ADMIN)
    assert beta.client(beta.owner).get("/api/team/reseller-access/").json() == []
    _person("other@agency2.example", _reseller_of(beta, "agency2"), ResellerRole.ADMIN)
    assert [p["email"] for p in beta.client(beta.owner).get("/api/team/reseller-access/").json()] == \
        ["other@agency2.example"]
