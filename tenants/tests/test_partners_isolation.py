"""A reseller never reaches another reseller's businesses, people or invitations, through any console route.

Structural, like the cross-tenant test: every route of tenants.partners.urls is called with every method it
answers, with ids that belong to the other reseller; none may succeed, and nothing of the other reseller changes.
A new route is covered without anyone remembering to add it here.
"""
import re
import uuid

import pytest
from django.urls import URLPattern

from tenants.branding.models import DomainClaim
from tenants.models import ResellerMembership, Tenant
from tenants.partners.models import ResellerEvent, ResellerInvite
from tenants.partners.urls import console_patterns
from tenants.tests.partners_support import make_partner

OPEN_ROUTES = {"partners-team-invite-lookup", "partners-team-invite-accept"}  # by token, tested in the console tests


@pytest.fixture
def two_resellers(alpha, beta):
    mine, theirs = make_partner("mine"), make_partner("theirs")
    mine.adopt(alpha)
    theirs.adopt(beta)
    helper = theirs.person("help@theirs.example")
    invite = ResellerInvite.objects.create(reseller=theirs.reseller, email="x@theirs.example", role="support",
                                           token_hash="h" * 64, expires_at="2999-01-01T00:00Z")
    claim = DomainClaim.objects.create(domain="app.theirs.example", reseller=theirs.reseller, token="t")
    ids = {"business_id": beta.tenant.pk, "member_id": ResellerMembership.objects.get(user=helper).pk,
           "invite_id": invite.pk, "claim_id": claim.pk}
    return mine, theirs, ids


def _path(pattern: URLPattern, ids: dict) -> str:
    route = str(pattern.pattern)
    return "/api/partners/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(ids[m.group(1)]), route)


def _methods(pattern: URLPattern) -> list[str]:
    view = pattern.callback.view_class
    return [m for m in ("get", "post", "put", "patch", "delete") if hasattr(view, m)]


def test_every_console_route_refuses_another_resellers_objects(two_resellers, beta):
    mine, theirs, ids = two_resellers
    console = mine.client()
    before = (list(Tenant.objects.filter(pk=beta.tenant.pk).values()),
              list(ResellerMembership.objects.filter(reseller=theirs.reseller).values()),
              list(ResellerInvite.objects.filter(reseller=theirs.reseller).values()),
              list(DomainClaim.objects.filter(reseller=theirs.reseller).values()))
    checked = 0
    for pattern in console_patterns:
        if pattern.name in OPEN_ROUTES or not any(f"<{k}" in str(pattern.pattern) or f":{k}>" in
                                                  str(pattern.pattern) for k in ids):
            continue
        for method in _methods(pattern):
            response = getattr(console, method)(_path(pattern, ids), {"role": "admin", "reason": "x"}, format="json")
            assert response.status_code == 404, (method, _path(pattern, ids), response.status_code)
            checked += 1
    assert checked >= 9
    after = (list(Tenant.objects.filter(pk=beta.tenant.pk).values()),
             list(ResellerMembership.objects.filter(reseller=theirs.reseller).values()),
             list(ResellerInvite.objects.filter(reseller=theirs.reseller).values()),
             list(DomainClaim.objects.filter(reseller=theirs.reseller).values()))
    assert after == before
    assert not ResellerEvent.objects.filter(tenant=beta.tenant).exists()


def test_lists_and_filters_show_only_the_resellers_own_rows(two_resellers, alpha, beta):
    mine, theirs, ids = two_resellers
    console = mine.client()
    businesses = console.get("/api/partners/businesses/").json()["results"]
    assert [b["id"] for b in businesses] == [alpha.tenant.pk]
    members = console.get("/api/partners/team/members/").json()["results"]
    assert [m["email"] for m in members] == [mine.admin.email]
    assert console.get("/api/partners/team/invites/").json()["results"] == []
    activity = console.get("/api/partners/activity/").json()["results"]
    assert {a["action"] for a in activity} == {"reseller_created"}
    assert console.get(f"/api/partners/activity/?business={beta.tenant.pk}").status_code == 404


def test_an_anonymous_caller_gets_nothing_from_the_console(two_resellers):
    from tenants.tests.partners_support import console_client

    anonymous = console_client()
    for pattern in console_patterns:
        if pattern.name in OPEN_ROUTES:
            continue
        for method in _methods(pattern):
            path = _path(pattern, {"business_id": 1, "member_id": 1, "invite_id": uuid.UUID(int=0),
                                   "claim_id": 1})
            assert getattr(anonymous, method)(path, {}, format="json").status_code == 401, (method, path)
