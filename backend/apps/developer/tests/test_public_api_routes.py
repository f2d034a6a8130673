"""Keys reach the public API only: every tenant route is walked, so a new endpoint refuses keys the day it is added
unless it is listed in apps.developer.public_api."""
import pytest

from apps.core.tests.test_isolation import _methods, _path, _routes
from apps.developer.public_api import PUBLIC_API, view_name
from apps.developer.tests.helpers import create_key, key_client

ROUTES = list(_routes())
NOT_PUBLIC = [(name, route, callback) for name, route, callback in ROUTES
              if view_name(getattr(callback, "view_class", callback)) not in PUBLIC_API]
# Routes that need no login (sign-in, probes, public site data, the operator's metrics behind their own token): a key
# there is just an unused header, or not even read. None of them acts for the business.
NO_LOGIN = {"healthz", "readyz", "metrics", "site", "site-logo", "schema", "api-docs", "auth-login", "auth-logout",
            "auth-token-refresh", "auth-handoff", "auth-password-reset", "auth-password-reset-confirm",
            "team-invite-lookup", "team-invite-accept"}


def test_every_public_api_entry_is_a_routed_view():
    routed = {view_name(getattr(callback, "view_class", callback)) for _, _, callback in ROUTES}
    assert set(PUBLIC_API) <= routed


@pytest.mark.parametrize(("name", "route", "callback"), NOT_PUBLIC, ids=[r[0] for r in NOT_PUBLIC])
def test_a_key_with_every_scope_is_refused_outside_the_public_api(alpha, name, route, callback):
    key = create_key(alpha, ["messages", "templates", "contacts", "campaigns"])["key"]
    for method in _methods(callback):
        response = getattr(key_client(alpha, key), method)(_path(route, 1), {}, format="json")
        if name in NO_LOGIN:
            assert response.status_code != 200 or method == "get", (method, route, response.status_code)
            continue
        assert response.status_code == 403, (method, route, response.status_code, response.content)
        assert response.json()["code"] == "api_key_not_allowed"
