"""Segments: the filter language, validated on save, evaluated in SQL, counted exactly."""
from datetime import timedelta

import pytest
from django.utils import timezone

from apps.contacts.filters import FilterError, compile_filter, validate_filter
from apps.contacts.models import AttributeDefinition, Contact
from apps.contacts.tests.conftest import define, in_schema, make_contact


@pytest.fixture
def people(alpha):
    """Eight contacts with known tags, attributes, consent and activity."""
    define(alpha, "city")
    define(alpha, "age", "number")
    define(alpha, "renewal", "date")
    define(alpha, "paid", "boolean")
    define(alpha, "plan", "choice", ["Gold", "Silver"])
    now = timezone.now()
    rows = [
        dict(tags=["vip", "lead"], attributes={"city": "Pune", "age": 30, "plan": "Gold", "paid": True}),
        dict(tags=["vip"], attributes={"city": "Mumbai", "age": 45.5, "renewal": "2026-01-15"}),
        dict(tags=["lead"], attributes={"city": "pune city", "age": 18, "plan": "Silver", "paid": False}),
        dict(tags=[], attributes={"renewal": "2025-12-31"}, email="a@b.co"),
        dict(tags=["cold"], attributes={"age": 60}),
        dict(tags=["vip", "cold"], attributes={}),
        dict(tags=[], attributes={"city": "Goa"}, language="hi"),
        dict(tags=["lead", "cold"], attributes={"plan": "Gold"}, language="en_US"),
    ]
    made = [make_contact(alpha, phone=f"+9198765432{i:02d}", **row) for i, row in enumerate(rows)]
    with in_schema(alpha):
        activity = [now - timedelta(days=1), now - timedelta(days=10), None, now - timedelta(days=40), None, None,
                    now - timedelta(hours=2), None]
        for contact, seen in zip(made, activity, strict=True):
            Contact.objects.filter(pk=contact.pk).update(last_inbound_at=seen)
        Contact.objects.filter(pk=made[4].pk).update(marketing_consent="opted_out")
        Contact.objects.filter(pk=made[5].pk).update(marketing_consent="opted_in", utility_consent="opted_out")
    return made


def _members(alpha, people, document) -> list[int]:
    with in_schema(alpha):
        q = compile_filter(validate_filter(document, AttributeDefinition.objects.all()))
        found = set(Contact.objects.filter(q).values_list("pk", flat=True))
    return [i for i, c in enumerate(people) if c.pk in found]


def _c(field, op, value=None, **more):
    node = {"field": field, "op": op, **more}
    if value is not None:
        node["value"] = value
    return {"all": [node]}


@pytest.mark.parametrize(("document", "expected"), [
    ({}, [0, 1, 2, 3, 4, 5, 6, 7]),
    (_c("tags", "any", ["vip", "cold"]), [0, 1, 4, 5, 7]),
    (_c("tags", "all", ["VIP", "lead"]), [0]),
    (_c("tags", "none", ["vip", "lead"]), [3, 4, 6]),
    (_c("attribute", "eq", "Pune", key="city"), [0]),
    (_c("attribute", "neq", "Pune", key="city"), [1, 2, 3, 4, 5, 6, 7]),  # includes "not set"
    (_c("attribute", "contains", "PUNE", key="city"), [0, 2]),
    (_c("attribute", "in", ["Goa", "Mumbai"], key="city"), [1, 6]),
    (_c("attribute", "is_set", key="city"), [0, 1, 2, 6]),
    (_c("attribute", "is_not_set", key="city"), [3, 4, 5, 7]),
    (_c("attribute", "gt", 30, key="age"), [1, 4]),
    (_c("attribute", "gte", "30", key="age"), [0, 1, 4]),
    (_c("attribute", "lt", 30, key="age"), [2]),
    (_c("attribute", "lte", 45.5, key="age"), [0, 1, 2]),
    (_c("attribute", "eq", 45.5, key="age"), [1]),
    (_c("attribute", "in", [18, 60], key="age"), [2, 4]),
    (_c("attribute", "lt", "2026-01-01", key="renewal"), [3]),
    (_c("attribute", "gte", "2025/12/31", key="renewal"), [1, 3]),
    (_c("attribute", "eq", "yes", key="paid"), [0]),
    (_c("attribute", "neq", True, key="paid"), [1, 2, 3, 4, 5, 6, 7]),
    (_c("attribute", "in", ["gold"], key="plan"), [0, 7]),
    (_c("consent", "is", "opted_out", category="marketing"), [4]),
    (_c("consent", "is_not", "opted_out", category="marketing"), [0, 1, 2, 3, 5, 6, 7]),
    (_c("consent", "is", "unknown", category="utility"), [0, 1, 2, 3, 4, 6, 7]),
    (_c("last_inbound_at", "within_days", 7), [0, 6]),
    (_c("last_inbound_at", "not_within_days", 7), [1, 2, 3, 4, 5, 7]),  # older, or never
    (_c("last_inbound_at", "never"), [2, 4, 5, 7]),
    (_c("last_inbound_at", "ever"), [0, 1, 3, 6]),
    (_c("first_seen_at", "within_days", 1), [0, 1, 2, 3, 4, 5, 6, 7]),
    (_c("created_at", "before", "2000-01-01"), []),
    (_c("email", "is_set"), [3]),
    (_c("phone", "is_not_set"), []),
    (_c("language", "in", ["HI", "en-us"]), [6, 7]),
    (_c("language", "is_not_set"), [0, 1, 2, 3, 4, 5]),
    ({"any": [{"field": "tags", "op": "all", "value": ["vip", "cold"]},
              {"all": [{"field": "attribute", "key": "plan", "op": "eq", "value": "Gold"},
                       {"field": "tags", "op": "any", "value": ["cold"]}]}]}, [5, 7]),
    ({"all": [{"field": "tags", "op": "any", "value": ["vip", "lead"]},
              {"field": "consent", "category": "marketing", "op": "is_not", "value": "opted_out"},
              {"field": "last_inbound_at", "op": "within_days", "value": 30}]}, [0, 1]),
])
def test_each_operator_selects_exactly_the_right_contacts(alpha, people, document, expected):
    assert _members(alpha, people, document) == expected


@pytest.mark.parametrize(("document", "message"), [
    ([], "A filter is an object such as {\"all\": [...]}."),
    ({"all": [], "any": []}, "filter: a group has exactly one of \"all\" or \"any\"."),
    ({"all": [{"field": "tags", "op": "eq", "value": ["x"]}]},
     "filter.all[0]: \"op\" is one of ['any', 'all', 'none'] here."),
    ({"all": [{"field": "tags", "op": "any", "value": []}]}, "filter.all[0]: \"value\" is a non-empty list."),
    ({"all": [{"field": "attribute", "key": "age", "op": "contains", "value": "3"}]},
     "filter.all[0]: \"op\" is one of ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'in', 'is_set', 'is_not_set'] here."),
    ({"all": [{"field": "attribute", "key": "age", "op": "gt", "value": "old"}]},
     "filter.all[0]: not a number (use digits and a dot for decimals, no thousands separators)."),
    ({"all": [{"field": "attribute", "key": "plan", "op": "eq", "value": "Bronze"}]},
     "filter.all[0]: not one of the choices (Gold, Silver)."),
    ({"all": [{"field": "consent", "category": "sms", "op": "is", "value": "opted_in"}]},
     "filter.all[0]: \"category\" is one of ['marketing', 'utility']."),
    ({"all": [{"field": "last_inbound_at", "op": "within_days", "value": 0}]},
     "filter.all[0]: \"value\" is a number of days (1 to 36500)."),
    ({"all": [{"field": "last_seen_at", "op": "before", "value": "last week"}]},
     "filter.all[0]: \"value\" is an ISO date or date-time."),
    ({"all": [{"field": "password", "op": "eq"}]}, "filter.all[0]: unknown field 'password'."),
    ({"all": [{"field": "tags", "op": "any", "value": ["x"], "sql": "1=1"}]}, "filter.all[0]: unknown keys ['sql']."),
    ({"all": [{"all": [{"all": [{"all": [{"all": []}]}]}]}]}, "filter.all[0].all[0].all[0].all[0]: groups nest at "
                                                                "most 4 deep."),
])
def test_invalid_filters_are_refused_with_a_path_to_the_problem(alpha, people, document, message):
    with in_schema(alpha), pytest.raises(FilterError) as error:
        validate_filter(document, AttributeDefinition.objects.all())
    assert str(error.value) == message


def test_segments_are_saved_validated_counted_and_used_as_a_filter(owner, alpha, people):
    document = {"all": [{"field": "tags", "op": "any", "value": ["Lead"]},
                        {"field": "attribute", "key": "age", "op": "lte", "value": 30}]}

    created = owner.post("/api/contacts/segments/", {"name": "Young leads", "filter": document}, format="json")
    bad = owner.post("/api/contacts/segments/", {"name": "Bad", "filter": {"all": [{"field": "nope", "op": "x"}]}},
                     format="json")
    twice = owner.post("/api/contacts/segments/", {"name": "young LEADS", "filter": {}}, format="json")

    assert created.status_code == 201, created.content
    segment = created.json()
    assert segment["filter"]["all"][0]["value"] == ["lead"]  # canonical form is stored
    assert bad.status_code == 400 and bad.json()["errors"] == {"filter": ["filter.all[0]: unknown field 'nope'."]}
    assert twice.json()["errors"] == {"name": ["A segment with this name exists."]}
    count = owner.get(f"/api/contacts/segments/{segment['id']}/count/").json()
    assert count["count"] == 2 and count["took_ms"] >= 0
    listed = owner.get("/api/contacts/", {"segment": segment["id"], "q": "+919876543200"}).json()["results"]
    assert [c["id"] for c in listed] == [people[0].pk]
    assert owner.post("/api/contacts/segments/preview/", {"filter": document}, format="json").json()["count"] == 2


def test_a_segment_is_dynamic(owner, alpha, people):
    segment = owner.post("/api/contacts/segments/", {"name": "Cold", "filter": _c("tags", "any", ["cold"])},
                         format="json").json()
    make_contact(alpha, phone="+447911123456", tags=["cold"])

    assert owner.get(f"/api/contacts/segments/{segment['id']}/count/").json()["count"] == 4


def test_an_attribute_used_by_a_segment_cannot_be_deleted(owner, alpha, people):
    owner.post("/api/contacts/segments/", {"name": "Pune", "filter": _c("attribute", "eq", "Pune", key="city")},
               format="json")
    with in_schema(alpha):
        city = AttributeDefinition.objects.get(key="city").pk
        age = AttributeDefinition.objects.get(key="age").pk

    refused = owner.delete(f"/api/contacts/attributes/{city}/")
    deleted = owner.delete(f"/api/contacts/attributes/{age}/")

    assert refused.status_code == 409
    assert refused.json()["message"] == "Segments use this attribute: Pune. Change them first."
    assert deleted.status_code == 204
    with in_schema(alpha):
        assert not Contact.objects.filter(attributes__has_key="age").exists()  # values went with it


def test_segment_updates_and_deletes(owner, alpha, people):
    segment = owner.post("/api/contacts/segments/", {"name": "A", "filter": {}}, format="json").json()

    renamed = owner.patch(f"/api/contacts/segments/{segment['id']}/", {"name": "B"}, format="json")
    refiltered = owner.patch(f"/api/contacts/segments/{segment['id']}/", {"filter": _c("tags", "any", ["vip"])},
                             format="json")

    assert renamed.json()["name"] == "B" and renamed.json()["filter"] == {}
    assert refiltered.json()["name"] == "B"
    assert owner.get(f"/api/contacts/segments/{segment['id']}/count/").json()["count"] == 3
    assert owner.delete(f"/api/contacts/segments/{segment['id']}/").status_code == 204
    assert owner.get(f"/api/contacts/segments/{segment['id']}/").status_code == 404
