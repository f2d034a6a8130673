"""The consent ledger and the state derived from it; merging two contacts; erasing one."""
import random
from datetime import timedelta

import pytest
from django.utils import timezone

from apps.contacts import services, signals
from apps.contacts.identity import identity_hash, identity_hash_sql
from apps.contacts.models import ConsentEvent, Contact, ContactImportError, ContactMergeRecord, Suppression
from apps.contacts.selectors import consent_state_mismatches
from apps.contacts.tests.conftest import define, import_now, in_schema, make_contact


def _consent(client, contact_id, **data):
    return client.post(f"/api/contacts/{contact_id}/consent/", data, format="json")


def test_a_stop_keyword_opts_a_contact_out_and_the_history_shows_it(agent, alpha):
    contact = make_contact(alpha, phone="+919876543210")

    opt_in = _consent(agent, contact.pk, category="marketing", action="opt_in", source="web_form",
                      proof="Checked 'Send me offers on WhatsApp' at checkout")
    stop = _consent(agent, contact.pk, category="marketing", action="opt_out", source="keyword", keyword="STOP")

    assert opt_in.status_code == 201 and stop.status_code == 201
    assert stop.json()["contact"]["consent"] == {"marketing": "opted_out", "utility": "unknown"}
    history = agent.get(f"/api/contacts/{contact.pk}/consent/").json()["results"]
    assert [(e["action"], e["source"], e["keyword"]) for e in history] == [
        ("opt_out", "keyword", "STOP"), ("opt_in", "web_form", "")]
    assert history[1]["actor_email"] == "agent@alpha.example"
    opted_out = agent.get("/api/contacts/", {"filter": '{"all": [{"field": "consent", "category": "marketing", '
                                                       '"op": "is", "value": "opted_out"}]}'}).json()["results"]
    assert [c["id"] for c in opted_out] == [contact.pk]


def test_an_older_opt_in_does_not_undo_a_newer_opt_out(agent, alpha):
    contact = make_contact(alpha, phone="+919876543210")
    _consent(agent, contact.pk, category="marketing", action="opt_out", source="meta_preference")

    late = _consent(agent, contact.pk, category="marketing", action="opt_in", source="offline",
                    occurred_at=(timezone.now() - timedelta(days=30)).isoformat())

    assert late.status_code == 201
    assert late.json()["contact"]["consent"]["marketing"] == "opted_out"


@pytest.mark.parametrize(("data", "errors"), [
    ({"category": "marketing", "action": "opt_in", "source": "keyword"}, {"source": ["This source only records "
                                                                                     "opt-outs."]}),
    ({"category": "marketing", "action": "opt_in", "source": "suppression"}, None),
    ({"category": "sms", "action": "opt_in", "source": "api"}, None),
    ({"category": "utility", "action": "opt_out", "source": "api", "occurred_at": "2999-01-01T00:00:00Z"},
     {"occurred_at": ["Consent can't be recorded in the future."]}),
])
def test_consent_input_is_checked(agent, alpha, data, errors):
    contact = make_contact(alpha, phone="+919876543210")

    response = _consent(agent, contact.pk, **data)

    assert response.status_code == 400
    if errors:
        assert response.json()["errors"] == errors


def test_the_state_columns_always_agree_with_the_ledger(alpha):
    """Random events, recorded in random order with random past times, across merges: the denormalised
    columns campaigns filter on equal the ledger's latest event per category."""
    rng = random.Random(7)
    contacts = [make_contact(alpha, phone=f"+9198765432{i:02d}") for i in range(12)]
    now = timezone.now()
    with in_schema(alpha):
        for _ in range(150):
            services.consent_record(
                contact=rng.choice(contacts), category=rng.choice(["marketing", "utility"]),
                action=rng.choice(["opt_in", "opt_out"]), source="api",
                occurred_at=now - timedelta(minutes=rng.randint(0, 10_000)))
        services.contact_merge(survivor=contacts[0], merged=contacts[1], prefer={})
        services.contact_merge(survivor=contacts[2], merged=contacts[3], prefer={})
        assert consent_state_mismatches() == []
        assert Contact.objects.exclude(marketing_consent="unknown").count() > 0
        services.consent_record(contact=contacts[4], category="utility", action="opt_in", source="api")
        Contact.objects.filter(pk=contacts[4].pk).update(utility_consent="opted_out")  # tampered with
        assert consent_state_mismatches() == [(contacts[4].pk, "utility", "opted_out", "opted_in")]


def test_merging_keeps_the_survivors_values_unless_told_and_audits_it(owner, alpha):
    define(alpha, "city")
    define(alpha, "age", "number")
    survivor = make_contact(alpha, phone="+919876543210", name="A. Rao", tags=["vip"],
                            attributes={"city": "Pune"})
    merged = make_contact(alpha, wa_user_id="IN.99", name="Asha Rao", email="asha@rao.in", tags=["lead"],
                          attributes={"city": "Goa", "age": 31})
    _consent(owner, merged.pk, category="marketing", action="opt_out", source="keyword", keyword="STOP")
    seen = []
    signals.contacts_merged.connect(lambda **kw: seen.append((kw["survivor_id"], kw["merged_id"])), weak=False,
                                    dispatch_uid="test-merge")
    try:
        response = owner.post(f"/api/contacts/{survivor.pk}/merge/", {"merge_id": merged.pk,
                                                                      "prefer": {"name": "merged"}}, format="json")
    finally:
        signals.contacts_merged.disconnect(dispatch_uid="test-merge")

    assert response.status_code == 200, response.content
    contact = response.json()["contact"]
    assert (contact["phone"], contact["wa_user_id"], contact["name"], contact["email"]) == (
        "+919876543210", "IN.99", "Asha Rao", "asha@rao.in")
    assert contact["tags"] == ["lead", "vip"]
    assert contact["attributes"] == {"city": "Pune", "age": 31}
    assert contact["consent"]["marketing"] == "opted_out"  # the ledger moved with the person
    merge = response.json()["merge"]
    assert merge["merged_id"] == merged.pk and merge["moved_consent_events"] == 1
    assert merge["field_winners"] == {"phone": "survivor", "wa_user_id": "merged", "name": "merged",
                                      "email": "merged", "language": "survivor", "attributes": "survivor"}
    assert merge["actor_email"] == "owner@alpha.example"
    assert seen == [(survivor.pk, merged.pk)]
    assert owner.get(f"/api/contacts/{merged.pk}/").status_code == 404
    with in_schema(alpha):
        record = ContactMergeRecord.objects.get()
        assert record.merged_snapshot["name"] == "Asha Rao"
    assert owner.post(f"/api/contacts/{survivor.pk}/merge/", {"merge_id": survivor.pk},
                      format="json").json()["code"] == "same_contact"


def test_erasure_removes_personal_data_keeps_a_tombstone_and_signals(owner, alpha):
    define(alpha, "city")
    contact = make_contact(alpha, phone="+919876543210", name="Asha", email="asha@rao.in", tags=["vip"],
                           attributes={"city": "Pune"})
    _consent(owner, contact.pk, category="marketing", action="opt_in", source="web_form", proof="Asha ticked it")
    erased = []
    signals.contact_erased.connect(lambda **kw: erased.append(kw["contact_id"]), weak=False, dispatch_uid="t-erase")
    try:
        response = owner.post(f"/api/contacts/{contact.pk}/erase/")
    finally:
        signals.contact_erased.disconnect(dispatch_uid="t-erase")

    assert response.status_code == 200 and response.json()["id"] == contact.pk
    assert erased == [contact.pk]
    with in_schema(alpha):
        row = Contact.objects.get(pk=contact.pk)
        assert (row.phone, row.wa_user_id, row.name, row.email, row.tags, row.attributes) == (
            None, None, "", "", [], {})
        assert row.erased_at is not None
        assert list(ConsentEvent.objects.filter(contact=row).values_list("proof", flat=True)) == [""]
        assert not Suppression.objects.exists()  # not opted out: nothing about the number is kept
    assert owner.get(f"/api/contacts/{contact.pk}/").status_code == 404
    assert owner.get("/api/contacts/count/").json()["count"] == 0
    # The number is free again, and nothing links a new contact to the erased one.
    again = owner.post("/api/contacts/", {"phone": "+919876543210"}, format="json").json()
    assert again["id"] != contact.pk and again["consent"]["marketing"] == "unknown"


def test_an_opted_out_person_stays_opted_out_after_erasure_and_re_import(owner, alpha):
    contact = make_contact(alpha, phone="+919876543210", wa_user_id="IN.7")
    other = make_contact(alpha, phone="+919876543299")
    _consent(owner, contact.pk, category="marketing", action="opt_out", source="keyword", keyword="STOP")
    _consent(owner, other.pk, category="utility", action="opt_out", source="agent")
    with in_schema(alpha):
        ContactImportError.objects.create(contact_import=_an_import(), row_number=2, value="+919876543210",
                                          reason="x")

    owner.post(f"/api/contacts/{contact.pk}/erase/")
    owner.post("/api/contacts/bulk/", {"action": "delete", "ids": [other.pk]}, format="json")

    with in_schema(alpha):
        assert sorted(s.categories[0] for s in Suppression.objects.all()) == ["marketing", "marketing", "utility"]
        assert Suppression.objects.filter(identity_hash=identity_hash("+919876543210")).exists()
        assert not ContactImportError.objects.filter(value="+919876543210").exists()
    by_api = owner.post("/api/contacts/", {"phone": "+91 98765 43210"}, format="json").json()
    assert by_api["consent"] == {"marketing": "opted_out", "utility": "unknown"}
    history = owner.get(f"/api/contacts/{by_api['id']}/consent/").json()["results"]
    assert [(e["action"], e["source"]) for e in history] == [("opt_out", "suppression")]
    owner.delete(f"/api/contacts/{by_api['id']}/")
    job = import_now(owner, alpha, "phone,name\n+919876543210,Back again\n+919876543299,Other\n+919876543298,New\n")
    assert (job.created, job.errors) == (3, 0)
    with in_schema(alpha):
        living = Contact.objects.filter(erased_at__isnull=True)
        states = dict(living.values_list("phone", "marketing_consent"))
        utility = dict(living.values_list("phone", "utility_consent"))
        assert consent_state_mismatches() == []
    assert states == {"+919876543210": "opted_out", "+919876543299": "unknown", "+919876543298": "unknown"}
    assert utility["+919876543299"] == "opted_out"


def test_the_sql_hash_is_the_python_hash(alpha):
    from django.db import connection

    with in_schema(alpha), connection.cursor() as cursor:
        sql, params = identity_hash_sql("%s")
        cursor.execute(f"SELECT {sql}", [*params, "+919876543210"])
        assert cursor.fetchone()[0] == identity_hash("+919876543210")


def _an_import():
    from apps.contacts.models import ContactImport

    return ContactImport.objects.create(file_name="x.csv", file_path="")
