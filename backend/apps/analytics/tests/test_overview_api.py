"""GET /api/analytics/overview/: the day's figures, what each member sees, ranges refused with field errors, and
one business never sees another's."""
import datetime as dt

from django.utils import timezone
from django_tenants.utils import schema_context

from apps.messaging.models import Conversation, Message
from apps.messaging.statuses import StatusIn, statuses_apply
from apps.messaging.tests.inbox_helpers import connect_number, customer_writes
from apps.whatsapp.models import PhoneNumber

URL = "/api/analytics/overview/"


def _seed(business, agent):
    number = connect_number(business)
    customer_writes(business, number, "hi", wa_id="16505550101")
    customer_writes(business, number, "hello", wa_id="16505550102")
    with schema_context(business.tenant.schema_name):
        number = PhoneNumber.objects.get(phone_number_id=number.phone_number_id)
        mine, theirs = Conversation.objects.order_by("pk")
        Conversation.objects.filter(pk=mine.pk).update(assignee=agent)
        Conversation.objects.filter(pk=theirs.pk).update(assignee=business.owner)
        rows = Message.objects.bulk_create([
            Message(phone_number=number, to="16505550101", type="text", payload={}, status="sending",
                    wamid="wamid.a1", created_by=agent, conversation=mine),
            Message(phone_number=number, to="16505550102", type="text", payload={}, status="sending",
                    wamid="wamid.o1", created_by=business.owner, conversation=theirs),
            Message(phone_number=number, to="16505550103", type="template", payload={}, status="sending",
                    wamid="wamid.c1"),
        ])
        pricing = {"category": "marketing", "billable": True, "type": "regular"}
        statuses_apply([StatusIn("delivered", "wamid.a1"), StatusIn("read", "wamid.o1"),
                        StatusIn("delivered", "wamid.c1", None, None, None, pricing),
                        StatusIn("delivered", "wamid.c1", None, None, None, pricing)])
    return rows


def test_owner_reads_the_days_figures(alpha):
    agent = alpha.add_member("agent@alpha.example", "agent")
    _seed(alpha, agent)
    response = alpha.client(alpha.owner).get(URL)
    assert response.status_code == 200, response.content
    body = response.json()
    today = timezone.now().date().isoformat()
    assert body["scope"] == "business" and body["time_zone"] == "UTC" and body["to"] == today
    assert len(body["series"]) == 30 and body["series"][-1]["day"] == today
    totals = body["totals"]
    assert (totals["messages_in"], totals["messages_out"], totals["delivered"], totals["read"]) == (2, 3, 3, 1)
    assert totals["delivery_rate"] == 1.0 and totals["read_rate"] == round(1 / 3, 4)
    assert {a["agent_id"]: a["replies"] for a in body["agents"]} == {agent.pk: 1, alpha.owner.pk: 1}
    assert {o["assignee_id"]: o["count"] for o in body["open_conversations"]} == {agent.pk: 1, alpha.owner.pk: 1}
    assert body["spend"]["basis"] == "rate_card"
    assert body["spend"]["by_category"] == [{"category": "marketing", "billable": 1,
                                             "amount": body["spend"]["by_category"][0]["amount"]}]
    assert float(body["spend"]["total"]) > 0
    one_day = alpha.client(alpha.owner).get(URL, {"from": today, "to": today}).json()
    assert one_day["totals"] == totals and len(one_day["series"]) == 1


def test_an_agent_sees_only_their_own_figures(alpha):
    agent = alpha.add_member("agent@alpha.example", "agent")
    _seed(alpha, agent)
    body = alpha.client(agent).get(URL).json()
    assert body["scope"] == "own"
    assert body["totals"]["messages_in"] == 0 and body["totals"]["messages_out"] == 1
    assert [a["agent_id"] for a in body["agents"]] == [agent.pk]
    assert [o["assignee_id"] for o in body["open_conversations"]] == [agent.pk]
    assert body["spend"] is None and body["campaigns"] == []


def test_ranges_are_checked(alpha):
    client = alpha.client(alpha.owner)
    response = client.get(URL, {"from": "2026-03-02", "to": "2026-03-01"})
    assert response.status_code == 400 and "from" in response.json()["errors"]
    response = client.get(URL, {"from": "2025-01-01", "to": "2026-03-01"})
    assert response.status_code == 400 and "to" in response.json()["errors"]
    response = client.get(URL, {"to": "0001-01-03"})
    assert response.status_code == 400 and "to" in response.json()["errors"]
    response = client.get(URL, {"from": "yesterday"})
    assert response.status_code == 400 and "from" in response.json()["errors"]
    start = dt.date(2025, 3, 2)
    response = client.get(URL, {"from": start.isoformat(), "to": (start + dt.timedelta(days=365)).isoformat()})
    assert response.status_code == 200 and len(response.json()["series"]) == 366


def test_another_business_never_sees_the_figures(alpha, beta):
    agent = alpha.add_member("agent@alpha.example", "agent")
    _seed(alpha, agent)
    body = beta.client(beta.owner).get(URL).json()
    assert body["totals"]["messages_in"] == body["totals"]["messages_out"] == 0
    assert body["agents"] == [] and body["open_conversations"] == []
    assert alpha.client().get(URL).status_code == 401
