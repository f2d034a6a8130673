"""Campaigns end to end against the sandbox: materialised once, sent at the number's rate through the outbox, never
twice; paused, resumed, retargeted and A/B-tested; opt-outs, quiet hours and the daily limit respected; and one
business's campaigns invisible to another."""
import time
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from apps.campaigns.models import Campaign, CampaignRecipient
from apps.campaigns.tests.support import (
    MAPPING,
    add_contacts,
    campaign,
    campaign_messages,
    connect_demo,
    create_campaign,
    dispatch,
    in_schema,
    sandbox_sends,
    start,
    template_id,
)
from apps.contacts.models import Contact, Segment
from apps.messaging import rate_limit
from apps.messaging.models import Message
from apps.messaging.outbox import message_status_apply
from apps.messaging.tests.inbox_helpers import customer_writes
from apps.templates.models import Template
from apps.whatsapp.models import PhoneNumber
from tenants.models import Role


@pytest.fixture
def demo(alpha, graph_sandbox):
    number_id = connect_demo(alpha, graph_sandbox)
    return alpha.client(alpha.owner), number_id, template_id(alpha)


def _outbound(sandbox) -> list[dict]:
    return [m for m in sandbox_sends(sandbox) if m["direction"] == "out"]


def test_a_campaign_reaches_each_contact_once_with_the_mapping_filled_in(alpha, graph_sandbox, demo):
    client, number_id, template = demo
    add_contacts(alpha, 12)
    created = create_campaign(client, number_id, template)
    assert created["status"] == "draft"

    response = start(client, created["id"])
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "running"
    assert dispatch(alpha, created["id"]) == "completed"

    sent = _outbound(graph_sandbox)
    assert len(sent) == 12
    assert len({m["wa_id"] for m in sent}) == 12  # each contact once
    assert len({m["biz_opaque_callback_data"] for m in sent}) == 12
    detail = client.get(f"/api/campaigns/{created['id']}/").json()
    assert detail["status"] == "completed"
    assert detail["counts"]["recipients"] == 12 and detail["counts"]["sent"] == 12
    assert detail["progress"] == 1.0
    body = next(c for c in sent[0]["payload"]["template"]["components"] if c["type"] == "body")
    assert body["parameters"][1]["text"] == "tomorrow at 9:00"


def test_opted_out_unreachable_and_duplicate_contacts_are_excluded_when_materialised(alpha, graph_sandbox, demo):
    client, number_id, template = demo
    add_contacts(alpha, 5)
    add_contacts(alpha, 2, start=100, utility_consent="opted_out")  # the template is a utility one
    with in_schema(alpha):
        Contact.objects.create(email="no-number@example.com", tags=["vip"])  # nothing to send to
        gone = Contact.objects.create(phone="+16505550300", tags=["vip"])  # Meta said: not on WhatsApp
        Message.objects.create(phone_number=PhoneNumber.objects.get(phone_number_id=number_id), contact=gone,
                               to="16505550300", type="template", payload={}, status="failed", error_code=131026,
                               failed_at=timezone.now() - timedelta(days=3))
        Contact.objects.create(wa_id="16505550000", phone="+447700900123", tags=["vip"])  # Person 0's WhatsApp id
        assert Template.objects.get(pk=template).category == "UTILITY"
    created = create_campaign(client, number_id, template)
    start(client, created["id"])
    dispatch(alpha, created["id"])

    detail = client.get(f"/api/campaigns/{created['id']}/").json()
    assert detail["excluded"] == {"opted_out": 2, "unreachable": 2, "duplicates": 1}
    assert detail["counts"]["recipients"] == 5
    assert {m["wa_id"] for m in _outbound(graph_sandbox)} == {f"1650555{i:04d}" for i in range(5)}


def test_the_planner_knows_a_campaign_s_recipients_before_its_first_batch(alpha, graph_sandbox, demo):
    client, number_id, template = demo
    add_contacts(alpha, 40)
    created = create_campaign(client, number_id, template)
    start(client, created["id"])

    dispatch(alpha, created["id"])

    with in_schema(alpha), connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE oid = 'campaigns_campaignrecipient'::regclass")
        # never analysed is -1; autovacuum's analyze would come minutes later
        assert cursor.fetchone()[0] == CampaignRecipient.objects.count() == 40


def test_the_audience_preview_counts_exclusions_estimates_cost_and_shows_the_daily_limit(alpha, graph_sandbox, demo):
    client, number_id, template = demo
    add_contacts(alpha, 4)
    add_contacts(alpha, 1, start=50, utility_consent="opted_out")

    response = client.post("/api/campaigns/audience/", {"phone_number_id": number_id, "template_id": template,
                                                        "audience": {"tags": ["vip"]}, "mapping": MAPPING},
                           format="json")

    assert response.status_code == 200, response.content
    preview = response.json()
    assert preview["recipients"] == 4 and preview["excluded"]["opted_out"] == 1
    assert preview["estimate"]["lines"][0]["country"] == "US"
    assert float(preview["estimate"]["total"]) > 0
    assert preview["daily_limit"]["limit"] is not None or preview["daily_limit"]["tier"] == "TIER_UNLIMITED"
    assert len(preview["sample"]) == 4
    first = preview["sample"][0]
    assert first["preview"]["problems"] == []
    assert first["name"].split()[0] in first["preview"]["rendered"]["body"]
    assert "tomorrow at 9:00" in first["preview"]["rendered"]["body"]


def test_a_second_start_is_refused_and_a_second_dispatcher_finds_the_lease_taken(alpha, graph_sandbox, demo):
    client, number_id, template = demo
    add_contacts(alpha, 3)
    created = create_campaign(client, number_id, template)
    assert start(client, created["id"]).status_code == 200

    again = start(client, created["id"])
    assert again.status_code == 409 and again.json()["code"] == "invalid_transition"
    with in_schema(alpha):  # a dispatcher is running (its lease is fresh)
        Campaign.objects.filter(pk=created["id"]).update(lease_until=timezone.now() + timedelta(seconds=30))
    assert dispatch(alpha, created["id"]) == "busy"
    assert _outbound(graph_sandbox) == []


def test_pausing_stops_sending_and_resuming_finishes_with_everyone_messaged_once(alpha, graph_sandbox, demo):
    client, number_id, template = demo
    add_contacts(alpha, 30)
    created = create_campaign(client, number_id, template, throughput_cap=20)
    start(client, created["id"])
    assert dispatch(alpha, created["id"], run_seconds=0.4) == "handed_over"
    first = len(_outbound(graph_sandbox))
    assert 0 < first < 30

    paused = client.post(f"/api/campaigns/{created['id']}/pause/")
    assert paused.status_code == 200 and paused.json()["status"] == "paused"
    assert dispatch(alpha, created["id"]) == "paused"
    assert len(_outbound(graph_sandbox)) == first

    assert client.post(f"/api/campaigns/{created['id']}/resume/").json()["status"] == "running"
    assert dispatch(alpha, created["id"]) == "completed"
    sent = _outbound(graph_sandbox)
    assert len(sent) == 30 and len({m["wa_id"] for m in sent}) == 30


def test_at_a_low_throughput_the_dispatcher_sends_fewer_larger_batches_at_the_same_pace(alpha, graph_sandbox, demo,
                                                                                          monkeypatch):
    client, number_id, template = demo
    add_contacts(alpha, 200)
    created = create_campaign(client, number_id, template, throughput_cap=80)
    start(client, created["id"])
    takes = []  # (when, granted): each take from the number's bucket is one batch
    real_take = rate_limit.number_take_many

    def take(*args, **kwargs):
        grant = real_take(*args, **kwargs)
        takes.append((time.monotonic(), grant.granted))
        return grant

    monkeypatch.setattr(rate_limit, "number_take_many", take)
    dispatch(alpha, created["id"], run_seconds=1.0)
    sizes = [granted for _, granted in takes]
    assert 2 <= len(sizes) <= 6 and min(sizes) >= 20, sizes  # 0.1 s takes: ten batches of 8
    pace = sum(sizes[1:]) / (takes[-1][0] - takes[0][0])  # what accrued after the first take
    assert 60 <= pace <= 100, pace  # still 80 msg/s
    assert len(_outbound(graph_sandbox)) == sum(sizes)


def test_a_template_paused_by_meta_mid_run_pauses_the_campaign_and_says_why(alpha, graph_sandbox, demo):
    client, number_id, template = demo
    add_contacts(alpha, 20)
    created = create_campaign(client, number_id, template, throughput_cap=20)
    start(client, created["id"])
    dispatch(alpha, created["id"], run_seconds=0.3)
    with in_schema(alpha):
        Template.objects.filter(pk=template).update(status="PAUSED")

    assert dispatch(alpha, created["id"]) == "paused"
    detail = client.get(f"/api/campaigns/{created['id']}/").json()
    assert detail["status"] == "paused"
    assert "paused" in detail["status_reason"] and "appointment_reminder" in detail["status_reason"]
    refused = client.post(f"/api/campaigns/{created['id']}/resume/")
    assert refused.status_code == 400 and refused.json()["code"] == "template_not_sendable"


def test_meta_refusing_a_paused_template_gives_the_recipients_back_for_the_resume(alpha, graph_sandbox, demo):
    client, number_id, template = demo
    add_contacts(alpha, 6)
    (meta_template,) = [t for t in graph_sandbox.control.get("/state").json()["templates"]
                        if t["name"] == "appointment_reminder"]
    graph_sandbox.control.post(f"/templates/{meta_template['id']}/status", json={"status": "PAUSED"}).raise_for_status()
    created = create_campaign(client, number_id, template)
    start(client, created["id"])

    assert dispatch(alpha, created["id"]) == "paused"
    with in_schema(alpha):
        assert CampaignRecipient.objects.filter(campaign_id=created["id"], state="pending").count() == 6
    assert "132015" in campaign(alpha, created["id"]).status_reason


def test_the_daily_messaging_limit_refuses_a_start_or_splits_the_campaign_across_days(alpha, graph_sandbox, demo):
    client, number_id, template = demo
    add_contacts(alpha, 10)
    with in_schema(alpha):
        number = PhoneNumber.objects.get(phone_number_id=number_id)
        PhoneNumber.objects.filter(pk=number.pk).update(messaging_limit_tier="TIER_250")
        Message.objects.bulk_create([Message(phone_number=number, to=f"4479{i:08d}", type="template", payload={},
                                             status="delivered") for i in range(245)])
    created = create_campaign(client, number_id, template)

    refused = start(client, created["id"])
    assert refused.status_code == 409 and refused.json()["code"] == "daily_limit"
    assert start(client, created["id"], split_across_days=True).status_code == 200
    assert dispatch(alpha, created["id"]) == "waiting"

    assert len(_outbound(graph_sandbox)) == 5
    detail = client.get(f"/api/campaigns/{created['id']}/").json()
    assert detail["status"] == "running" and detail["waiting"]["reason"] == "daily_limit"


def test_quiet_hours_in_the_recipients_time_zone_hold_their_messages(alpha, graph_sandbox, demo):
    client, number_id, template = demo
    add_contacts(alpha, 3)  # +1 650: America/Los_Angeles
    la_now = timezone.now().astimezone(__import__("zoneinfo").ZoneInfo("America/Los_Angeles"))
    quiet = {"start": (la_now - timedelta(hours=1)).strftime("%H:%M"),
             "end": (la_now + timedelta(hours=1)).strftime("%H:%M")}
    created = create_campaign(client, number_id, template, quiet_hours=quiet)
    start(client, created["id"])

    assert dispatch(alpha, created["id"]) == "waiting"
    assert _outbound(graph_sandbox) == []
    detail = client.get(f"/api/campaigns/{created['id']}/").json()
    assert detail["waiting"]["reason"] == "quiet_hours"
    with in_schema(alpha):
        zones = set(CampaignRecipient.objects.filter(campaign_id=created["id"]).values_list("time_zone", flat=True))
    assert zones == {"America/Los_Angeles"}


def _settle(business, campaign_id: int, statuses: dict[int, str]) -> list[Message]:
    """Play Meta's status webhooks: the i-th message of the campaign moves to statuses[i]."""
    messages = sorted(campaign_messages(business, campaign_id), key=lambda m: m.to)
    with in_schema(business):
        for i, status in statuses.items():
            message_status_apply(status=status, wamid=messages[i].wamid)
    return messages


def test_statuses_and_replies_fill_the_funnel_and_a_retarget_reaches_read_but_not_replied(alpha, graph_sandbox,
                                                                                         demo):
    client, number_id, template = demo
    add_contacts(alpha, 5)
    created = create_campaign(client, number_id, template)
    start(client, created["id"])
    dispatch(alpha, created["id"])
    messages = _settle(alpha, created["id"], {0: "delivered", 1: "read", 2: "read", 3: "read"})
    with in_schema(alpha):
        number = PhoneNumber.objects.get(phone_number_id=number_id)
    customer_writes(alpha, number, "Yes please!", wa_id=messages[3].to)

    detail = client.get(f"/api/campaigns/{created['id']}/").json()
    assert {k: detail["counts"][k] for k in ("sent", "delivered", "read", "replied")} == {
        "sent": 5, "delivered": 4, "read": 3, "replied": 1}
    replied = client.get(f"/api/campaigns/{created['id']}/recipients/?state=replied").json()["results"]
    assert [r["to"] for r in replied] == [messages[3].to]

    retarget = client.post(f"/api/campaigns/{created['id']}/retarget/", {"stage": "read_not_replied"}, format="json")
    assert retarget.status_code == 201, retarget.content
    assert retarget.json()["status"] == "draft" and retarget.json()["retarget_of"] == created["id"]
    start(client, retarget.json()["id"])
    dispatch(alpha, retarget.json()["id"])
    again = [m for m in campaign_messages(alpha, retarget.json()["id"])]
    assert sorted(m.to for m in again) == sorted([messages[1].to, messages[2].to])

    report = client.get(f"/api/campaigns/{created['id']}/report.csv")
    lines = b"".join(report.streaming_content).decode().splitlines()
    assert lines[0].startswith("recipient_id,contact_id,name,to") and len(lines) == 6
    assert sum(",replied," in line for line in lines) == 1


def test_an_ab_test_sends_the_test_share_then_the_winner_to_the_rest(alpha, graph_sandbox, demo):
    client, number_id, template = demo
    add_contacts(alpha, 20)
    other = template_id(alpha, "order_shipped")
    created = create_campaign(client, number_id, template, ab_test={
        "variants": [{"template_id": other, "mapping": {"body": {"first_name": {"field": "first_name"},
                                                                 "order_number": {"value": "A-1"}},
                                                        "buttons": {"0": [{"value": "A1"}]}}}],
        "test_percent": 50, "metric": "read", "decide_after_minutes": 5})
    start(client, created["id"])

    assert dispatch(alpha, created["id"]) == "waiting"
    detail = client.get(f"/api/campaigns/{created['id']}/").json()
    assert detail["waiting"]["reason"] == "ab_decision"
    assert [v["counts"]["sent"] for v in detail["variants"]] == [5, 5]
    with in_schema(alpha):  # B gets read more; the decision time comes
        for message in Message.objects.filter(campaign_recipient__campaign_id=created["id"],
                                              campaign_recipient__variant=1):
            message_status_apply(status="read", wamid=message.wamid)
        Campaign.objects.filter(pk=created["id"]).update(decide_at=timezone.now())

    assert dispatch(alpha, created["id"]) == "completed"
    detail = client.get(f"/api/campaigns/{created['id']}/").json()
    assert detail["winner_variant"] == 1
    assert [v["counts"]["sent"] for v in detail["variants"]] == [5, 15]
    assert len({m["wa_id"] for m in _outbound(graph_sandbox)}) == 20


def test_invalid_input_is_a_400_naming_the_field_and_stores_nothing(alpha, graph_sandbox, demo):
    client, number_id, template = demo
    cases = [
        ({"audience": {}}, "audience"),
        ({"audience": {"tags": ["vip"], "segment_id": 1}}, "audience"),
        ({"audience": {"segment_id": 999}}, "audience.segment_id"),
        ({"audience": {"retarget": {"campaign_id": 1, "stage": "read_not_replied"}}}, "audience"),  # not for members
        ({"mapping": {"body": [{"field": "shoe_size"}]}}, "mapping.body[0].field"),
        ({"template_id": 99999}, "template_id"),
        ({"quiet_hours": {"start": "25:00", "end": "08:00"}}, "quiet_hours.start"),
    ]
    for extra, field in cases:
        body = {"name": "x", "phone_number_id": number_id, "template_id": template, "audience": {"tags": ["a"]},
                **extra}
        response = client.post("/api/campaigns/", body, format="json")
        assert response.status_code == 400, (extra, response.content)
        assert field in response.json()["errors"], (field, response.json())
    with in_schema(alpha):
        assert not Campaign.objects.exists()


def test_only_drafts_change_and_transitions_follow_the_rules(alpha, graph_sandbox, demo):
    client, number_id, template = demo
    add_contacts(alpha, 1)
    created = create_campaign(client, number_id, template)
    assert client.patch(f"/api/campaigns/{created['id']}/", {"name": "Renamed"}, format="json").json()[
        "name"] == "Renamed"
    assert client.post(f"/api/campaigns/{created['id']}/resume/").status_code == 409
    start(client, created["id"])
    dispatch(alpha, created["id"])
    assert client.patch(f"/api/campaigns/{created['id']}/", {"name": "x"}, format="json").status_code == 409
    assert client.delete(f"/api/campaigns/{created['id']}/").status_code == 409
    assert client.post(f"/api/campaigns/{created['id']}/cancel/").json()["code"] == "invalid_transition"


def test_an_agent_may_not_see_or_run_campaigns(alpha, graph_sandbox, demo):
    client, number_id, template = demo
    created = create_campaign(client, number_id, template)
    agent = alpha.client(alpha.add_member("agent@alpha.example", Role.AGENT))
    for method, path in [("get", "/api/campaigns/"), ("get", f"/api/campaigns/{created['id']}/"),
                         ("post", f"/api/campaigns/{created['id']}/start/"),
                         ("get", f"/api/campaigns/{created['id']}/recipients/"),
                         ("get", f"/api/campaigns/{created['id']}/report.csv")]:
        assert getattr(agent, method)(path).status_code == 403, path


def test_another_business_can_neither_see_nor_start_nor_target_with_a_campaign(alpha, beta, graph_sandbox, demo):
    client, number_id, template = demo
    ids = add_contacts(alpha, 2)
    with in_schema(alpha):
        segment = Segment.objects.create(name="VIP", filter={"all": [{"field": "tags", "op": "any",
                                                                       "value": ["vip"]}]})
    created = create_campaign(client, number_id, template)
    other = beta.client(beta.owner)

    for method, path in [("get", f"/api/campaigns/{created['id']}/"),
                         ("post", f"/api/campaigns/{created['id']}/start/"),
                         ("post", f"/api/campaigns/{created['id']}/pause/"),
                         ("get", f"/api/campaigns/{created['id']}/recipients/"),
                         ("get", f"/api/campaigns/{created['id']}/report.csv"),
                         ("post", f"/api/campaigns/{created['id']}/retarget/")]:
        assert getattr(other, method)(path, {"stage": "read_not_replied"}, format="json").status_code == 404, path
    assert other.get("/api/campaigns/").json()["results"] == []
    # alpha's segment, contacts and template don't exist on beta's side
    for audience in ({"segment_id": segment.pk}, {"contact_ids": ids}):
        response = other.post("/api/campaigns/audience/", {"template_id": template, "audience": audience},
                              format="json")
        assert response.status_code in (400, 404)
    assert campaign(alpha, created["id"]).status == "draft"


@pytest.mark.usefixtures("plan_limits_on")
def test_a_campaign_the_plan_cannot_finish_is_refused_at_start_with_the_upgrade_path(alpha, graph_sandbox, demo):
    client, number_id, template = demo
    add_contacts(alpha, 1001)  # the trial allows 1,000 messages a month
    created = create_campaign(client, number_id, template)

    response = start(client, created["id"])

    assert response.status_code == 402, response.content
    assert response.json()["code"] == "plan_limit"
    assert response.json()["errors"]["upgrade_url"] == ["/settings/billing"]
    assert campaign(alpha, created["id"]).status == "draft"


def test_a_schedule_without_an_offset_is_read_in_the_business_s_time_zone(alpha, graph_sandbox, demo):
    client, number_id, template = demo
    with in_schema(alpha):
        from apps.messaging.models import InboxSettings

        InboxSettings.objects.update_or_create(pk=1, defaults={"timezone": "Asia/Kolkata"})
    created = create_campaign(client, number_id, template, schedule_at="2030-01-15T09:30:00")

    assert created["schedule_at"].startswith("2030-01-15T04:00:00")  # 09:30 in Kolkata is 04:00 UTC
    started = start(client, created["id"]).json()
    assert started["status"] == "scheduled"
    assert dispatch(alpha, created["id"]) == "waiting"


def test_suspending_the_business_pauses_its_running_campaigns(alpha, graph_sandbox, demo):
    from tenants.tests.partners_support import make_partner

    client, number_id, template = demo
    add_contacts(alpha, 5)
    created = create_campaign(client, number_id, template)
    assert start(client, created["id"]).status_code == 200
    agency = make_partner("agency")
    agency.adopt(alpha)

    assert agency.client().post(f"/api/partners/businesses/{alpha.tenant.pk}/suspend/").status_code == 200

    suspended = campaign(alpha, created["id"])
    assert suspended.status == "paused" and "suspended" in suspended.status_reason
    assert dispatch(alpha, created["id"]) != "completed"
    assert _outbound(graph_sandbox) == []
