"""A campaign's message is updated four times (claimed, sent, delivered, read). All but `sent` must be HOT updates:
a new row version on the same page and no index entry, because no index holds a column they change
(models.Message.Meta, migration 0011)."""
import pytest
from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context

from apps.messaging import bulk_send
from apps.messaging.models import Message
from apps.messaging.outbox import in_flight
from apps.messaging.statuses import StatusIn, statuses_apply
from apps.messaging.tests.inbox_helpers import connect_number
from apps.whatsapp.client import SendResult
from apps.whatsapp.models import PhoneNumber

# What the send path and the status webhooks write. `wamid` is missing: `sent` sets it, and the unique index needs it.
UPDATED_BY_STATUSES = {"status", "claimed_at", "attempts", "sent_at", "delivered_at", "read_at", "updated_at",
                       "pricing_category", "pricing_type", "billable"}


def _updates() -> tuple[int, int]:
    """Rows of messaging_message updated in this transaction so far, and how many of those updates were HOT."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT n_tup_upd, n_tup_hot_upd FROM pg_stat_xact_user_tables "
                       "WHERE schemaname = current_schema() AND relname = 'messaging_message'")
        return cursor.fetchone()


def _step(work) -> tuple[int, int]:
    before = _updates()
    work()
    after = _updates()
    return after[0] - before[0], after[1] - before[1]


@pytest.fixture
def queued(alpha):
    number = connect_number(alpha)
    with schema_context(alpha.tenant.schema_name):
        number = PhoneNumber.objects.get(phone_number_id=number.phone_number_id)
        return Message.objects.bulk_create([
            Message(phone_number=number, to=f"1650555{i:04d}", type="template", payload={"name": "hello"})
            for i in range(5)])


def test_claiming_delivered_and_read_write_no_index_entries_only_sent_does(alpha, queued):
    ids = [m.pk for m in queued]
    pricing = {"category": "marketing", "billable": True, "type": "regular"}
    now = timezone.now()
    with schema_context(alpha.tenant.schema_name):
        claimed = []
        assert _step(lambda: claimed.extend(bulk_send._claim(ids))) == (5, 5)
        answers = [(row, SendResult(wamid=f"wamid.hot.{i}", wa_id=None, message_status="accepted"))
                   for i, row in enumerate(claimed)]
        assert _step(lambda: bulk_send._record(answers)) == (5, 0)  # the wamid: every index again
        for status in ("sent", "delivered", "read"):  # Meta's sent brings the pricing
            change = [StatusIn(status, f"wamid.hot.{i}", None, now, None, pricing) for i in range(5)]
            assert _step(lambda change=change: statuses_apply(change)) == (5, 5), status
        assert set(Message.objects.filter(pk__in=ids).values_list("status", flat=True)) == {"read"}


def test_no_index_of_messages_holds_a_column_the_statuses_change(alpha):
    with schema_context(alpha.tenant.schema_name), connection.cursor() as cursor:
        cursor.execute("""SELECT DISTINCT a.attname FROM pg_index i
                          JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum > 0 AND NOT a.attisdropped
                          WHERE i.indrelid = 'messaging_message'::regclass
                            AND (a.attnum = ANY(i.indkey::int2[])
                                 OR pg_get_expr(i.indpred, i.indrelid) ~ ('\\m' || a.attname || '\\M')
                                 OR pg_get_expr(i.indexprs, i.indrelid) ~ ('\\m' || a.attname || '\\M'))""")
        indexed = {name for (name,) in cursor.fetchall()}
    assert "wamid" in indexed and "created_at" in indexed  # the query sees keys and predicates
    assert indexed & UPDATED_BY_STATUSES == set()


def test_the_reconciler_finds_queued_and_stuck_sends_through_the_in_flight_index(alpha, queued):
    with schema_context(alpha.tenant.schema_name):
        Message.objects.filter(pk=queued[0].pk).update(status="sending", claimed_at=timezone.now())
        Message.objects.filter(pk=queued[1].pk).update(status="sent", wamid="wamid.accepted")
        Message.objects.filter(pk=queued[2].pk).update(status="failed", failed_at=timezone.now())
        assert set(in_flight().values_list("pk", flat=True)) == {queued[0].pk, queued[3].pk, queued[4].pk}
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            sql, params = in_flight().filter(status="queued").values("pk").query.sql_with_params()
            cursor.execute(f"EXPLAIN {sql}", params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        assert "msg_in_flight" in plan
