"""The real path: POST an import on alpha's host, a Celery worker (real Redis) runs it in alpha's schema.

Data here is committed (a worker is another thread with its own connection), so the test cleans up.
"""
import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django_tenants.utils import schema_context

from apps.contacts.models import Contact, ContactImport
from convonest.celery import app as celery_app

CONTENT = "phone,name\n+919876543210,Asha\n+919876543211,Ravi\nnot-a-number,Bad\n+91 98765 43210,Asha again\n"


@pytest.fixture(scope="module")
def worker(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        with start_worker(celery_app, pool="solo", perform_ping_check=False, loglevel="WARNING",
                          queues=[settings.CELERY_TASK_DEFAULT_QUEUE]):
            yield


def _clean(*schemas):
    for schema in schemas:
        with schema_context(schema):
            Contact.objects.all().delete()
            ContactImport.objects.all().delete()


def test_an_import_posted_on_alpha_runs_on_a_worker_and_writes_only_alpha(worker, django_db_blocker):
    from apps.contacts.tests.conftest import csv_file

    alpha, beta = settings.TEST_BUSINESSES["alpha"], settings.TEST_BUSINESSES["beta"]
    a, b = alpha.tenant.schema_name, beta.tenant.schema_name
    with django_db_blocker.unblock():
        try:
            with schema_context(b):
                Contact.objects.create(phone="+919876543210", name="Beta's Asha")
            client = alpha.client(alpha.owner)
            response = client.post("/api/contacts/imports/", {"file": csv_file(CONTENT)}, format="multipart")
            assert response.status_code == 202, response.content
            job_id = response.json()["id"]
            deadline = time.monotonic() + 30
            while True:
                body = client.get(f"/api/contacts/imports/{job_id}/").json()
                if body["status"] in ("done", "failed") or time.monotonic() > deadline:
                    break
                time.sleep(0.1)

            assert body["status"] == "done", body
            assert (body["total_rows"], body["created"], body["duplicates"], body["errors"]) == (4, 2, 1, 1)
            with schema_context(a):
                assert sorted(Contact.objects.values_list("phone", "name")) == [
                    ("+919876543210", "Asha"), ("+919876543211", "Ravi")]
            with schema_context(b):
                assert list(Contact.objects.values_list("phone", "name")) == [("+919876543210", "Beta's Asha")]
                assert not ContactImport.objects.exists()
            assert beta.client(beta.owner).get(f"/api/contacts/imports/{job_id}/errors.csv").status_code == 404
        finally:
            _clean(a, b)
