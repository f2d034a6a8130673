"""The dated rate card: prices come from a CSV file, the card in force is picked by date, a bad file says where."""
import datetime as dt
import os
from decimal import Decimal

import pytest

from tenants.billing.rate_card import DEFAULT_PATH, RateCardError, estimate, rate_card, rate_cards

HEADER = "effective_from,country,currency,marketing,utility,authentication,authentication_international\n"
CARD = HEADER + """\
# a comment
2026-01-01,*,USD,0.0600,0.0080,0.0200,
2026-01-01,IN,USD,0.0129,0.0017,0.0014,0.0280
2026-04-01,*,USD,0.0700,0.0090,0.0210,
2026-04-01,IN,USD,0.0130,0.0018,0.0015,0.0300
2026-04-01,US,USD,0.0275,0.0044,0.0135,n/a
"""


@pytest.fixture
def card_file(tmp_path, settings):
    path = tmp_path / "rates.csv"
    settings.RATE_CARD_PATH = str(path)

    def write(text: str):
        path.write_text(text, encoding="utf-8")
        return path

    return write


def test_the_shipped_card_is_valid_and_covers_the_main_markets(settings):
    settings.RATE_CARD_PATH = ""
    cards = rate_cards()
    assert cards and all(card.currency == "USD" for card in cards)
    latest = rate_card(dt.date(2100, 1, 1))
    assert {"IN", "US", "BR", "GB", "DE", "*"} <= set(latest.prices)
    assert latest.rate("IN", "MARKETING") == Decimal("0.0129")
    assert latest.rate("US", "utility") == Decimal("0.0044")
    assert latest.rate("DE", "Marketing") == Decimal("0.1500")
    assert "INDICATIVE" in DEFAULT_PATH.read_text()


def test_the_card_in_force_is_the_latest_dated_on_or_before_the_day(card_file):
    card_file(CARD)
    assert rate_card(dt.date(2026, 3, 31)).effective_from == dt.date(2026, 1, 1)
    assert rate_card(dt.date(2026, 4, 1)).effective_from == dt.date(2026, 4, 1)
    assert rate_card(dt.date(2027, 1, 1)).rate("IN", "marketing") == Decimal("0.0130")
    assert rate_card(dt.date(2026, 2, 1)).rate("IN", "marketing") == Decimal("0.0129")


def test_no_card_before_the_first_date(card_file):
    card_file(CARD)
    with pytest.raises(RateCardError, match="no rate card in force on 2025-12-31"):
        rate_card(dt.date(2025, 12, 31))


def test_a_country_without_a_row_pays_the_rest_of_the_worlds_rate(card_file):
    card_file(CARD)
    card = rate_card(dt.date(2026, 1, 2))
    assert card.rate("US", "MARKETING") == Decimal("0.0600")  # US has a row only from April
    assert card.rate("", "UTILITY") == Decimal("0.0080")  # unknown country
    assert card.rate("in", "utility") == Decimal("0.0017")  # lower case


def test_categories_by_any_of_metas_names(card_file):
    card_file(CARD)
    card = rate_card(dt.date(2026, 5, 1))
    assert card.rate("IN", "AUTHENTICATION") == Decimal("0.0015")
    assert card.rate("IN", "authentication-international") == Decimal("0.0300")  # as status webhooks spell it
    assert card.rate("US", "AUTHENTICATION_INTERNATIONAL") == Decimal("0.0135")  # n/a: same as authentication
    assert card.rate("*", "authentication_international") == Decimal("0.0210")  # empty: same
    assert card.rate("IN", "marketing_lite") == Decimal("0.0130")
    assert card.rate("IN", "service") == Decimal(0)
    with pytest.raises(ValueError, match="unknown pricing category 'PROMO'"):
        card.rate("IN", "PROMO")


def test_an_estimate_prices_each_country_and_category(card_file):
    card_file(CARD)
    result = estimate({("IN", "MARKETING"): 1000, ("US", "UTILITY"): 10, ("", "MARKETING"): 3, ("fr", "marketing"): 5},
                      on=dt.date(2026, 6, 1))
    assert result.currency == "USD"
    assert result.rate_card_date == dt.date(2026, 4, 1)
    assert result.lines == (
        ("IN", "MARKETING", 1000, Decimal("0.0130"), Decimal("13.0000")),  # largest count first
        ("US", "UTILITY", 10, Decimal("0.0044"), Decimal("0.0440")),
        ("FR", "MARKETING", 5, Decimal("0.0700"), Decimal("0.3500")),  # no row: the rest of the world's
        ("", "MARKETING", 3, Decimal("0.0700"), Decimal("0.2100")),  # country unknown: the same
    )
    assert result.total == Decimal("13.6040")
    assert result.as_dict()["total"] == "13.6040"
    assert result.as_dict()["lines"][0] == {"country": "IN", "category": "MARKETING", "count": 1000,
                                            "rate": "0.0130", "amount": "13.0000"}


def test_an_empty_estimate_costs_nothing(card_file):
    card_file(CARD)
    result = estimate({}, on=dt.date(2026, 6, 1))
    assert result.total == 0 and result.lines == ()


def test_a_changed_file_is_read_again(card_file):
    path = card_file(CARD)
    assert rate_card(dt.date(2026, 6, 1)).rate("IN", "marketing") == Decimal("0.0130")
    path.write_text(CARD.replace("0.0130", "0.0140"), encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))  # a different mtime, however fast
    assert rate_card(dt.date(2026, 6, 1)).rate("IN", "marketing") == Decimal("0.0140")


@pytest.mark.parametrize("text, message", [
    ("effective_from,country,currency,marketing,utility,authentication\n2026-01-01,*,USD,1,1,1\n",
     r"line 1: missing column\(s\) authentication_international"),
    (HEADER + "2026-01-01,*,USD,0.06,abc,0.02,\n", r"line 2: utility 'abc' is not a price"),
    (HEADER + "# comment\n\n2026-01-01,*,USD,0.06,0.01,-1,\n", r"line 4: authentication '-1' is not a price"),
    (HEADER + "2026-13-01,*,USD,0.06,0.01,0.02,\n", r"line 2: effective_from '2026-13-01' is not a date"),
    (HEADER + "2026-01-01,India,USD,0.06,0.01,0.02,\n", r"line 2: country 'India' is not an ISO 3166"),
    (HEADER + "2026-01-01,*,USD,0.06,0.01,0.02,\n2026-01-01,*,USD,0.06,0.01,0.02,\n",
     r"line 3: a second row for \* on 2026-01-01"),
    (HEADER + "2026-01-01,*,USD,0.06,0.01,0.02,\n2026-01-01,IN,INR,1,1,1,\n",
     r"line 3: currency INR, but the card of 2026-01-01 is in USD"),
    (HEADER + "2026-01-01,IN,USD,0.06,0.01,0.02,\n", r"the card of 2026-01-01 has no \"\*\" row"),
    (HEADER + "2026-01-01,*,USD,0.06\n", r"line 2: 4 fields, the header has 7"),
    (HEADER, r"no rates"),
])
def test_a_bad_file_names_the_line(card_file, text, message):
    path = card_file(text)
    with pytest.raises(RateCardError, match=message) as error:
        rate_card(dt.date(2026, 6, 1))
    assert str(path) in str(error.value)


def test_a_missing_file_says_so(settings, tmp_path):
    settings.RATE_CARD_PATH = str(tmp_path / "nowhere.csv")
    with pytest.raises(RateCardError, match="can't read the rate card"):
        rate_card()
