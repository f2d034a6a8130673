"""The builders against the offline reference's JSON shapes (exact equality) and against each of Meta's
limits (the limit passes, one over raises BuilderError naming the field), plus the conformance template
definitions sent as template messages."""
import copy
import json
from pathlib import Path

import pytest

from apps.whatsapp import builders as wb
from apps.whatsapp.builders import template as tp
from apps.whatsapp.errors import BuilderError

# The workspace's shared conformance data (../shared next to the repo), or wherever the env var says.
CONFORMANCE = Path(__file__).resolve().parents[4] / "conformance" / "meta-templates"  # in the repo
TO = "+16505551234"


def fails_at(field, fn, *args, **kwargs) -> BuilderError:
    with pytest.raises(BuilderError) as info:
        fn(*args, **kwargs)
    assert info.value.field == field, str(info.value)
    return info.value


def roundtrip(message: dict) -> dict:
    """The API path must accept exactly what the builders produce, unchanged."""
    assert wb.normalize_message(copy.deepcopy(message)) == message
    return message


# --- reference shapes (§2, §3) ------------------------------------------------------------------

def test_text_envelope_matches_reference():
    body = wb.envelope(TO, wb.text("Hi! Order https://example.com/o/1 shipped", preview_url=True))
    assert body == {"messaging_product": "whatsapp", "recipient_type": "individual", "to": "+16505551234",
                    "type": "text",
                    "text": {"body": "Hi! Order https://example.com/o/1 shipped", "preview_url": True}}
    assert wb.text("plain") == {"type": "text", "text": {"body": "plain"}}


@pytest.mark.parametrize("built, expected", [
    (lambda: wb.image(media_id="1479537139650973", caption="≤1024 chars"),
     {"type": "image", "image": {"id": "1479537139650973", "caption": "≤1024 chars"}}),
    (lambda: wb.video(link="https://cdn.example.com/a.mp4", caption="…"),
     {"type": "video", "video": {"link": "https://cdn.example.com/a.mp4", "caption": "…"}}),
    (lambda: wb.audio(media_id="1013859600285441", voice=True),
     {"type": "audio", "audio": {"id": "1013859600285441", "voice": True}}),
    (lambda: wb.document(media_id="1376223850470843", filename="invoice.pdf", caption="…"),
     {"type": "document", "document": {"id": "1376223850470843", "filename": "invoice.pdf", "caption": "…"}}),
    (lambda: wb.sticker(media_id="798882015472548"), {"type": "sticker", "sticker": {"id": "798882015472548"}}),
    (lambda: wb.location("37.4421", "-122.1615", name="Philz Coffee", address="101 Forest Ave, Palo Alto"),
     {"type": "location", "location": {"latitude": "37.4421", "longitude": "-122.1615", "name": "Philz Coffee",
                                       "address": "101 Forest Ave, Palo Alto"}}),
    (lambda: wb.reaction("wamid.abc", "\U0001F600"),
     {"type": "reaction", "reaction": {"message_id": "wamid.abc", "emoji": "\U0001F600"}}),
    (lambda: wb.reaction("wamid.abc", ""), {"type": "reaction", "reaction": {"message_id": "wamid.abc", "emoji": ""}}),
], ids=["image", "video", "audio-voice", "document", "sticker", "location", "reaction", "reaction-remove"])
def test_simple_messages_match_reference(built, expected):
    assert roundtrip(built()) == expected


REFERENCE_CONTACT = {
    "name": {"formatted_name": "Barbara J. Johnson", "first_name": "Barbara", "last_name": "Johnson",
             "middle_name": "J", "prefix": "Dr.", "suffix": "Esq."},
    "phones": [{"phone": "+19175559999", "type": "Mobile", "wa_id": "19175559999"}],
    "emails": [{"email": "b@example.com", "type": "Work"}],
    "addresses": [{"street": "1 Way", "city": "Menlo Park", "state": "CA", "zip": "94025",
                   "country": "United States", "country_code": "US", "type": "Office"}],
    "org": {"company": "Lucky Shrub", "department": "Legal", "title": "Counsel"},
    "urls": [{"url": "https://example.com", "type": "Company"}],
    "birthday": "1999-01-23",
}


def test_contacts_match_reference():
    assert roundtrip(wb.contacts([REFERENCE_CONTACT])) == {"type": "contacts", "contacts": [REFERENCE_CONTACT]}
    assert wb.contacts([{"name": {"formatted_name": "Only Name"}}])["contacts"] == [
        {"name": {"formatted_name": "Only Name"}}]


def test_reply_context_matches_reference():
    message = roundtrip(wb.reply_to(wb.text("yes"), "wamid.quoted"))
    assert message == {"type": "text", "text": {"body": "yes"}, "context": {"message_id": "wamid.quoted"}}
    fails_at("context", wb.reply_to, wb.reaction("wamid.x", "\U0001F44D"), "wamid.quoted")
    fails_at("context", wb.normalize_message,
             {"type": "reaction", "reaction": {"message_id": "w", "emoji": ""}, "context": {"message_id": "w"}})


def test_reply_buttons_match_reference():
    built = wb.reply_buttons(
        "Your workshop is tomorrow 9am.", [("change-button", "Change"), {"id": "cancel-button", "title": "Cancel"}],
        header=wb.header_media("image", media_id="2762702990552401"), footer="Lucky Shrub")
    assert roundtrip(built) == {"type": "interactive", "interactive": {
        "type": "button",
        "header": {"type": "image", "image": {"id": "2762702990552401"}},
        "body": {"text": "Your workshop is tomorrow 9am."},
        "footer": {"text": "Lucky Shrub"},
        "action": {"buttons": [
            {"type": "reply", "reply": {"id": "change-button", "title": "Change"}},
            {"type": "reply", "reply": {"id": "cancel-button", "title": "Cancel"}}]}}}


REFERENCE_LIST = {
    "type": "list",
    "header": {"type": "text", "text": "Choose Shipping Option"},
    "body": {"text": "Which shipping option do you prefer?"},
    "footer": {"text": "Lucky Shrub"},
    "action": {
        "button": "Shipping Options",
        "sections": [
            {"title": "I want it ASAP!", "rows": [
                {"id": "priority_express", "title": "Priority Mail Express", "description": "Next Day to 2 Days"}]}]}}


def test_list_matches_reference():
    built = wb.list_message("Which shipping option do you prefer?", "Shipping Options",
                            REFERENCE_LIST["action"]["sections"], header="Choose Shipping Option", footer="Lucky Shrub")
    assert roundtrip(built) == {"type": "interactive", "interactive": REFERENCE_LIST}


def test_cta_url_and_location_request_match_reference():
    assert roundtrip(wb.cta_url("Tap below to see available dates.", "See Dates", "https://example.com?id=123",
                                header="New dates!", footer="Dates subject to change.")) == {
        "type": "interactive", "interactive": {
            "type": "cta_url",
            "header": {"type": "text", "text": "New dates!"},
            "body": {"text": "Tap below to see available dates."},
            "footer": {"text": "Dates subject to change."},
            "action": {"name": "cta_url",
                       "parameters": {"display_text": "See Dates", "url": "https://example.com?id=123"}}}}
    assert roundtrip(wb.location_request("Share your pickup location")) == {
        "type": "interactive", "interactive": {"type": "location_request_message",
                                               "body": {"text": "Share your pickup location"},
                                               "action": {"name": "send_location"}}}


def test_flow_matches_reference():
    built = wb.flow("Book an appointment", "Book!", flow_id="1234567890", flow_token="opaque-token-you-generate",
                    mode="published", flow_action="navigate", screen="FIRST_SCREEN", data={"key": "value"},
                    header="Book", footer="…")
    assert roundtrip(built) == {"type": "interactive", "interactive": {
        "type": "flow",
        "header": {"type": "text", "text": "Book"}, "body": {"text": "Book an appointment"}, "footer": {"text": "…"},
        "action": {"name": "flow", "parameters": {
            "flow_message_version": "3",
            "flow_id": "1234567890",
            "flow_cta": "Book!",
            "flow_token": "opaque-token-you-generate",
            "mode": "published",
            "flow_action": "navigate",
            "flow_action_payload": {"screen": "FIRST_SCREEN", "data": {"key": "value"}}}}}}


def _card(n: int, kind: str = "image") -> dict:
    return wb.carousel_card(display_text="Shop now", url=f"https://shop.example.com/{n}", body=f"Exclusive deal #{n}",
                            **{f"{kind}_link": f"https://example.com/{n}.png"})


def test_media_carousel_matches_reference():
    built = wb.carousel("Check out our latest offers!", [_card(1), _card(2)])
    assert roundtrip(built) == {"type": "interactive", "interactive": {
        "type": "carousel",
        "body": {"text": "Check out our latest offers!"},
        "action": {"cards": [
            {"card_index": 0, "type": "cta_url",
             "header": {"type": "image", "image": {"link": "https://example.com/1.png"}},
             "body": {"text": "Exclusive deal #1"},
             "action": {"name": "cta_url",
                        "parameters": {"display_text": "Shop now", "url": "https://shop.example.com/1"}}},
            {"card_index": 1, "type": "cta_url",
             "header": {"type": "image", "image": {"link": "https://example.com/2.png"}},
             "body": {"text": "Exclusive deal #2"},
             "action": {"name": "cta_url",
                        "parameters": {"display_text": "Shop now", "url": "https://shop.example.com/2"}}}]}}}


def test_template_positional_and_named_body_match_reference():
    positional = wb.template_message("order_confirmation", "en_US", [tp.body("Jessica", "SKBUP2-4CPIG9")])
    assert roundtrip(positional) == {"type": "template", "template": {
        "name": "order_confirmation", "language": {"code": "en_US"},
        "components": [{"type": "body", "parameters": [{"type": "text", "text": "Jessica"},
                                                       {"type": "text", "text": "SKBUP2-4CPIG9"}]}]}}
    named = wb.template_message("order_confirmation", "en_US",
                                [tp.body(first_name="Jessica", order_number="SKBUP2-4CPIG9")])
    assert named["template"]["components"] == [{"type": "body", "parameters": [
        {"type": "text", "parameter_name": "first_name", "text": "Jessica"},
        {"type": "text", "parameter_name": "order_number", "text": "SKBUP2-4CPIG9"}]}]
    other = tp.body({"type": "currency", "currency": {"fallback_value": "$19.99", "code": "USD", "amount_1000": 19990}},
                    {"type": "date_time", "date_time": {"fallback_value": "August 5, 2025"}})
    roundtrip(wb.template_message("bill", "en", [other]))
    assert wb.template_message("hello_world", "en_US") == {
        "type": "template", "template": {"name": "hello_world", "language": {"code": "en_US"}}}


@pytest.mark.parametrize("component, expected", [
    (tp.header_text("Pablo"), {"type": "header", "parameters": [{"type": "text", "text": "Pablo"}]}),
    (tp.header_media("image", media_id="1558081531584829"),
     {"type": "header", "parameters": [{"type": "image", "image": {"id": "1558081531584829"}}]}),
    (tp.header_media("video", link="https://x.example/v.mp4"),
     {"type": "header", "parameters": [{"type": "video", "video": {"link": "https://x.example/v.mp4"}}]}),
    (tp.header_media("document", media_id="55", filename="receipt.pdf"),
     {"type": "header", "parameters": [{"type": "document", "document": {"id": "55", "filename": "receipt.pdf"}}]}),
    (tp.header_location("37.44", "-122.16", name="Philz", address="101 Forest Ave"),
     {"type": "header", "parameters": [{"type": "location", "location": {
         "latitude": "37.44", "longitude": "-122.16", "name": "Philz", "address": "101 Forest Ave"}}]}),
    (tp.button("quick_reply", 0, "unsubscribe-promos"),
     {"type": "button", "sub_type": "quick_reply", "index": "0",
      "parameters": [{"type": "payload", "payload": "unsubscribe-promos"}]}),
    (tp.button("url", 1, "summer2025"),
     {"type": "button", "sub_type": "url", "index": "1", "parameters": [{"type": "text", "text": "summer2025"}]}),
    (tp.button("copy_code", 0, "25OFF"),
     {"type": "button", "sub_type": "copy_code", "index": "0",
      "parameters": [{"type": "coupon_code", "coupon_code": "25OFF"}]}),
    (tp.button("flow", 0, {"flow_token": "tok-123", "flow_action_data": {"prefill": "x"}}),
     {"type": "button", "sub_type": "flow", "index": "0", "parameters": [
         {"type": "action", "action": {"flow_token": "tok-123", "flow_action_data": {"prefill": "x"}}}]}),
    (tp.button("catalog", 0, {"thumbnail_product_retailer_id": "SKU-1"}),
     {"type": "button", "sub_type": "catalog", "index": "0", "parameters": [
         {"type": "action", "action": {"thumbnail_product_retailer_id": "SKU-1"}}]}),
    (tp.limited_time_offer(1767225600000),
     {"type": "limited_time_offer", "parameters": [
         {"type": "limited_time_offer", "limited_time_offer": {"expiration_time_ms": 1767225600000}}]}),
], ids=["header-text", "header-image", "header-video", "header-document", "header-location", "quick_reply", "url",
        "copy_code", "flow", "catalog", "limited_time_offer"])
def test_template_components_match_reference(component, expected):
    assert component == expected
    message = roundtrip(wb.template_message("t", "en_US", [component]))
    assert message["template"]["components"] == [expected]


def test_authentication_template_matches_reference():
    assert roundtrip(wb.authentication_template("verification_code", "en_US", "J$FpnY"))["template"]["components"] == [
        {"type": "body", "parameters": [{"type": "text", "text": "J$FpnY"}]},
        {"type": "button", "sub_type": "url", "index": "0", "parameters": [{"type": "text", "text": "J$FpnY"}]}]


def test_carousel_template_matches_reference():
    reference = [
        {"type": "body", "parameters": [{"type": "text", "text": "Pablo"}, {"type": "text", "text": "20%"}]},
        {"type": "carousel", "cards": [
            {"card_index": 0, "components": [
                {"type": "header", "parameters": [{"type": "image", "image": {"id": "1558081531584829"}}]},
                {"type": "body", "parameters": [{"type": "text", "text": "…"}]},
                {"type": "button", "sub_type": "quick_reply", "index": 0,
                 "parameters": [{"type": "payload", "payload": "more-aloes"}]},
                {"type": "button", "sub_type": "url", "index": 1,
                 "parameters": [{"type": "text", "text": "blue-elf"}]}]},
            {"card_index": 1, "components": [
                {"type": "header", "parameters": [{"type": "image", "image": {"id": "1558081531584830"}}]}]}]}]
    built = wb.template_message("carousel_v1", "en_US", [
        tp.body("Pablo", "20%"),
        tp.carousel([reference[1]["cards"][0]["components"], reference[1]["cards"][1]["components"]])])
    assert roundtrip(built)["template"]["components"] == reference


def test_mark_read_and_typing_match_reference():
    assert wb.mark_read("wamid.HBgL") == {"messaging_product": "whatsapp", "status": "read", "message_id": "wamid.HBgL"}
    assert wb.mark_read("wamid.HBgL", typing_indicator=True) == {
        "messaging_product": "whatsapp", "status": "read", "message_id": "wamid.HBgL",
        "typing_indicator": {"type": "text"}}
    fails_at("message_id", wb.mark_read, "")


# --- limits: the limit passes, one over names the field -------------------------------------------

def test_text_limits():
    wb.text("x" * 4096)
    fails_at("text.body", wb.text, "x" * 4097)
    fails_at("text.body", wb.text, "   ")


@pytest.mark.parametrize("kind", ["image", "video", "document"])
def test_caption_limit(kind):
    getattr(wb, kind)(media_id="1", caption="c" * 1024)
    fails_at(f"{kind}.caption", getattr(wb, kind), media_id="1", caption="c" * 1025)


@pytest.mark.parametrize("kind", ["audio", "sticker"])
def test_no_caption_on_audio_and_sticker(kind):
    fails_at(f"{kind}.caption", wb.normalize_message, {"type": kind, kind: {"id": "1", "caption": "no"}})


def test_media_source_rules():
    fails_at("image", wb.image)
    fails_at("image", wb.image, media_id="1", link="https://x.example/a.png")
    fails_at("image.link", wb.image, link="ftp://x.example/a.png")
    fails_at("image.filename", wb.normalize_message, {"type": "image", "image": {"id": "1", "filename": "a.png"}})
    fails_at("video.voice", wb.normalize_message, {"type": "video", "video": {"id": "1", "voice": True}})
    wb.document(link="https://x.example/a.pdf", filename="f" * 240)
    fails_at("document.filename", wb.document, link="https://x.example/a.pdf", filename="f" * 241)


def test_location_limits():
    wb.location(90, -180)
    fails_at("location.latitude", wb.location, 90.01, 0)
    fails_at("location.longitude", wb.location, 0, "181")
    fails_at("location.latitude", wb.location, "north", 0)
    fails_at("location.longitude", wb.normalize_message, {"type": "location", "location": {"latitude": 1}})


def test_contacts_limits():
    card = {"name": {"formatted_name": "A"}}
    wb.contacts([card] * 257)
    fails_at("contacts[257]", wb.contacts, [card] * 258)
    fails_at("contacts", wb.contacts, [])
    fails_at("contacts[0].name.formatted_name", wb.contacts, [{"name": {"first_name": "A"}}])
    fails_at("contacts[0].birthday", wb.contacts, [{**card, "birthday": "23/01/1999"}])
    fails_at("contacts[0].phones[0].fax", wb.contacts, [{**card, "phones": [{"fax": "1"}]}])


def test_reaction_limits():
    fails_at("reaction.emoji", wb.reaction, "wamid.x", "ok")
    fails_at("reaction.message_id", wb.reaction, "", "\U0001F600")
    wb.reaction("wamid.x", "\U0001F468\u200D\U0001F469\u200D\U0001F467")  # a ZWJ family is one emoji


def _buttons(n: int) -> list:
    return [(f"id-{i}", f"Title {i}") for i in range(n)]


def test_reply_button_limits():
    wb.reply_buttons("b" * 1024, _buttons(3), header="h" * 60, footer="f" * 60)
    fails_at("interactive.action.buttons[3]", wb.reply_buttons, "b", _buttons(4))
    fails_at("interactive.action.buttons", wb.reply_buttons, "b", [])
    wb.reply_buttons("b", [("i" * 256, "t" * 20)])
    fails_at("interactive.action.buttons[0].reply.title", wb.reply_buttons, "b", [("a", "t" * 21)])
    fails_at("interactive.action.buttons[0].reply.id", wb.reply_buttons, "b", [("i" * 257, "t")])
    fails_at("interactive.action.buttons[1].reply.id", wb.reply_buttons, "b", [("a", "One"), ("a", "Two")])
    fails_at("interactive.action.buttons[1].reply.title", wb.reply_buttons, "b", [("a", "Same"), ("b", "Same")])
    fails_at("interactive.body.text", wb.reply_buttons, "b" * 1025, _buttons(1))
    fails_at("interactive.footer.text", wb.reply_buttons, "b", _buttons(1), footer="f" * 61)
    fails_at("interactive.header.text", wb.reply_buttons, "b", _buttons(1), header="h" * 61)
    fails_at("interactive.header.type", wb.reply_buttons, "b", _buttons(1),
             header={"type": "location", "location": {}})
    fails_at("interactive.header.image.caption", wb.reply_buttons, "b", _buttons(1),
             header={"type": "image", "image": {"id": "1", "caption": "no"}})


def _sections(rows_per_section: list[int]) -> list:
    count = 0
    sections = []
    for s, rows in enumerate(rows_per_section):
        items = []
        for _ in range(rows):
            items.append({"id": f"row-{count}", "title": f"Row {count}"})
            count += 1
        sections.append({"title": f"Section {s}", "rows": items})
    return sections


def test_list_limits():
    wb.list_message("b" * 4096, "x" * 20, _sections([1] * 10), header="h" * 60, footer="f" * 60)
    fails_at("interactive.body.text", wb.list_message, "b" * 4097, "Menu", _sections([1]))
    fails_at("interactive.action.button", wb.list_message, "b", "x" * 21, _sections([1]))
    fails_at("interactive.action.sections[10]", wb.list_message, "b", "Menu", _sections([1] * 11))
    fails_at("interactive.action.sections", wb.list_message, "b", "Menu", [])
    wb.list_message("b", "Menu", _sections([6, 4]))
    fails_at("interactive.action.sections[1].rows[4]", wb.list_message, "b", "Menu", _sections([6, 5]))
    fails_at("interactive.action.sections[0].rows", wb.list_message, "b", "Menu", [{"title": "S", "rows": []}])
    row = {"id": "i" * 200, "title": "t" * 24, "description": "d" * 72}
    wb.list_message("b", "Menu", [{"title": "s" * 24, "rows": [row]}])
    for key, over in (("id", 201), ("title", 25), ("description", 73)):
        fails_at(f"interactive.action.sections[0].rows[0].{key}", wb.list_message, "b", "Menu",
                 [{"rows": [{**row, key: "x" * over}]}])
    fails_at("interactive.action.sections[0].title", wb.list_message, "b", "Menu",
             [{"title": "s" * 25, "rows": [row]}])
    wb.list_message("b", "Menu", [{"rows": [row]}])  # one section may go untitled
    fails_at("interactive.action.sections[0].title", wb.list_message, "b", "Menu",
             [{"rows": [{"id": "a", "title": "A"}]}, {"title": "Two", "rows": [{"id": "b", "title": "B"}]}])
    fails_at("interactive.action.sections[1].rows[0].id", wb.list_message, "b", "Menu",
             [{"title": "One", "rows": [{"id": "a", "title": "A"}]},
              {"title": "Two", "rows": [{"id": "a", "title": "B"}]}])
    fails_at("interactive.header.type", wb.list_message, "b", "Menu", _sections([1]),
             header=wb.header_media("image", media_id="1"))


def test_cta_url_limits():
    wb.cta_url("b" * 1024, "d" * 20, "https://x.example", header=wb.header_media("video", link="https://x.example/v"))
    fails_at("interactive.action.parameters.display_text", wb.cta_url, "b", "d" * 21, "https://x.example")
    fails_at("interactive.action.parameters.url", wb.cta_url, "b", "Go", "javascript:alert(1)")
    fails_at("interactive.body.text", wb.cta_url, "b" * 1025, "Go", "https://x.example")
    fails_at("interactive.body", wb.normalize_message, {"type": "interactive", "interactive": {
        "type": "cta_url", "action": {"name": "cta_url", "parameters": {"display_text": "Go", "url": "https://x.y"}}}})


def test_location_request_limits():
    wb.location_request("b" * 1024)
    fails_at("interactive.body.text", wb.location_request, "b" * 1025)
    fails_at("interactive.header", wb.normalize_message, {"type": "interactive", "interactive": {
        "type": "location_request_message", "header": {"type": "text", "text": "h"}, "body": {"text": "b"},
        "action": {"name": "send_location"}}})


def test_flow_limits():
    wb.flow("b", "c" * 30, flow_name="booking")
    fails_at("interactive.action.parameters.flow_cta", wb.flow, "b", "c" * 31, flow_id="1")
    fails_at("interactive.action.parameters", wb.flow, "b", "Go", flow_id="1", flow_name="n")
    fails_at("interactive.action.parameters", wb.flow, "b", "Go")
    fails_at("interactive.action.parameters.flow_action_payload", wb.flow, "b", "Go", flow_id="1",
             flow_action="data_exchange", screen="S")
    fails_at("interactive.action.parameters.flow_action_payload.data", wb.flow, "b", "Go", flow_id="1",
             screen="S", data={})
    fails_at("interactive.action.parameters.mode", wb.flow, "b", "Go", flow_id="1", mode="live")
    message = wb.flow("b", "Go", flow_id="1")
    message["interactive"]["action"]["parameters"]["flow_message_version"] = "2"
    fails_at("interactive.action.parameters.flow_message_version", wb.normalize_message, message)


def test_media_carousel_limits():
    wb.carousel("b" * 1024, [_card(i) for i in range(10)])
    fails_at("interactive.action.cards[10]", wb.carousel, "b", [_card(i) for i in range(11)])
    fails_at("interactive.action.cards", wb.carousel, "b", [_card(1)])
    fails_at("interactive.body.text", wb.carousel, "b" * 1025, [_card(1), _card(2)])
    wb.carousel("b", [{**_card(1), "body": "x" * 160}, _card(2)])
    fails_at("interactive.action.cards[0].body.text", wb.carousel, "b", [{**_card(1), "body": "x" * 161}, _card(2)])
    fails_at("interactive.action.cards[0].body.text", wb.carousel, "b", [{**_card(1), "body": "a\nb\nc\nd"}, _card(2)])
    fails_at("interactive.action.cards[1].header.type", wb.carousel, "b", [_card(1), _card(2, "video")])
    fails_at("interactive.action.cards[0].header.type", wb.carousel, "b",
             [{**_card(1), "header": {"type": "text", "text": "no"}}, _card(2)])
    fails_at("interactive.action.cards[0].action.parameters.display_text", wb.carousel, "b",
             [wb.carousel_card(display_text="d" * 21, url="https://x.y", image_id="1"), _card(2)])
    fails_at("interactive.action.cards[1].card_index", wb.normalize_message, {"type": "interactive", "interactive": {
        "type": "carousel", "body": {"text": "b"},
        "action": {"cards": [{**_card(1), "card_index": 0}, {**_card(2), "card_index": 0}]}}})
    message = wb.carousel("b", [_card(1), _card(2)])
    message["interactive"]["footer"] = {"text": "no"}
    fails_at("interactive.footer", wb.normalize_message, message)


def test_template_limits():
    fails_at("template.name", wb.template_message, "Order Confirmation", "en_US")
    fails_at("template.language.code", wb.template_message, "t", "english")
    wb.template_message("t", "en_US", [tp.header_text("h" * 60), tp.body("b" * 1024)])
    fails_at("template.components[0].parameters[0].text", wb.template_message, "t", "en", [tp.header_text("h" * 61)])
    fails_at("template.components[0].parameters[0].text", wb.template_message, "t", "en", [tp.body("b" * 1025)])
    fails_at("template.components[0].parameters[1].text", wb.template_message, "t", "en", [tp.body("ok", "two\nlines")])
    fails_at("template.components[0].parameters[0].text", wb.template_message, "t", "en", [tp.body("a     b")])
    wb.template_message("t", "en", [tp.body("a    b")])  # four spaces are fine
    mixed = {"type": "body", "parameters": [tp.text_param("a", "first"), tp.text_param("b")]}
    fails_at("template.components[0].parameters[1].parameter_name", wb.template_message, "t", "en", [mixed])
    dupe = {"type": "body", "parameters": [tp.text_param("a", "first"), tp.text_param("b", "first")]}
    fails_at("template.components[0].parameters[1].parameter_name", wb.template_message, "t", "en", [dupe])
    fails_at("template.components[0].parameters[0].parameter_name", wb.template_message, "t", "en",
             [tp.body(**{"First Name": "x"})])
    wb.template_message("t", "en", [tp.button("quick_reply", 9, "p")])
    fails_at("template.components[0].index", wb.template_message, "t", "en", [tp.button("quick_reply", 10, "p")])
    fails_at("template.components[1].index", wb.template_message, "t", "en",
             [tp.button("quick_reply", 0, "p"), tp.button("url", 0, "x")])
    fails_at("template.components[1].type", wb.template_message, "t", "en", [tp.body("a"), tp.body("b")])
    wb.template_message("t", "en", [tp.button("copy_code", 0, "C" * 20)])
    fails_at("template.components[0].parameters[0].coupon_code", wb.template_message, "t", "en",
             [tp.button("copy_code", 0, "C" * 21)])
    fails_at("template.components[0].parameters[0].type", wb.template_message, "t", "en",
             [{"type": "button", "sub_type": "url", "index": 0, "parameters": [{"type": "payload", "payload": "x"}]}])
    fails_at("template.components[0].sub_type", wb.normalize_message, {"type": "template", "template": {
        "name": "t", "language": {"code": "en"}, "components": [{"type": "button", "sub_type": "call", "index": 0,
                                                                "parameters": [{"type": "text", "text": "x"}]}]}})
    fails_at("template.components[0].parameters[1]", wb.template_message, "t", "en",
             [{"type": "header", "parameters": [tp.text_param("a"), tp.text_param("b")]}])
    fails_at("template.components[0].parameters[0].limited_time_offer.expiration_time_ms", wb.template_message,
             "t", "en", [tp.limited_time_offer(0)])
    wb.authentication_template("otp", "en_US", "C" * 15)
    fails_at("template.components[0].parameters[0].text", wb.authentication_template, "otp", "en_US", "C" * 16)


def test_template_carousel_limits():
    card = [tp.header_media("image", media_id="1")]
    wb.template_message("c", "en", [tp.carousel([card] * 10)])
    fails_at("template.components[0].cards", wb.template_message, "c", "en", [tp.carousel([card])])
    fails_at("template.components[0].cards[10]", wb.template_message, "c", "en", [tp.carousel([card] * 11)])
    fails_at("template.components[0].cards[0].components[0].parameters[0].type", wb.template_message, "c", "en",
             [tp.carousel([[tp.header_text("no")], card])])
    fails_at("template.components[0].cards[0].components[0].type", wb.template_message, "c", "en",
             [tp.carousel([[tp.limited_time_offer(1)], card])])


def test_envelope_rules():
    assert wb.envelope("16505551234", wb.text("x"))["to"] == "+16505551234"  # a wa_id gets its '+'
    assert wb.envelope("+1 (650) 555-1234", wb.text("x"))["to"] == "+1 (650) 555-1234"
    fails_at("to", wb.envelope, "call me", wb.text("x"))
    body = wb.envelope(TO, wb.text("x"), biz_opaque_callback_data="o" * 512)
    assert body["biz_opaque_callback_data"] == "o" * 512
    fails_at("biz_opaque_callback_data", wb.envelope, TO, wb.text("x"), biz_opaque_callback_data="o" * 513)
    fails_at("type", wb.envelope, TO, {"type": "text"})


# --- normalize_message: the API's entry point ----------------------------------------------------

def test_normalize_names_the_field_as_the_client_wrote_it():
    message = {"type": "interactive", "interactive": {
        "type": "button", "body": {"text": "Pick"},
        "action": {"buttons": [{"type": "reply", "reply": {"id": str(i), "title": str(i)}} for i in range(4)]}}}
    error = fails_at("interactive.action.buttons[3]", wb.normalize_message, message)
    assert "at most 3" in str(error)
    fails_at("type", wb.normalize_message, {"text": {"body": "x"}})
    fails_at("type", wb.normalize_message, {"type": "poll", "poll": {}})
    fails_at("type", wb.normalize_message, "hello")
    fails_at("text", wb.normalize_message, {"type": "text"})
    fails_at("text.bogus", wb.normalize_message, {"type": "text", "text": {"body": "x", "bogus": 1}})
    fails_at("image", wb.normalize_message, {"type": "text", "text": {"body": "x"}, "image": {"id": "1"}})
    fails_at("text.preview_url", wb.normalize_message, {"type": "text", "text": {"body": "x", "preview_url": "yes"}})
    fails_at("context.message_id", wb.normalize_message, {"type": "text", "text": {"body": "x"}, "context": {}})
    fails_at("interactive.type", wb.normalize_message, {"type": "interactive", "interactive": {
        "type": "product", "action": {}}})


def test_normalize_keeps_what_it_should_and_normalises_the_rest():
    assert wb.normalize_message({"type": "text", "text": {"body": "x", "preview_url": None}, "to": "+1555",
                                 "phone_number_id": "1"}) == {"type": "text", "text": {"body": "x"}}
    assert wb.normalize_message({"type": "template", "template": {
        "name": "t", "language": "en_US", "components": [{"type": "BODY", "parameters": [
            {"type": "text", "text": "a"}]}]}}) == {"type": "template", "template": {
                "name": "t", "language": {"code": "en_US"},
                "components": [{"type": "body", "parameters": [{"type": "text", "text": "a"}]}]}}
    raw = {"type": "interactive", "interactive": {"type": "list", "body": {"text": "b"}, "action": {
        "button": "Menu", "sections": [{"rows": [{"id": "a", "title": "A"}]}]}}}
    assert wb.normalize_message(copy.deepcopy(raw)) == raw


# --- conformance template definitions sent as template messages ----------------------------------

def _definitions():
    for path in sorted(CONFORMANCE.glob("*.json")):
        for key, definition in json.loads(path.read_text()).items():
            yield pytest.param(definition, id=f"{path.stem}:{key}")


@pytest.mark.parametrize("definition", list(_definitions()))
def test_conformance_definitions_send_as_template_messages(definition):
    components = wb.example_components(definition, media={"image": {"id": "1558081531584829"}})
    message = roundtrip(wb.template_message(definition["name"], definition["language"], components))
    wb.check_against_definition(message["template"], definition)
    assert wb.envelope(TO, message)["template"]["name"] == definition["name"]


def _load(file: str, key: str) -> dict:
    return json.loads((CONFORMANCE / file).read_text())[key]


def test_conformance_slots():
    assert wb.slots(_load("authentication.json", "authentication_code_copy_code_button")).buttons == {0: ("url", True)}
    promo = wb.slots(_load("buttons.json", "seasonal_promotion"))
    assert (promo.header, promo.body, promo.named) == ("text", ["1", "2", "3"], False)
    assert promo.buttons == {0: ("quick_reply", False), 1: ("quick_reply", False)}
    assert wb.slots(_load("buttons.json", "order_confirmation")).header == "document"
    assert wb.slots(_load("buttons.json", "order_delivery_update")).header == "location"
    coupon = wb.slots(_load("buttons.json", "coupon_code_fall2023_25off"))
    assert coupon.header is None and coupon.buttons[1] == ("copy_code", True)
    lto = wb.slots(_load("limited_time_offer.json", "limited_time_offer_caribbean_pkg_2023"))
    assert lto.limited_time_offer and lto.buttons == {0: ("copy_code", True), 1: ("url", True)}
    cards = wb.slots(_load("carousel.json", "carousel_template_media_cards_v1")).cards
    assert len(cards) == 3 and cards[0].header == "image" and cards[0].buttons[1] == ("url", True)


def test_definition_mismatches_are_refused_before_sending():
    promo = _load("buttons.json", "seasonal_promotion")
    header = tp.header_text("Summer Sale")
    fails_at("template.components[1].parameters", wb.check_against_definition,
             wb.template_message("seasonal_promotion", "en_US", [header, tp.body("a", "b")])["template"], promo)
    fails_at("template.components", wb.check_against_definition,
             wb.template_message("seasonal_promotion", "en_US", [tp.body("a", "b", "c")])["template"], promo)
    fails_at("template.components[0].parameters[0].type", wb.check_against_definition,
             wb.template_message("seasonal_promotion", "en_US",
                                 [tp.header_media("image", media_id="1"), tp.body("a", "b", "c")])["template"], promo)
    fails_at("template.components[1].parameters", wb.check_against_definition,
             wb.template_message("seasonal_promotion", "en_US",
                                 [header, tp.body(a="a", b="b", c="c")])["template"], promo)
    fails_at("template.name", wb.check_against_definition, wb.template_message("other", "en_US")["template"], promo)
    copy_code = _load("authentication.json", "authentication_code_copy_code_button")
    fails_at("template.components", wb.check_against_definition,
             wb.template_message(copy_code["name"], "en_US", [tp.body("123456")])["template"], copy_code)
    fails_at("template.components[1].sub_type", wb.check_against_definition,
             wb.template_message(copy_code["name"], "en_US",
                                 [tp.body("1"), tp.button("copy_code", 0, "1")])["template"], copy_code)
    fails_at("template.components[1].index", wb.check_against_definition,
             wb.template_message(copy_code["name"], "en_US",
                                 [tp.body("1"), tp.button("url", 1, "1")])["template"], copy_code)
    fails_at("template.components[0]", wb.check_against_definition,
             wb.template_message(copy_code["name"], "en_US",
                                 [tp.header_text("x"), tp.body("1"), tp.button("url", 0, "1")])["template"], copy_code)
    carousel = _load("carousel.json", "carousel_template_media_cards_v1")
    components = wb.example_components(carousel)
    components[1]["cards"].pop()
    fails_at("template.components[1].cards", wb.check_against_definition,
             wb.template_message(carousel["name"], "en_US", components)["template"], carousel)
    named = {"name": "welcome", "language": "en_US", "category": "UTILITY", "parameter_format": "NAMED",
             "components": [{"type": "BODY", "text": "Hi {{first_name}}, order {{order_id}}",
                             "example": {"body_text_named_params": [{"param_name": "first_name", "example": "Pablo"},
                                                                    {"param_name": "order_id", "example": "42"}]}}]}
    example = wb.template_message("welcome", "en_US", wb.example_components(named))
    assert example["template"]["components"][0]["parameters"][0] == {
        "type": "text", "parameter_name": "first_name", "text": "Pablo"}
    wb.check_against_definition(example["template"], named)
    fails_at("template.components[0].parameters", wb.check_against_definition,
             wb.template_message("welcome", "en_US", [tp.body(first_name="P", order="1")])["template"], named)
    fails_at("template.components[0].parameters", wb.check_against_definition,
             wb.template_message("welcome", "en_US", [tp.body("P", "1")])["template"], named)
