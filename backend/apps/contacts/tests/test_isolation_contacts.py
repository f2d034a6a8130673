"""One business can neither see nor touch another's contacts, through any contacts route or an import.

Both businesses have a contact with the same phone number. Beta's objects get ids that don't exist
in alpha (ids are per schema), so every id route must answer 404 on alpha's host and leave beta's rows
as they were. The route list is read from the URLConf: a new route fails the coverage test until it
is listed here.
"""
import json

import pytest
from django.urls import URLPattern, get_resolver

from apps.contacts.models import AttributeDefinition, ConsentEvent, Contact, ContactImport, Segment
from apps.contacts.tests.conftest import define, import_now, in_schema, make_contact, run_import, start_import

SAME_PHONE = "+919876543210"

# route name -> {method: request body}; the ids in the path are beta's.
ID_ROUTES = {
    "contact": {"get": None, "patch": {"name": "Hijacked"}, "delete": None},
    "contact-consent": {"get": None, "post": {"category": "marketing", "action": "opt_out", "source": "agent"}},
    "contact-merge": {"post": {"merge_id": "alpha"}},
    "contact-export": {"get": None},
    "contact-erase": {"post": None},
    "contacts-attribute": {"get": None, "patch": {"label": "Hijacked"}, "delete": None},
    "contacts-segment": {"get": None, "patch": {"name": "Hijacked"}, "delete": None},
    "contacts-segment-count": {"get": None},
    "contacts-import": {"get": None, "delete": None},
    "contacts-import-errors": {"get": None},
}
COLLECTION_ROUTES = {  # covered by the tests below
    "contacts", "contacts-count", "contacts-bulk", "contacts-export-csv", "contacts-settings", "contacts-attributes",
    "contacts-segments", "contacts-segment-preview", "contacts-imports", "contacts-import-inspect",
}


def _contact_routes():
    for pattern in get_resolver("apps.contacts.urls").url_patterns:
        assert isinstance(pattern, URLPattern)
        yield pattern.name, str(pattern.pattern)


def test_every_contacts_route_is_covered_by_an_isolation_test():
    assert {name for name, _ in _contact_routes()} == set(ID_ROUTES) | COLLECTION_ROUTES


def _snapshot(business):
    with in_schema(business):
        return {
            "contacts": sorted(Contact.objects.values_list("id", "phone", "name", "erased_at", "marketing_consent")),
            "events": ConsentEvent.objects.count(),
            "attributes": sorted(AttributeDefinition.objects.values_list("id", "key", "label")),
            "segments": sorted(Segment.objects.values_list("id", "name")),
            "imports": sorted(ContactImport.objects.values_list("id", "status")),
        }


@pytest.fixture
def two_businesses(alpha, beta):
    """Alpha and beta with look-alike data; beta's ids are past alpha's (ids are per schema)."""
    owner = alpha.client(alpha.owner)
    mine = make_contact(alpha, phone=SAME_PHONE, name="Alpha's customer")
    for i in range(3):  # push beta's sequences beyond alpha's
        make_contact(beta, phone=f"+9198765432{50 + i}")
        define(beta, f"filler{i}")
    theirs = make_contact(beta, phone=SAME_PHONE, name="Beta's customer")
    other = make_contact(beta, phone="+919876543299", name="Beta's other")
    attribute = define(beta, "city")
    beta_owner = beta.client(beta.owner)
    for i in range(3):
        beta_owner.post("/api/contacts/segments/", {"name": f"filler {i}", "filter": {}}, format="json")
    segment = beta_owner.post("/api/contacts/segments/", {"name": "Beta VIPs", "filter": {
        "all": [{"field": "tags", "op": "any", "value": ["vip"]}]}}, format="json").json()["id"]
    for _ in range(3):
        import_now(beta_owner, beta, "phone\n+919876543298\n")
    beta_import = import_now(beta_owner, beta, "phone\nnot-a-number\n").pk
    ids = {"contact_id": theirs.pk, "attribute_id": attribute.pk, "segment_id": segment, "import_id": beta_import,
           "alpha": mine.pk, "other": other.pk}
    with in_schema(alpha):
        assert not Contact.objects.filter(pk=theirs.pk).exists()
        assert not Segment.objects.filter(pk=segment).exists()
        assert not ContactImport.objects.filter(pk=beta_import).exists()
        assert not AttributeDefinition.objects.filter(pk=attribute.pk).exists()
    return owner, ids


@pytest.mark.parametrize("name", sorted(ID_ROUTES))
def test_beta_ids_are_404_on_alpha_host_and_stay_untouched(alpha, beta, two_businesses, name):
    owner, ids = two_businesses
    route = dict(_contact_routes())[name]
    path = "/api/contacts/" + route
    for param in ("contact_id", "attribute_id", "segment_id", "import_id"):
        path = path.replace(f"<int:{param}>", str(ids[param]))
    before_beta, before_alpha = _snapshot(beta), _snapshot(alpha)

    for method, body in ID_ROUTES[name].items():
        if body and body.get("merge_id") == "alpha":
            body = {"merge_id": ids["alpha"]}
        response = getattr(owner, method)(path, body, format="json")
        assert response.status_code == 404, (method, path, response.content)
        assert response.json()["code"] == "not_found"

    assert _snapshot(beta) == before_beta
    assert _snapshot(alpha) == before_alpha


def test_merging_in_another_business_contact_is_404(alpha, beta, two_businesses):
    owner, ids = two_businesses
    before = _snapshot(beta)

    response = owner.post(f"/api/contacts/{ids['alpha']}/merge/", {"merge_id": ids["other"]}, format="json")

    assert response.status_code == 404
    assert _snapshot(beta) == before


def test_lists_counts_searches_and_exports_show_only_this_business(alpha, beta, two_businesses):
    owner, ids = two_businesses

    listed = owner.get("/api/contacts/").json()["results"]
    found = owner.get("/api/contacts/", {"q": "+9198765"}).json()["results"]
    exported = b"".join(owner.get("/api/contacts/export.csv").streaming_content).decode()

    assert [c["name"] for c in listed] == ["Alpha's customer"] == [c["name"] for c in found]
    assert owner.get("/api/contacts/count/").json() == {"count": 1}
    assert "Beta" not in exported and exported.count(SAME_PHONE) == 1
    assert owner.get("/api/contacts/attributes/").json()["results"] == []
    assert owner.get("/api/contacts/segments/").json()["results"] == []
    assert owner.get("/api/contacts/imports/").json()["results"] == []
    assert owner.get("/api/contacts/settings/").json()["default_region"] == ""


def test_a_segment_of_beta_is_unusable_in_alpha(alpha, beta, two_businesses):
    owner, ids = two_businesses

    listed = owner.get("/api/contacts/", {"segment": ids["segment_id"]})
    counted = owner.get("/api/contacts/count/", {"segment": ids["segment_id"]})
    bulk = owner.post("/api/contacts/bulk/", {"action": "delete", "filter": {}, "segment": ids["segment_id"]},
                      format="json")

    for response in (listed, counted, bulk):
        assert response.status_code == 400
        assert response.json()["errors"] == {"segment": ["No such segment."]}
    with in_schema(alpha):
        assert Contact.objects.count() == 1


def test_filters_naming_beta_attributes_are_refused(alpha, beta, two_businesses):
    owner, _ = two_businesses
    document = {"all": [{"field": "attribute", "key": "city", "op": "is_set"}]}

    response = owner.post("/api/contacts/segments/preview/", {"filter": document}, format="json")

    assert response.status_code == 400
    assert response.json()["errors"] == {"filter": ["filter.all[0]: unknown attribute 'city'."]}


def test_bulk_actions_with_beta_ids_or_everything_touch_only_alpha(alpha, beta, two_businesses):
    owner, ids = two_businesses
    before = _snapshot(beta)

    by_ids = owner.post("/api/contacts/bulk/", {"action": "delete", "ids": [ids["contact_id"], ids["other"]]},
                        format="json").json()
    tagged = owner.post("/api/contacts/bulk/", {"action": "tag", "tags": ["x"], "filter": {}}, format="json").json()
    everything = owner.post("/api/contacts/bulk/", {"action": "delete", "filter": {}}, format="json").json()

    assert (by_ids["matched"], by_ids["affected"]) == (0, 0)
    assert (tagged["matched"], everything["affected"]) == (1, 1)
    assert _snapshot(beta) == before


def test_an_import_in_alpha_never_writes_beta(alpha, beta, two_businesses):
    owner, ids = two_businesses
    before = _snapshot(beta)

    job = import_now(owner, alpha, f"phone,name\n{SAME_PHONE},Updated in alpha\n+919876543299,New in alpha\n")

    assert (job.created, job.updated) == (1, 1)
    assert _snapshot(beta) == before
    with in_schema(beta):
        assert Contact.objects.get(phone=SAME_PHONE).name == "Beta's customer"


def test_an_import_job_runs_only_in_its_own_schema(alpha, beta, two_businesses):
    """Beta's job id, run in alpha's schema (where no such job exists), does nothing anywhere."""
    from apps.contacts.imports import import_run

    pending = start_import(beta.client(beta.owner), "phone\n+919876543277\n").json()["id"]
    before = _snapshot(beta), _snapshot(alpha)

    with in_schema(alpha):
        assert not ContactImport.objects.filter(pk=pending).exists()
        import_run(import_id=pending)

    assert (_snapshot(beta), _snapshot(alpha)) == before
    assert run_import(beta, pending).created == 1


def test_filter_values_are_bound_parameters(alpha, beta, two_businesses):
    owner, _ = two_businesses
    sneaky = {"all": [{"field": "tags", "op": "any", "value": ["x') or 1=1 --"]}]}
    before = _snapshot(beta)

    response = owner.get("/api/contacts/", {"filter": json.dumps(sneaky)})

    assert response.status_code == 200 and response.json()["results"] == []
    assert _snapshot(beta) == before
