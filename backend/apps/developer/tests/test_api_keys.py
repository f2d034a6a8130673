"""API keys: create, list, rotate, revoke; secrets shown once and never stored or logged; isolation between
businesses and hosts; scopes; the creator's rights; rate limits."""
import logging
from datetime import datetime, timedelta

import pytest
from django.conf import settings
from django.utils import timezone
from django_tenants.utils import schema_context
from rest_framework.test import APIClient

from apps.developer import keys
from apps.developer.models import ApiKey
from apps.developer.tests.helpers import create_key, key_client, stored
from tenants.models import Membership, Role


def test_create_shows_the_key_once_and_stores_only_its_hash(alpha, caplog):
    caplog.set_level(logging.DEBUG)
    created = create_key(alpha, ["messages", "contacts"])
    key = created["key"]
    assert key.startswith("cn_live_") and len(key) >= 8 + 43
    assert created["prefix"] == key[:16] and created["scopes"] == ["contacts", "messages"]
    assert created["created_by"] == alpha.owner.email and created["rate_limit"] == settings.API_KEY_RATE_LIMIT
    with schema_context(alpha.tenant.schema_name):
        row = stored(created["id"])
        assert row.secret_hash == keys.hash_key(key) and key not in str(row.__dict__)

    listing = alpha.client(alpha.owner).get("/api/developer/api-keys/")
    assert listing.status_code == 200
    assert [k["id"] for k in listing.json()["results"]] == [created["id"]]
    assert key not in listing.content.decode() and "key" not in listing.json()["results"][0]
    detail = alpha.client(alpha.owner).get(f"/api/developer/api-keys/{created['id']}/")
    assert key not in detail.content.decode()
    key_client(alpha, key).get("/api/contacts/")
    assert key not in caplog.text
    assert key[len(keys.KEY_PREFIX):] not in caplog.text


def test_only_owners_and_admins_manage_keys(alpha):
    agent = alpha.add_member("agent@alpha.example", Role.AGENT)
    client = alpha.client(agent)
    assert client.get("/api/developer/api-keys/").status_code == 403
    response = client.post("/api/developer/api-keys/", {"name": "x", "scopes": ["messages"]}, format="json")
    assert response.status_code == 403
    admin = alpha.add_member("admin@alpha.example", Role.ADMIN)
    create_key(alpha, ["contacts"], user=admin)


def test_scopes_are_checked(alpha):
    response = alpha.client(alpha.owner).post("/api/developer/api-keys/", {"name": "x", "scopes": ["read_only"]},
                                              format="json")
    assert response.status_code == 400 and "scopes" in response.json()["errors"]
    response = alpha.client(alpha.owner).post("/api/developer/api-keys/", {"name": "x", "scopes": ["root"]},
                                              format="json")
    assert response.status_code == 400


def test_a_key_reads_and_writes_within_its_scopes(alpha):
    key = create_key(alpha, ["contacts"])["key"]
    client = key_client(alpha, key)
    response = client.post("/api/contacts/", {"phone": "+14155550123", "name": "Ada"}, format="json")
    assert response.status_code == 201, response.content
    assert client.get("/api/contacts/").json()["results"][0]["name"] == "Ada"
    refused = client.get("/api/messages/")
    assert refused.status_code == 403 and refused.json()["code"] == "api_key_scope"
    assert client.get("/api/templates/").json()["code"] == "api_key_scope"
    assert client.get("/api/campaigns/").json()["code"] == "api_key_scope"


def test_a_read_only_key_may_not_write(alpha):
    key = create_key(alpha, ["contacts", "read_only"])["key"]
    client = key_client(alpha, key)
    assert client.get("/api/contacts/").status_code == 200
    response = client.post("/api/contacts/", {"phone": "+14155550123"}, format="json")
    assert response.status_code == 403 and response.json()["code"] == "api_key_scope"
    with schema_context(alpha.tenant.schema_name):
        from apps.contacts.models import Contact

        assert not Contact.objects.exists()


@pytest.mark.parametrize("path", ["/api/team/members/", "/api/auth/user/", "/api/developer/api-keys/",
                                  "/api/billing/subscription/", "/api/whatsapp/numbers/", "/api/inbox/settings/"])
def test_routes_outside_the_public_api_refuse_keys(alpha, path):
    key = create_key(alpha, ["messages", "templates", "contacts", "campaigns"])["key"]
    response = key_client(alpha, key).get(path)
    assert response.status_code in (403, 404), (path, response.content)
    if response.status_code == 403:
        assert response.json()["code"] == "api_key_not_allowed"


def test_a_key_of_business_a_is_refused_on_business_b_and_the_public_host(alpha, beta):
    key = create_key(alpha, ["contacts"])["key"]
    on_beta = key_client(beta, key).get("/api/contacts/")
    assert on_beta.status_code == 401 and on_beta.json()["code"] == "authentication_failed"
    on_public = APIClient(HTTP_HOST=settings.BASE_DOMAIN, HTTP_AUTHORIZATION=f"Bearer {key}").get("/api/site/")
    assert on_public.status_code in (200, 401)  # a public page needs no login; the key is never accepted
    on_partners = APIClient(HTTP_HOST=settings.PARTNERS_HOST, HTTP_AUTHORIZATION=f"Bearer {key}").get(
        "/api/partners/clients/")
    assert on_partners.status_code in (401, 403, 404)
    assert key_client(alpha, key).get("/api/contacts/").status_code == 200


def test_an_unknown_or_malformed_key_is_401(alpha):
    for token in ("cn_live_nope", "cn_live_" + "A" * 43):
        response = key_client(alpha, token).get("/api/contacts/")
        assert response.status_code == 401 and response.json()["code"] == "authentication_failed"


def _rotate(business, key_id, **body):
    response = business.client(business.owner).post(f"/api/developer/api-keys/{key_id}/rotate/", body, format="json")
    assert response.status_code == 200, response.content
    return response.json()


def test_rotate_without_grace_gives_a_new_secret_and_ends_the_old_one(alpha):
    created = create_key(alpha, ["contacts"])
    rotated = _rotate(alpha, created["id"], grace_hours=0)
    new = rotated["key"]
    assert new != created["key"] and rotated["id"] == created["id"] and rotated["rotated_at"]
    assert rotated["previous_key_expires_at"] is None
    assert key_client(alpha, created["key"]).get("/api/contacts/").status_code == 401
    assert key_client(alpha, new).get("/api/contacts/").status_code == 200


def test_the_previous_secret_works_during_the_grace_period_and_is_401_after(alpha):
    created = create_key(alpha, ["contacts"])
    before = timezone.now()
    rotated = _rotate(alpha, created["id"])  # the default: 24 hours
    expires = datetime.fromisoformat(rotated["previous_key_expires_at"])
    assert timedelta(hours=23, minutes=59) < expires - before <= timedelta(hours=24, seconds=5)
    assert key_client(alpha, created["key"]).get("/api/contacts/").status_code == 200
    assert key_client(alpha, rotated["key"]).get("/api/contacts/").status_code == 200
    listed = alpha.client(alpha.owner).get(f"/api/developer/api-keys/{created['id']}/").json()
    assert listed["previous_key_expires_at"] == rotated["previous_key_expires_at"]

    with schema_context(alpha.tenant.schema_name):  # the grace period is over
        ApiKey.objects.filter(pk=created["id"]).update(previous_key_expires_at=timezone.now() - timedelta(seconds=1))
    response = key_client(alpha, created["key"]).get("/api/contacts/")
    assert response.status_code == 401 and response.json()["code"] == "authentication_failed"
    assert key_client(alpha, rotated["key"]).get("/api/contacts/").status_code == 200
    listed = alpha.client(alpha.owner).get("/api/developer/api-keys/").json()["results"][0]
    assert listed["previous_key_expires_at"] is None


def test_grace_hours_are_0_to_168(alpha):
    created = create_key(alpha, ["contacts"])
    client = alpha.client(alpha.owner)
    for hours in (-1, 169, "soon"):
        response = client.post(f"/api/developer/api-keys/{created['id']}/rotate/", {"grace_hours": hours},
                               format="json")
        assert response.status_code == 400 and "grace_hours" in response.json()["errors"]
    assert key_client(alpha, created["key"]).get("/api/contacts/").status_code == 200  # nothing rotated
    rotated = _rotate(alpha, created["id"], grace_hours=168)
    expires = datetime.fromisoformat(rotated["previous_key_expires_at"])
    assert expires - timezone.now() > timedelta(hours=167)


def test_a_second_rotation_within_the_grace_ends_the_oldest_secret(alpha):
    created = create_key(alpha, ["contacts"])
    first = _rotate(alpha, created["id"], grace_hours=24)
    second = _rotate(alpha, created["id"], grace_hours=1)
    assert key_client(alpha, created["key"]).get("/api/contacts/").status_code == 401  # one previous secret at most
    assert key_client(alpha, first["key"]).get("/api/contacts/").status_code == 200  # the previous one now
    assert key_client(alpha, second["key"]).get("/api/contacts/").status_code == 200
    expires = datetime.fromisoformat(second["previous_key_expires_at"])
    assert expires - timezone.now() < timedelta(hours=1, seconds=5)


def test_revoking_ends_the_current_and_the_previous_secret(alpha):
    created = create_key(alpha, ["contacts"])
    rotated = _rotate(alpha, created["id"], grace_hours=24)
    assert alpha.client(alpha.owner).delete(f"/api/developer/api-keys/{created['id']}/").status_code == 204
    assert key_client(alpha, created["key"]).get("/api/contacts/").status_code == 401
    assert key_client(alpha, rotated["key"]).get("/api/contacts/").status_code == 401


def test_a_previous_secret_in_its_grace_period_is_401_on_another_business(alpha, beta):
    created = create_key(alpha, ["contacts"])
    rotated = _rotate(alpha, created["id"], grace_hours=24)
    assert key_client(alpha, created["key"]).get("/api/contacts/").status_code == 200
    for key in (created["key"], rotated["key"]):
        response = key_client(beta, key).get("/api/contacts/")
        assert response.status_code == 401 and response.json()["code"] == "authentication_failed"


def test_revoke_ends_the_key(alpha):
    created = create_key(alpha, ["contacts"])
    assert alpha.client(alpha.owner).delete(f"/api/developer/api-keys/{created['id']}/").status_code == 204
    assert key_client(alpha, created["key"]).get("/api/contacts/").status_code == 401
    assert alpha.client(alpha.owner).get("/api/developer/api-keys/").json()["results"] == []


def test_a_key_never_outlives_its_creator(alpha):
    admin = alpha.add_member("admin@alpha.example", Role.ADMIN)
    key = create_key(alpha, ["contacts", "campaigns"], user=admin)["key"]
    client = key_client(alpha, key)
    assert client.get("/api/campaigns/").status_code == 200
    Membership.objects.filter(user=admin, tenant=alpha.tenant).update(role=Role.AGENT)
    assert client.get("/api/campaigns/").status_code == 403  # an agent may not run campaigns
    Membership.objects.filter(user=admin, tenant=alpha.tenant).delete()
    response = client.get("/api/contacts/")
    assert response.status_code == 401 and response.json()["code"] == "authentication_failed"


def test_last_used_is_recorded_at_most_once_a_minute(alpha):
    created = create_key(alpha, ["contacts"])
    client = key_client(alpha, created["key"])
    client.get("/api/contacts/", REMOTE_ADDR="203.0.113.7")
    with schema_context(alpha.tenant.schema_name):
        first = stored(created["id"])
    assert first.last_used_at is not None and first.last_used_ip == "203.0.113.7"
    client.get("/api/contacts/", REMOTE_ADDR="203.0.113.8")
    with schema_context(alpha.tenant.schema_name):
        assert stored(created["id"]).last_used_at == first.last_used_at


def test_rate_limit_headers_and_429(alpha):
    created = create_key(alpha, ["contacts"], rate_limit=3)
    client = key_client(alpha, created["key"])
    answers = [client.get("/api/contacts/") for _ in range(4)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert [a["RateLimit-Remaining"] for a in answers] == ["2", "1", "0", "0"]
    assert all(a["RateLimit-Limit"] == "3" and 0 < int(a["RateLimit-Reset"]) <= 60 for a in answers)
    assert answers[3].json()["code"] == "throttled" and int(answers[3]["Retry-After"]) > 0
    # Another key has its own budget; sessions carry no RateLimit headers.
    other = create_key(alpha, ["contacts"])["key"]
    assert key_client(alpha, other).get("/api/contacts/").status_code == 200
    assert not alpha.client(alpha.owner).get("/api/contacts/").has_header("RateLimit-Limit")
