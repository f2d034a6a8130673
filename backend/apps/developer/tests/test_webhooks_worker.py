"""The whole path on a real Celery worker: a change committed in a business emits, the task runs in that business's
schema and the local receiver gets the signed event."""
import json
import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django_tenants.utils import schema_context

from apps.developer.tests.webhook_support import Receiver
from apps.developer.webhook_models import WebhookDelivery
from apps.developer.webhook_services import endpoint_create
from apps.developer.webhook_signing import verify
from convonest.celery import app as celery_app
from tenants.members import member_of


@pytest.fixture(scope="module")
def worker(django_db_setup, django_db_blocker):
    # Tasks earlier tests left on this run's queue belong to rolled-back data: not this worker's to work through first.
    with celery_app.connection_for_write() as connection:
        connection.default_channel.queue_purge(settings.CELERY_TASK_DEFAULT_QUEUE)
    with django_db_blocker.unblock():
        with start_worker(celery_app, pool="solo", perform_ping_check=False, loglevel="WARNING",
                          queues=[settings.CELERY_TASK_DEFAULT_QUEUE]):
            yield


def test_a_committed_change_is_delivered_by_the_worker(committed_business, worker, django_db_blocker):
    from apps.contacts.services import contact_create

    with django_db_blocker.unblock(), Receiver() as receiver, schema_context(committed_business.tenant.schema_name):
        owner = member_of(user=committed_business.owner, tenant=committed_business.tenant)
        endpoint = endpoint_create(member=owner, url=receiver.url, events_=["contact.created"])
        contact = contact_create(data={"phone": "+14155550100", "name": "Worker"})
        deadline = time.monotonic() + 60  # generous: a loaded 2-core machine runs the worker slowly; ends at once
        while not receiver.requests and time.monotonic() < deadline:
            time.sleep(0.1)

        (request,) = receiver.requests
        assert json.loads(request.body)["data"]["contact_id"] == contact.pk
        assert verify(endpoint.secret, request.headers["convonest-signature"], request.body)
        deadline = time.monotonic() + 5
        while WebhookDelivery.objects.get().status != "succeeded" and time.monotonic() < deadline:
            time.sleep(0.1)
        assert WebhookDelivery.objects.get().status == "succeeded"
