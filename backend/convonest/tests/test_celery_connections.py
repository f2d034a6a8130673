"""A worker keeps its database connection from one task to the next, as Django does between requests: Celery's
Django fixup would close it around every task (settings.CELERY_DB_REUSE_MAX, convonest.celery)."""
import time

import pytest
from celery import signals
from celery.fixups.django import DjangoWorkerFixup
from django.db import connection

from convonest.celery import app
from tenants.ingress.tasks import webhook_events_sweep


@pytest.fixture
def worker_fixup(django_db_setup, django_db_blocker):
    """The fixup a worker process installs, wired to the task signals as in a worker, on a new connection outside
    any test transaction (a worker's own)."""
    with django_db_blocker.unblock():
        connection.close()  # its CONN_MAX_AGE counts from now
        fixup = DjangoWorkerFixup(app).install()
        try:
            yield fixup
        finally:
            for signal, handler in ((signals.task_prerun, fixup.on_task_prerun),
                                    (signals.task_postrun, fixup.on_task_postrun),
                                    (signals.worker_process_init, fixup.on_worker_process_init),
                                    (signals.beat_embedded_init, fixup.close_database)):
                signal.disconnect(handler)
            connection.close()


def _task_ends() -> None:
    signals.task_postrun.send(sender=webhook_events_sweep, task_id="t", task=webhook_events_sweep, args=(), kwargs={},
                              retval=None, state="SUCCESS")


def _run_task() -> None:
    """What a worker does around a task body: the signals before and after."""
    signals.task_prerun.send(sender=webhook_events_sweep, task_id="t", task=webhook_events_sweep, args=(), kwargs={})
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    _task_ends()


def _backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def test_a_worker_runs_task_after_task_on_one_database_session(worker_fixup):
    first = _backend_pid()
    for _ in range(5):
        _run_task()
    assert connection.connection is not None
    assert _backend_pid() == first


def test_a_connection_past_its_max_age_is_replaced_after_a_task(worker_fixup):
    first = _backend_pid()
    connection.close_at = time.monotonic() - 1  # CONN_MAX_AGE is over
    _task_ends()
    assert connection.connection is None
    assert _backend_pid() != first


def test_a_broken_connection_is_dropped_after_a_task(worker_fixup):
    _backend_pid()
    connection.errors_occurred = True  # a statement failed: the connection stays only if it still answers
    connection.connection.close()  # ... and this one doesn't
    _task_ends()
    assert connection.connection is None
    assert _backend_pid() > 0  # a new session
