"""Local validation names the component and the rule for every creation rule of Meta's (reference §5.2), and
every definition Meta documents (the conformance data and the sandbox's demo templates) passes it."""
import copy
import json
from pathlib import Path

import pytest

from apps.templates.validation import definition_problems

CONFORMANCE = Path(__file__).resolve().parents[4] / "conformance" / "meta-templates"


def _conformance() -> list[tuple[str, dict]]:
    return [(name, definition) for path in sorted(CONFORMANCE.glob("*.json"))
            for name, definition in json.loads(path.read_text()).items()]


@pytest.mark.parametrize(("name", "definition"), _conformance(), ids=[n for n, _ in _conformance()])
def test_every_conformance_definition_is_valid(name, definition):
    assert definition_problems(definition) == {}


def _body(text="Hi {{1}}, your order {{2}} is ready.", examples=(("Pablo", "A-1"),), **extra) -> dict:
    return {"type": "BODY", "text": text, "example": {"body_text": [list(e) for e in examples]}, **extra}


def _template(*components, category="MARKETING", **extra) -> dict:
    return {"name": "order_ready", "language": "en_US", "category": category,
            "components": list(components) or [_body()], **extra}


def _buttons(*buttons) -> dict:
    return {"type": "BUTTONS", "buttons": list(buttons)}


URL = {"type": "URL", "text": "Track", "url": "https://shop.example.com/t/{{1}}", "example": ["A1"]}
QR = {"type": "QUICK_REPLY", "text": "Stop"}
PHONE = {"type": "PHONE_NUMBER", "text": "Call", "phone_number": "+15550051310"}
IMAGE_HEADER = {"type": "HEADER", "format": "IMAGE", "example": {"header_handle": ["4::aW..."]}}
CARD = {"components": [IMAGE_HEADER, {"type": "BODY", "text": "A lovely plant for your desk."},
                       _buttons(QR, {**URL, "example": ["BLUE"]})]}
OTP_BUTTON = {"type": "OTP", "otp_type": "COPY_CODE", "text": "Copy code"}


def _auth(*components):
    return _template(*components, category="AUTHENTICATION")


def _named_body(text="Hi {{first_name}}, your order {{order}} is ready.", examples=None):
    examples = [{"param_name": "first_name", "example": "Pablo"}, {"param_name": "order", "example": "A-1"}] \
        if examples is None else examples
    return {"type": "BODY", "text": text, "example": {"body_text_named_params": examples}}


def _lto(text="Expiring offer!", **offer):
    return {"type": "LIMITED_TIME_OFFER", "limited_time_offer": {"text": text, "has_expiration": True, **offer}}


# (case, definition, key, message fragment)
RULES = [
    # the template as a whole
    ("name required", {**_template(), "name": ""}, "name", "is required"),
    ("name characters", {**_template(), "name": "Order-Ready"}, "name", "lowercase letters"),
    ("name length", {**_template(), "name": "a" * 513}, "name", "at most 512"),
    ("language required", {**_template(), "language": None}, "language", "is required"),
    ("language code", {**_template(), "language": "English"}, "language", "locale code"),
    ("category required", {**_template(), "category": ""}, "category", "is required"),
    ("category known", {**_template(), "category": "PROMO"}, "category", "must be one of"),
    ("parameter format", _template(parameter_format="numbered"), "parameter_format", "named or positional"),
    ("ttl type", _template(message_send_ttl_seconds="60"), "message_send_ttl_seconds", "whole number"),
    ("ttl utility range", _template(category="UTILITY", message_send_ttl_seconds=50_000),
     "message_send_ttl_seconds", "30 to 43200"),
    ("ttl authentication range", {**_auth({"type": "BODY"}, _buttons(OTP_BUTTON)), "message_send_ttl_seconds": 1000},
     "message_send_ttl_seconds", "30 to 900"),
    ("ttl marketing has no -1", _template(message_send_ttl_seconds=-1), "message_send_ttl_seconds", "43200"),
    ("components required", {**_template(), "components": []}, "components", "at least a body"),
    ("component object", _template(_body(), "BODY"), "components[1]", "must be an object"),
    ("component type", _template(_body(), {"type": "SIDEBAR"}), "components[1].type", "components are"),
    ("one of each", _template(_body(), _body()), "components[1].type", "only one body"),
    ("body required", _template({"type": "FOOTER", "text": "Bye"}), "components", "exactly one body"),
    # header
    ("header format", _template({"type": "HEADER", "format": "AUDIO"}, _body()), "components[0].format",
     "must be one of"),
    ("text header needs text", _template({"type": "HEADER", "format": "TEXT"}, _body()), "components[0].text",
     "needs its text"),
    ("text header length", _template({"type": "HEADER", "format": "TEXT", "text": "x" * 61}, _body()),
     "components[0].text", "at most 60"),
    ("text header one variable", _template({"type": "HEADER", "format": "TEXT", "text": "{{1}} and {{2}}",
                                            "example": {"header_text": ["a", "b"]}}, _body()),
     "components[0].text", "at most one variable"),
    ("text header formatting", _template({"type": "HEADER", "format": "TEXT", "text": "*Big* news"}, _body()),
     "components[0].text", "no new lines or formatting"),
    ("text header example", _template({"type": "HEADER", "format": "TEXT", "text": "Our {{1}} is on"}, _body()),
     "components[0].text", "variable {{1}} has no example"),
    ("named header example", _template({"type": "HEADER", "format": "TEXT", "text": "Hi {{first_name}}",
                                        "example": {"header_text_named_params": []}}, _named_body(),
                                       parameter_format="named"),
     "components[0].text", "variable {{first_name}} has no example"),
    ("image header sample", _template({"type": "HEADER", "format": "IMAGE"}, _body()), "components[0].example",
     "example.header_handle"),
    ("video header sample", _template({"type": "HEADER", "format": "VIDEO", "example": {"header_handle": []}},
                                      _body()), "components[0].example", "needs a sample"),
    ("document header sample", _template({"type": "HEADER", "format": "DOCUMENT", "example": {}}, _body()),
     "components[0].example", "needs a sample"),
    ("location header category", _auth({"type": "HEADER", "format": "LOCATION"}, {"type": "BODY"},
                                       _buttons(OTP_BUTTON)), "components[0].format", "utility and marketing"),
    ("gif header category", _template({"type": "HEADER", "format": "GIF", "example": {"header_handle": ["h"]}},
                                      _body(), category="UTILITY"), "components[0].format", "marketing"),
    # body
    ("body text", _template({"type": "BODY"}), "components[0].text", "needs its text"),
    ("body length", _template(_body(text="Hi {{1}} " + "x" * 1020, examples=(("P",),))), "components[0].text",
     "at most 1024"),
    ("body example", _template(_body(text="Hi {{1}}, order {{2}} costs {{3}} today.", examples=(("P", "A"),))),
     "components[0].text", "variable {{3}} has no example"),
    ("body example empty", _template(_body(examples=(("Pablo", " "),))), "components[0].text",
     "variable {{2}} has no example"),
    ("body examples missing", _template({"type": "BODY", "text": "Hi {{1}}, your order is ready."}),
     "components[0].text", "variable {{1}} has no example"),
    ("too many examples", _template(_body(text="Hi {{1}}, your order is ready.", examples=(("P", "extra"),))),
     "components[0].text", "2 examples for 1 variables"),
    ("sequential", _template(_body(text="Hi {{1}}, your order {{3}} is ready.", examples=(("P", "A", "B"),))),
     "components[0].text", "{{2}} is missing"),
    ("positional names", _template(_body(text="Hi {{name}}, your order is ready.", examples=(("P",),))),
     "components[0].text", "positional variables are numbers"),
    ("named format", _template(_named_body(text="Hi {{First}}, your order {{order}} is ready.",
                                           examples=[{"param_name": "First", "example": "P"},
                                                     {"param_name": "order", "example": "A"}]),
                               parameter_format="named"), "components[0].text", "named variables are lowercase"),
    ("named once", _template(_named_body(text="Hi {{order}}, your order {{order}} is ready."),
                             parameter_format="named"), "components[0].text", "appears twice"),
    ("named example", _template(_named_body(examples=[{"param_name": "first_name", "example": "Pablo"}]),
                                parameter_format="NAMED"), "components[0].text", "variable {{order}} has no example"),
    ("adjacent", _template(_body(text="Dear customer {{1}}{{2}} is your code today.")), "components[0].text",
     "next to each other"),
    ("starts with variable", _template(_body(text="{{1}}, your order {{2}} is ready.")), "components[0].text",
     "must not start with a variable"),
    ("ends with variable", _template(_body(text="Hi there, your order is {{1}}. Thanks {{2}}.")),
     "components[0].text", "must not end with a variable"),
    ("density", _template(_body(text="Hi {{1}} a {{2}} b", examples=(("P", "Q"),))), "components[0].text",
     "too many variables for its length"),
    ("authentication body text", _auth(_body(), _buttons(OTP_BUTTON)), "components[0].text", "no body text"),
    ("authentication security flag", _auth({"type": "BODY", "add_security_recommendation": "yes"},
                                           _buttons(OTP_BUTTON)), "components[0].add_security_recommendation",
     "true or false"),
    # footer
    ("footer text", _template(_body(), {"type": "FOOTER"}), "components[1].text", "needs its text"),
    ("footer length", _template(_body(), {"type": "FOOTER", "text": "x" * 61}), "components[1].text", "at most 60"),
    ("footer variables", _template(_body(), {"type": "FOOTER", "text": "Bye {{1}}"}), "components[1].text",
     "no variables"),
    ("code expiration", _auth({"type": "BODY"}, {"type": "FOOTER", "code_expiration_minutes": 91},
                              _buttons(OTP_BUTTON)), "components[1].code_expiration_minutes", "1 to 90"),
    ("authentication footer text", _auth({"type": "BODY"}, {"type": "FOOTER", "text": "Bye"}, _buttons(OTP_BUTTON)),
     "components[1].text", "no footer text"),
    # buttons
    ("buttons present", _template(_body(), _buttons()), "components[1].buttons", "at least one button"),
    ("at most ten", _template(_body(), _buttons(*[{**QR, "text": f"Option {i}"} for i in range(11)])),
     "components[1].buttons", "at most 10"),
    ("button type", _template(_body(), _buttons({"type": "TELEPORT", "text": "Go"})), "components[1].buttons[0].type",
     "must be one of"),
    ("button label", _template(_body(), _buttons({"type": "QUICK_REPLY"})), "components[1].buttons[0].text",
     "needs its label"),
    ("button label length", _template(_body(), _buttons({**QR, "text": "x" * 26})), "components[1].buttons[0].text",
     "at most 25"),
    ("quick replies grouped", _template(_body(), _buttons(QR, URL, {**QR, "text": "More"})), "components[1].buttons",
     "grouped together"),
    ("url needed", _template(_body(), _buttons({"type": "URL", "text": "Go"})), "components[1].buttons[0].url",
     "needs its URL"),
    ("url scheme", _template(_body(), _buttons({"type": "URL", "text": "Go", "url": "ftp://x.example/a"})),
     "components[1].buttons[0].url", "http or https"),
    ("url length", _template(_body(), _buttons({"type": "URL", "text": "Go",
                                                "url": "https://x.example/" + "a" * 2000})),
     "components[1].buttons[0].url", "at most 2000"),
    ("url one variable", _template(_body(), _buttons({**URL, "url": "https://x.example/{{1}}/{{2}}"})),
     "components[1].buttons[0].url", "at most one variable"),
    ("url variable at the end", _template(_body(), _buttons({**URL, "url": "https://x.example/{{1}}/track"})),
     "components[1].buttons[0].url", "at its very end"),
    ("url example", _template(_body(), _buttons({**URL, "example": []})), "components[1].buttons[0].example",
     "variable {{1}} has no example"),
    ("at most two urls", _template(_body(), _buttons(URL, URL, URL)), "components[1].buttons", "at most 2 url"),
    ("phone format", _template(_body(), _buttons({**PHONE, "phone_number": "call me"})),
     "components[1].buttons[0].phone_number", "international format"),
    ("phone length", _template(_body(), _buttons({**PHONE, "phone_number": "+" + "1" * 21})),
     "components[1].buttons[0].phone_number", "at most 20"),
    ("one phone", _template(_body(), _buttons(PHONE, PHONE)), "components[1].buttons", "at most 1 phone number"),
    ("copy code example", _template(_body(), _buttons({"type": "COPY_CODE"})), "components[1].buttons[0].example",
     "sample code"),
    ("copy code length", _template(_body(), _buttons({"type": "COPY_CODE", "example": "X" * 21})),
     "components[1].buttons[0].example", "at most 20"),
    ("one copy code", _template(_body(), _buttons({"type": "COPY_CODE", "example": "A"},
                                                  {"type": "COPY_CODE", "example": "B"})),
     "components[1].buttons", "at most 1 copy code"),
    ("otp only for authentication", _template(_body(), _buttons(OTP_BUTTON)), "components[1].buttons",
     "authentication templates only"),
    ("authentication needs otp", _auth({"type": "BODY"}, _buttons(QR)), "components[1].buttons", "exactly one OTP"),
    ("authentication needs buttons", _auth({"type": "BODY"}), "components", "one OTP button"),
    ("otp type", _auth({"type": "BODY"}, _buttons({**OTP_BUTTON, "otp_type": "MAGIC"})),
     "components[1].buttons[0].otp_type", "copy_code, one_tap or zero_tap"),
    ("one tap apps", _auth({"type": "BODY"}, _buttons({**OTP_BUTTON, "otp_type": "ONE_TAP"})),
     "components[1].buttons[0].supported_apps", "Android apps"),
    ("supported app fields", _auth({"type": "BODY"}, _buttons({**OTP_BUTTON, "otp_type": "ONE_TAP",
                                                              "supported_apps": [{"package_name": "com.x"}]})),
     "components[1].buttons[0].supported_apps[0]", "signature_hash"),
    ("zero tap terms", _auth({"type": "BODY"}, _buttons({**OTP_BUTTON, "otp_type": "ZERO_TAP", "supported_apps": [
        {"package_name": "com.x", "signature_hash": "K8a/AINcGX7"}]})),
     "components[1].buttons[0].zero_tap_terms_accepted", "terms accepted"),
    ("authentication header", _auth({"type": "HEADER", "format": "TEXT", "text": "Code"}, {"type": "BODY"},
                                    _buttons(OTP_BUTTON)), "components[0].type", "no header"),
    ("flow names its flow", _template(_body(), _buttons({"type": "FLOW", "text": "Open"})), "components[1].buttons[0]",
     "names its flow"),
    ("flow action", _template(_body(), _buttons({"type": "FLOW", "text": "Open", "flow_id": "1",
                                                 "flow_action": "jump"})),
     "components[1].buttons[0].flow_action", "navigate or data_exchange"),
    ("catalog category", _template(_body(), _buttons({"type": "CATALOG", "text": "View"}), category="UTILITY"),
     "components[1].buttons", "marketing templates only"),
    ("one catalog", _template(_body(), _buttons({"type": "CATALOG", "text": "View"},
                                                {"type": "CATALOG", "text": "More"})),
     "components[1].buttons", "at most 1 catalog"),
    ("button label variables", _template(_body(), _buttons({**QR, "text": "Hi {{1}}"})),
     "components[1].buttons[0].text", "no variables"),
    # carousel
    ("carousel category", _template(_body(), {"type": "CAROUSEL", "cards": [CARD, CARD]}, category="UTILITY"),
     "components[1].type", "marketing templates only"),
    ("carousel card count", _template(_body(), {"type": "CAROUSEL", "cards": [CARD]}), "components[1].cards",
     "2 to 10 cards"),
    ("carousel at most ten", _template(_body(), {"type": "CAROUSEL", "cards": [CARD] * 11}), "components[1].cards",
     "2 to 10 cards"),
    ("card header format", _template(_body(), {"type": "CAROUSEL", "cards": [
        {"components": [{"type": "HEADER", "format": "TEXT", "text": "x"}, *CARD["components"][1:]]}, CARD]}),
     "components[1].cards[0].components[0].format", "image, video, product"),
    ("card header needed", _template(_body(), {"type": "CAROUSEL", "cards": [
        {"components": CARD["components"][1:]}, CARD]}), "components[1].cards[0].components", "needs a header"),
    ("card buttons needed", _template(_body(), {"type": "CAROUSEL", "cards": [
        {"components": CARD["components"][:2]}, CARD]}), "components[1].cards[0].components", "one or two buttons"),
    ("card two buttons", _template(_body(), {"type": "CAROUSEL", "cards": [
        {"components": [*CARD["components"][:2], _buttons(QR, URL, {**QR, "text": "x"})]}, CARD]}),
     "components[1].cards[0].components[2].buttons", "at most 2"),
    ("card body length", _template(_body(), {"type": "CAROUSEL", "cards": [
        {"components": [IMAGE_HEADER, {"type": "BODY", "text": "x" * 161}, CARD["components"][2]]}, CARD]}),
     "components[1].cards[0].components[1].text", "at most 160"),
    ("card body example", _template(_body(), {"type": "CAROUSEL", "cards": [
        {"components": [IMAGE_HEADER, {"type": "BODY", "text": "A plant for {{1}} only today."},
                        CARD["components"][2]]}, CARD]}),
     "components[1].cards[0].components[1].text", "variable {{1}} has no example"),
    ("cards alike", _template(_body(), {"type": "CAROUSEL", "cards": [
        CARD, {"components": [IMAGE_HEADER, CARD["components"][2]]}]}), "components[1].cards", "the same components"),
    ("carousel has no buttons", _template(_body(), {"type": "CAROUSEL", "cards": [CARD, CARD]}, _buttons(QR)),
     "components[2].type", "body and cards only"),
    ("card components", _template(_body(), {"type": "CAROUSEL", "cards": [{"components": "x"}, CARD]}),
     "components[1].cards[0]", "with its components"),
    # limited-time offer
    ("offer category", _template(_lto(), _body(), _buttons(URL), category="UTILITY"), "components[0].type",
     "marketing templates only"),
    ("offer text", _template(_lto(text=""), _body(), _buttons(URL)), "components[0].limited_time_offer.text",
     "needs its text"),
    ("offer text length", _template(_lto(text="x" * 17), _body(), _buttons(URL)),
     "components[0].limited_time_offer.text", "at most 16"),
    ("offer expiration flag", _template(_lto(has_expiration="yes"), _body(), _buttons(URL)),
     "components[0].limited_time_offer.has_expiration", "true or false"),
    ("offer object", _template({"type": "LIMITED_TIME_OFFER"}, _body(), _buttons(URL)),
     "components[0].limited_time_offer", "offer's text"),
    ("offer needs url", _template(_lto(), _body(), _buttons({"type": "COPY_CODE", "example": "A"})),
     "components[2].buttons", "needs a URL button"),
    ("offer has no footer", _template(_lto(), _body(), {"type": "FOOTER", "text": "Bye"}, _buttons(URL)),
     "components[2].type", "no footer"),
    ("offer body length", _template(_lto(), _body(text="Hi {{1}} " + "x" * 600, examples=(("P",),)), _buttons(URL)),
     "components[1].text", "at most 600"),
]


@pytest.mark.parametrize(("case", "definition", "key", "fragment"), RULES, ids=[r[0] for r in RULES])
def test_each_rule_names_the_component_and_the_rule(case, definition, key, fragment):
    problems = definition_problems(copy.deepcopy(definition))

    assert key in problems, problems
    assert any(fragment in message for message in problems[key]), problems[key]


def test_the_issues_example_reads_as_it_says():
    definition = _template(_body(text="Hi {{1}}, order {{2}} costs {{3}} today.", examples=(("P", "A"),)))
    definition["components"].insert(0, {"type": "HEADER", "format": "TEXT", "text": "Hello"})

    assert definition_problems(definition) == {"components[1].text": ["variable {{3}} has no example"]}


def test_every_problem_is_reported_at_once():
    problems = definition_problems({"name": "Bad Name", "language": "english", "category": "x", "components": [
        {"type": "BODY", "text": "{{1}}"}, {"type": "FOOTER", "text": "x" * 70}]})

    assert {"name", "language", "category", "components[0].text", "components[1].text"} <= set(problems)


@pytest.mark.parametrize("junk", [None, [], "x", 3, {"components": "x"}, {"components": [{"type": None}]},
                                  {"components": [{"type": "BODY", "text": 5, "example": "x"}]},
                                  {"components": [{"type": "BUTTONS", "buttons": [None, {"type": 4}]}]},
                                  {"components": [{"type": "CAROUSEL", "cards": None}]},
                                  {"components": [{"type": "HEADER", "format": "TEXT", "text": "{{1}}",
                                                   "example": {"header_text": "x"}}]}])
def test_any_json_gets_problems_never_an_exception(junk):
    assert definition_problems(junk)


def test_valid_shapes_pass():
    named = _template(_named_body(), _buttons(URL), parameter_format="named", category="UTILITY",
                      message_send_ttl_seconds=-1)
    flow = _template(_body(), _buttons({"type": "FLOW", "text": "Book", "flow_id": "123", "flow_action": "navigate"}))
    location = _template({"type": "HEADER", "format": "LOCATION"}, _body(), category="UTILITY")

    assert definition_problems(named) == {}
    assert definition_problems(flow) == {}
    assert definition_problems(location) == {}
    assert definition_problems(_template(_body(), _buttons(QR, QR, URL, PHONE))) == {}
    assert definition_problems(_template(_body(), _buttons(URL, PHONE, QR, QR))) == {}
