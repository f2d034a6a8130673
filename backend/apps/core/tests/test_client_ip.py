"""The real client behind our proxies: one function, used by every throttle and the login counter."""
import pytest
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver

from apps.core.client_ip import client_ident, client_ip
from apps.core.throttling import ClientRateThrottle

PROXY = "10.0.0.10"


@pytest.fixture
def proxies(settings):
    settings.TRUSTED_PROXY_IPS = {PROXY, "10.0.0.11"}


def _request(remote: str, xff: str | None = None):
    extra = {"REMOTE_ADDR": remote}
    if xff is not None:
        extra["HTTP_X_FORWARDED_FOR"] = xff
    return RequestFactory().get("/", **extra)


@pytest.mark.parametrize(("remote", "xff", "expected"), [
    # nginx appends the address it saw: the right-most entry is the client, the rest is the client's claim.
    (PROXY, "203.0.113.7", "203.0.113.7"),
    (PROXY, "1.2.3.4, 203.0.113.7", "203.0.113.7"),
    # Two of our proxies in a row (nginx -> Next.js): skip both.
    (PROXY, "1.2.3.4, 203.0.113.7, 10.0.0.11", "203.0.113.7"),
    # Nothing but our proxies, or no header: the peer itself.
    (PROXY, "10.0.0.11", PROXY),
    (PROXY, None, PROXY),
    # Garbage from the nearest hop: fall back to REMOTE_ADDR, never to a client-chosen value.
    (PROXY, "1.2.3.4, not-an-ip", PROXY),
    (PROXY, "1.2.3.4, 203.0.113.7:4000", PROXY),
    (PROXY, " 2001:db8::1 ", "2001:db8::1"),
    (PROXY, "::ffff:203.0.113.7", "203.0.113.7"),
    # An untrusted peer's header is ignored, whatever it says.
    ("198.51.100.2", "203.0.113.7", "198.51.100.2"),
    ("198.51.100.2", f"203.0.113.7, {PROXY}", "198.51.100.2"),
])
def test_client_ip_believes_forwarded_for_only_from_a_trusted_proxy(proxies, remote, xff, expected):
    assert client_ip(_request(remote, xff)) == expected


def test_a_proxy_network_covers_every_address_in_it_and_nothing_outside(settings, alpha):
    """In Kubernetes the ingress controller's address changes with each pod: the pod range is trusted."""
    settings.TRUSTED_PROXY_IPS = {"10.42.0.0/16", "fd00::/8", "not-a-network"}
    assert client_ip(_request("10.42.7.9", "203.0.113.7")) == "203.0.113.7"
    assert client_ip(_request("10.42.7.9", "203.0.113.7, 10.42.0.3")) == "203.0.113.7"
    assert client_ip(_request("fd00::5", "203.0.113.7")) == "203.0.113.7"
    assert client_ip(_request("10.43.0.1", "203.0.113.7")) == "10.43.0.1"
    # The forwarded host too: believed from the pod range only.
    forwarded = {"HTTP_X_FORWARDED_HOST": alpha.host}
    assert alpha.client().get("/api/site/", REMOTE_ADDR="10.42.7.9", HTTP_HOST="unknown.example",
                              **forwarded).status_code == 200
    assert alpha.client().get("/api/site/", REMOTE_ADDR="10.43.0.1", HTTP_HOST="unknown.example",
                              **forwarded).status_code == 404


def test_an_ipv6_client_is_counted_by_its_64_network(proxies):
    one = client_ident(_request(PROXY, "2001:db8:1:2:aaaa::1"))
    same_network = client_ident(_request(PROXY, "2001:db8:1:2:bbbb::9"))
    other = client_ident(_request(PROXY, "2001:db8:1:3::1"))

    assert one == same_network == "2001:db8:1:2::/64"
    assert other != one
    assert client_ident(_request(PROXY, "203.0.113.7")) == "203.0.113.7"


def _views(patterns):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _views(pattern.url_patterns)
        elif isinstance(pattern, URLPattern) and hasattr(pattern.callback, "view_class"):
            yield pattern.name, pattern.callback.view_class


@pytest.mark.parametrize("urlconf", ["convonest.urls_public", "convonest.urls_tenant"])
def test_every_throttle_of_every_view_counts_the_real_client(urlconf):
    from rest_framework.views import APIView

    checked = 0
    for name, view in _views(get_resolver(urlconf).url_patterns):
        if not issubclass(view, APIView):
            continue
        for throttle in view.throttle_classes:
            assert issubclass(throttle, ClientRateThrottle), f"{name}: {throttle} uses DRF's get_ident"
            checked += 1
    assert checked > 5


@pytest.mark.parametrize("urlconf", ["convonest.urls_public", "convonest.urls_tenant"])
def test_every_throttle_scope_in_use_has_a_rate(urlconf):
    from rest_framework.settings import api_settings
    from rest_framework.views import APIView

    for name, view in _views(get_resolver(urlconf).url_patterns):
        scope = getattr(view, "throttle_scope", None) if issubclass(view, APIView) else None
        assert scope is None or scope in api_settings.DEFAULT_THROTTLE_RATES, f"{name}: no rate for {scope!r}"


def test_no_module_builds_throttles_from_drf_directly():
    # Views that pick throttles in code (get_throttles) are not visible above: no import of DRF's classes.
    from pathlib import Path

    from django.conf import settings

    roots = [settings.BASE_DIR / "apps", settings.REPO_DIR / "tenants"]
    offenders = [str(path) for root in roots for path in Path(root).rglob("*.py")
                 if "rest_framework.throttling" in path.read_text() and path.name != "throttling.py"
                 and "tests" not in path.parts]
    assert offenders == []
