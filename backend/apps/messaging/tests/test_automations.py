"""Automations on a customer's new message: opt-out keywords, welcome, away; each once and switchable."""
from datetime import UTC, datetime

import pytest
from django_tenants.utils import schema_context

from apps.contacts.models import ConsentEvent, Contact
from apps.messaging.automations import is_business_hours, keyword_of
from apps.messaging.models import InboxSettings, Message
from apps.messaging.tests.inbox_helpers import connect_number, customer_writes


@pytest.fixture
def number(alpha):
    return connect_number(alpha)


def _automated(business) -> list[tuple[str, str]]:
    with schema_context(business.tenant.schema_name):
        return list(Message.objects.exclude(automation="").order_by("created_at")
                    .values_list("automation", "payload__text__body"))


def _configure(business, **fields) -> None:
    with schema_context(business.tenant.schema_name):
        InboxSettings.objects.update_or_create(pk=1, defaults=fields)


def _alice(business) -> Contact:
    with schema_context(business.tenant.schema_name):
        return Contact.objects.get(phone="+16505550101")


@pytest.mark.parametrize("text", ["STOP", "stop", " Stop. ", "UNSUBSCRIBE", "Stop!!", "baja", "Cancelar"])
def test_an_opt_out_keyword_opts_the_contact_out_of_marketing_and_confirms_once(alpha, number, text):
    stop = customer_writes(alpha, number, text, wamid="wamid.stop")
    customer_writes(alpha, number, text, wamid="wamid.stop")  # Meta redelivers
    alice = _alice(alpha)
    assert alice.marketing_consent == "opted_out"
    with schema_context(alpha.tenant.schema_name):
        (event,) = ConsentEvent.objects.filter(contact=alice)
    assert (event.action, event.source, event.category) == ("opt_out", "keyword", "marketing")
    assert stop.wamid in event.proof
    (reply,) = _automated(alpha)
    assert reply[0] == "opt_out" and "unsubscribed" in reply[1]


def test_a_keyword_inside_a_sentence_is_just_a_message(alpha, number):
    customer_writes(alpha, number, "Please don't stop sending me offers")
    assert _alice(alpha).marketing_consent == "unknown"
    assert _automated(alpha) == []


def test_a_quick_reply_button_saying_stop_opts_out(alpha, number):
    customer_writes(alpha, number, message={"type": "button", "button": {"text": "STOP", "payload": "promo-stop"}})
    assert _alice(alpha).marketing_consent == "opted_out"


def test_the_business_adds_its_own_keywords_in_any_language(alpha, number):
    alpha.client(alpha.owner).patch("/api/inbox/settings/", {"opt_out_keywords": ["रोकें", "Nicht mehr"]},
                                    format="json")
    customer_writes(alpha, number, "nicht mehr")
    assert _alice(alpha).marketing_consent == "opted_out"


def test_start_after_stop_opts_back_in_and_start_alone_does_nothing(alpha, number):
    customer_writes(alpha, number, "START")
    assert _alice(alpha).marketing_consent == "unknown" and _automated(alpha) == []
    customer_writes(alpha, number, "STOP")
    customer_writes(alpha, number, "Start")
    assert _alice(alpha).marketing_consent == "opted_in"
    assert [kind for kind, _ in _automated(alpha)] == ["opt_out", "opt_in"]


def test_opt_out_keywords_switched_off_change_nothing(alpha, number):
    _configure(alpha, opt_out_enabled=False)
    customer_writes(alpha, number, "STOP")
    assert _alice(alpha).marketing_consent == "unknown" and _automated(alpha) == []


def test_the_welcome_message_goes_to_a_first_contact_only_and_only_when_switched_on(alpha, number):
    customer_writes(alpha, number, "Hi", wa_id="16505550109")
    assert _automated(alpha) == []
    _configure(alpha, welcome_enabled=True, welcome_text="Welcome to Alpha!")
    customer_writes(alpha, number, "Hello")
    customer_writes(alpha, number, "Anyone there?")
    customer_writes(alpha, number, "Me again", wa_id="16505550109")
    assert _automated(alpha) == [("welcome", "Welcome to Alpha!")]


def test_the_away_message_goes_outside_business_hours_at_most_once_in_twelve_hours(alpha, number):
    closed_all_week = {day: [] for day in ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]}
    _configure(alpha, away_enabled=True, away_text="We're closed", business_hours=closed_all_week)
    customer_writes(alpha, number, "Hello")
    customer_writes(alpha, number, "Hello??")
    assert _automated(alpha) == [("away", "We're closed")]


def test_no_away_message_during_business_hours(alpha, number):
    always = {day: [["00:00", "23:59"]] for day in ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]}
    _configure(alpha, away_enabled=True, business_hours=always)
    customer_writes(alpha, number, "Hello")
    assert _automated(alpha) == []


def test_business_hours_are_read_in_the_business_time_zone():
    config = InboxSettings(timezone="Asia/Kolkata", business_hours={"mon": [["09:00", "18:00"]]})
    monday_0400_utc = datetime(2026, 11, 23, 4, 0, tzinfo=UTC)  # 09:30 in Kolkata
    assert is_business_hours(config, monday_0400_utc)
    assert not is_business_hours(config, monday_0400_utc.replace(hour=13))  # 18:30 in Kolkata
    assert not is_business_hours(config, datetime(2026, 11, 24, 4, 0, tzinfo=UTC))  # Tuesday: no hours


def test_keywords_are_matched_without_case_punctuation_or_emoji():
    message = Message(type="text", payload={"type": "text", "text": {"body": "  ¡BAJA! 🙏 "}})
    assert keyword_of(message) == "baja"
    assert keyword_of(Message(type="image", payload={"type": "image", "image": {"caption": "STOP"}})) == ""


def test_one_business_stop_never_opts_out_the_same_person_in_another(alpha, beta, number):
    beta_number = connect_number(beta, "120000000000002", "220000000000002")
    customer_writes(beta, beta_number, "Hi")
    customer_writes(alpha, number, "STOP")
    assert _alice(alpha).marketing_consent == "opted_out"
    assert _alice(beta).marketing_consent == "unknown"
    assert _automated(beta) == []
