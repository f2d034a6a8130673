"""Meta's webhook payloads parsed into typed events, with the conformance corpus as the test data: every payload
parses without a problem into the events its items describe (ids, types, times, profiles); what Meta never sends
(a non-numeric or over-long WhatsApp id, NUL bytes, wrong types) drops that item with a reason, or rejects the
change when it is the change itself; one timestamp parser and one profile rule. No database: the parser is pure."""
import json
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from apps.whatsapp.webhook_events import (
    PARSERS,
    AccountUpdate,
    CallEvent,
    InboundMessage,
    PayloadRejected,
    PreferenceChange,
    SenderProfile,
    StatusUpdate,
    TemplateCategoryUpdate,
    TemplateComponentsUpdate,
    TemplateQualityUpdate,
    TemplateRef,
    TemplateStatusUpdate,
    parse_change,
    profile_for,
    timestamp,
)

CONFORMANCE = Path(__file__).resolve().parents[4] / "conformance" / "meta-webhooks"
PLACEHOLDER = re.compile(r'"<[A-Z_]+>"')  # Meta's examples name some ids by placeholder: made real-looking here
TEST_NAME = SenderProfile(wa_id="972987654321", user_id="US.13491208655302741918", name="Test Name")


def at(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, tz=UTC)


def corpus(with_placeholders=False) -> list[tuple[str, str, str, dict]]:
    """(file, case, field, value) of every change of the corpus."""
    changes = []
    for path in sorted(CONFORMANCE.glob("*.json")):
        text = path.read_text() if with_placeholders else PLACEHOLDER.sub('"16505551234"', path.read_text())
        for case, payload in json.loads(text).items():
            for entry in payload["entry"]:
                changes += [(path.stem, case, c["field"], c["value"]) for c in entry["changes"]]
    return changes


def change(file: str, case: str) -> tuple[str, dict]:
    (found,) = [(field, value) for f, c, field, value in corpus() if (f, c) == (file, case)]
    return found


def parsed(file: str, case: str):
    return parse_change(*change(file, case))


def only(file: str, case: str):
    result = parsed(file, case)
    assert result.problems == ()
    (event,) = result.events
    return event


# --- the whole corpus ------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("file", "case", "field", "value"),
                         [c for c in corpus() if c[2] in PARSERS], ids=lambda x: x if isinstance(x, str) else "")
def test_every_conformance_change_parses_without_a_problem_into_one_event_per_item(file, case, field, value):
    result = parse_change(field, value)

    assert result.problems == ()
    if field in ("messages", "calls"):
        messages, statuses, calls = value.get("messages", []), value.get("statuses", []), value.get("calls", [])
        assert [e.wamid for e in result.of(StatusUpdate)] == ([s["id"] for s in statuses] if field == "messages"
                                                              else [])
        assert [e.wamid for e in result.of(InboundMessage)] == [m["id"] for m in messages]
        assert [e.call_id for e in result.of(CallEvent)] == ([c["id"] for c in calls + statuses] if field == "calls"
                                                             else [])
        assert result.phone_number_id == value["metadata"]["phone_number_id"]
    elif field == "user_preferences":
        assert [(e.wa_id, e.choice) for e in result.events] == [(p["wa_id"], p["value"])
                                                               for p in value["user_preferences"]]
    else:
        (event,) = result.events
        assert event.detail is value  # kept as Meta sent it


@pytest.mark.parametrize(("file", "case", "field", "value"), [c for c in corpus() if c[2] == "messages"],
                         ids=lambda x: x if isinstance(x, str) else "")
def test_every_conformance_message_and_status_keeps_its_fields_time_and_sender_profile(file, case, field, value):
    result = parse_change(field, value)

    for raw, message in zip(value.get("messages", []), result.of(InboundMessage), strict=True):
        assert (message.type, message.sender_wa_id, message.sent_at, message.payload) == (
            raw["type"], raw["from"], at(int(raw["timestamp"])), raw)
        names = [c for c in value.get("contacts", []) if c["wa_id"] == raw["from"]]
        assert message.profile == (SenderProfile(wa_id=names[0]["wa_id"], user_id=names[0].get("user_id"),
                                                 name=names[0]["profile"]["name"]) if names else None)
    for raw, status in zip(value.get("statuses", []), result.of(StatusUpdate), strict=True):
        assert (status.status, status.recipient, status.at, status.payload) == (
            raw["status"], raw["recipient_id"], at(int(raw["timestamp"])), raw)


def test_only_placeholder_ids_are_refused_in_the_corpus_as_meta_wrote_it():
    problems = {(f, c): parse_change(field, value).problems for f, c, field, value in corpus(with_placeholders=True)
                if field in PARSERS}

    assert {key: found for key, found in problems.items() if found} == {
        ("deleted_message", "revoke"): ("messages[0].from is not a WhatsApp id (digits, at most 15)",),
        ("message_status", "group"): ("contacts[0].wa_id is not a WhatsApp id (digits, at most 15)",),
    }


# --- messages and statuses, case by case ----------------------------------------------------------------------

def test_a_text_message_with_its_senders_profile():
    message = only("message", "text")

    assert message == InboundMessage(wamid="wamid.xyzxyz", type="text", sender_wa_id="972987654321",
                                     sender_user_id=None, profile=TEST_NAME, sent_at=at(1697043223),
                                     payload=change("message", "text")[1]["messages"][0])
    assert message.sender == "972987654321"


def test_a_number_change_names_no_profile_and_keeps_the_system_object():
    message = only("system", "phone_number_change")

    assert (message.type, message.profile, message.sent_at) == ("system", None, at(1753851315))
    assert message.payload["system"]["wa_id"] == "972912345678"


def test_an_unsupported_message_keeps_its_errors_in_the_payload():
    message = only("message", "unsupported")

    assert message.type == "unsupported" and message.payload["errors"][0]["code"] == 131051


def test_statuses_carry_time_error_callback_and_pricing():
    failed = only("message_status", "failed")
    tracked = only("message_status", "with_tracker")
    group = only("message_status", "group")

    assert (failed.wamid, failed.status, failed.recipient, failed.at) == ("wamid.xyzxyz", "failed", "972987654321",
                                                                          at(1689380458))
    assert (failed.error["code"], failed.error["title"], failed.callback_data, failed.pricing) == (
        130472, "User's number is part of an experiment", None, None)
    assert (tracked.callback_data, tracked.pricing) == ("some data", {"billable": True, "pricing_model": "CBP",
                                                                      "category": "service"})
    assert (group.status, group.recipient) == ("read", "fowefinoewcnw")  # a group's id, not a WhatsApp id


# --- calls, preferences, templates, account health ------------------------------------------------------------

def test_a_customers_call_is_matched_to_their_profile_and_keeps_the_sdp_offer_once():
    call = only("call_connect", "user_initiated")

    assert (call.call_id, call.event, call.is_status, call.direction) == ("wacid.xxxx=", "connect", False,
                                                                          "USER_INITIATED")
    assert (call.from_number, call.to_number, call.customer_wa_id, call.profile) == (
        "972987654321", "16315553601", "972987654321", TEST_NAME)
    assert (call.at, call.sdp_offer, "session" in call.detail) == (at(1752583107), "<<RFC 8866 SDP>>", False)


def test_the_business_call_names_the_customer_by_to_and_takes_no_other_customers_profile():
    call = only("call_connect", "business_initiated")

    assert (call.direction, call.customer_wa_id, call.profile, call.sdp_offer) == (
        "BUSINESS_INITIATED", "16315553601", None, None)  # the one contacts[] entry is 972987654321


def test_a_terminated_call_has_its_times_duration_and_the_changes_error():
    call = only("call_terminate", "call_terminate")

    assert (call.event, call.status, call.duration_seconds) == ("terminate", "COMPLETED", 120)
    assert (call.started_at, call.ended_at) == (at(1671644824), at(1671644944))
    assert (call.error_code, call.error_message, call.callback_data) == (12455, "ERROR_TITLE", "random_string")


def test_a_call_status_is_the_business_calls_progress():
    call = only("call_status", "call_status")

    assert (call.call_id, call.event, call.status, call.is_status, call.direction) == (
        "wacid.ABGGFjFVU2AfAgo6V", "RINGING", "RINGING", True, "BUSINESS_INITIATED")
    assert (call.to_number, call.customer_wa_id, call.at, call.callback_data) == (
        "163155536021", "163155536021", at(1671644824), "random_string")


def test_preferences_name_their_customer_and_take_no_other_customers_profile():
    resume = only("user_marketing_preferences", "resume")
    signup = only("user_marketing_preferences", "signup")

    assert resume == PreferenceChange(wa_id="16505551234", user_id=None, category="marketing_messages",
                                      choice="resume", detail="User requested to resume marketing messages",
                                      at=at(1731705721), profile=None)
    assert (signup.choice, signup.detail) == ("signup", "User signed up via signup link")


def test_template_updates():
    approved = only("template_status_update", "approved")
    rejected = only("template_status_update", "rejected")
    quality = only("template_quality_update", "yellow")
    category = only("template_category_update", "marketing")
    components = only("template_components_update", "element")

    assert approved.template == TemplateRef(meta_id="1689556908129832", name="order_confirmation", language="en_US")
    assert isinstance(approved, TemplateStatusUpdate)
    assert (approved.event, approved.reason, approved.category, approved.reason_detail) == (
        "APPROVED", "NONE", "UTILITY", "")
    assert (rejected.event, rejected.reason, rejected.category) == ("REJECTED", "INVALID_FORMAT", "MARKETING")
    assert rejected.reason_detail.startswith("reason: Your template has parameters placed next to each other")
    assert "\nrecommendation: Separate parameters" in rejected.reason_detail
    assert isinstance(quality, TemplateQualityUpdate) and (quality.new_score, quality.previous_score) == (
        "YELLOW", "GREEN")
    assert isinstance(category, TemplateCategoryUpdate)
    assert (category.template.meta_id, category.new_category, category.previous_category,
            category.correct_category) == ("12345678", "MARKETING", "", "")
    assert isinstance(components, TemplateComponentsUpdate) and components.template.name


def test_account_updates():
    disabled = only("account_update", "account_disabled")
    violation = only("account_update", "account_violation")

    assert isinstance(disabled, AccountUpdate)
    assert (disabled.field, disabled.event, disabled.ban_state) == ("account_update", "DISABLED_UPDATE", "REINSTATE")
    assert (violation.event, violation.ban_state) == ("ACCOUNT_VIOLATION", "")


def test_health_updates_outside_the_corpus():
    quality = parse_change("phone_number_quality_update", {"display_phone_number": "15550000001",
                                                           "event": "upgrade", "current_limit": "TIER_10K"})
    alert = parse_change("account_alerts", {"entity_type": "PHONE_NUMBER", "entity_id": 111000000000001,
                                            "alert_info": {"alert_type": "OBA_APPROVED"}})
    capability = parse_change("business_capability_update", {"max_daily_conversations_per_business": "TIER_2K"})
    name = parse_change("phone_number_name_update", {"display_phone_number": "15550000001", "decision": "APPROVED",
                                                     "requested_verified_name": " Acme "})

    assert (quality.events[0].event, quality.events[0].messaging_limit) == ("UPGRADE", "TIER_10K")
    assert (alert.events[0].event, alert.events[0].phone_number_id) == ("OBA_APPROVED", "111000000000001")
    assert (capability.events[0].event, capability.events[0].messaging_limit) == ("TIER_2K", "TIER_2K")
    assert (name.events[0].event, name.events[0].verified_name) == ("APPROVED", "Acme")


# --- what Meta never sends: the item is dropped with a reason, the rest is kept -------------------------------

def _messages(*messages, contacts=(), **value) -> dict:
    return {"messaging_product": "whatsapp", "metadata": {"phone_number_id": "111000000000001"},
            "contacts": list(contacts), "messages": list(messages), **value}


def _inbound(wamid: str, wa_id="16505550101", **extra) -> dict:
    return {"from": wa_id, "id": wamid, "timestamp": "1767225600", "type": "text", "text": {"body": "Hi"}, **extra}


@pytest.mark.parametrize(("bad", "reason"), [
    ({"from": "1" * 16}, "messages[0].from is not a WhatsApp id (digits, at most 15)"),
    ({"from": "+16505550101"}, "messages[0].from is not a WhatsApp id (digits, at most 15)"),
    ({"from": "16505550101abc"}, "messages[0].from is not a WhatsApp id (digits, at most 15)"),
    ({"from": 16505550101}, "messages[0].from is not a string"),
    ({"from_user_id": "US." + "8" * 254}, "messages[0].from_user_id is not a business-scoped user id"),
    ({"from_user_id": "US 1"}, "messages[0].from_user_id is not a business-scoped user id"),
    ({"id": 12345}, "messages[0].id is not a string"),
    ({"id": "w" * 129}, "messages[0].id is not a message id (at most 128)"),
    ({"id": None}, "messages[0].id is missing"),
    ({"type": "t" * 33}, "messages[0].type is not a message type"),
    ({"timestamp": {"when": "now"}}, "messages[0].timestamp is not a Unix time"),
    ({"timestamp": "yesterday"}, "messages[0].timestamp is not a Unix time"),
    ({"text": {"body": "nul \x00 inside"}}, "messages[0] contains a NUL byte"),
])
def test_a_message_meta_never_sends_is_dropped_with_its_reason_and_the_next_is_kept(bad, reason):
    result = parse_change("messages", _messages({**_inbound("wamid.X1"), **bad}, _inbound("wamid.X2")))

    assert result.problems == (reason,)
    assert [m.wamid for m in result.of(InboundMessage)] == ["wamid.X2"]


def test_a_200_character_user_id_is_kept_and_257_characters_are_not():
    long_id, too_long = "US." + "7" * 197, "US." + "8" * 254
    result = parse_change("messages", _messages(
        {**_inbound("wamid.OK", wa_id=""), "from_user_id": long_id},
        {**_inbound("wamid.TOO_LONG", wa_id=""), "from_user_id": too_long},
        contacts=[{"profile": {"name": "Bea"}, "user_id": long_id}]))

    (message,) = result.of(InboundMessage)
    assert (message.sender_wa_id, message.sender, message.profile) == (
        None, long_id, SenderProfile(None, long_id, "Bea"))
    assert result.problems == ("messages[1].from_user_id is not a business-scoped user id",)


@pytest.mark.parametrize(("bad", "reason"), [
    ({"wa_id": "1" * 16}, "contacts[0].wa_id is not a WhatsApp id (digits, at most 15)"),
    ({"user_id": "U" * 300}, "contacts[0].user_id is not a business-scoped user id"),
    ({"profile": "Alice"}, "contacts[0].profile is not an object"),
    ({"profile": {"name": ["Alice"]}}, "contacts[0].profile.name is not a string"),
    ({"profile": {"name": "Al\x00ice"}}, "contacts[0] contains a NUL byte"),
])
def test_a_bad_profile_is_dropped_and_its_message_kept_without_it(bad, reason):
    contact = {"profile": {"name": "Alice"}, "wa_id": "16505550101", **bad}
    result = parse_change("messages", _messages(_inbound("wamid.P1"), contacts=[contact]))

    assert result.problems == (reason,)
    (message,) = result.of(InboundMessage)
    assert (message.wamid, message.profile) == ("wamid.P1", None)


@pytest.mark.parametrize(("bad", "reason"), [
    ({"status": "DELIVERED"}, "statuses[0].status is not a status"),
    ({"status": None}, "statuses[0].status is missing"),
    ({"recipient_id": "9" * 129}, "statuses[0].recipient_id is not a recipient id"),
    ({"biz_opaque_callback_data": "c" * 513}, "statuses[0].biz_opaque_callback_data is not callback data"),
    ({"errors": {"code": 1}}, "statuses[0].errors is not a list of objects"),
    ({"errors": [{"code": "131026"}]}, "statuses[0].errors[].code is not an integer"),
    ({"errors": [{"code": 2**31}]}, "statuses[0].errors[].code is not an integer"),
    ({"pricing": ["marketing"]}, "statuses[0].pricing is not an object"),
    ({"timestamp": True}, "statuses[0].timestamp is not a Unix time"),
])
def test_a_status_meta_never_sends_is_dropped_and_the_next_is_applied(bad, reason):
    good = {"id": "wamid.S2", "status": "delivered", "timestamp": 1767225600, "recipient_id": "16505550101"}
    result = parse_change("messages", _messages(statuses=[{**good, "id": "wamid.S1", **bad}, good]))

    assert result.problems == (reason,)
    assert [(s.wamid, s.at) for s in result.of(StatusUpdate)] == [("wamid.S2", at(1767225600))]


def test_problems_name_messages_then_statuses_then_contacts_and_lists_that_are_not_lists():
    result = parse_change("messages", {"messages": [7], "statuses": "none", "contacts": [{"wa_id": "x"}]})

    assert result.problems == ("messages[0] is not an object", "statuses is not a list",
                               "contacts[0].wa_id is not a WhatsApp id (digits, at most 15)")
    assert result.events == ()


def test_calls_and_preferences_drop_a_bad_item_and_keep_the_others():
    good_call = {"id": "wacid.2", "from": "16505550101", "to": "15550000001", "event": "connect",
                 "timestamp": "1767225600", "direction": "USER_INITIATED"}
    calls = parse_change("calls", {"metadata": {"phone_number_id": "1"}, "calls": [
        {**good_call, "id": "wacid.1", "from": "caller-one"}, {**good_call, "id": "wacid.3", "duration": "2 min"},
        good_call], "statuses": [{"id": "wacid.4", "status": "RINGING", "recipient_id": "1" * 20}]})
    preferences = parse_change("user_preferences", {"user_preferences": [
        {"wa_id": "1" * 16, "value": "stop"}, {"wa_id": "16505550101", "user_id": "U" * 300, "value": "stop"},
        {"wa_id": "16505550101", "value": "stop\x00"}, {"wa_id": "16505550101", "value": "STOP", "timestamp": 5}]})

    assert [c.call_id for c in calls.events] == ["wacid.2"]
    assert calls.problems == ("calls[0].from is not a WhatsApp id (digits, at most 15)",
                              "calls[1].duration is not a number of seconds",
                              "statuses[0].recipient_id is not a WhatsApp id (digits, at most 15)")
    assert [(p.wa_id, p.choice, p.at) for p in preferences.events] == [("16505550101", "stop", at(5))]
    assert preferences.problems == (
        "user_preferences[0].wa_id is not a WhatsApp id (digits, at most 15)",
        "user_preferences[1].user_id is not a business-scoped user id", "user_preferences[2] contains a NUL byte")


def test_statuses_of_another_type_are_not_call_events():
    result = parse_change("calls", {"statuses": [{"id": "wamid.1", "type": "message", "status": "read"}]})

    assert (result.events, result.problems) == ((), ())


# --- what Meta never sends: the whole change is rejected ------------------------------------------------------

@pytest.mark.parametrize(("field", "value", "reason"), [
    ("messages", ["not", "an", "object"], "value is not an object"),
    ("calls", None, "value is not an object"),
    ("messages", _messages(_inbound("wamid.1"), messaging_product="whats\x00app"),
     "a string outside messages/statuses/contacts contains a NUL byte"),
    ("user_preferences", {"metadata": {"display_phone_number": "1\x00"}},
     "a string outside user_preferences/contacts contains a NUL byte"),
    ("message_template_status_update", {"event": "APPROVED\x00", "message_template_id": 1},
     "a string contains a NUL byte"),
    ("message_template_status_update", {"event": "APPROVED"}, "message_template_id is missing"),
    ("template_category_update", {"message_template_id": "12ab", "new_category": "UTILITY"},
     "message_template_id is not a Meta id"),
    ("message_template_quality_update", {"message_template_id": 1, "new_quality_score": ["RED"]},
     "new_quality_score is not a string"),
    ("message_template_status_update", {"message_template_id": 1, "rejection_info": "no"},
     "rejection_info is not an object"),
    ("account_update", {"event": "DISABLED_UPDATE", "ban_info": "DISABLE"}, "ban_info is not an object"),
    ("account_alerts", {"alert_info": {"alert_type": {"x": 1}}}, "alert_info.alert_type is not a string"),
    ("account_update", {"ban_info": {"waba_ban_state": ["DISABLE"]}}, "ban_info.waba_ban_state is not a string"),
    ("message_template_status_update", {"message_template_id": 1, "rejection_info": {"reason": 7.5}},
     "rejection_info.reason is not a string"),
])
def test_a_change_that_cannot_be_metas_is_rejected_whole_with_its_reason(field, value, reason):
    with pytest.raises(PayloadRejected) as rejected:
        parse_change(field, value)

    assert str(rejected.value) == reason


# --- the one timestamp parser ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("value", "expected"), [
    ("1767225600", at(1767225600)), (1767225600, at(1767225600)), ("0", at(0)),
    (None, None), ("", None), ("soon", None), ("-5", None), (-5, None), (True, None), (1.5, None),
    ("1" * 13, None),  # more digits than a Unix time in seconds has
    ("999999999999", None),  # past year 9999
])
def test_one_timestamp_parser(value, expected):
    assert timestamp(value) == expected


# --- the one profile rule -------------------------------------------------------------------------------------

ALICE = SenderProfile(wa_id="16505550101", user_id="US.1", name="Alice")
BOB = SenderProfile(wa_id=None, user_id="US.2", name="Bob")


@pytest.mark.parametrize(("profiles", "wa_id", "user_id", "expected"), [
    ([ALICE, BOB], "16505550101", None, ALICE),  # by WhatsApp id
    ([ALICE, BOB], None, "US.2", BOB),  # by user id
    ([ALICE, BOB], "447911123456", "US.2", BOB),  # either id matches
    ([ALICE], None, None, ALICE),  # the item names no one: the change's only profile
    ([ALICE, BOB], None, None, None),  # ... but never a guess between several
    ([ALICE], "447911123456", None, None),  # names someone else: never another customer's profile
    ([BOB], None, "US.9", None),
    ([], "16505550101", None, None),
])
def test_one_profile_rule(profiles, wa_id, user_id, expected):
    assert profile_for(profiles, wa_id, user_id) == expected


def test_every_field_uses_the_same_profile_rule():
    other = {"profile": {"name": "Other"}, "wa_id": "447911123456", "user_id": "US.OTHER"}
    message = parse_change("messages", _messages(_inbound("wamid.1"), contacts=[other])).events[0]
    call = parse_change("calls", {"contacts": [other], "calls": [
        {"id": "wacid.1", "from": "16505550101", "event": "connect", "direction": "USER_INITIATED"}]}).events[0]
    preference = parse_change("user_preferences", {"contacts": [other], "user_preferences": [
        {"wa_id": "16505550101", "value": "stop"}]}).events[0]
    anonymous = parse_change("user_preferences", {"contacts": [other], "user_preferences": [{"value": "stop"}]})

    assert (message.profile, call.profile, preference.profile) == (None, None, None)
    assert anonymous.events[0].profile == SenderProfile("447911123456", "US.OTHER", "Other")
