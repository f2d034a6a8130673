"""The saved mapping (PUT /api/templates/{id}/mapping/): checked against the template and the business's attributes,
resolved against a contact with fallbacks; a value the contact lacks and no fallback covers is a problem."""
import pytest
from django_tenants.utils import schema_context

from apps.contacts.models import AttributeDefinition, Contact
from apps.templates.mapping import mapping_parameters
from apps.templates.models import Template
from tenants.models import Role

POSITIONAL = [
    {"type": "HEADER", "format": "IMAGE", "example": {"header_handle": ["4::aW..."]}},
    {"type": "BODY", "text": "Hi {{1}} {{2}}, your {{3}} plan renews soon.",
     "example": {"body_text": [["Ann", "Lee", "Gold"]]}},
    {"type": "BUTTONS", "buttons": [{"type": "URL", "text": "Renew", "url": "https://shop.example.com/r/{{1}}",
                                     "example": ["abc"]}]}]
NAMED = [{"type": "BODY", "text": "Dear {{first_name}}, your code is {{code}} today.",
          "example": {"body_text_named_params": [{"param_name": "first_name", "example": "Ann"},
                                                 {"param_name": "code", "example": "X1"}]}}]


def _template(business, components, *, named=False, name="renewal", mapping=None) -> Template:
    with schema_context(business.tenant.schema_name):
        return Template.objects.create(
            meta_template_id=f"{name}-{business.tenant.slug}", waba_id="220000000000001", name=name,
            language="en_US", category="UTILITY", status="APPROVED", components=components,
            parameter_format="NAMED" if named else "POSITIONAL", mapping=mapping or {})


def _contact(business, **fields) -> Contact:
    with schema_context(business.tenant.schema_name):
        AttributeDefinition.objects.get_or_create(key="plan", defaults={"label": "Plan", "type": "text"})
        return Contact.objects.create(**fields)


MAPPING = {
    "header": [{"value": "https://cdn.example.com/banner.jpg"}],
    "body": [{"field": "first_name"}, {"field": "last_name", "fallback": "friend"},
             {"field": "attributes.plan", "fallback": "current"}],
    "buttons": {"0": [{"field": "attributes.plan"}]},
}


def test_a_manager_saves_a_mapping_and_it_fills_the_variables_from_a_contact(alpha):
    template = _template(alpha, POSITIONAL)
    ann = _contact(alpha, phone="+16505550101", name="Ann Marie Lee", attributes={"plan": "Gold"})

    response = alpha.client(alpha.owner).put(f"/api/templates/{template.pk}/mapping/", MAPPING, format="json")

    assert response.status_code == 200, response.content
    assert response.json()["mapping"]["body"][1] == {"field": "last_name", "value": "", "fallback": "friend"}
    preview = alpha.client(alpha.owner).post(f"/api/templates/{template.pk}/preview/", {"contact_id": ann.pk},
                                             format="json").json()
    assert preview["problems"] == []
    assert preview["rendered"]["body"] == "Hi Ann Marie Lee, your Gold plan renews soon."
    assert preview["rendered"]["header"]["link"] == "https://cdn.example.com/banner.jpg"
    assert preview["rendered"]["buttons"][0]["url"] == "https://shop.example.com/r/Gold"
    assert preview["payload"]["components"][0] == {"type": "header", "parameters": [
        {"type": "image", "image": {"link": "https://cdn.example.com/banner.jpg"}}]}


def test_changing_the_mapping_is_in_the_history_with_who_changed_it_and_saving_it_again_adds_nothing(alpha):
    template = _template(alpha, POSITIONAL)
    _contact(alpha, phone="+16505550102", name="Bo")  # defines the `plan` attribute the mapping reads
    client = alpha.client(alpha.owner)

    assert client.put(f"/api/templates/{template.pk}/mapping/", MAPPING, format="json").status_code == 200
    client.put(f"/api/templates/{template.pk}/mapping/", MAPPING, format="json")

    events = [e for e in client.get(f"/api/templates/{template.pk}/").json()["events"] if e["kind"] == "mapped"]
    assert len(events) == 1
    assert events[0]["actor_email"] == alpha.owner.email and events[0]["source"] == "member"


def test_fallbacks_fill_empty_fields_and_a_field_without_one_is_a_problem_not_a_blank(alpha):
    template = _template(alpha, POSITIONAL, mapping={
        "header": [{"field": "", "value": "https://cdn.example.com/b.jpg", "fallback": ""}],
        "body": [{"field": "first_name", "value": "", "fallback": ""},
                 {"field": "last_name", "value": "", "fallback": "friend"},
                 {"field": "attributes.plan", "value": "", "fallback": "current"}],
        "buttons": {"0": [{"field": "attributes.plan", "value": "", "fallback": ""}]}})
    nameless = _contact(alpha, phone="+16505550102", name="")

    with schema_context(alpha.tenant.schema_name):
        params, problems = mapping_parameters(template, nameless)
    assert params["body"] == [None, "friend", "current"]
    assert problems == [
        {"field": "parameters.body[0]", "message": "{{1}}: this contact has no first_name and the mapping has no "
                                                   "fallback."},
        {"field": "parameters.buttons[0]", "message": "The button's parameter: this contact has no attributes.plan "
                                                      "and the mapping has no fallback."}]
    preview = alpha.client(alpha.owner).post(f"/api/templates/{template.pk}/preview/",
                                             {"contact_id": nameless.pk}, format="json").json()
    assert preview["payload"] is None
    assert [p["field"] for p in preview["problems"]] == ["parameters.body[0]", "parameters.buttons[0]"]
    assert preview["rendered"]["body"] == "Hi {{1}} friend, your current plan renews soon."


def test_named_templates_map_by_name_and_fields_read_email_phone_and_typed_attributes(alpha):
    template = _template(alpha, NAMED, named=True, name="named_code", mapping={
        "body": {"first_name": {"field": "email"}, "code": {"field": "attributes.vip"}}})
    with schema_context(alpha.tenant.schema_name):
        AttributeDefinition.objects.create(key="vip", label="VIP", type="boolean")
    contact = _contact(alpha, phone="+16505550103", email="ann@example.com", attributes={"vip": True})

    with schema_context(alpha.tenant.schema_name):
        params, problems = mapping_parameters(template, contact)
    assert (params["body"], problems) == ({"first_name": "ann@example.com", "code": "Yes"}, [])


def test_a_mapping_that_does_not_fit_the_template_is_refused_naming_the_field(alpha):
    template = _template(alpha, POSITIONAL)
    client = alpha.client(alpha.owner)

    response = client.put(f"/api/templates/{template.pk}/mapping/", {
        "body": [{"field": "attributes.unknown"}, {"field": ""}, {"value": "x"}, {"value": "too many"}],
        "buttons": {"3": [{"value": "x"}]}}, format="json")

    assert response.status_code == 400, response.content
    errors = response.json()["errors"]
    assert errors["body[0].field"] == ["No contact attribute with this key."]
    assert errors["body[1]"] == ["Give a contact field or a fixed value."]
    assert "body" in errors and "buttons.3" in errors
    assert client.put(f"/api/templates/{template.pk}/mapping/", {"body": [{"field": "shoe_size"}]},
                      format="json").status_code == 400
    with schema_context(alpha.tenant.schema_name):
        assert Template.objects.get(pk=template.pk).mapping == {}


def test_agents_preview_but_only_managers_map_and_another_business_sees_neither(alpha, beta):
    template = _template(alpha, POSITIONAL)
    agent = alpha.add_member("agent@alpha.example", Role.AGENT)
    agent_client = alpha.client(agent)

    assert agent_client.put(f"/api/templates/{template.pk}/mapping/", MAPPING, format="json").status_code == 403
    assert agent_client.post(f"/api/templates/{template.pk}/preview/", {"parameters": {}},
                             format="json").status_code == 200
    beta_client = beta.client(beta.owner)
    assert beta_client.put(f"/api/templates/{template.pk}/mapping/", MAPPING, format="json").status_code == 404
    assert beta_client.post(f"/api/templates/{template.pk}/preview/", {}, format="json").status_code == 404
    with schema_context(alpha.tenant.schema_name):
        assert Template.objects.get(pk=template.pk).mapping == {}


@pytest.mark.parametrize("body", [{"cards": {"0": {"body": [{"value": "x"}]}}}, {"header": "no"}, []])
def test_malformed_mappings_are_400_never_500(alpha, body):
    template = _template(alpha, POSITIONAL)
    response = alpha.client(alpha.owner).put(f"/api/templates/{template.pk}/mapping/", body, format="json")
    assert response.status_code == 400, response.content
