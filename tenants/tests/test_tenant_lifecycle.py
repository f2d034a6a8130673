"""A schema left behind by a deleted business is never handed to a new signup, and deleting a business
archives (or drops) its schema and removes its files, live stream, cache keys and routes."""
import os

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django_tenants.utils import schema_context, schema_exists

from apps.core.redis import redis_client
from apps.messaging.live import stream_key
from tenants.models import Domain, Membership, PhoneNumberRoute, Tenant, WabaRoute
from tenants.slugs import slug_problem

SIGNUP = {"business_name": "Ghost Shop", "slug": "ghost", "email": "new-owner@ghost.example",
          "password": "a-long-unusual-passphrase"}


def _orphan_schema(name: str) -> None:
    """What deleting a Tenant row by hand leaves (auto_drop_schema=False): the schema with its data."""
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE SCHEMA "{name}"')
        cursor.execute(f'CREATE TABLE "{name}".secrets (value text)')
        cursor.execute(f"INSERT INTO \"{name}\".secrets VALUES ('the old business''s customers')")


def test_an_orphaned_schema_makes_its_slug_taken(db):
    assert slug_problem("ghost") is None
    _orphan_schema("t_ghost")

    assert slug_problem("ghost") == "This address is already taken."


def test_signup_never_adopts_an_orphaned_schema(public_client):
    _orphan_schema("t_ghost")

    response = public_client.post("/api/signup/", SIGNUP, format="json")

    assert response.status_code == 400, response.content
    assert "slug" in response.json()["errors"]
    assert not Tenant.objects.filter(slug="ghost").exists()
    with connection.cursor() as cursor:
        cursor.execute('SELECT value FROM "t_ghost".secrets')
        assert cursor.fetchall() == [("the old business's customers",)]  # untouched, and nobody's


def test_signup_refuses_even_when_the_schema_appears_after_the_slug_check(public_client, monkeypatch):
    """The schema check of the signup transaction is the last word, not the earlier slug check."""
    from tenants import services

    _orphan_schema("t_ghost")
    monkeypatch.setattr(services, "slug_problem", lambda slug: None)

    with pytest.raises(Exception) as refused:
        services.tenant_signup(**SIGNUP)

    assert "slug" in getattr(refused.value, "message_dict", {})
    assert not Tenant.objects.filter(slug="ghost").exists()


def test_check_slug_answers_taken_for_an_orphaned_schema(public_client):
    _orphan_schema("t_ghost")
    response = public_client.get("/api/signup/check-slug/", {"slug": "ghost"})
    assert response.status_code == 200
    assert response.json()["available"] is False


# --- Deleting a business ------------------------------------------------------------------------

@pytest.fixture
def doomed(public_client, settings, tmp_path):
    """A business with a connected number, a media file, an import file, a live stream and cache keys."""
    from apps.messaging.tests.inbox_helpers import connect_number
    from tenants.services import tenant_signup

    settings.MEDIA_ROOT = str(tmp_path)
    result = tenant_signup(**SIGNUP)
    tenant = result.tenant
    schema = tenant.schema_name

    class Business:  # the conftest's shape, enough for connect_number
        pass

    business = Business()
    business.tenant = tenant
    connect_number(business, "140000000000001", "240000000000001")
    for folder in (f"{schema}/media", f"contact-imports/{schema}"):
        os.makedirs(tmp_path / folder)
        (tmp_path / folder / "file.bin").write_bytes(b"customer data")
    redis_client().xadd(stream_key(schema), {"event": "message"})
    with schema_context(schema):
        cache.set("inbox:settings", "cached")
    connection.set_schema_to_public()
    return tenant


def _cached_keys(schema: str) -> list:
    return list(redis_client().scan_iter(match=f"{schema}:*", count=1000))


@pytest.mark.parametrize("drop", [False, True])
def test_deleting_a_business_archives_or_drops_its_schema_and_removes_everything_else(
        doomed, drop, django_capture_on_commit_callbacks, alpha):
    from tenants.deletion import tenant_delete

    schema, media_root = doomed.schema_name, settings.MEDIA_ROOT
    alpha_routes = PhoneNumberRoute.objects.filter(tenant=alpha.tenant).count()
    assert _cached_keys(schema)

    with django_capture_on_commit_callbacks(execute=True):
        archived = tenant_delete(tenant=doomed, drop=drop)

    assert not Tenant.objects.filter(pk=doomed.pk).exists()
    assert not Domain.objects.filter(domain="ghost.localhost").exists()
    assert not Membership.objects.filter(tenant_id=doomed.pk).exists()
    assert not PhoneNumberRoute.objects.filter(phone_number_id="140000000000001").exists()
    assert not WabaRoute.objects.filter(waba_id="240000000000001").exists()
    assert PhoneNumberRoute.objects.filter(tenant=alpha.tenant).count() == alpha_routes
    assert not schema_exists(schema)
    if drop:
        assert archived is None
    else:
        assert archived.startswith("archived_ghost_") and schema_exists(archived)
    assert not os.path.exists(os.path.join(media_root, schema))
    assert not os.path.exists(os.path.join(media_root, "contact-imports", schema))
    assert not redis_client().exists(stream_key(schema))
    assert _cached_keys(schema) == []
    assert slug_problem("ghost") is None  # the address is free again, with a fresh schema
    assert schema_exists(alpha.tenant.schema_name)


def test_the_management_command_refuses_the_public_site_and_deletes_by_slug(doomed, django_capture_on_commit_callbacks):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("delete_business", "public", "--yes")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("delete_business", "ghost", "--yes")
    assert not Tenant.objects.filter(slug="ghost").exists()
