import pytest
from django.db import connection
from django_tenants.utils import schema_exists
from rest_framework.test import APIClient

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
    assert "audit_auditevent" in _tables_in("t_acme_flowers")


def test_signup_migrates_a_schema_inline_when_the_pool_is_empty(public_client):
    PooledSchema.objects.all().delete()  # rolled back with the test; the schemas themselves stay

    assert public_client.post("/api/signup/", GOOD, format="json").status_code == 201

    assert "audit_auditevent" in _tables_in("t_acme_flowers")


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


def _rates(settings, **rates):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {
        **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], **rates}}


def _from(xff: str, remote: str = "127.0.0.1") -> APIClient:
    return APIClient(HTTP_HOST="localhost", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=xff)


def test_signup_is_throttled_per_real_client(db, settings):
    _rates(settings, signup="2/hour")

    codes = [_from(xff).post("/api/signup/", {}, format="json").status_code
             for xff in ("203.0.113.5", "1.1.1.1, 203.0.113.5", "2.2.2.2, 203.0.113.5")]

    assert codes == [400, 400, 429]  # what the client put left of our proxy's entry changes nothing
    assert _from("198.51.100.9").post("/api/signup/", {}, format="json").status_code == 400


def test_a_forwarded_for_header_from_an_untrusted_peer_does_not_buy_more_signups(db, settings):
    _rates(settings, signup="2/hour")

    codes = [_from(f"10.0.0.{n}", remote="203.0.113.66").post("/api/signup/", {}, format="json").status_code
             for n in range(3)]

    assert codes == [400, 400, 429]


def test_signing_up_with_an_existing_email_is_a_login_attempt_and_is_throttled_like_one(alpha, settings):
    from conftest import PASSWORD

    settings.LOGIN_FAILURE_LIMIT = 3
    guesser = _from("203.0.113.66")
    for n in range(3):
        wrong = guesser.post("/api/signup/", {**GOOD, "slug": f"guess-{n}", "email": alpha.owner.email,
                                              "password": f"not-the-password-{n}"}, format="json")
        assert wrong.status_code == 400 and list(wrong.json()["errors"]) == ["email"]

    right = guesser.post("/api/signup/", {**GOOD, "email": alpha.owner.email, "password": PASSWORD}, format="json")
    login = APIClient(HTTP_HOST=alpha.host, HTTP_X_FORWARDED_FOR="203.0.113.66").post(
        "/api/auth/login/", {"email": alpha.owner.email, "password": PASSWORD}, format="json")

    assert right.status_code == 429  # the guesser is done, even with the right password
    assert login.status_code == 429  # one counter for login and signup
    assert not Tenant.objects.filter(slug="acme-flowers").exists()
    owner = _from("198.51.100.7").post("/api/signup/", {**GOOD, "email": alpha.owner.email, "password": PASSWORD},
                                       format="json")
    assert owner.status_code == 201  # the owner, elsewhere, is not locked out


def test_a_weak_password_gets_the_same_answer_whether_or_not_the_email_exists(public_client, alpha):
    answers = [public_client.post("/api/signup/", {**GOOD, "email": email, "password": "12345678"}, format="json")
               for email in (alpha.owner.email, "new-person@acme.example")]

    assert answers[0].status_code == answers[1].status_code == 400
    assert answers[0].json() == answers[1].json()
    assert list(answers[0].json()["errors"]) == ["password"]
