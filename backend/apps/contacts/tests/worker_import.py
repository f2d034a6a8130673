"""One import posted on alpha's host and run by a real Celery worker, wherever that worker runs.

Shared by the worker test (a worker thread here) and the second-host test (a worker in another network namespace):
both check the same outcome, alpha gets the rows and beta's schema is untouched. Data is committed (the worker has
its own connection), so the flow cleans up after itself.
"""
import time

from django.conf import settings
from django_tenants.utils import schema_context

from apps.contacts.models import Contact, ContactImport
from apps.contacts.tests.conftest import csv_file

# Two good rows, one bad, one repeat of the first: 4 rows, 2 created, 1 duplicate, 1 error.
CONTENT = "phone,name\n+919876543210,Asha\n+919876543211,Ravi\nnot-a-number,Bad\n+91 98765 43210,Asha again\n"


def _clean(*schemas: str) -> None:
    for schema in schemas:
        with schema_context(schema):
            Contact.objects.all().delete()
            ContactImport.objects.all().delete()


def import_on_alpha_runs_and_writes_only_alpha(django_db_blocker, timeout: float) -> str:
    """Post CONTENT on alpha's host, wait for the worker, check both schemas; returns the import's id."""
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
            deadline = time.monotonic() + timeout
            while (body := client.get(f"/api/contacts/imports/{job_id}/").json())["status"] not in ("done", "failed"):
                assert time.monotonic() < deadline, body
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
    return job_id
