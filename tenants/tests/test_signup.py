import pytest
from django.db import connection
from django_tenants.utils import schema_exists

from tenants.models import Domain, Membership, PooledSchema, Role, Tenant, User
from tenants.schema_pool import migration_fingerprint, pool_size

GOOD = {"business_name": "Acme Flowers", "slug": "acme-flowers", "email": "Founder@Acme.example",
        "password": "a-long-unusual-passphrase"}


def _tables_in(schema: str) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = %s", [schema])
        return {row[0] for row in cursor.fetchall()}


def test_signup_creates_the_business_its_host_owner_and_membership(public_client):
    response = public_client.post("/api/signup/", GOOD, format="json")

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["tenant"] == {"slug": "acme-flowers", "name": "Acme Flowers",
                              "url": "http://acme-flowers.localhost:3000"}
    assert body["url"] == "http://acme-flowers.localhost:3000"
    assert body["login_url"].startswith("http://acme-flowers.localhost:3000/welcome?token=")
    tenant = Tenant.objects.get(slug="acme-flowers")
    assert tenant.schema_name == "t_acme_flowers"
    assert Domain.objects.get(tenant=tenant).domain == "acme-flowers.localhost"
    owner = User.objects.get(email="founder@acme.example")
    assert owner.check_password(GOOD["password"])
    assert Membership.objects.get(tenant=tenant, user=owner).role == Role.OWNER


def test_signup_takes_a_pooled_schema_that_already_has_the_tenant_tables(public_client):
    before = pool_size()
    assert before > 0

    assert public_client.post("/api/signup/", GOOD, format="json").status_code == 201

    assert pool_size() == before - 1
    assert "accounts_teamevent" in _tables_in("t_acme_flowers")


def test_signup_migrates_a_schema_inline_when_the_pool_is_empty(public_client):
    PooledSchema.objects.all().delete()  # rolled back with the test; the schemas themselves stay

    assert public_client.post("/api/signup/", GOOD, format="json").status_code == 201

    assert "accounts_teamevent" in _tables_in("t_acme_flowers")


def test_a_pooled_schema_built_by_older_migrations_is_never_handed_out(public_client):
    PooledSchema.objects.update(fingerprint="from-an-older-deploy")

    assert pool_size() == 0
    assert public_client.post("/api/signup/", GOOD, format="json").status_code == 201
    assert PooledSchema.objects.filter(fingerprint="from-an-older-deploy").count() > 0  # untouched


def test_pool_fill_drops_stale_schemas_and_creates_current_ones(db):
    from tenants.schema_pool import pool_fill

    stale = PooledSchema.objects.first()
    PooledSchema.objects.filter(pk=stale.pk).update(fingerprint="old")

    pool_fill(PooledSchema.objects.count())

    assert not PooledSchema.objects.filter(fingerprint="old").exists()
    assert not schema_exists(stale.schema_name)
    assert all(p.fingerprint == migration_fingerprint() for p in PooledSchema.objects.all())


@pytest.mark.parametrize(
    ("slug", "message"),
    [
        ("ab", "Use between 3 and 40 characters."),
        ("a" * 41, "Use between 3 and 40 characters."),
        ("-acme", "Use lowercase letters, digits and hyphens, starting and ending with a letter or digit."),
        ("acme-", "Use lowercase letters, digits and hyphens, starting and ending with a letter or digit."),
        ("ac_me", "Use lowercase letters, digits and hyphens, starting and ending with a letter or digit."),
        ("ac me", "Use lowercase letters, digits and hyphens, starting and ending with a letter or digit."),
        ("acmé", "Use lowercase letters, digits and hyphens, starting and ending with a letter or digit."),
        ("ac--me", "Hyphens can't follow each other."),
        ("www", "This address is reserved."),
        ("api", "This address is reserved."),
        ("admin", "This address is reserved."),
        ("app", "This address is reserved."),
        ("partners", "This address is reserved."),
        ("static", "This address is reserved."),
        ("alpha", "This address is already taken."),
    ],
)
def test_signup_rejects_bad_slugs_with_a_field_error(public_client, alpha, slug, message):
    response = public_client.post("/api/signup/", {**GOOD, "slug": slug}, format="json")

    assert response.status_code == 400
    assert response.json() == {"code": "validation_error", "message": "Some fields are invalid.",
                               "errors": {"slug": [message]}}


def test_signup_lowercases_the_slug(public_client):
    response = public_client.post("/api/signup/", {**GOOD, "slug": "Acme-Flowers"}, format="json")

    assert response.status_code == 201
    assert response.json()["tenant"]["slug"] == "acme-flowers"


def test_signup_names_every_missing_field(public_client):
    response = public_client.post("/api/signup/", {}, format="json")

    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"business_name", "slug", "email", "password"}


def test_signup_rejects_a_weak_password_and_stores_nothing(public_client):
    response = public_client.post("/api/signup/", {**GOOD, "password": "12345678"}, format="json")

    assert response.status_code == 400
    assert "password" in response.json()["errors"]
    assert not Tenant.objects.filter(slug="acme-flowers").exists()
    assert not User.objects.filter(email="founder@acme.example").exists()


def test_an_existing_login_can_sign_up_a_second_business_only_with_its_password(public_client, alpha):
    wrong = public_client.post("/api/signup/", {**GOOD, "email": alpha.owner.email, "password": "not-the-password-1"},
                               format="json")
    assert wrong.status_code == 400
    assert list(wrong.json()["errors"]) == ["email"]

    from conftest import PASSWORD

    right = public_client.post("/api/signup/", {**GOOD, "email": alpha.owner.email, "password": PASSWORD},
                               format="json")
    assert right.status_code == 201
    assert set(Membership.objects.filter(user=alpha.owner).values_list("tenant__slug", flat=True)) == \
        {"alpha", "acme-flowers"}


def test_signup_is_not_served_on_a_tenant_host(alpha):
    response = alpha.client().post("/api/signup/", GOOD, format="json")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_check_slug_says_whether_an_address_is_free(public_client, alpha):
    free = public_client.get("/api/signup/check-slug/", {"slug": "Fresh-Name"}).json()
    taken = public_client.get("/api/signup/check-slug/", {"slug": "alpha"}).json()
    reserved = public_client.get("/api/signup/check-slug/", {"slug": "www"}).json()

    assert free == {"slug": "fresh-name", "available": True, "reason": ""}
    assert taken == {"slug": "alpha", "available": False, "reason": "This address is already taken."}
    assert reserved["available"] is False


def test_signup_is_throttled_per_client(public_client, settings):
    from rest_framework.throttling import ScopedRateThrottle

    ScopedRateThrottle.THROTTLE_RATES = {**ScopedRateThrottle.THROTTLE_RATES, "signup": "2/hour"}
    try:
        codes = [public_client.post("/api/signup/", {}, format="json").status_code for _ in range(3)]
    finally:
        ScopedRateThrottle.THROTTLE_RATES = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    assert codes == [400, 400, 429]
