"""The contacts API as the contacts page uses it: create, search, filter, page, edit, bulk, export."""
import json

import pytest

from apps.contacts.models import Contact
from apps.contacts.tests.conftest import define, in_schema, make_contact, set_region


def _ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [c["id"] for c in response.json()["results"]]


def test_a_contact_is_created_with_its_phone_in_e164(owner, alpha):
    set_region(alpha, "IN")
    define(alpha, "city")

    response = owner.post("/api/contacts/", {"phone": "098765 43210", "name": "  Asha   Rao ", "email": "Asha@X.IN",
                                             "language": "pt-br", "tags": ["VIP", "lead", "vip"],
                                             "attributes": {"city": "Pune"}}, format="json")

    assert response.status_code == 201, response.content
    body = response.json()
    assert {k: body[k] for k in ("phone", "wa_user_id", "name", "email", "language", "tags", "attributes")} == {
        "phone": "+919876543210", "wa_user_id": None, "name": "Asha Rao", "email": "asha@x.in",
        "language": "pt_BR", "tags": ["lead", "vip"], "attributes": {"city": "Pune"}}
    assert body["consent"] == {"marketing": "unknown", "utility": "unknown"}
    assert body["first_seen_at"] is not None


def test_a_contact_may_have_only_a_whatsapp_user_id(owner):
    response = owner.post("/api/contacts/", {"wa_user_id": "IN.1234567890123", "name": "No Phone"}, format="json")

    assert response.status_code == 201
    assert response.json()["phone"] is None


def test_a_contact_needs_a_phone_or_a_user_id_and_valid_fields(owner):
    response = owner.post("/api/contacts/", {"name": "Nobody", "email": "not-an-email"}, format="json")

    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"email"} or set(response.json()["errors"]) == {"phone"}
    response = owner.post("/api/contacts/", {"phone": "12", "email": "x@y"}, format="json")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"phone", "email"}


def test_phone_and_user_id_are_unique_within_the_business(owner, alpha):
    existing = make_contact(alpha, phone="+919876543210", wa_user_id="IN.1")

    same_phone = owner.post("/api/contacts/", {"phone": "+91 98765 43210"}, format="json")
    same_user = owner.post("/api/contacts/", {"phone": "+919876543211", "wa_user_id": "IN.1"}, format="json")

    assert same_phone.status_code == 409 and same_phone.json()["code"] == "contact_exists"
    assert same_phone.json()["errors"] == {"phone": [f"Contact {existing.pk} has this value."]}
    assert same_user.status_code == 409 and "wa_user_id" in same_user.json()["errors"]


def test_unknown_and_invalid_attributes_are_refused(owner, alpha):
    define(alpha, "age", "number")
    define(alpha, "plan", "choice", ["Gold", "Silver"])

    response = owner.post("/api/contacts/", {"phone": "+919876543210",
                                             "attributes": {"age": "forty", "plan": "bronze", "shoe": 9}},
                          format="json")

    assert response.status_code == 400
    assert sorted(response.json()["errors"]["attributes"]) == [
        "age: not a number (use digits and a dot for decimals, no thousands separators).",
        "plan: not one of the choices (Gold, Silver).",
        "shoe: no such attribute (define it in settings first).",
    ]


def test_patch_merges_attributes_and_null_removes_one(owner, alpha):
    define(alpha, "age", "number")
    define(alpha, "vip_since", "date")
    contact = make_contact(alpha, phone="+919876543210", attributes={"age": 30, "vip_since": "2024-01-31"})

    response = owner.patch(f"/api/contacts/{contact.pk}/", {"attributes": {"age": "31.0", "vip_since": None},
                                                           "name": "Ravi"}, format="json")

    assert response.status_code == 200, response.content
    assert response.json()["attributes"] == {"age": 31}
    assert response.json()["name"] == "Ravi"


def test_search_by_phone_name_and_email(owner, alpha):
    set_region(alpha, "IN")
    asha = make_contact(alpha, phone="+919876543210", name="Asha Rao", email="asha@rao.in")
    ravi = make_contact(alpha, phone="+447911123456", name="Ravi Kumar Shetty", email="rk@example.com")

    def search(q):
        return _ids(owner.get("/api/contacts/", {"q": q}))

    assert search("98765") == [asha.pk]  # national digits, default region IN
    assert search("+44 7911") == [ravi.pk]
    assert search("0044 7911 12") == [ravi.pk]
    assert search("ravi shet") == [ravi.pk]  # every word a prefix
    assert search("kum") == [ravi.pk]
    assert search("asha@") == [asha.pk]
    assert search("rk@ex") == [ravi.pk]
    assert search("zz") == []


def test_search_uses_the_indexes(alpha):
    from django.db import connection

    from apps.contacts.selectors import contact_query

    with in_schema(alpha):
        for q in ("ravi", "98765", "rk@ex"):
            queryset = contact_query(q=q, default_region="IN")
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL enable_seqscan = off")
                sql, params = queryset.query.sql_with_params()
                cursor.execute("EXPLAIN " + sql, params)
                plan = "\n".join(row[0] for row in cursor.fetchall())
            assert "contact_" in plan and "Seq Scan" not in plan, plan


def test_lists_are_cursor_paged_newest_first(owner, alpha):
    made = [make_contact(alpha, phone=f"+9198765432{i:02d}").pk for i in range(5)]

    first = owner.get("/api/contacts/", {"page_size": 3}).json()
    second = owner.get(first["next"]).json()

    assert [c["id"] for c in first["results"]] == made[::-1][:3]
    assert [c["id"] for c in second["results"]] == made[::-1][3:]
    assert second["next"] is None


def test_filters_by_tag_filter_document_and_count(owner, alpha):
    define(alpha, "city")
    a = make_contact(alpha, phone="+919876543210", tags=["vip"], attributes={"city": "Pune"})
    make_contact(alpha, phone="+919876543211", tags=["lead"], attributes={"city": "Goa"})
    c = make_contact(alpha, phone="+919876543212", tags=["vip", "lead"])
    document = {"all": [{"field": "tags", "op": "any", "value": ["vip"]},
                        {"field": "attribute", "key": "city", "op": "is_not_set"}]}

    assert sorted(_ids(owner.get("/api/contacts/", {"tag": "VIP"}))) == [a.pk, c.pk]
    assert _ids(owner.get("/api/contacts/", {"filter": json.dumps(document)})) == [c.pk]
    assert owner.get("/api/contacts/count/", {"tag": "lead"}).json() == {"count": 2}
    bad = owner.get("/api/contacts/", {"filter": json.dumps({"all": [{"field": "attribute", "key": "shoe",
                                                                       "op": "eq", "value": 1}]})})
    assert bad.status_code == 400
    assert bad.json()["errors"] == {"filter": ["filter.all[0]: unknown attribute 'shoe'."]}
    assert owner.get("/api/contacts/", {"filter": "{nope"}).json()["errors"] == {"filter": ["Not valid JSON."]}
    assert owner.get("/api/contacts/", {"segment": 999999}).json()["errors"] == {"segment": ["No such segment."]}


def test_agents_read_and_edit_but_managers_delete_erase_merge_and_export(agent, owner, alpha):
    contact = make_contact(alpha, phone="+919876543210")
    other = make_contact(alpha, phone="+919876543211")

    assert agent.get(f"/api/contacts/{contact.pk}/").status_code == 200
    assert agent.patch(f"/api/contacts/{contact.pk}/", {"name": "A"}, format="json").status_code == 200
    assert agent.post("/api/contacts/bulk/", {"action": "tag", "tags": ["x"], "ids": [contact.pk]},
                      format="json").status_code == 200
    for response in (
        agent.delete(f"/api/contacts/{contact.pk}/"),
        agent.post(f"/api/contacts/{contact.pk}/erase/"),
        agent.post(f"/api/contacts/{contact.pk}/merge/", {"merge_id": other.pk}, format="json"),
        agent.get(f"/api/contacts/{contact.pk}/export/"),
        agent.get("/api/contacts/export.csv"),
        agent.post("/api/contacts/bulk/", {"action": "delete", "filter": {}}, format="json"),
        agent.get("/api/contacts/imports/"),
        agent.post("/api/contacts/attributes/", {"key": "k", "label": "K", "type": "text"}, format="json"),
        agent.post("/api/contacts/segments/", {"name": "s", "filter": {}}, format="json"),
        agent.patch("/api/contacts/settings/", {"default_region": "IN"}, format="json"),
    ):
        assert response.status_code == 403, response.content
        assert response.json()["message"] == "Only owners and admins can do this with contacts."
    with in_schema(alpha):
        assert Contact.objects.count() == 2
    assert agent.get("/api/contacts/settings/").status_code == 200
    assert agent.get("/api/contacts/attributes/").status_code == 200
    assert agent.get("/api/contacts/segments/").status_code == 200


def test_bulk_actions_cover_the_whole_filter_not_a_page(owner, alpha):
    for i in range(30):
        make_contact(alpha, phone=f"+9198765432{i:02d}", tags=["lead"] if i % 3 == 0 else [])

    tagged = owner.post("/api/contacts/bulk/", {"action": "tag", "tags": ["Diwali"],
                                                "filter": {"all": [{"field": "tags", "op": "any",
                                                                    "value": ["lead"]}]}}, format="json")
    again = owner.post("/api/contacts/bulk/", {"action": "tag", "tags": ["diwali"], "filter": {}}, format="json")
    untagged = owner.post("/api/contacts/bulk/", {"action": "untag", "tags": ["lead"], "filter": {},
                                                  "q": "+9198765432"}, format="json")
    deleted = owner.post("/api/contacts/bulk/", {"action": "delete", "filter": {"all": [
        {"field": "tags", "op": "none", "value": ["lead"]}]}, "q": "+919876543201"}, format="json")

    assert tagged.json() == {"action": "tag", "matched": 10, "affected": 10}
    assert again.json() == {"action": "tag", "matched": 30, "affected": 20}  # already tagged ones unchanged
    assert untagged.json() == {"action": "untag", "matched": 30, "affected": 10}
    assert deleted.json() == {"action": "delete", "matched": 1, "affected": 1}
    with in_schema(alpha):
        assert Contact.objects.count() == 29
        assert Contact.objects.filter(tags=["diwali"]).count() == 29


def test_bulk_needs_ids_or_a_filter(owner):
    assert owner.post("/api/contacts/bulk/", {"action": "delete"}, format="json").json()["message"] == \
        "Send either ids or filter ({} for every contact)."
    assert owner.post("/api/contacts/bulk/", {"action": "tag", "ids": [1]}, format="json").json()["errors"] == \
        {"tags": ["Which tags?"]}


def test_csv_export_streams_every_matching_contact(owner, alpha):
    define(alpha, "city")
    make_contact(alpha, phone="+919876543210", name="=HYPERLINK(\"http://evil\")", tags=["b", "a"],
                 attributes={"city": "Pune"})
    make_contact(alpha, phone="+919876543211", name="Ravi")

    response = owner.get("/api/contacts/export.csv", {"q": "+91987654321"}, HTTP_ACCEPT="text/csv")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.streaming
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert lines[0].split(",")[:3] == ["id", "phone", "wa_user_id"] and lines[0].endswith(",city")
    assert len(lines) == 3
    assert "+919876543210,,\"'=HYPERLINK" in lines[1] and '"a, b"' in lines[1] and lines[1].endswith(",Pune")


def test_a_contacts_data_export_has_everything(owner, alpha):
    define(alpha, "city", label="City")
    contact = make_contact(alpha, phone="+919876543210", name="Asha", tags=["vip"], attributes={"city": "Pune"})
    owner.post(f"/api/contacts/{contact.pk}/consent/", {"category": "marketing", "action": "opt_in",
                                                        "source": "web_form", "proof": "Ticked the box"},
               format="json")

    body = owner.get(f"/api/contacts/{contact.pk}/export/").json()

    assert body["profile"]["phone"] == "+919876543210" and body["profile"]["name"] == "Asha"
    assert body["attributes"] == [{"key": "city", "value": "Pune", "label": "City", "type": "text"}]
    assert body["tags"] == ["vip"]
    assert body["consent"]["current"] == {"marketing": "opted_in", "utility": "unknown"}
    assert body["consent"]["history"][0]["proof"] == "Ticked the box"
    assert body["consent"]["history"][0]["recorded_by"] == "owner@alpha.example"


def test_delete_removes_the_contact_and_its_ledger(owner, alpha):
    contact = make_contact(alpha, phone="+919876543210")
    owner.post(f"/api/contacts/{contact.pk}/consent/", {"category": "utility", "action": "opt_in",
                                                        "source": "api"}, format="json")

    assert owner.delete(f"/api/contacts/{contact.pk}/").status_code == 204
    assert owner.get(f"/api/contacts/{contact.pk}/").status_code == 404


@pytest.mark.parametrize("path", ["/api/contacts/0/", "/api/contacts/99999999999999999999/"])
def test_missing_contacts_are_404(owner, path):
    assert owner.get(path).status_code == 404
