"""The API's shared conventions: hosts, probes, the error envelope, pagination, the OpenAPI schema."""
import pytest
from rest_framework.test import APIClient

from tenants.models import Tenant


def test_unknown_hosts_get_a_json_404(db):
    response = APIClient(HTTP_HOST="nobody.localhost").get("/api/site/")

    assert response.status_code == 404
    assert response.json() == {"code": "unknown_host", "message": "No business is served at this address.",
                               "errors": {}}


def test_a_deactivated_business_is_an_unknown_host(alpha):
    Tenant.objects.filter(pk=alpha.tenant.pk).update(is_active=False)

    assert alpha.client().get("/api/site/").json()["code"] == "unknown_host"


@pytest.mark.parametrize("host", ["localhost", "alpha.localhost", "10.1.2.3"])
def test_probes_answer_on_any_host(db, host, settings):
    settings.ALLOWED_HOSTS = ["*"]
    client = APIClient(HTTP_HOST=host)

    assert client.get("/healthz").json() == {"status": "ok"}
    assert client.get("/readyz").json() == {"status": "ok", "checks": {"database": "ok", "redis": "ok"}}


def test_readyz_says_which_dependency_is_down(db, monkeypatch):
    class RedisDown:
        def set(self, *args, **kwargs):
            raise ConnectionError("redis is down")

    monkeypatch.setattr("apps.core.views.caches", {"global": RedisDown()})

    response = APIClient(HTTP_HOST="localhost").get("/readyz")

    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "checks": {"database": "ok", "redis": "unavailable"}}


def test_site_tells_the_public_host_from_a_business(public_client, alpha):
    assert public_client.get("/api/site/").json() == {"kind": "public", "base_domain": "localhost", "tenant": None,
                                                    "brand": None}
    assert alpha.client().get("/api/site/").json() == {"kind": "tenant", "base_domain": "localhost",
                                                       "tenant": {"slug": "alpha", "name": "Alpha Ltd"},
                                                       "brand": None}


def test_x_forwarded_host_is_believed_only_from_a_trusted_proxy(db, alpha, settings):
    via_proxy = APIClient(HTTP_HOST="127.0.0.1:8000", HTTP_X_FORWARDED_HOST="alpha.localhost:3000")
    spoofed = APIClient(HTTP_HOST="localhost", HTTP_X_FORWARDED_HOST="alpha.localhost",
                        REMOTE_ADDR="203.0.113.9")

    assert via_proxy.get("/api/site/").json()["tenant"]["slug"] == "alpha"
    assert spoofed.get("/api/site/").json()["kind"] == "public"


def test_unknown_api_paths_answer_in_the_envelope(alpha):
    response = alpha.client().get("/api/does-not-exist/")

    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "message": "Not found.", "errors": {}}


def test_malformed_json_is_a_400_not_a_500(public_client):
    response = public_client.post("/api/signup/", "{not json", content_type="application/json")

    assert response.status_code == 400
    assert response.json()["code"] == "malformed_request"


def test_a_wrong_method_is_a_405_in_the_envelope(public_client):
    response = public_client.delete("/api/signup/")

    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"


def test_wrong_types_are_field_errors(public_client):
    response = public_client.post("/api/signup/", {"business_name": ["x"], "slug": 5, "email": {}, "password": None},
                                  format="json")

    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"business_name", "slug", "email", "password"}


def test_the_openapi_schema_documents_both_hosts(alpha):
    # Outside DEBUG the schema is for members (convonest.urls_common); an owner reads it on their host.
    client = alpha.client(alpha.owner)
    response = client.get("/api/schema/", HTTP_ACCEPT="application/json")

    assert response.status_code == 200
    paths = response.json()["paths"]
    assert {"/api/signup/", "/api/auth/login/", "/api/team/members/", "/api/site/"} <= set(paths)
    assert client.get("/api/docs/").status_code == 200


def test_a_custom_domain_serves_its_business(alpha, settings):
    from tenants.models import Domain

    settings.ALLOWED_HOSTS = [".localhost", "chat.alpha-shop.example"]
    Domain.objects.create(domain="chat.alpha-shop.example", tenant=alpha.tenant, is_primary=False)

    response = APIClient(HTTP_HOST="chat.alpha-shop.example").get("/api/site/")

    assert response.json()["tenant"]["slug"] == "alpha"
