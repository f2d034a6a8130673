"""One renderer for preview and send (apps.templates.rendering): the payload built for the preview's parameters is
what the sandbox's send-time check (Meta's rules) accepts, and the text the sandbox renders is the preview's."""
import copy
import json
from pathlib import Path

import pytest

from apps.core.errors import ApplicationError
from apps.templates.rendering import example_parameters, preview, render, send_payload, template_variables
from apps.whatsapp.builders import check_template
from apps.whatsapp.builders.definitions import check_against_definition
from sandbox.demo_templates import demo_templates
from sandbox.state import Template as SandboxTemplate
from sandbox.templates import Renderer, normalize_definition

CONFORMANCE = Path(__file__).resolve().parents[4] / "conformance" / "meta-templates"
MEDIA = {"image": {"link": "https://example.com/banner.jpg"}, "video": {"link": "https://example.com/tour.mp4"},
         "document": {"link": "https://example.com/receipt.pdf", "filename": "receipt.pdf"},
         "location": {"latitude": 37.44, "longitude": -122.16, "name": "Philz", "address": "101 Forest Ave"},
         "product": {"product_retailer_id": "SKU-1", "catalog_id": "CATALOG-1"}}
MPM_ACTION = {"thumbnail_product_retailer_id": "SKU-1",
              "sections": [{"title": "Items", "product_items": [{"product_retailer_id": "SKU-1"}]}]}


def _conformance() -> list[dict]:
    definitions = []
    for path in sorted(CONFORMANCE.glob("*.json")):
        definitions.extend(json.loads(path.read_text()).values())
    return definitions


# As created (Meta's creation body) and as Meta lists it back (normalised by the sandbox: OTP buttons become URL
# buttons, authentication texts filled in); the demo's templates are listed ones.
CASES = [(d["name"], "created", d) for d in _conformance()] + \
        [(d["name"], "listed", normalize_definition(copy.deepcopy(d))) for d in _conformance()] + \
        [(d["name"], "demo", d) for d in demo_templates()]


def _parameters_for(definition: dict) -> dict:
    """What a person would type: the examples, plus the media, location, products and offer a send needs."""
    params = example_parameters(definition)
    variables = template_variables(definition["components"], definition.get("parameter_format", ""),
                                   definition.get("category", ""))
    if variables["header"] and variables["header"][0] in MEDIA:
        params["header"] = [MEDIA[variables["header"][0]]]
    for k, card in enumerate(variables["cards"]):
        if card["header"] and card["header"][0] in MEDIA:
            params["cards"][k]["header"] = [MEDIA[card["header"][0]]]
    for button in variables["buttons"]:
        if button["names"] == ["action"]:
            params.setdefault("buttons", []).append({"index": button["index"], "value": MPM_ACTION})
    if variables["limited_time_offer"]:
        params["limited_time_offer"] = {"expiration_time_ms": 1767225600000}
    return params


def _sandbox_render(definition: dict, components: list | None, *, listed: bool) -> dict:
    if not listed:  # the sandbox keeps what Meta lists back
        definition = normalize_definition(copy.deepcopy(definition))
    template = SandboxTemplate(id="1", waba_id="1", status="APPROVED", name=definition["name"],
                               language=definition["language"], category=definition["category"],
                               components=definition["components"],
                               parameter_format=definition.get("parameter_format") or "POSITIONAL")
    return Renderer(template, lambda media_id: None).render(copy.deepcopy(components))


@pytest.mark.parametrize(("name", "form", "definition"), CASES, ids=[f"{n}-{f}" for n, f, _ in CASES])
def test_the_payload_of_every_conformance_and_demo_template_passes_the_send_check_and_renders_the_same(
        name, form, definition):
    rendered, payload = preview(definition, _parameters_for(definition))

    assert rendered.problems == []
    assert payload["name"] == name and payload["language"] == {"code": definition["language"]}
    check_template(copy.deepcopy(payload))  # our builders: Meta's shapes and limits
    check_against_definition(copy.deepcopy(payload), definition)
    # The sandbox's send-time check raises GraphError where Meta would refuse the send.
    sandbox = _sandbox_render(definition, payload.get("components"), listed=form != "created")
    assert sandbox["body"] == rendered.body
    if sandbox["header"] and sandbox["header"]["type"] == "text":
        assert sandbox["header"]["text"] == rendered.header["text"]
    assert [card.get("body", "") for card in sandbox.get("cards", [])] == [card["body"] for card in rendered.cards]
    sandbox_codes = [b.get("code") for b in sandbox["buttons"] if b.get("code")]
    assert sandbox_codes == [b["code"] for b in rendered.buttons if b["code"]]


POSITIONAL = {"name": "seasonal_promotion", "language": "en_US", "category": "MARKETING", "components": [
    {"type": "HEADER", "format": "TEXT", "text": "Our {{1}} is on!", "example": {"header_text": ["Summer Sale"]}},
    {"type": "BODY", "text": "Shop through {{1}} with code {{2}} for {{3}} off.",
     "example": {"body_text": [["the end of August", "25OFF", "25%"]]}},
    {"type": "FOOTER", "text": "Tap below to manage subscriptions"},
    {"type": "BUTTONS", "buttons": [
        {"type": "QUICK_REPLY", "text": "Unsubscribe"},
        {"type": "URL", "text": "Shop Now", "url": "https://shop.example.com/?promo={{1}}", "example": ["summer2025"]},
        {"type": "PHONE_NUMBER", "text": "Call us", "phone_number": "+15550051310"}]}]}

NAMED = {"name": "order_shipped", "language": "en_US", "category": "UTILITY", "parameter_format": "NAMED",
         "components": [
             {"type": "HEADER", "format": "IMAGE", "example": {"header_handle": ["4::aW..."]}},
             {"type": "BODY", "text": "Hi {{first_name}}, your order {{order_number}} has shipped, {{first_name}}.",
              "example": {"body_text_named_params": [{"param_name": "first_name", "example": "Pablo"},
                                                     {"param_name": "order_number", "example": "SKBUP2"}]}},
             {"type": "BUTTONS", "buttons": [{"type": "COPY_CODE", "example": "250FF"}]}]}


def test_positional_parameters_fill_header_body_and_the_url_button():
    rendered, payload = preview(POSITIONAL, {"header": ["Winter Sale"], "body": ["Friday", "W10", "10%"],
                                             "buttons": [{"index": 1, "value": "winter"}]})

    assert rendered.problems == []
    assert rendered.header["text"] == "Our Winter Sale is on!"
    assert rendered.body == "Shop through Friday with code W10 for 10% off."
    assert rendered.footer == "Tap below to manage subscriptions"
    assert [b["url"] for b in rendered.buttons] == [None, "https://shop.example.com/?promo=winter", None]
    assert rendered.buttons[2]["phone_number"] == "+15550051310"
    assert rendered.buttons[0]["payload"] == "Unsubscribe"
    assert payload["components"] == [
        {"type": "header", "parameters": [{"type": "text", "text": "Winter Sale"}]},
        {"type": "body", "parameters": [{"type": "text", "text": "Friday"}, {"type": "text", "text": "W10"},
                                        {"type": "text", "text": "10%"}]},
        {"type": "button", "sub_type": "url", "index": 1, "parameters": [{"type": "text", "text": "winter"}]}]


def test_named_parameters_carry_their_names_and_a_media_header_takes_a_link_or_an_id():
    params = {"header": [{"id": "1558081531584829"}], "body": {"order_number": "A-1", "first_name": "Jess"},
              "buttons": [{"index": 0, "value": "SAVE10"}]}
    rendered, payload = preview(NAMED, params)

    assert rendered.problems == []
    assert rendered.body == "Hi Jess, your order A-1 has shipped, Jess."
    assert rendered.header == {"type": "image", "text": None, "link": None, "media_id": "1558081531584829",
                               "filename": None, "handle": "4::aW...", "location": None, "product": None}
    assert rendered.buttons[0]["code"] == "SAVE10"
    assert payload["components"][0] == {"type": "header", "parameters": [
        {"type": "image", "image": {"id": "1558081531584829"}}]}
    assert payload["components"][1]["parameters"] == [
        {"type": "text", "text": "Jess", "parameter_name": "first_name"},
        {"type": "text", "text": "A-1", "parameter_name": "order_number"}]
    assert payload["components"][2] == {"type": "button", "sub_type": "copy_code", "index": 0,
                                        "parameters": [{"type": "coupon_code", "coupon_code": "SAVE10"}]}
    # A link works the same (a string is a link); the creation handle is never sent.
    _rendered, by_link = preview(NAMED, {**params, "header": ["https://example.com/a.jpg"]})
    assert by_link["components"][0]["parameters"] == [{"type": "image", "image": {"link": "https://example.com/a.jpg"}}]


def test_missing_and_invalid_parameters_are_problems_named_by_field_and_no_payload_is_built():
    rendered, payload = preview(POSITIONAL, {"header": ["x" * 61], "body": ["Friday", "line\nbreak"]})

    assert payload is None
    assert rendered.problems == [
        {"field": "parameters.header[0]", "message": "{{1}} must be at most 60 characters."},
        {"field": "parameters.body[1]", "message": "{{2}} can't contain new lines, tabs or more than 4 spaces in a "
                                                   "row."},
        {"field": "parameters.body[2]", "message": "{{3}} needs a value."},
        {"field": "parameters.buttons[1]", "message": "The link's ending is required."}]
    assert rendered.body == "Shop through Friday with code {{2}} for {{3}} off."  # unfilled variables stay visible
    with pytest.raises(ApplicationError) as refused:
        send_payload(POSITIONAL, {"body": ["a", "b"]})
    assert refused.value.code == "template_parameters"
    assert refused.value.errors["parameters.body[2]"] == ["{{3}} needs a value."]

    named = render(NAMED, {"body": {"first_name": "Jess", "nickname": "J"}})
    assert {"field": "parameters.body.order_number", "message": "{{order_number}} needs a value."} in named.problems
    assert {"field": "parameters.body.nickname", "message": "There is no variable {{nickname}} here."} \
        in named.problems
    assert {"field": "parameters.header[0]", "message": "The header needs a link or media id for the image."} \
        in named.problems


def test_currency_and_date_time_values_render_their_fallback():
    rendered, payload = preview(POSITIONAL, {
        "header": ["Sale"], "buttons": [{"index": 1, "value": "x"}],
        "body": [{"type": "date_time", "date_time": {"fallback_value": "May 5"}}, "CODE",
                 {"type": "currency", "currency": {"fallback_value": "$5", "code": "USD", "amount_1000": 5000}}]})

    assert rendered.body == "Shop through May 5 with code CODE for $5 off."
    assert payload["components"][1]["parameters"][2] == {
        "type": "currency", "currency": {"fallback_value": "$5", "code": "USD", "amount_1000": 5000}}


def test_a_carousel_renders_each_card_and_sends_card_indexes():
    (carousel,) = [d for d in demo_templates() if d["name"] == "carousel_template_media_cards_v1"]
    params = {"body": ["Ann", "20%", "CODE"], "cards": [
        {"header": ["https://example.com/0.jpg"], "buttons": [{"index": 1, "value": "blue"}]},
        {"header": [{"link": "https://example.com/1.jpg"}], "buttons": [{"index": 1, "value": "buddha"}]}]}
    rendered, payload = preview(carousel, params)

    assert rendered.problems == []
    assert [card["header"]["link"] for card in rendered.cards] == ["https://example.com/0.jpg",
                                                                    "https://example.com/1.jpg"]
    assert rendered.cards[1]["buttons"][1]["url"] == "https://www.luckyshrub.com/rare-succulents/buddha"
    (cards,) = [c for c in payload["components"] if c["type"] == "carousel"]
    assert [card["card_index"] for card in cards["cards"]] == [0, 1]
    assert cards["cards"][0]["components"][0] == {"type": "header", "parameters": [
        {"type": "image", "image": {"link": "https://example.com/0.jpg"}}]}

    missing = render(carousel, {"body": ["Ann", "20%", "CODE"], "cards": [params["cards"][0]]})
    assert {"field": "parameters.cards[1].header[0]", "message": "The header needs a link or media id for the image."} \
        in missing.problems
    assert {"field": "parameters.cards[1].buttons[1]", "message": "The link's ending is required."} in missing.problems


def test_authentication_code_is_given_once_and_goes_in_the_body_and_the_button():
    (auth,) = [d for d in _conformance() if d["name"] == "authentication_code_copy_code_button"]
    rendered, payload = preview(auth, {"body": ["482913"]})

    assert rendered.body == "*482913* is your verification code. For your security, do not share this code."
    assert rendered.footer == "This code expires in 5 minutes."
    assert rendered.buttons == [{"type": "OTP", "text": "Copy Code", "url": None, "phone_number": None,
                                 "code": "482913", "payload": None}]
    assert payload["components"][1] == {"type": "button", "sub_type": "url", "index": 0,
                                        "parameters": [{"type": "text", "text": "482913"}]}
    too_long = render(auth, {"body": ["1234567890123456"]})
    assert {"field": "parameters.buttons[0]", "message": "The one-time code must be at most 15 characters."} \
        in too_long.problems


def test_a_limited_time_offer_needs_its_expiry_and_location_headers_their_coordinates():
    (offer,) = [d for d in demo_templates() if d["name"] == "limited_time_offer_caribbean_pkg_2023"]
    params = {"header": ["https://example.com/a.jpg"], "body": ["Ann", "C25"],
              "buttons": [{"index": 0, "value": "C25"}, {"index": 1, "value": "ref1"}]}
    assert render(offer, params).problems == [
        {"field": "parameters.limited_time_offer.expiration_time_ms",
         "message": "The offer's expiry (Unix milliseconds) is required."}]
    rendered, payload = preview(offer, {**params, "limited_time_offer": {"expiration_time_ms": 1767225600000}})
    assert rendered.limited_time_offer == {"text": "Expiring offer!", "has_expiration": True,
                                           "expiration_time_ms": 1767225600000}
    assert {"type": "limited_time_offer", "parameters": [{"type": "limited_time_offer", "limited_time_offer": {
        "expiration_time_ms": 1767225600000}}]} in payload["components"]

    (delivery,) = [d for d in demo_templates() if d["name"] == "order_delivery_update"]
    bad = render(delivery, {"header": [{"latitude": 200, "longitude": 0}], "body": ["Mark", "1"]})
    assert [p["field"] for p in bad.problems] == ["parameters.header[0].latitude"]
    good, payload = preview(delivery, {"header": [MEDIA["location"]], "body": ["Mark", "1"]})
    assert good.header["location"]["name"] == "Philz"
    assert payload["components"][0]["parameters"][0]["type"] == "location"


def test_variables_list_what_a_send_fills():
    assert template_variables(POSITIONAL["components"], "POSITIONAL") == {
        "header": ["1"], "body": ["1", "2", "3"], "buttons": [{"index": 1, "names": ["1"]}], "cards": [],
        "limited_time_offer": []}
    assert template_variables(NAMED["components"], "named") == {
        "header": ["image"], "body": ["first_name", "order_number"],
        "buttons": [{"index": 0, "names": ["coupon_code"]}], "cards": [], "limited_time_offer": []}
    (carousel,) = [d for d in demo_templates() if d["name"] == "carousel_template_media_cards_v1"]
    variables = template_variables(carousel["components"], carousel["parameter_format"])
    assert variables["cards"] == [{"header": ["image"], "body": [], "buttons": [{"index": 1, "names": ["1"]}]}] * 2
    # A draft being typed never breaks the renderer.
    for junk in ([None, 1, "x", {"type": "BODY", "text": 5}, {"type": "CAROUSEL", "cards": "no"}], "nope", None):
        assert template_variables(junk, "") == {"header": [], "body": [], "buttons": [], "cards": [],
                                                "limited_time_offer": []}
        render({"components": junk, "parameter_format": 7}, {"body": [object()]})


def test_examples_fill_a_draft_without_reporting_what_only_a_send_needs():
    rendered = render(NAMED, example_parameters(NAMED), report_missing=False)

    assert rendered.body == "Hi Pablo, your order SKBUP2 has shipped, Pablo."
    assert rendered.header["handle"] == "4::aW..." and rendered.header["link"] is None
    assert rendered.problems == []
