"""A task runs in the schema it was enqueued from, on a real worker consuming from real Redis."""
import uuid

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django_tenants.utils import schema_context

from apps.messaging.models import CannedReply
from convonest.celery import app as celery_app


@celery_app.task(name="tests.record_where_i_ran")
def record_where_i_ran(marker: str) -> dict:
    CannedReply.objects.create(shortcut=f"p{marker}"[:32], title="probe", body=marker)
    cache.set("probe", marker, timeout=60)
    return {"schema": connection.schema_name, "cache_key": cache.make_key("probe")}


@pytest.fixture(scope="module")
def worker(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        with start_worker(celery_app, pool="solo", perform_ping_check=False, loglevel="WARNING",
                          queues=[settings.CELERY_TASK_DEFAULT_QUEUE]):
            yield


def _run_in(schema: str, marker: str) -> dict:
    with schema_context(schema):
        return record_where_i_ran.delay(marker).get(timeout=20)


def _events(schema: str, marker: str) -> int:
    with schema_context(schema):
        return CannedReply.objects.filter(body=marker).count()


def test_a_task_enqueued_in_a_business_runs_and_writes_only_there(worker, django_db_blocker):
    businesses = settings.TEST_BUSINESSES
    a, b = businesses["alpha"].tenant.schema_name, businesses["beta"].tenant.schema_name
    marker = uuid.uuid4().hex
    with django_db_blocker.unblock():
        try:
            result_a = _run_in(a, marker)
            result_b = _run_in(b, marker + "b")

            assert result_a["schema"] == a and result_b["schema"] == b
            assert (_events(a, marker), _events(b, marker)) == (1, 0)
            assert (_events(b, marker + "b"), _events(a, marker + "b")) == (1, 0)
        finally:
            for schema in (a, b):
                with schema_context(schema):
                    CannedReply.objects.filter(title="probe").delete()


def test_a_task_from_the_public_schema_cannot_reach_tenant_tables(worker, django_db_blocker):
    from celery.exceptions import CeleryError

    with django_db_blocker.unblock():
        with pytest.raises(Exception) as failure:  # noqa: PT011 - the database error type is what we check
            _run_in("public", uuid.uuid4().hex)
    assert not isinstance(failure.value, CeleryError)
    assert "messaging_cannedreply" in str(failure.value)


def test_cache_keys_of_two_businesses_never_collide(worker, django_db_blocker):
    a, b = (settings.TEST_BUSINESSES[slug].tenant.schema_name for slug in ("alpha", "beta"))
    with django_db_blocker.unblock():
        try:
            key_a = _run_in(a, "a")["cache_key"]
            key_b = _run_in(b, "b")["cache_key"]
        finally:
            for schema in (a, b):
                with schema_context(schema):
                    CannedReply.objects.filter(title="probe").delete()

    assert key_a != key_b
    assert key_a.startswith(f"{a}:") and key_b.startswith(f"{b}:")
    with schema_context(a):
        assert cache.get("probe") == "a"
    with schema_context(b):
        assert cache.get("probe") == "b"
