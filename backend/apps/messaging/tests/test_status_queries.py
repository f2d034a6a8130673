"""A change's statuses find their messages through the indexes (wamid, id), however many messages the business has,
and the values go to PostgreSQL as one JSON text each (apps.core.json_params), not as array literals."""
import uuid

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tenants.utils import schema_context

from apps.core.bulk_copy import copy_insert
from apps.messaging.models import Message
from apps.messaging.statuses import StatusIn, statuses_apply
from apps.messaging.tests.inbox_helpers import connect_number
from apps.whatsapp.models import PhoneNumber

STORED = 20_000


def _nodes(node: dict):
    yield node
    for child in node.get("Plans", []):
        yield from _nodes(child)


def test_a_change_locks_its_messages_through_the_indexes_among_thousands(alpha):
    number_id = connect_number(alpha).phone_number_id
    with schema_context(alpha.tenant.schema_name):
        number = PhoneNumber.objects.get(phone_number_id=number_id)
        rows = [{"id": uuid.uuid4(), "phone_number_id": number.pk, "to": f"1650{i:07d}", "type": "template",
                 "payload": {}, "status": "sent", "wamid": f"wamid.q.{i}"} for i in range(STORED)]
        copy_insert(Message, rows)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE messaging_message")
        now = timezone.now()
        change = ([StatusIn("delivered", rows[i]["wamid"], None, now) for i in range(0, 5000, 100)]
                  + [StatusIn("read", "wamid.not-yet-known", str(rows[i]["id"]), now) for i in range(1, 5000, 100)])

        with CaptureQueriesContext(connection) as queries:
            found = statuses_apply(change)
        lock = next(q["sql"] for q in queries.captured_queries if "FOR UPDATE OF m" in q["sql"])
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {lock}")
            plan = cursor.fetchone()[0]
        statuses = dict(Message.objects.filter(pk__in=found).values_list("pk", "status"))

    assert found == [rows[i]["id"] for i in range(0, 5000, 100)] + [rows[i]["id"] for i in range(1, 5000, 100)]
    assert sorted(statuses.values()) == ["delivered"] * 50 + ["read"] * 50
    plan = plan[0] if isinstance(plan, list) else plan
    nodes = list(_nodes(plan["Plan"]))
    assert [n["Node Type"] for n in nodes if n.get("Relation Name") == "messaging_message"] == ["Bitmap Heap Scan"]
    assert {n.get("Index Name") for n in nodes} >= {"messaging_message_wamid_key", "messaging_message_pkey"}
    assert plan["Plan"]["Shared Hit Blocks"] + plan["Plan"].get("Shared Read Blocks", 0) < 1000  # not every page
    assert "::text[]" not in lock and "::uuid[]" not in lock  # no array literals built in Python
