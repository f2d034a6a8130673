"""The audit log: who did what and from where, written with the change, read and exported by owners and admins of the
business it belongs to, and by nobody else."""
import csv
import io

import pytest
from django.db import DatabaseError, transaction
from django_tenants.utils import schema_context

from apps.audit.context import META, acting_as, automation
from apps.audit.models import AuditEvent
from apps.audit.recorder import REDACTED, record
from apps.developer.tests.helpers import create_key, key_client
from tenants.members import Member
from tenants.models import Role

URL = "/api/audit/events/"


def _owner(business) -> Member:
    return Member(user=business.owner, tenant=business.tenant, role=Role.OWNER)


def _invite(client, email="new@alpha.example"):
    return client.post("/api/team/invites/", {"email": email, "role": "agent"}, format="json")


def test_a_change_through_the_api_records_who_and_from_where_with_the_request_id(alpha):
    client = alpha.client(alpha.owner)
    response = client.post("/api/team/invites/", {"email": "new@alpha.example", "role": "agent"}, format="json",
                           HTTP_USER_AGENT="Mozilla/5.0 (audit test)", REMOTE_ADDR="203.0.113.9")

    assert response.status_code == 201, response.content
    with schema_context(alpha.tenant.schema_name):
        event = AuditEvent.objects.get(action="team.invite_sent")
    assert (event.actor_type, event.actor_id, event.actor_label) == ("member", str(alpha.owner.pk), alpha.owner.email)
    assert (event.target_type, event.target_label, event.detail) == ("invite", "new@alpha.example", {"role": "agent"})
    assert (event.ip, event.user_agent) == ("203.0.113.9", "Mozilla/5.0 (audit test)")
    assert event.request_id == response["X-Request-ID"] and len(event.request_id) == 32


def test_a_request_id_given_by_the_proxy_is_kept(alpha):
    response = alpha.client(alpha.owner).post("/api/team/invites/", {"email": "n@alpha.example", "role": "agent"},
                                              format="json", HTTP_X_REQUEST_ID="edge-4f1c2d3e")
    assert response["X-Request-ID"] == "edge-4f1c2d3e"
    with schema_context(alpha.tenant.schema_name):
        assert AuditEvent.objects.get(action="team.invite_sent").request_id == "edge-4f1c2d3e"


def test_a_refused_request_records_nothing(alpha):
    agent = alpha.add_member("agent@alpha.example", Role.AGENT)
    assert _invite(alpha.client(agent)).status_code == 403
    assert _invite(alpha.client(alpha.owner), email="not an email").status_code == 400
    with schema_context(alpha.tenant.schema_name):
        assert not AuditEvent.objects.filter(action__startswith="team.").exists()


def test_an_event_is_written_in_the_change_transaction_and_rolls_back_with_it(alpha):
    with schema_context(alpha.tenant.schema_name):
        with pytest.raises(RuntimeError), transaction.atomic():
            record(_owner(alpha), "campaign.started", target_type="campaign", target_id=7)
            raise RuntimeError("the change failed after its event was written")
        assert not AuditEvent.objects.exists()


def test_an_api_key_is_named_with_the_person_it_acts_for(alpha):
    from apps.developer.auth import KeyMember
    from apps.developer.models import ApiKey

    key = create_key(alpha, name="Shop sync")
    with schema_context(alpha.tenant.schema_name), transaction.atomic():
        assert AuditEvent.objects.get(action="api_key.created").actor_type == "member"
        through_key = KeyMember(user=alpha.owner, tenant=alpha.tenant, role=Role.OWNER,
                                key=ApiKey.objects.get(pk=key["id"]))
        event = record(through_key, "contact.created", target_type="contact", target_id=1)
    assert (event.actor_type, event.actor_id) == ("api_key", str(key["id"]))
    assert event.actor_label == f"Shop sync ({key['prefix']}…)" and event.detail == {"key_owner": alpha.owner.email}


def test_automations_meta_and_the_system_are_named(alpha):
    with schema_context(alpha.tenant.schema_name), transaction.atomic():
        with acting_as(automation("template_sync", "Template sync")):
            synced = record(None, "templates.synced", detail={"changed": 2})
        by_meta = record(META, "template.status_changed", target_type="template", target_id="9")
        by_nobody = record(None, "campaign.finished", target_type="campaign", target_id="3")
    assert (synced.actor_type, synced.actor_id, synced.actor_label) == ("automation", "template_sync", "Template sync")
    assert (by_meta.actor_type, by_meta.actor_label) == ("meta", "Meta")
    assert (by_nobody.actor_type, by_nobody.ip, by_nobody.request_id) == ("system", None, "")


def test_secret_values_never_enter_the_log_and_unknown_actions_are_refused(alpha):
    with schema_context(alpha.tenant.schema_name), transaction.atomic():
        event = record(_owner(alpha), "whatsapp.number_updated", changes={"access_token": ["EAAold", "EAAnew"],
                                                                            "display_name": ["Old", "New"]},
                       detail={"client_secret": "s3cret", "field": "x"})
        with pytest.raises(ValueError, match="unknown audit action"):
            record(_owner(alpha), "campaign.launched")
    assert event.changes == {"access_token": REDACTED, "display_name": ["Old", "New"]}
    assert event.detail == {"client_secret": REDACTED, "field": "x"}


def test_the_log_is_append_only(alpha):
    with schema_context(alpha.tenant.schema_name):
        with transaction.atomic():
            event = record(_owner(alpha), "auth.login", detail={"method": "password"})
        for rewrite in (lambda: AuditEvent.objects.filter(pk=event.pk).update(actor_label="someone else"),
                        lambda: AuditEvent.objects.filter(pk=event.pk).delete()):
            with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
                rewrite()
        assert AuditEvent.objects.get(pk=event.pk).actor_label == alpha.owner.email


def _seed(business):
    admin = business.add_member("admin@alpha.example", Role.ADMIN)
    with schema_context(business.tenant.schema_name), transaction.atomic():
        record(_owner(business), "campaign.started", target_type="campaign", target_id=1, target_label="Diwali")
        record(Member(user=admin, tenant=business.tenant, role=Role.ADMIN), "campaign.paused",
               target_type="campaign", target_id=1, target_label="Diwali")
        record(_owner(business), "template.created", target_type="template", target_id=5,
               target_label="=HYPERLINK(\"http://evil\")")
    return admin


def test_owners_and_admins_read_the_log_newest_first_with_filters(alpha):
    admin = _seed(alpha)
    client = alpha.client(admin)

    everything = [e for e in client.get(URL).json()["results"] if e["action"] != "auth.login"]  # the client's
    campaigns = client.get(URL, {"action": "campaign"}).json()["results"]
    paused = client.get(URL, {"action": "campaign.paused"}).json()["results"]
    by_owner = client.get(URL, {"actor_type": "member", "actor_id": str(alpha.owner.pk)}).json()["results"]
    on_campaign = client.get(URL, {"target_type": "campaign", "target_id": "1"}).json()["results"]

    assert [e["action"] for e in everything] == ["template.created", "campaign.paused", "campaign.started"]
    assert everything[0]["action_label"] == "Created a template"
    assert [e["action"] for e in campaigns] == ["campaign.paused", "campaign.started"]
    assert [e["actor_label"] for e in paused] == [admin.email]
    assert {e["action"] for e in by_owner} >= {"campaign.started", "template.created"}
    assert "campaign.paused" not in {e["action"] for e in by_owner}
    assert len(on_campaign) == 2
    assert client.get(URL, {"until": everything[-1]["occurred_at"], "action": "campaign"}).json()["results"] == []
    assert client.get(URL, {"since": everything[0]["occurred_at"], "action": "template"}).json()["results"]


def test_bad_filters_are_field_errors(alpha):
    client = alpha.client(alpha.owner)
    for params, field in (({"action": "campaign.launched"}, "action"), ({"actor_type": "robot"}, "actor_type"),
                          ({"since": "yesterday"}, "since"),
                          ({"since": "2026-12-06T10:00:00Z", "until": "2026-12-06T09:00:00Z"}, "until")):
        response = client.get(URL, params)
        assert response.status_code == 400, (params, response.content)
        assert list(response.json()["errors"]) == [field]


def test_the_csv_export_has_the_same_events_with_formulas_defused(alpha):
    _seed(alpha)
    response = alpha.client(alpha.owner).get("/api/audit/events.csv", {"action": "template"})

    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith('attachment; filename="audit-log-')
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [r["action"] for r in rows] == ["template.created"]
    assert rows[0]["target"] == "'=HYPERLINK(\"http://evil\")" and rows[0]["actor"] == alpha.owner.email


def test_agents_and_api_keys_cannot_read_the_log(alpha):
    _seed(alpha)
    agent = alpha.add_member("agent@alpha.example", Role.AGENT)
    for path in (URL, "/api/audit/events.csv", "/api/audit/actions/"):
        refused = alpha.client(agent).get(path)
        assert refused.status_code == 403 and refused.json()["message"] == "Only owners and admins can read the " \
                                                                          "audit log."
    key = create_key(alpha, scopes=("contacts", "read_only"))
    assert key_client(alpha, key["key"]).get(URL).json()["code"] == "api_key_not_allowed"


def test_one_business_never_sees_another_business_log(alpha, beta):
    _seed(alpha)
    assert all(not e["action"].startswith("campaign.")
               for e in beta.client(beta.owner).get(URL).json()["results"])
    with schema_context(beta.tenant.schema_name):
        assert not AuditEvent.objects.filter(action__startswith="campaign.").exists()
    # alpha's owner on beta's host: not a member there, whatever the cookie says
    alpha_session = alpha.client(alpha.owner)
    alpha_session.defaults["HTTP_HOST"] = beta.host
    assert alpha_session.get(URL).status_code in (401, 403)


def test_the_catalogue_lists_every_action_by_area(alpha):
    actions = alpha.client(alpha.owner).get("/api/audit/actions/").json()
    by_action = {a["action"]: a for a in actions}
    assert by_action["campaign.started"] == {"action": "campaign.started", "area": "campaign",
                                             "label": "Started a campaign"}
    assert all(a["action"].startswith(a["area"] + ".") for a in actions)
