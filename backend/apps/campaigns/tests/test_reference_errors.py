"""Meta's error codes, and our own reasons for not sending, explained to the person who runs the campaign."""
import dataclasses

import pytest

from apps.campaigns.reference.errors import KNOWN_CODES, SKIP_REASONS, Explanation, explain, explain_skip

REQUIRED = [0, 1, 2, 4, 10, 100, 190, 200, 368, 130429, 130472, 131000, 131005, 131008, 131009, 131016, 131021,
            131026, 131031, 131037, 131042, 131045, 131047, 131048, 131049, 131050, 131051, 131052, 131053, 131056,
            131057, 132000, 132001, 132005, 132007, 132012, 132015, 132016, 132068, 132069, 133010, 135000]


@pytest.mark.parametrize("code", REQUIRED)
def test_every_code_a_campaign_meets_has_its_own_explanation(code):
    assert code in KNOWN_CODES
    e = explain(code)
    assert e.code == code and e.title and not e.title.startswith("Error ")
    assert e.explanation.endswith(".") and e.action.endswith(".")
    assert "ConvoNest has no plainer explanation" not in e.explanation
    assert e.retry_after_hours is None or (e.retryable and e.retry_after_hours > 0)


def test_an_explanation_is_frozen_and_serialisable():
    e = explain(131049)
    with pytest.raises(dataclasses.FrozenInstanceError):
        e.retryable = False  # type: ignore[misc]
    assert e.as_dict() == {"code": 131049, "title": e.title, "explanation": e.explanation, "action": e.action,
                           "retryable": True, "retry_after_hours": 24}


def test_metas_per_person_marketing_limit_is_worth_a_retarget_a_day_later():
    e = explain(131049)
    assert (e.retryable, e.retry_after_hours) == (True, 24)
    assert "US" in e.explanation  # Meta delivers no marketing to US numbers: say so


@pytest.mark.parametrize("code", [131026, 131050, 130472, 131021])
def test_causes_on_the_recipients_side_are_not_worth_a_retarget(code):
    assert explain(code).retryable is False


@pytest.mark.parametrize("code", [131042, 190, 132015, 131008])
def test_problems_the_business_can_fix_are_worth_a_retarget_after_the_fix(code):
    e = explain(code)
    assert e.retryable is True
    assert "retarget" in e.action or "resume" in e.action


def test_metas_own_title_is_kept_when_given():
    assert explain(131026, "Message undeliverable").title == "Message undeliverable"
    assert explain(131026, "Some newer wording").title == "Some newer wording"
    assert explain(131026).title == "Message undeliverable"


def test_an_unknown_code_still_shows_metas_title():
    e = explain(999999, "Brand new problem")
    assert e == Explanation(999999, "Brand new problem", e.explanation, e.action, False, None)
    assert "Brand new problem" in e.explanation and "999999" in e.action
    assert explain(999999).title == "Error 999999"


def test_codes_in_a_known_range_get_the_ranges_explanation():
    assert explain(250).title == "Permission error"
    assert explain(132099, "Template foo").explanation == explain(132099).explanation
    assert "template" in explain(132099).explanation
    assert "registered" in explain(133005).explanation


def test_a_failure_without_a_code_is_explained():
    e = explain(None)
    assert e.code is None and e.title and e.retryable


@pytest.mark.parametrize("reason", ["opted_out", "erased", "mapping", "plan_limit", "template_unavailable",
                                    "cancelled"])
def test_every_skip_reason_is_explained(reason):
    assert reason in SKIP_REASONS
    e = explain_skip(reason)
    assert e.code is None and e.title and e.explanation.endswith(".") and e.action.endswith(".")


def test_skips_that_respect_the_person_are_final_and_fixable_ones_are_not():
    assert not explain_skip("opted_out").retryable
    assert not explain_skip("erased").retryable
    assert explain_skip("mapping").retryable
    assert explain_skip("plan_limit").retryable


def test_an_unknown_skip_reason_still_reads():
    e = explain_skip("some_new_reason")
    assert e.title == "Some new reason" and not e.retryable
