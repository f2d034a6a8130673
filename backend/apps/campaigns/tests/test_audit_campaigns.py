"""The audit log of campaigns: each change a person, an API key, the scheduler or the dispatcher makes is one event,
written in the change's transaction (a refused or rolled-back change leaves none), naming contacts by id only, and
kept in the business's own schema."""
import json
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from apps.audit.models import AuditEvent
from apps.campaigns import services
from apps.campaigns.models import Campaign
from apps.campaigns.tests.support import (
    add_contacts,
    connect_demo,
    create_campaign,
    dispatch,
    in_schema,
    start,
    template_id,
)
from apps.developer.tests.helpers import create_key, key_client
from apps.templates.models import Template
from apps.whatsapp.models import PhoneNumber
from tenants.members import member_of
from tenants.models import Role


@pytest.fixture
def demo(alpha, graph_sandbox):
    number_id = connect_demo(alpha, graph_sandbox)
    return alpha.client(alpha.owner), number_id, template_id(alpha)


def events(business, action: str = "campaign") -> list[AuditEvent]:
    """The business's events of one action, or of an area (`campaign`), oldest first."""
    with in_schema(business):
        found = AuditEvent.objects.order_by("id")
        found = found.filter(action=action) if "." in action else found.filter(action__startswith=f"{action}.")
        return list(found)


def test_creating_editing_and_deleting_a_draft_each_write_one_event_by_the_member(alpha, demo):
    client, number_id, template = demo

    created = create_campaign(client, number_id, template)
    edited = client.patch(f"/api/campaigns/{created['id']}/", {"name": "Summer sale", "throughput_cap": 10},
                          format="json")
    unchanged = client.patch(f"/api/campaigns/{created['id']}/", {"name": "Summer sale"}, format="json")
    deleted = client.delete(f"/api/campaigns/{created['id']}/")

    assert edited.status_code == unchanged.status_code == 200 and deleted.status_code == 204
    made, changed, gone = events(alpha)  # the PATCH that changed nothing is no event
    assert [e.action for e in (made, changed, gone)] == ["campaign.created", "campaign.updated", "campaign.deleted"]
    for event in (made, changed, gone):
        assert (event.actor_type, event.actor_id, event.actor_label) == ("member", str(alpha.owner.pk),
                                                                         alpha.owner.email)
        assert (event.target_type, event.target_id) == ("campaign", str(created["id"]))
        assert event.request_id  # the request that made it
    assert made.target_label == "Spring sale" and gone.target_label == "Summer sale"
    assert changed.changes == {"name": ["Spring sale", "Summer sale"], "throughput_cap": [None, 10]}


def test_start_pause_resume_and_cancel_by_a_member_are_one_event_each(alpha, demo):
    client, number_id, template = demo
    add_contacts(alpha, 3)
    created = create_campaign(client, number_id, template)

    assert start(client, created["id"]).status_code == 200
    assert client.post(f"/api/campaigns/{created['id']}/pause/").status_code == 200
    assert client.post(f"/api/campaigns/{created['id']}/resume/").status_code == 200
    assert client.post(f"/api/campaigns/{created['id']}/cancel/").status_code == 200

    logged = events(alpha)[1:]  # after campaign.created
    assert [e.action for e in logged] == ["campaign.started", "campaign.paused", "campaign.resumed",
                                          "campaign.cancelled"]
    assert {e.actor_type for e in logged} == {"member"}
    assert logged[0].detail == {"audience_size": 3, "split_across_days": False}


def test_an_api_key_is_the_actor_of_what_it_does(alpha, demo):
    client, number_id, template = demo
    add_contacts(alpha, 2)
    key = create_key(alpha, scopes=("campaigns", "templates"))
    by_key = key_client(alpha, key["key"])

    created = by_key.post("/api/campaigns/", {"name": "By key", "phone_number_id": number_id, "template_id": template,
                                              "audience": {"tags": ["vip"]}}, format="json")
    assert created.status_code == 201, created.content
    assert by_key.post(f"/api/campaigns/{created.json()['id']}/start/", {}, format="json").status_code == 200

    made, started = events(alpha)
    for event in (made, started):
        assert (event.actor_type, event.actor_id) == ("api_key", str(key["id"]))
        assert key["name"] in event.actor_label and key["key"] not in json.dumps(event.detail)
        assert event.detail["key_owner"] == alpha.owner.email
    assert started.action == "campaign.started"


def test_a_retarget_is_a_created_campaign_that_says_where_it_came_from(alpha, graph_sandbox, demo):
    client, number_id, template = demo
    add_contacts(alpha, 2)
    created = create_campaign(client, number_id, template)
    start(client, created["id"])
    assert dispatch(alpha, created["id"]) == "completed"

    retarget = client.post(f"/api/campaigns/{created['id']}/retarget/", {"stage": "sent_not_delivered"},
                           format="json")

    assert retarget.status_code == 201, retarget.content
    (event,) = [e for e in events(alpha, "campaign.created") if e.target_id == str(retarget.json()["id"])]
    assert event.actor_type == "member"
    assert event.detail == {"retarget_of": created["id"], "stage": "sent_not_delivered"}


def test_a_scheduled_campaign_is_started_by_the_scheduler_and_finished_by_the_dispatcher(alpha, demo):
    client, number_id, template = demo
    add_contacts(alpha, 2)
    later = timezone.now() + timedelta(hours=2)
    created = create_campaign(client, number_id, template, schedule_at=later.isoformat())
    assert start(client, created["id"]).json()["status"] == "scheduled"
    with in_schema(alpha):  # its time has come
        Campaign.objects.filter(pk=created["id"]).update(schedule_at=timezone.now() - timedelta(seconds=1))

    assert dispatch(alpha, created["id"]) == "completed"

    scheduled, started, finished = events(alpha)[1:]
    assert (scheduled.action, scheduled.actor_type) == ("campaign.scheduled", "member")
    assert scheduled.detail["schedule_at"] == later.isoformat()
    assert (started.action, started.actor_type, started.actor_id) == ("campaign.started", "automation",
                                                                      "campaign_scheduler")
    assert (finished.action, finished.actor_type, finished.actor_id) == ("campaign.finished", "automation",
                                                                         "campaign_dispatcher")
    assert finished.detail == {"status": "completed", "reason": "all_sent"}
    assert not started.ip and not started.request_id  # no request: an automation


def test_a_campaign_with_no_one_to_send_to_finishes_saying_so(alpha, demo):
    client, number_id, template = demo
    created = create_campaign(client, number_id, template)  # nobody has the tag
    start(client, created["id"])

    assert dispatch(alpha, created["id"]) == "completed"

    (finished,) = events(alpha, "campaign.finished")
    assert finished.actor_id == "campaign_dispatcher" and finished.detail == {"status": "completed",
                                                                             "reason": "no_recipients"}


@pytest.mark.parametrize("breakage, reason", [
    (lambda number, template: Template.objects.filter(pk=template).update(status="PAUSED"), "template_paused"),
    (lambda number, template: Template.objects.filter(pk=template).update(status="DISABLED"), "template_disabled"),
    (lambda number, template: PhoneNumber.objects.filter(phone_number_id=number).update(quality_rating="RED"),
     "quality_red"),
])
def test_the_dispatcher_pausing_itself_is_one_event_saying_why(alpha, demo, breakage, reason):
    client, number_id, template = demo
    add_contacts(alpha, 3)
    created = create_campaign(client, number_id, template)
    start(client, created["id"])
    with in_schema(alpha):
        breakage(number_id, template)

    assert dispatch(alpha, created["id"]) == "paused"

    (paused,) = events(alpha, "campaign.paused")
    assert (paused.actor_type, paused.actor_id, paused.actor_label) == ("automation", "campaign_dispatcher",
                                                                        "Campaign dispatcher")
    assert paused.detail["reason"] == reason
    assert events(alpha, "campaign.finished") == []  # it did not end


def test_a_disconnected_number_fails_the_campaign_by_the_dispatcher(alpha, demo):
    client, number_id, template = demo
    add_contacts(alpha, 2)
    created = create_campaign(client, number_id, template)
    start(client, created["id"])
    with in_schema(alpha):
        PhoneNumber.objects.filter(phone_number_id=number_id).update(disconnected_at=timezone.now())

    assert dispatch(alpha, created["id"]) == "failed"

    (finished,) = events(alpha, "campaign.finished")
    assert finished.actor_id == "campaign_dispatcher"
    assert finished.detail == {"status": "failed", "reason": "number_disconnected"}


def test_pausing_every_campaign_of_a_suspended_business_is_recorded_with_the_cause(alpha, demo):
    client, number_id, template = demo
    add_contacts(alpha, 2)
    created = create_campaign(client, number_id, template)
    start(client, created["id"])

    with in_schema(alpha):
        assert services.campaigns_pause_all(reason="Paused because the business was suspended.") == 1

    (paused,) = events(alpha, "campaign.paused")
    assert paused.actor_type == "system" and paused.detail == {"reason": "business_suspended"}


def test_refused_requests_write_no_event(alpha, demo):
    client, number_id, template = demo
    created = create_campaign(client, number_id, template)
    agent = alpha.client(alpha.add_member("agent@alpha.example", Role.AGENT))

    assert agent.post("/api/campaigns/", {"name": "x", "phone_number_id": number_id, "template_id": template,
                                          "audience": {"tags": ["vip"]}}, format="json").status_code == 403
    assert agent.post(f"/api/campaigns/{created['id']}/start/", {}, format="json").status_code == 403
    assert client.post("/api/campaigns/", {"name": "x", "phone_number_id": number_id, "template_id": 99999,
                                           "audience": {"tags": ["vip"]}}, format="json").status_code == 400
    assert client.post(f"/api/campaigns/{created['id']}/resume/").status_code == 409  # a draft isn't paused
    assert start(client, created["id"]).status_code == 200
    assert start(client, created["id"]).status_code == 409  # started once only
    assert client.patch(f"/api/campaigns/{created['id']}/", {"name": "y"}, format="json").status_code == 409
    assert client.delete(f"/api/campaigns/{created['id']}/").status_code == 409

    assert [e.action for e in events(alpha)] == ["campaign.created", "campaign.started"]


def test_a_change_that_rolls_back_leaves_no_event(alpha, demo):
    client, number_id, template = demo
    add_contacts(alpha, 2)
    created = create_campaign(client, number_id, template)
    start(client, created["id"])

    with in_schema(alpha):
        member = member_of(user=alpha.owner, tenant=alpha.tenant)
        with pytest.raises(RuntimeError), transaction.atomic():
            services.campaign_pause(member=member, campaign=Campaign.objects.get(pk=created["id"]))
            raise RuntimeError("something later in the same transaction failed")
        assert Campaign.objects.get(pk=created["id"]).status == "running"

    assert events(alpha, "campaign.paused") == []


def test_contacts_are_never_named_in_the_log(alpha, graph_sandbox, demo):
    client, number_id, template = demo
    ids = add_contacts(alpha, 3)  # "Person 0".., +1650555000x
    created = create_campaign(client, number_id, template, audience={"contact_ids": ids[:2]})
    client.patch(f"/api/campaigns/{created['id']}/", {"audience": {"contact_ids": ids}}, format="json")
    start(client, created["id"])
    dispatch(alpha, created["id"])

    (updated,) = events(alpha, "campaign.updated")
    assert updated.changes == {"audience": [{"contact_ids": "2 contacts"}, {"contact_ids": "3 contacts"}]}
    logged = json.dumps([[e.target_label, e.changes, e.detail] for e in events(alpha)])
    assert "Person" not in logged and "1650555" not in logged and "+1 650" not in logged


def test_another_business_never_sees_these_events(alpha, beta, demo):
    client, number_id, template = demo
    create_campaign(client, number_id, template)

    with in_schema(beta):
        assert not AuditEvent.objects.filter(action__startswith="campaign.").exists()
    seen_by_beta = beta.client(beta.owner).get("/api/audit/events/", {"action": "campaign"})
    assert seen_by_beta.status_code == 200 and seen_by_beta.json()["results"] == []
    seen_by_alpha = client.get("/api/audit/events/", {"action": "campaign"}).json()["results"]
    assert [e["action"] for e in seen_by_alpha] == ["campaign.created"]
