"""What the schemathesis run (test_api_contract_fuzz.py) found, each pinned by a plain test: answers are in
the envelope and match what the OpenAPI document declares."""


def test_logout_without_a_refresh_cookie_answers_in_the_error_envelope(alpha):
    client = alpha.client(alpha.owner)
    client.cookies.pop("cn-refresh")
    response = client.post("/api/auth/logout/", HTTP_ORIGIN=f"http://{alpha.host}")
    assert response.status_code == 401
    assert response.json() == {"code": "not_authenticated", "message": "Refresh token was not included in cookie "
                               "data.", "errors": {}}


def test_password_reset_answers_with_the_documented_detail(alpha):
    from apps.core.tests.test_api_contract_fuzz import _schema_dict

    response = alpha.client().post("/api/auth/password/reset/", {"email": "nobody@example.com"}, format="json",
                                   HTTP_ORIGIN=f"http://{alpha.host}")
    assert response.status_code == 200
    schema = _schema_dict()
    documented = schema["paths"]["/api/auth/password/reset/"]["post"]["responses"]["200"]
    component = documented["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    assert set(response.json()) == set(schema["components"]["schemas"][component]["properties"]) == {"detail"}


def test_a_patch_of_a_member_documents_role_as_required(alpha):
    from apps.core.tests.test_api_contract_fuzz import _schema_dict

    schema = _schema_dict()
    operation = schema["paths"]["/api/team/members/{member_id}/"]["patch"]
    assert operation["requestBody"]["required"] is True
    ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    assert schema["components"]["schemas"][ref]["required"] == ["role"]
    member = alpha.add_member("agent@alpha.example", "agent")
    from tenants.models import Membership

    membership = Membership.objects.get(user=member, tenant=alpha.tenant)
    response = alpha.client(alpha.owner).patch(f"/api/team/members/{membership.pk}/", {}, format="json",
                                               HTTP_ORIGIN=f"http://{alpha.host}")
    assert response.status_code == 400
    assert response.json()["errors"] == {"role": ["This field is required."]}


def _component(schema: dict, path: str, method: str) -> dict:
    body = schema["paths"][path][method]["requestBody"]["content"]["application/json"]["schema"]
    return schema["components"]["schemas"][body["$ref"].rsplit("/", 1)[-1]]


def test_canned_reply_shortcuts_follow_the_documented_pattern(alpha):
    import re

    from apps.core.tests.test_api_contract_fuzz import _schema_dict

    pattern = _component(_schema_dict(), "/api/canned-replies/", "post")["properties"]["shortcut"]["pattern"]
    client = alpha.client(alpha.owner)
    for shortcut, accepted in (("/hours", True), ("Late-2", True), ("½Ê", False), ("__", False)):
        assert bool(re.search(pattern, shortcut)) is accepted
        response = client.post("/api/canned-replies/", {"shortcut": shortcut, "title": "T", "body": "B"},
                               format="json", HTTP_ORIGIN=f"http://{alpha.host}")
        assert response.status_code == (201 if accepted else 400), (shortcut, response.content)


def test_the_contacts_filter_query_parameter_is_documented_as_a_json_document(alpha):
    import json

    from apps.core.tests.test_api_contract_fuzz import _schema_dict

    schema = _schema_dict()
    for path in ("/api/contacts/", "/api/contacts/count/", "/api/contacts/export.csv"):
        (parameter,) = [p for p in schema["paths"][path]["get"]["parameters"] if p["name"] == "filter"]
        assert parameter["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/FilterDocument"}
    document = {"any": [{"field": "tags", "op": "any", "value": ["vip"]},
                        {"all": [{"field": "created_at", "op": "within_days", "value": 7}]},
                        {"field": "language", "op": "in", "value": ["en", "pt_BR"]},
                        {"field": "consent", "category": "marketing", "op": "is", "value": "opted_in"}]}
    response = alpha.client(alpha.owner).get("/api/contacts/count/", {"filter": json.dumps(document)})
    assert response.status_code == 200, response.content


def test_tokens_are_documented_as_printable_ascii_and_others_are_a_400(alpha, graph_sandbox):
    import re

    from apps.core.tests.test_api_contract_fuzz import _schema_dict

    field = _component(_schema_dict(), "/api/whatsapp/numbers/", "post")["properties"]["access_token"]
    pattern = field["pattern"].replace("\\u00", "\\x")  # JSON Schema spells \x21 as \u0021
    assert re.search(pattern, "EAAB.token-1|x") and not re.search(pattern, "tökén") and not re.search(pattern, "a b")
    response = alpha.client(alpha.owner).post(
        "/api/whatsapp/numbers/", {"waba_id": "220000000000001", "phone_number_id": "120000000000001",
                                   "access_token": "tökén"}, format="json", HTTP_ORIGIN=f"http://{alpha.host}")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["access_token"]


def test_contact_fields_are_refused_exactly_where_the_documented_patterns_say(alpha):
    client = alpha.client(alpha.owner)
    good = {"phone": "+16505550101", "email": "a@b.co", "language": "pt_BR", "wa_user_id": "US.123",
            "tags": ["vip", "big spender"]}
    assert client.post("/api/contacts/", good, format="json", HTTP_ORIGIN=f"http://{alpha.host}").status_code == 201
    for field, value in (("email", "Æåª"), ("language", "english"), ("wa_user_id", "-x"), ("tags", ["a,b"])):
        response = client.post("/api/contacts/", {"phone": "+16505550102", field: value}, format="json",
                               HTTP_ORIGIN=f"http://{alpha.host}")
        assert response.status_code == 400, (field, response.content)
        assert field in response.json()["errors"]


def test_a_bulk_action_on_an_empty_list_of_ids_matches_nothing_and_is_no_error(alpha):
    from django_tenants.utils import tenant_context

    from apps.contacts.models import Contact

    with tenant_context(alpha.tenant):
        Contact.objects.create(phone="+4915112345678", tags=["vip"])
    client = alpha.client(alpha.owner)
    for action, extra in (("delete", {}), ("tag", {"tags": ["new"]}), ("untag", {"tags": ["vip"]})):
        response = client.post("/api/contacts/bulk/", {"action": action, "ids": [], **extra}, format="json",
                               HTTP_ORIGIN=f"http://{alpha.host}")
        assert response.status_code == 200, response.content
        assert response.json() == {"action": action, "matched": 0, "affected": 0}
    with tenant_context(alpha.tenant):
        assert list(Contact.objects.values_list("tags", flat=True)) == [["vip"]]


def test_the_cross_field_rules_of_contacts_bulk_and_attributes_are_in_the_schema():
    """Stated in the request components (not only in descriptions): phone or WhatsApp id on create, ids or
    filter (not both) and tags for tag/untag in bulk, choices only for the choice type, typed filters."""
    from apps.core.tests.test_api_contract_fuzz import _schema_dict

    schema = _schema_dict()
    create = _component(schema, "/api/contacts/", "post")
    assert [sorted(b["required"]) for b in create["allOf"][0]["anyOf"]] == [["phone"], ["wa_user_id"]]
    assert "allOf" not in _component(schema, "/api/contacts/{contact_id}/", "patch")  # a PATCH keeps the stored id
    bulk = _component(schema, "/api/contacts/bulk/", "post")
    ids_or_filter, tags_for_tagging = bulk["allOf"]
    assert [b["required"] for b in ids_or_filter["oneOf"]] == [["ids"], ["filter"]]
    assert tags_for_tagging["oneOf"][1]["properties"]["tags"]["minItems"] == 1
    attribute = _component(schema, "/api/contacts/attributes/", "post")
    choice, other = attribute["oneOf"]
    assert choice["properties"]["type"]["enum"] == ["choice"] and choice["properties"]["choices"]["minItems"] == 1
    assert "choice" not in other["properties"]["type"]["enum"] and other["properties"]["choices"]["maxItems"] == 0
    assert "phone" in attribute["properties"]["key"]["not"]["enum"]
    document = {"$ref": "#/components/schemas/FilterDocument"}
    for path in ("/api/contacts/segments/", "/api/contacts/segments/preview/", "/api/contacts/bulk/"):
        assert _component(schema, path, "post")["properties"]["filter"]["allOf"] == [document], path


def test_the_inbox_time_zone_is_one_of_the_listed_names_and_others_are_a_400(alpha):
    from apps.core.tests.test_api_contract_fuzz import _schema_dict

    zones = _component(_schema_dict(), "/api/inbox/settings/", "patch")["properties"]["timezone"]["enum"]
    assert {"UTC", "Asia/Kolkata", "America/Argentina/Buenos_Aires"} <= set(zones)
    client = alpha.client(alpha.owner)
    for zone in ("Asia/Kolkata", "GB", "Mars/Olympus", "posixrules", "Factory"):
        response = client.patch("/api/inbox/settings/", {"timezone": zone}, format="json",
                                HTTP_ORIGIN=f"http://{alpha.host}")
        assert response.status_code == (200 if zone in zones else 400), (zone, response.content)


def test_each_views_input_serializer_is_its_own_request_component():
    """Views each have an `InputSerializer`; named by class alone they were one component, so all calls' bodies but
    one were documented wrongly (a permission request required an SDP). Each is now named after its view."""
    from apps.core.tests.test_api_contract_fuzz import _schema_dict

    schema = _schema_dict()
    place = _component(schema, "/api/calls/", "post")
    answer = _component(schema, "/api/calls/{call_id}/answer/", "post")
    ask = _component(schema, "/api/calls/permission/", "post")
    assert sorted(place["required"]) == ["contact_id", "sdp"] and answer["required"] == ["sdp"]
    assert ask["required"] == ["contact_id"] and "sdp" not in ask["properties"]
    assert "InputRequest" not in schema["components"]["schemas"]
