"""A login of one business is worth nothing on another business's host, on every tenant endpoint.

The routes are enumerated from the tenant URLConf, so a new endpoint is covered (or must be declared
open) the day it is added.
"""
import re
import uuid

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from conftest import access_cookie
from tenants.models import Membership

# Endpoints that need no login by design (they are how one gets or ends a login, or say nothing private).
OPEN_ON_TENANT_HOST = {
    "healthz", "readyz", "site", "site-logo", "schema", "api-docs",
    "metrics",  # the operator's METRICS_TOKEN, not a login; names no business (convonest/tests/test_observability.py)
    "auth-login", "auth-logout", "auth-token-refresh", "auth-handoff",
    "auth-password-reset", "auth-password-reset-confirm", "team-invite-lookup", "team-invite-accept",
}


def _routes(patterns=None, prefix=""):
    for pattern in patterns if patterns is not None else get_resolver("convonest.urls_tenant").url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield pattern.name, prefix + str(pattern.pattern), pattern.callback


def _methods(callback) -> list[str]:
    view = getattr(callback, "view_class", None)
    if view is None:
        return ["get"]
    return [m for m in ("get", "post", "put", "patch", "delete") if hasattr(view, m)]


def _path(route: str, member_id: int) -> str:
    """A concrete URL: member ids get beta's owner membership, other ids something plausible."""
    route = route.replace("<int:member_id>", str(member_id))
    route = re.sub(r"<int:\w+>", "1", route)
    return "/" + re.sub(r"<uuid:\w+>", str(uuid.uuid4()), route)


PROTECTED = [(name, route, callback) for name, route, callback in _routes() if name not in OPEN_ON_TENANT_HOST]


def test_every_tenant_route_is_either_protected_or_declared_open():
    names = {name for name, _, _ in _routes()}
    assert names >= OPEN_ON_TENANT_HOST
    assert len(PROTECTED) >= 6


@pytest.mark.parametrize(("name", "route", "callback"), PROTECTED, ids=[p[0] for p in PROTECTED])
def test_a_login_of_business_a_is_refused_on_business_b_host(alpha, beta, name, route, callback):
    client_of_a = alpha.client(alpha.owner)
    cookies = client_of_a.cookies
    on_b = beta.client()
    on_b.cookies = cookies
    member_of_b = Membership.objects.get(user=beta.owner, tenant=beta.tenant)

    for method in _methods(callback):
        response = getattr(on_b, method)(_path(route, member_of_b.pk), {}, format="json")
        assert response.status_code == 401, (method, route, response.content)
        assert response.json()["code"] == "authentication_failed"
    assert Membership.objects.get(pk=member_of_b.pk).role == "owner"


@pytest.mark.parametrize(("name", "route", "callback"), PROTECTED, ids=[p[0] for p in PROTECTED])
def test_every_protected_route_needs_a_login(beta, name, route, callback):
    for method in _methods(callback):
        response = getattr(beta.client(), method)(_path(route, 1), {}, format="json")
        assert response.status_code == 401, (method, route)
        assert response.json()["code"] == "not_authenticated"


def test_a_bearer_token_of_business_a_is_refused_on_business_b_host(alpha, beta):
    access = alpha.client(alpha.owner).cookies[access_cookie()].value
    response = beta.client().get("/api/auth/user/", HTTP_AUTHORIZATION=f"Bearer {access}")

    assert response.status_code == 401
    assert response.json()["message"] == "This session belongs to another business. Log in on this address."


def test_a_user_in_both_businesses_still_needs_a_login_per_host(alpha, beta):
    Membership.objects.create(user=alpha.owner, tenant=beta.tenant, role="agent")
    cookies = alpha.client(alpha.owner).cookies
    on_b = beta.client()
    on_b.cookies = cookies

    assert on_b.get("/api/auth/user/").status_code == 401
    assert beta.client(alpha.owner).get("/api/auth/user/").json()["role"] == "agent"
