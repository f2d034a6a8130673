"""Test fixtures shared by every backend test: a real PostgreSQL with two businesses, real Redis.

The session builds the test database once: public schema, a warm schema pool, and two tenants,
`alpha` and `beta`, each with an owner. They are committed, so Celery workers and other connections
see them. Each test then runs in a transaction that is rolled back (PostgreSQL DDL included), so a
test may sign up businesses or claim pooled schemas without leaking into the next one.
"""
import pytest
from django.conf import settings
from django.db import connection
from rest_framework.test import APIClient

PASSWORD = "correct-horse-battery-9"


def access_cookie() -> str:
    """The access cookie's name: `cn-access` over http, `__Host-cn-access` over https (settings.REST_AUTH)."""
    return settings.REST_AUTH["JWT_AUTH_COOKIE"]


def refresh_cookie() -> str:
    return settings.REST_AUTH["JWT_AUTH_REFRESH_COOKIE"]


class Business:
    """One test tenant: its row, host, owner, and a client factory speaking to its host."""

    def __init__(self, tenant, owner):
        self.tenant = tenant
        self.owner = owner
        self.host = f"{tenant.slug}.{settings.BASE_DOMAIN}"

    def client(self, user=None, password: str = PASSWORD) -> APIClient:
        """An API client on this host, logged in through the real login endpoint when `user` is given."""
        # Like the browser on this business's pages: every request says it comes from this origin
        # (apps.core.csrf refuses cookie-authenticated writes that don't).
        client = APIClient(HTTP_HOST=self.host, HTTP_SEC_FETCH_SITE="same-origin")
        if user is not None:
            response = client.post("/api/auth/login/", {"email": user.email, "password": password}, format="json")
            assert response.status_code == 200, response.content
        return client

    def add_member(self, email: str, role: str):
        from tenants.models import Membership, User

        user = User.objects.filter(email=email).first() or User.objects.create_user(email=email, password=PASSWORD)
        Membership.objects.create(user=user, tenant=self.tenant, role=role)
        return user


def _signup(slug: str) -> Business:
    from tenants.services import tenant_signup

    result = tenant_signup(business_name=slug.title() + " Ltd", slug=slug, email=f"owner@{slug}.example",
                           password=PASSWORD)
    return Business(result.tenant, result.user)


@pytest.fixture(scope="session")
def django_db_setup(request, django_test_environment, django_db_blocker):
    """The test database, always (pytest-django would skip it when only thread-using tests run, which
    then wrote to the dev database), plus the warm schema pool and the two businesses."""
    from django.test.utils import setup_databases, teardown_databases

    from tenants.schema_pool import pool_fill

    with django_db_blocker.unblock():
        config = setup_databases(verbosity=request.config.option.verbose, interactive=False)
        pool_fill(3)
        businesses = {slug: _signup(slug) for slug in ("alpha", "beta")}
        pool_fill(3)
    settings.TEST_BUSINESSES = businesses  # read by the fixtures below
    yield
    with django_db_blocker.unblock():
        teardown_databases(config, verbosity=request.config.option.verbose)


@pytest.fixture
def alpha(db) -> Business:
    return _fresh(settings.TEST_BUSINESSES["alpha"])


@pytest.fixture
def beta(db) -> Business:
    return _fresh(settings.TEST_BUSINESSES["beta"])


def _fresh(business: Business) -> Business:
    business.tenant.refresh_from_db()
    business.owner.refresh_from_db()
    return business


@pytest.fixture
def public_client(db) -> APIClient:
    return APIClient(HTTP_HOST=settings.BASE_DOMAIN)


@pytest.fixture(autouse=True)
def _reset_schema_and_cache():
    """Every test starts in the public schema with no leftover cache keys (throttles, tokens)."""
    yield
    connection.set_schema_to_public()
    from apps.core.redis import redis_client

    client = redis_client()
    keys = list(client.scan_iter(match=f"*{settings.CACHE_PREFIX}*", count=1000))
    if keys:
        client.delete(*keys)


@pytest.fixture(autouse=True)
def _plan_limits_off(settings):
    """Plan limits (tenants.billing.limits) are off unless a test asks for them (`plan_limits_on`), so no other
    test depends on the trial plan's numbers."""
    settings.BILLING_ENFORCE_LIMITS = False


@pytest.fixture
def plan_limits_on(settings):
    settings.BILLING_ENFORCE_LIMITS = True


@pytest.fixture(scope="session")
def _sandbox_server():
    from sandbox.testing import SandboxServer

    with SandboxServer() as server:
        yield server


@pytest.fixture
def graph_sandbox(_sandbox_server, settings):
    """Meta, as the WhatsApp sandbox plays it: a live server with the demo business, reset per test.
    Our Graph client talks to it through settings.WHATSAPP_GRAPH_URL."""
    from sandbox.state import demo_values

    _sandbox_server.reset()
    settings.WHATSAPP_GRAPH_URL = _sandbox_server.url
    demo = demo_values()
    settings.WHATSAPP_APP_ID, settings.WHATSAPP_APP_SECRET = demo["app_id"], demo["app_secret"]
    _sandbox_server.demo = demo
    return _sandbox_server


@pytest.fixture
def committed_business(django_db_setup, django_db_blocker):
    """A business whose writes are committed (no test transaction), for tests where another process or thread
    must see them (a worker killed mid-run, concurrent dispatchers). Dropped, schema and all, afterwards."""
    from tenants.models import Tenant

    with django_db_blocker.unblock():
        business = _signup("gamma")
        try:
            yield business
        finally:
            connection.set_schema_to_public()
            # The owner stays (a login may own several businesses): deleting it would reach into the dropped schema.
            Tenant.objects.get(pk=business.tenant.pk).delete(force_drop=True)
