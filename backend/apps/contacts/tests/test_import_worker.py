"""The real path: POST an import on alpha's host, a Celery worker (real Redis) runs it in alpha's schema.

Data here is committed (a worker is another thread with its own connection), so the test cleans up.
"""
import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings

from apps.contacts.tests.worker_import import import_on_alpha_runs_and_writes_only_alpha
from convonest.celery import app as celery_app


@pytest.fixture(scope="module")
def worker(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        with start_worker(celery_app, pool="solo", perform_ping_check=False, loglevel="WARNING",
                          queues=[settings.WORKLOAD_QUEUES["imports"]]):
            yield


def test_an_import_posted_on_alpha_runs_on_a_worker_and_writes_only_alpha(worker, django_db_blocker):
    import_on_alpha_runs_and_writes_only_alpha(django_db_blocker, timeout=30)
