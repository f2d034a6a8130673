"""apps.core.bulk_copy writes what bulk_create would (defaults, timestamps, JSON), in the current business's schema
only: the batched send path and the status handler store a campaign's messages and events with it."""
import uuid

from django.forms.models import model_to_dict
from django.utils import timezone
from django_tenants.utils import schema_context

from apps.core.bulk_copy import copy_insert
from apps.messaging.models import Message, MessageEvent
from apps.messaging.tests.inbox_helpers import connect_number

PAYLOAD = {"type": "template", "template": {"name": "appointment_reminder", "language": {"code": "en"},
                                            "components": [{"type": "body", "parameters": [
                                                {"type": "text", "text": "Zoë \"quoted\" \\ tab\there"}]}]}}


def _row(message: Message) -> dict:
    return {k: v for k, v in model_to_dict(message).items() if k not in ("id",)}


def test_copied_rows_equal_what_bulk_create_stores(alpha):
    number = connect_number(alpha)
    with schema_context(alpha.tenant.schema_name):
        before = timezone.now()
        copied_id = uuid.uuid4()
        copy_insert(Message, [{"id": copied_id, "phone_number_id": number.pk, "to": "16505550101",
                               "type": "template", "payload": PAYLOAD}])
        [created] = Message.objects.bulk_create([Message(phone_number_id=number.pk, to="16505550101",
                                                         type="template", payload=PAYLOAD)])
        copied = Message.objects.get(pk=copied_id)

        assert _row(copied) == _row(Message.objects.get(pk=created.pk))
        assert copied.payload == PAYLOAD  # quotes, backslashes and tabs survive COPY's text format
        assert (copied.status, copied.direction, copied.attempts, copied.error_title) == ("queued", "out", 0, "")
        assert copied.wamid is None and copied.billable is None
        assert before <= copied.created_at <= timezone.now() and copied.updated_at == copied.created_at


def test_an_event_left_without_detail_gets_the_default_and_the_database_numbers_it(alpha):
    number = connect_number(alpha)
    with schema_context(alpha.tenant.schema_name):
        message = Message.objects.create(phone_number=number, to="16505550101", type="template", payload=PAYLOAD)
        copy_insert(MessageEvent, [{"message_id": message.pk, "status": "queued"},
                                   {"message_id": message.pk, "status": "sending", "detail": {"attempt": 1}}])

        events = list(MessageEvent.objects.filter(message=message).order_by("id"))
        assert [(e.status, e.detail) for e in events] == [("queued", {}), ("sending", {"attempt": 1})]
        assert events[0].id < events[1].id and all(e.created_at for e in events)


def test_rows_go_to_the_current_business_only(alpha, beta):
    number = connect_number(alpha)
    connect_number(beta, "120000000000002", "220000000000002")
    copied_id = uuid.uuid4()
    with schema_context(alpha.tenant.schema_name):
        copy_insert(Message, [{"id": copied_id, "phone_number_id": number.pk, "to": "16505550101",
                               "type": "template", "payload": PAYLOAD}])
        assert Message.objects.filter(pk=copied_id).exists()
    with schema_context(beta.tenant.schema_name):
        assert not Message.objects.filter(pk=copied_id).exists()


def test_nothing_to_copy_sends_nothing_to_the_database(alpha, django_assert_num_queries):
    with schema_context(alpha.tenant.schema_name), django_assert_num_queries(0):
        copy_insert(MessageEvent, [])
