"""PgBouncer in front of PostgreSQL: which pool mode keeps each business on its own schema (docs/runbook.md,
"Connection pooling").

django-tenants chooses a business with a session-level `SET search_path` sent when a cursor is opened (and, with
TENANT_LIMIT_SET_CALLS, not again until the business changes). In autocommit that SET and the query after it are two
transactions, and PgBouncer's transaction mode may hand each to a different server connection, so a query can run
under another client's search path. Session mode gives a client one server connection from connect to disconnect
and runs `DISCARD ALL` before handing it to the next client.

Two Django connections go through one real PgBouncer with two server connections: a "web thread" serving requests
(the contacts list, through the middleware that picks the business from the host) and a "Celery process" running
task code (`schema_context` + the ORM), each for alpha and beta in turn, both closing their connection after every
request or task as gunicorn and Celery do with DATABASE_CONN_MAX_AGE=0. A turnstile interleaves the two threads
statement by statement in a seeded order, the same on every run. Each business has one marker contact; an operation
for alpha that returns beta's marker (or the reverse) is a cross-tenant read. The same harness must find such reads
in transaction mode (the negative control: it can catch a leak) and none in session mode, the one we run."""
from __future__ import annotations

import threading
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection, connections
from django.db.utils import load_backend
from django_tenants.utils import schema_context
from rest_framework.test import APIClient

from apps.contacts.models import Contact, ContactSettings
from convonest.tests.pgbouncer_support import PGBOUNCER, PgBouncer, Turnstile

pytestmark = pytest.mark.skipif(not Path(PGBOUNCER).exists(),
                                reason="pgbouncer is not installed (make system-packages)")

SERVER_POOL_SIZE = 2  # as many server connections as clients: session mode never makes one wait
OPERATIONS_PER_CLIENT = 40  # alternating alpha and beta; in transaction mode ~1 in 12 reads the other business
SCHEDULE_SEED = 16  # which client runs the next statement: fixed, so every run interleaves the same way


@pytest.fixture
def markers(django_db_setup, django_db_blocker):
    """One committed contact in each business (the pooled connections are other sessions: they must see it).
    Afterwards the markers go, and so do the contact settings the contacts list creates on its first read (the
    pooled connections commit), so later tests find the businesses as they were."""
    businesses = settings.TEST_BUSINESSES
    created, had_settings = {}, {}
    with django_db_blocker.unblock():
        for slug, business in businesses.items():
            with schema_context(business.tenant.schema_name):
                created[slug] = Contact.objects.create(name=f"marker of {slug}", phone="+442079460000")
                had_settings[slug] = ContactSettings.objects.exists()
        yield {slug: contact.name for slug, contact in created.items()}
        for slug, contact in created.items():
            with schema_context(businesses[slug].tenant.schema_name):
                contact.delete()
                if not had_settings[slug]:
                    ContactSettings.objects.all().delete()


@dataclass
class Report:
    outcomes: Counter = field(default_factory=Counter)  # ok / cross_tenant_read / error
    failures: list[str] = field(default_factory=list)  # what each operation that wasn't ok saw
    businesses_by_server: dict[int, set[str]] = field(default_factory=lambda: defaultdict(set))

    def shared_servers(self) -> list[int]:
        """Server backends (PostgreSQL pids) that served both businesses: the pool really was shared."""
        return [pid for pid, slugs in self.businesses_by_server.items() if len(slugs) > 1]


def _request(business) -> set[str]:
    """A web request: the host picks the business (tenants.hosts.HostMiddleware), the view lists its contacts."""
    client = APIClient(HTTP_HOST=business.host)
    client.force_authenticate(business.owner)
    response = client.get("/api/contacts/")
    if response.status_code != 200:
        raise AssertionError(f"GET /api/contacts/ answered {response.status_code}")
    return {contact["name"] for contact in response.json()["results"]}


def _task(business) -> set[str]:
    """Task code, as our Celery tasks enter a business (apps/messaging/tasks.py)."""
    with schema_context(business.tenant.schema_name):
        return set(Contact.objects.values_list("name", flat=True))


def _pooled_settings(port: int) -> dict:
    """The default database as a process configured for the pooler sees it: PgBouncer's address, and no
    persistent connection (each request or task connects to PgBouncer and gives its server connection back)."""
    direct = connections["default"].settings_dict
    return {**direct, "HOST": "127.0.0.1", "PORT": str(port), "CONN_MAX_AGE": 0, "OPTIONS": dict(direct["OPTIONS"])}


def _client(name: str, operation, order: list[str], pooled_settings: dict, turnstile: Turnstile,
            markers: dict[str, str], report: Report, lock: threading.Lock) -> None:
    backend = load_backend(pooled_settings["ENGINE"])  # django-tenants' backend, as configured
    connections["default"] = backend.DatabaseWrapper(dict(pooled_settings), "default")  # this thread's only
    try:
        turnstile.wait_for_turn(name)
        with connection.execute_wrapper(turnstile.hook(name)):
            for i in range(OPERATIONS_PER_CLIENT):
                slug = order[i % len(order)]
                business = settings.TEST_BUSINESSES[slug]
                others = {marker for other, marker in markers.items() if other != slug}
                try:
                    names = operation(business)
                    with connection.cursor() as cursor:
                        cursor.execute("SELECT pg_backend_pid()")
                        pid = cursor.fetchone()[0]
                except Exception as exc:  # noqa: BLE001 - in transaction mode a query may run in no business at all
                    outcome, names, pid = "error", {repr(exc)}, None
                else:
                    outcome = "cross_tenant_read" if names & others else "ok" if markers[slug] in names else "error"
                with lock:
                    report.outcomes[outcome] += 1
                    if outcome != "ok":
                        report.failures.append(f"{name} for {slug}: {sorted(names)}")
                    if pid is not None:
                        report.businesses_by_server[pid].add(slug)
                # The end of a request (request_finished) or a task (Celery's Django fixup) closes the connection.
                connection.close_if_unusable_or_obsolete()
    except BaseException as exc:  # the harness itself failed (a hung turn): say so in the report
        report.failures.append(f"{name} stopped: {exc!r}")
        raise
    finally:
        turnstile.leave(name)
        connection.close()


def _interleave(pool_mode: str, markers: dict[str, str], django_db_blocker) -> Report:
    """The web thread and the Celery process, through one PgBouncer in `pool_mode`, statement by statement."""
    report, lock = Report(), threading.Lock()
    clients = {"web": (_request, ["alpha", "beta"]), "celery": (_task, ["beta", "alpha"])}
    turnstile = Turnstile(list(clients), SCHEDULE_SEED)
    with django_db_blocker.unblock(), \
            PgBouncer(connections["default"].settings_dict, pool_mode, SERVER_POOL_SIZE) as port:
        pooled_settings = _pooled_settings(port)
        threads = [threading.Thread(target=_client, args=(name, operation, order, pooled_settings, turnstile, markers,
                                                          report, lock))
                   for name, (operation, order) in clients.items()]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert not any(thread.is_alive() for thread in threads), "a client thread hung"
    total = OPERATIONS_PER_CLIENT * len(clients)
    assert sum(report.outcomes.values()) == total, report  # every operation ran and was judged
    return report


@pytest.mark.parametrize("limit_set_calls", [True, False], ids=["set-once-per-business", "set-on-every-cursor"])
def test_transaction_pooling_lets_plain_django_tenants_read_another_business(markers, django_db_blocker, settings,
                                                                            limit_set_calls):
    """The negative control: with plain django-tenants behaviour, in transaction mode a request or task of one
    business reads the other's contact. Re-sending the SET on every cursor (TENANT_LIMIT_SET_CALLS off) doesn't
    help: the SET is still its own transaction."""
    settings.TENANT_LIMIT_SET_CALLS = limit_set_calls

    report = _interleave("transaction", markers, django_db_blocker)

    assert report.outcomes["cross_tenant_read"] > 0, report
    assert report.shared_servers(), report


def test_session_pooling_keeps_every_request_and_task_on_its_own_business(markers, django_db_blocker):
    """Session mode, interleaved the same way, with both server connections passed between alpha and beta:
    every request and task sees its own business's contact and never the other's."""
    report = _interleave("session", markers, django_db_blocker)

    assert report.outcomes == Counter(ok=OPERATIONS_PER_CLIENT * 2), report.failures
    assert report.shared_servers(), f"no server connection served both businesses: {report.businesses_by_server}"
