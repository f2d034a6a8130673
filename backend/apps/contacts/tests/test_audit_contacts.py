"""The audit log of contacts: every change a member or an API key makes writes exactly one event with the right actor
(an import's end: the import itself, an automation), a refused request or a rolled-back change writes none, contacts
are named by id only (no name, phone, email or attribute value anywhere in the event), and another business's log
never sees them."""
import json

import pytest
from django.db import transaction

from apps.audit.testing import AuditTrail
from apps.contacts.models import Contact
from apps.contacts.tests.conftest import define, import_now, in_schema, make_contact, start_import
from apps.developer.tests.helpers import create_key, key_client

PERSONAL = ("Ada Lovelace", "Lovelace", "ada@example.com", "+14155550123", "14155550123", "4155550123",
            "+14155550199", "Grace", "grace@example.com", "gold-member-7", "Analytical Engines Ltd")


_trail = AuditTrail()
_mark, _events, _only = _trail.mark, _trail.events, _trail.only


@pytest.fixture(autouse=True)
def _fresh_marks():
    _trail.forget()


def _no_personal_data(business):
    for event in _events(business):
        text = json.dumps([event.target_label, event.changes, event.detail, event.actor_label])
        for value in PERSONAL:
            assert value not in text, (event.action, text)


@pytest.fixture
def ada(alpha, owner):
    define(alpha, "company")
    contact = make_contact(alpha, phone="+14155550123", name="Ada Lovelace", email="ada@example.com",
                           attributes={"company": "Analytical Engines Ltd"})
    _mark(alpha)
    return contact


def test_each_contact_change_through_the_api_writes_one_event_by_the_member(alpha, owner, ada):
    other = make_contact(alpha, phone="+14155550199", name="Grace", email="grace@example.com")
    doomed = make_contact(alpha, phone="+14155550188")
    _mark(alpha)
    steps = [
        ("contact.created", lambda: owner.post("/api/contacts/", {"phone": "+14155550111", "name": "Ada Lovelace"},
                                                format="json")),
        ("contact.updated", lambda: owner.patch(f"/api/contacts/{ada.pk}/", {
            "name": "Lovelace", "tags": ["gold-member-7"], "attributes": {"company": "Analytical Engines Ltd"}},
            format="json")),
        ("contact.consent_changed", lambda: owner.post(f"/api/contacts/{ada.pk}/consent/", {
            "category": "marketing", "action": "opt_in", "source": "web_form", "proof": "Ada Lovelace signed"},
            format="json")),
        ("contact.exported", lambda: owner.get(f"/api/contacts/{ada.pk}/export/")),
        ("contact.merged", lambda: owner.post(f"/api/contacts/{ada.pk}/merge/", {"merge_id": other.pk},
                                              format="json")),
        ("contact.erased", lambda: owner.post(f"/api/contacts/{ada.pk}/erase/")),
    ]
    for action, call in steps:
        response = call()
        assert response.status_code in (200, 201), (action, response.content)
        event = _only(alpha, action)
        assert (event.actor_type, event.actor_id, event.actor_label) == ("member", str(alpha.owner.pk),
                                                                         alpha.owner.email)
        assert event.target_type == "contact" and event.target_label == ""
    assert _only(alpha, "contact.updated").detail == {"fields": ["attributes", "name", "tags"]}
    assert _only(alpha, "contact.merged").detail["merged_id"] == other.pk
    with in_schema(alpha):
        new_id = Contact.objects.get(phone="+14155550111").pk
    assert _only(alpha, "contact.created").target_id == str(new_id)

    assert owner.delete(f"/api/contacts/{doomed.pk}/").status_code == 204
    assert _only(alpha, "contact.deleted").target_id == str(doomed.pk)
    _no_personal_data(alpha)


def test_bulk_actions_exports_imports_and_definitions_write_one_event_each(alpha, owner, ada):
    assert owner.post("/api/contacts/bulk/", {"action": "tag", "tags": ["vip"], "filter": {}},
                      format="json").status_code == 200
    bulk = _only(alpha, "contacts.bulk_changed")
    assert bulk.detail["action"] == "tag" and bulk.detail["count"] == 1 and bulk.detail["tags"] == ["vip"]
    assert bulk.actor_type == "member"

    response = owner.get("/api/contacts/export.csv", {"q": "Ada Lovelace", "tag": "vip"}, HTTP_ACCEPT="text/csv")
    assert response.status_code == 200
    b"".join(response.streaming_content)
    exported = _only(alpha, "contacts.exported")
    assert exported.detail["search"] is True and exported.detail["tags"] == ["vip"]

    job = import_now(owner, alpha, "phone,name\n+14155550177,Ada Lovelace\n")
    started, finished = _only(alpha, "contacts.imported"), _only(alpha, "contacts.import_finished")
    assert started.actor_type == "member" and started.target_id == str(job.pk)
    assert (finished.actor_type, finished.actor_id) == ("automation", "contact_import")
    assert finished.detail == {"status": "done", "rows": 1, "created": 1, "updated": 0, "skipped": 0,
                               "duplicates": 0, "errors": 0}
    assert owner.delete(f"/api/contacts/imports/{job.pk}/").status_code == 204
    _only(alpha, "contacts.import_deleted")

    assert owner.patch("/api/contacts/settings/", {"default_region": "GB"}, format="json").status_code == 200
    assert _only(alpha, "contacts.settings_changed").changes == {"default_region": ["", "GB"]}

    attribute = owner.post("/api/contacts/attributes/", {"key": "plan", "label": "Plan", "type": "text"},
                           format="json").json()
    assert owner.patch(f"/api/contacts/attributes/{attribute['id']}/", {"label": "Tier"},
                       format="json").status_code == 200
    assert owner.delete(f"/api/contacts/attributes/{attribute['id']}/").status_code == 204
    assert _only(alpha, "attribute.created").target_label == "Plan (plan)"
    assert _only(alpha, "attribute.updated").changes == {"label": ["Plan", "Tier"]}
    _only(alpha, "attribute.deleted")

    segment = owner.post("/api/contacts/segments/", {"name": "VIPs", "filter": {}}, format="json")
    assert segment.status_code == 201, segment.content
    segment_id = segment.json()["id"]
    assert owner.patch(f"/api/contacts/segments/{segment_id}/", {"name": "Best"}, format="json").status_code == 200
    assert owner.delete(f"/api/contacts/segments/{segment_id}/").status_code == 204
    assert _only(alpha, "segment.created").target_label == "VIPs"
    assert _only(alpha, "segment.updated").changes == {"name": ["VIPs", "Best"]}
    assert _only(alpha, "segment.deleted").target_id == str(segment_id)

    assert owner.post("/api/contacts/bulk/", {"action": "delete", "ids": [ada.pk]}, format="json").json()[
        "affected"] == 1
    deleted = _events(alpha, action="contacts.bulk_changed")[-1]
    assert deleted.detail == {"action": "delete", "count": 1, "selection": "ids", "matched": 1}
    _no_personal_data(alpha)


def test_an_api_key_is_the_actor_of_its_requests(alpha):
    created = create_key(alpha, ["contacts"])
    _mark(alpha)
    response = key_client(alpha, created["key"]).post("/api/contacts/", {"phone": "+14155550123"}, format="json")
    assert response.status_code == 201, response.content
    event = _only(alpha, "contact.created")
    assert (event.actor_type, event.actor_id) == ("api_key", str(created["id"]))
    assert event.detail["key_owner"] == alpha.owner.email


def test_refused_requests_write_nothing(alpha, owner, agent, ada):
    assert agent.delete(f"/api/contacts/{ada.pk}/").status_code == 403
    assert agent.post(f"/api/contacts/{ada.pk}/erase/").status_code == 403
    assert agent.post("/api/contacts/bulk/", {"action": "delete", "filter": {}}, format="json").status_code == 403
    assert agent.get("/api/contacts/export.csv").status_code == 403
    assert owner.post("/api/contacts/", {"phone": "+14155550123"}, format="json").status_code == 409  # taken
    assert owner.post("/api/contacts/", {"name": "no identity"}, format="json").status_code == 400
    assert owner.patch(f"/api/contacts/{ada.pk}/", {"attributes": {"nope": 1}}, format="json").status_code == 400
    assert owner.post("/api/contacts/bulk/", {"action": "tag", "filter": {}}, format="json").status_code == 400
    assert start_import(owner, "").status_code == 400
    assert owner.patch("/api/contacts/settings/", {"default_region": "ZZ"}, format="json").status_code == 400
    assert _events(alpha) == []


def test_a_rolled_back_change_leaves_no_event(alpha, ada):
    from apps.contacts import services

    with in_schema(alpha):
        with pytest.raises(RuntimeError), transaction.atomic():
            services.contacts_tag(queryset=Contact.objects.all(), tags=["vip"])
            services.contact_erase(contact=ada)
            raise RuntimeError("the caller's transaction fails after the change")
        assert Contact.objects.get(pk=ada.pk).name == "Ada Lovelace"
    assert _events(alpha) == []


def test_automatic_contact_changes_are_not_audited(alpha):
    """A customer's first message creates their contact, a STOP opts them out: no member acted."""
    from apps.contacts import services

    _mark(alpha)
    with in_schema(alpha):
        contact = services.contact_for_sender(wa_id="14155550123", user_id=None, name="Ada Lovelace")
        services.consent_record(contact=contact, category="marketing", action="opt_out", source="keyword",
                                keyword="STOP")
    assert _events(alpha) == []


def test_a_selection_is_recorded_by_the_fields_it_tests_never_their_values(alpha, owner, ada):
    assert owner.post("/api/contacts/attributes/", {"key": "billing_email", "label": "Billing email", "type": "text"},
                      format="json").status_code == 201
    by_email = {"all": [{"field": "attribute", "key": "billing_email", "op": "eq", "value": "ada@example.com"}]}
    assert owner.post("/api/contacts/bulk/", {"action": "tag", "tags": ["vip"], "filter": by_email},
                      format="json").status_code == 200
    response = owner.get("/api/contacts/export.csv", {"filter": json.dumps(by_email)}, HTTP_ACCEPT="text/csv")
    b"".join(response.streaming_content)

    for action in ("contacts.bulk_changed", "contacts.exported"):
        event = _only(alpha, action)
        assert event.detail["filter_fields"] == ["attribute"]
        assert "ada@example.com" not in json.dumps(event.detail)


def test_another_business_never_sees_the_events(alpha, beta, owner, ada):
    beta_client = beta.client(beta.owner)
    _mark(beta)
    assert owner.patch(f"/api/contacts/{ada.pk}/", {"name": "Lovelace"}, format="json").status_code == 200
    assert owner.post("/api/contacts/bulk/", {"action": "tag", "tags": ["vip"], "filter": {}},
                      format="json").status_code == 200
    assert len(_events(alpha)) == 2
    assert _events(beta) == []
    beta_log = beta_client.get("/api/audit/events/")
    assert beta_log.status_code == 200
    assert [e["action"] for e in beta_log.json()["results"]] in ([], ["auth.login"])
