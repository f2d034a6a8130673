"""POST /api/templates/{id}/preview/ and POST /api/templates/preview/ (drafts, as the builder types)."""
from django_tenants.utils import schema_context

from apps.contacts.models import Contact
from apps.templates.models import Template
from sandbox.demo_templates import demo_templates


def _saved(business, name: str) -> Template:
    (definition,) = [d for d in demo_templates() if d["name"] == name]
    with schema_context(business.tenant.schema_name):
        return Template.objects.create(meta_template_id=f"t-{name}", waba_id="220000000000001", status="APPROVED",
                                       name=name, language=definition["language"], category=definition["category"],
                                       components=definition["components"],
                                       parameter_format=definition["parameter_format"])


def _preview(business, template_id, body: dict, user=None):
    return business.client(user or business.owner).post(f"/api/templates/{template_id}/preview/", body, format="json")


def test_positional_parameters_answer_the_rendered_message_and_meta_s_template_object(alpha):
    template = _saved(alpha, "appointment_reminder")

    response = _preview(alpha, template.pk, {"parameters": {"body": ["Ann", "June 1 at 9:00"]}})

    assert response.status_code == 200, response.content
    answer = response.json()
    assert answer["problems"] == []
    assert answer["rendered"]["body"] == "Hi Ann, this is a reminder of your appointment on June 1 at 9:00. Can you " \
                                         "make it?"
    assert answer["rendered"]["footer"] == "Reply with a button below"
    assert [b["text"] for b in answer["rendered"]["buttons"]] == ["Yes, see you", "Reschedule"]
    assert answer["payload"] == {"name": "appointment_reminder", "language": {"code": "en_US"}, "components": [
        {"type": "body", "parameters": [{"type": "text", "text": "Ann"}, {"type": "text", "text": "June 1 at 9:00"}]}]}


def test_named_parameters_and_what_is_missing(alpha):
    template = _saved(alpha, "order_shipped")

    answer = _preview(alpha, template.pk, {"parameters": {"body": {"first_name": "Ann"}}}).json()

    assert answer["payload"] is None
    assert answer["problems"] == [
        {"field": "parameters.body.order_number", "message": "{{order_number}} needs a value."},
        {"field": "parameters.buttons[0]", "message": "The link's ending is required."}]
    assert answer["rendered"]["body"] == "Hi Ann, your order {{order_number}} has shipped and is on its way."


def test_a_media_header_and_a_carousel_preview(alpha):
    confirmation = _saved(alpha, "order_confirmation")
    answer = _preview(alpha, confirmation.pk, {"parameters": {
        "header": [{"link": "https://example.com/r.pdf", "filename": "receipt.pdf"}], "body": ["Ann", "42"]}}).json()
    assert answer["problems"] == []
    assert answer["rendered"]["header"]["type"] == "document"
    assert answer["rendered"]["header"]["filename"] == "receipt.pdf"

    carousel = _saved(alpha, "carousel_template_media_cards_v1")
    answer = _preview(alpha, carousel.pk, {"parameters": {"body": ["Ann", "20%", "C20"], "cards": [
        {"header": ["https://example.com/0.jpg"], "buttons": [{"index": 1, "value": "elf"}]},
        {"header": ["https://example.com/1.jpg"], "buttons": [{"index": 1, "value": "temple"}]}]}}).json()
    assert answer["problems"] == []
    assert [card["buttons"][1]["url"] for card in answer["rendered"]["cards"]] == [
        "https://www.luckyshrub.com/rare-succulents/elf", "https://www.luckyshrub.com/rare-succulents/temple"]


def test_another_business_s_contact_and_template_are_404(alpha, beta):
    template = _saved(alpha, "appointment_reminder")
    with schema_context(beta.tenant.schema_name):
        theirs = Contact.objects.create(phone="+16505550199", name="Bo")
    with schema_context(alpha.tenant.schema_name):
        assert not Contact.objects.filter(pk=theirs.pk).exists()

    theirs_answer = _preview(alpha, template.pk, {"contact_id": theirs.pk})
    assert theirs_answer.status_code == 404 and theirs_answer.json()["code"] == "not_found"
    assert _preview(alpha, template.pk, {"contact_id": 999999}).json() == theirs_answer.json()
    assert _preview(beta, template.pk, {"parameters": {}}).status_code == 404
    both = _preview(alpha, template.pk, {"parameters": {}, "contact_id": 1})
    assert both.status_code == 400


def test_a_draft_is_previewed_from_its_examples_with_the_validation_s_problems(alpha):
    draft = {"name": "spring_promo", "language": "en_US", "category": "MARKETING", "components": [
        {"type": "HEADER", "format": "IMAGE", "example": {"header_handle": ["4::aW1hZ2U=:sample"]}},
        {"type": "BODY", "text": "Hi {{1}}, enjoy {{2}} off today!", "example": {"body_text": [["Ann", "20%"]]}},
        {"type": "BUTTONS", "buttons": [{"type": "URL", "text": "Shop", "url": "https://shop.example.com/{{1}}",
                                         "example": ["https://shop.example.com/spring"]}]}]}

    answer = alpha.client(alpha.owner).post("/api/templates/preview/", draft, format="json").json()

    assert answer["rendered"]["body"] == "Hi Ann, enjoy 20% off today!"
    assert answer["rendered"]["header"]["handle"] == "4::aW1hZ2U=:sample"
    assert answer["rendered"]["buttons"][0]["url"] == "https://shop.example.com/spring"
    assert "payload" not in answer
    fields = [p["field"] for p in answer["problems"]]
    assert not any(f.startswith("parameters") for f in fields)  # examples stand in for the values

    typed = {**draft, "parameters": {"body": ["Bo"]}}
    answer = alpha.client(alpha.owner).post("/api/templates/preview/", typed, format="json").json()
    assert answer["rendered"]["body"] == "Hi Bo, enjoy {{2}} off today!"
    assert {"field": "parameters.body[1]", "message": "{{2}} needs a value."} in answer["problems"]


def test_a_half_typed_draft_answers_its_problems_not_an_error(alpha):
    client = alpha.client(alpha.owner)
    for body in ({}, {"components": [{"type": "BODY", "text": "Hi {{1}}"}]}, {"components": [{"type": "nope"}]},
                 {"category": "AUTHENTICATION", "components": [{"type": "BODY", "add_security_recommendation": True}]}):
        response = client.post("/api/templates/preview/", body, format="json")
        assert response.status_code == 200, (body, response.content)
        assert response.json()["problems"], body
    auth = client.post("/api/templates/preview/", {"category": "AUTHENTICATION", "components": [
        {"type": "BODY", "add_security_recommendation": True}]}, format="json").json()
    assert auth["rendered"]["body"].startswith("*123456* is your verification code.")
