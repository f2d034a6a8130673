"""The daily tables equal a count of the raw rows, whatever the order and repetition of Meta's statuses, the day
boundaries are the business's, and analytics_rebuild gives the same tables again."""
import datetime as dt
import random
from zoneinfo import ZoneInfo

from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context

from apps.analytics.models import DailyAgentStats, DailyMessageStats, ResponseFact
from apps.analytics.rollup import RAW_AGENTS_SQL, RAW_MESSAGES_SQL, rebuild
from apps.messaging.conversations import conversation_update
from apps.messaging.models import Conversation, InboxSettings, Message
from apps.messaging.statuses import StatusIn, statuses_apply
from apps.messaging.tests.inbox_helpers import connect_number, customer_writes
from apps.whatsapp.models import PhoneNumber
from tenants.members import member_of

KEYS = ("messages", "sent", "delivered", "read", "failed", "billable")
WIDE = {"start": dt.datetime(2000, 1, 1, tzinfo=dt.UTC), "end": dt.datetime(2100, 1, 1, tzinfo=dt.UTC)}


def rolled() -> dict:
    return {(r.day, r.direction, r.category, r.agent_id): tuple(getattr(r, k) for k in KEYS)
            for r in DailyMessageStats.objects.all() if any(getattr(r, k) for k in KEYS)}


def raw(tz: str = "UTC") -> dict:
    with connection.cursor() as cursor:
        cursor.execute(RAW_MESSAGES_SQL, {**WIDE, "tz": tz})
        return {tuple(row[:4]): tuple(row[4:]) for row in cursor.fetchall()}


def rolled_agents() -> dict:
    return {(r.day, r.agent_id): (r.first_responses, round(r.first_response_seconds, 3), r.resolutions,
                                  round(r.resolution_seconds, 3))
            for r in DailyAgentStats.objects.all() if r.first_responses or r.resolutions}


def raw_agents(tz: str = "UTC") -> dict:
    with connection.cursor() as cursor:
        cursor.execute(RAW_AGENTS_SQL, {**WIDE, "tz": tz})
        return {(day, agent): (a, round(float(b), 3), c, round(float(d), 3))
                for day, agent, a, b, c, d in cursor.fetchall()}


def _outbound(number, n, *, created_by=None, conversation=None, prefix="out"):
    return Message.objects.bulk_create([
        Message(phone_number=number, to=f"1650555{i:04d}", type="template", payload={}, status="sending",
                wamid=f"wamid.{prefix}.{i}", created_by=created_by, conversation=conversation) for i in range(n)])


def test_rollups_equal_raw_counts_under_redelivered_and_out_of_order_statuses(alpha):
    number = connect_number(alpha)
    for i in range(5):
        customer_writes(alpha, number, f"hello {i}", wa_id=f"1650555{i:04d}")
    with schema_context(alpha.tenant.schema_name):
        number = PhoneNumber.objects.get(phone_number_id=number.phone_number_id)
        messages = _outbound(number, 60) + _outbound(number, 7, created_by=alpha.owner, prefix="own")
        rng = random.Random(7)
        pricing = {"category": "marketing", "billable": True, "type": "regular"}
        free = {"category": "service", "billable": False, "type": "free_customer_service"}
        updates = []
        for i, m in enumerate(messages):
            p = pricing if i % 2 else free
            updates += [StatusIn("sent", m.wamid, None, None, None, p),
                        StatusIn("delivered", m.wamid, None, None, None, p)]
            if i % 3 == 0:
                updates.append(StatusIn("read", m.wamid))
            if i % 7 == 0:
                updates.append(StatusIn("failed", m.wamid, None, None, {"code": 131049, "title": "Not delivered"}))
        updates += updates[: len(updates) // 2]  # Meta redelivers
        rng.shuffle(updates)
        for start in range(0, len(updates), 40):
            statuses_apply(updates[start:start + 40])
        statuses_apply(updates[:50])  # a whole change again
        assert rolled() == raw()
        assert sum(v[0] for k, v in rolled().items() if k[1] == "in") == 5
        out = [v for k, v in rolled().items() if k[1] == "out"]
        assert sum(v[0] for v in out) == 67
        assert sum(v[4] for v in out) == Message.objects.filter(status="failed").count()

        before = rolled()
        assert rebuild()["message_rows"] == len(before)
        assert rolled() == before
        call_command("analytics_rebuild", schema=alpha.tenant.schema_name, stdout=open("/dev/null", "w"))
        call_command("analytics_rebuild", schema=alpha.tenant.schema_name, stdout=open("/dev/null", "w"))
        assert rolled() == before == raw()


def test_days_are_the_business_time_zone(alpha):
    number = connect_number(alpha)
    with schema_context(alpha.tenant.schema_name):
        settings_row = InboxSettings.objects.get_or_create(pk=1)[0]
        settings_row.timezone = "Asia/Kolkata"  # UTC+05:30
        settings_row.save()
        number = PhoneNumber.objects.get(phone_number_id=number.phone_number_id)
        a, b = _outbound(number, 2)
        # 18:29 UTC is 23:59 in Kolkata (1 March); 18:31 UTC is 00:01 on 2 March there.
        Message.objects.filter(pk=a.pk).update(created_at=dt.datetime(2026, 3, 1, 18, 29, tzinfo=dt.UTC))
        Message.objects.filter(pk=b.pk).update(created_at=dt.datetime(2026, 3, 1, 18, 31, tzinfo=dt.UTC))
        days = {k[0]: v[0] for k, v in rolled().items()}
        assert days == {dt.date(2026, 3, 1): 1, dt.date(2026, 3, 2): 1}
        assert rolled() == raw("Asia/Kolkata")
        # A new time zone moves the boundaries: the rebuild (the task a change enqueues) recounts.
        settings_row.timezone = "America/Los_Angeles"
        settings_row.save()
        rebuild()
        assert {k[0] for k in rolled()} == {dt.date(2026, 3, 1)}
        assert rolled() == raw("America/Los_Angeles")


def test_first_response_and_resolution_per_agent(alpha):
    number = connect_number(alpha)
    inbound = customer_writes(alpha, number, "help?", wa_id="16505550199")
    agent = alpha.add_member("agent@alpha.example", "agent")
    with schema_context(alpha.tenant.schema_name):
        conversation = Conversation.objects.get(pk=Message.objects.get(pk=inbound.pk).conversation_id)
        opened = timezone.now() - dt.timedelta(minutes=10)
        Message.objects.filter(pk=inbound.pk).update(created_at=opened)
        from apps.analytics.models import ConversationClock

        ConversationClock.objects.filter(pk=conversation.pk).update(opened_at=opened)
        number = PhoneNumber.objects.get(phone_number_id=number.phone_number_id)
        _outbound(number, 1, created_by=agent, conversation=conversation, prefix="reply")
        _outbound(number, 1, created_by=alpha.owner, conversation=conversation, prefix="second")  # not a first
        facts = list(ResponseFact.objects.values_list("kind", "agent_id"))
        assert facts == [("first_response", agent.pk)]
        conversation_update(conversation=conversation, actor=member_of(user=alpha.owner, tenant=alpha.tenant),
                            data={"assignee_id": agent.pk, "status": "resolved"})
        conversation_update(conversation=conversation, actor=member_of(user=alpha.owner, tenant=alpha.tenant),
                            data={"status": "resolved"})  # again: no second resolution
        assert sorted(ResponseFact.objects.values_list("kind", "agent_id")) == [
            ("first_response", agent.pk), ("resolution", agent.pk)]
        stats = rolled_agents()
        (key,) = stats
        assert key[1] == agent.pk and stats[key][0] == 1 and stats[key][2] == 1
        assert 590 < stats[key][1] < 700 and stats[key][3] >= stats[key][1]
        assert stats == raw_agents()
        rebuild()
        assert rolled_agents() == raw_agents() == stats
        # The customer writes again: a new episode.
    customer_writes(alpha, number, "one more thing", wa_id="16505550199")
    with schema_context(alpha.tenant.schema_name):
        assert ConversationClock.objects.get(pk=conversation.pk).opened_at is not None


def test_rolled_back_writes_leave_no_count(alpha):
    from django.db import transaction

    number = connect_number(alpha)
    with schema_context(alpha.tenant.schema_name):
        number = PhoneNumber.objects.get(phone_number_id=number.phone_number_id)
        try:
            with transaction.atomic():
                _outbound(number, 3)
                raise RuntimeError
        except RuntimeError:
            pass
        assert rolled() == {} == raw()


def test_today_in_the_business_zone():
    # a guard for the API's default range (today where the business is)
    assert timezone.now().astimezone(ZoneInfo("Pacific/Kiritimati")).date() >= timezone.now().date()


def test_a_write_under_another_business_search_path_is_refused(alpha, beta):
    import pytest
    from django.db import DatabaseError, transaction

    number = connect_number(alpha)
    with schema_context(alpha.tenant.schema_name):
        number = PhoneNumber.objects.get(phone_number_id=number.phone_number_id)
        (message,) = _outbound(number, 1)
    with schema_context(beta.tenant.schema_name), connection.cursor() as cursor:
        with pytest.raises(DatabaseError, match="analytics"), transaction.atomic():
            cursor.execute(f"UPDATE {alpha.tenant.schema_name}.messaging_message SET status = 'failed' WHERE id = %s",
                           [message.pk])
