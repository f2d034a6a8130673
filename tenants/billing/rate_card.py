"""Meta's rate card as data: prices per delivered template message by recipient country and category, dated.

In the control plane because two floors price with it: campaigns estimate a send's cost before it goes, and the
wholesale wallet (tenants.billing.wallet) charges each delivered billable message at Meta's rate plus the
reseller's markup.

The card is a CSV file (`rate_card.csv` next to this module, or settings.RATE_CARD_PATH), never figures in
code: Meta changes rates on 1 January, April, July and October and publishes them as files (whatsapp-cloud-api.md
§8.6), so keeping up is replacing a file (README.md here says how). Columns:

    effective_from, country, currency, marketing, utility, authentication, authentication_international

`country` is ISO 3166 alpha-2, or "*" for every country without a row of its own. Each effective date is a
complete card (its own "*" row, one currency); the card in force on a day is the one with the latest
effective_from on or before it. Lines starting with "#" are comments. A bad file raises RateCardError naming the
line, when it is first read (and again after every change to it: the cache is keyed by path and mtime).

    rate_card(on)            the card in force on a day (today, UTC, by default)
    RateCard.rate(c, cat)    a country's price for a category, else the rest of the world's ("*")
    estimate(counts, on)     {(country, category): messages} priced line by line, with the card's date
"""
from __future__ import annotations

import csv
import datetime as dt
import functools
import os
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import NamedTuple

from django.conf import settings
from django.utils import timezone

DEFAULT_PATH = Path(__file__).with_name("rate_card.csv")
CATEGORIES = ("marketing", "utility", "authentication", "authentication_international")
COLUMNS = ("effective_from", "country", "currency", *CATEGORIES)
REST_OF_WORLD = "*"
# Pricing categories of status webhooks that are not template categories: what they cost. Service messages and
# free-entry-point referrals are free; Marketing Messages Lite is billed as marketing.
FREE_CATEGORIES = frozenset({"service", "referral_conversion"})
ALIASES = {"marketing_lite": "marketing"}

_COUNTRY = re.compile(r"[A-Z]{2}")
_CURRENCY = re.compile(r"[A-Z]{3}")


class RateCardError(ValueError):
    """The rate card file can't be used; the message names the file and the line."""


@dataclass(frozen=True)
class RateCard:
    effective_from: dt.date
    currency: str
    prices: dict[str, dict[str, Decimal]]  # country (or "*") -> category -> price per delivered message

    def rate(self, country: str | None, category: str) -> Decimal:
        """The price of one delivered message of Meta's `category` (MARKETING, UTILITY, AUTHENTICATION,
        AUTHENTICATION_INTERNATIONAL, any case; the webhooks' `authentication-international`, `service`,
        `marketing_lite` and `referral_conversion` too) to `country`; the "*" row's for an unlisted or unknown
        ("") country."""
        category = _category(category)
        if category in FREE_CATEGORIES:
            return Decimal(0)
        row = self.prices.get((country or "").upper()) or self.prices[REST_OF_WORLD]
        return row[category]


class EstimateLine(NamedTuple):
    country: str  # as counted ("" when unknown), upper case
    category: str  # Meta's name, upper case
    count: int
    rate: Decimal
    amount: Decimal


@dataclass(frozen=True)
class Estimate:
    currency: str
    total: Decimal
    lines: tuple[EstimateLine, ...]  # largest count first
    rate_card_date: dt.date

    def as_dict(self) -> dict:
        """The API's shape (`cost.estimate`): amounts as decimal strings, the date as ISO."""
        return {
            "currency": self.currency,
            "total": str(self.total),
            "rate_card_date": self.rate_card_date.isoformat(),
            "lines": [{"country": line.country, "category": line.category, "count": line.count,
                       "rate": str(line.rate), "amount": str(line.amount)} for line in self.lines],
        }


def rate_card_path() -> Path:
    return Path(getattr(settings, "RATE_CARD_PATH", "") or DEFAULT_PATH)


def rate_cards() -> tuple[RateCard, ...]:
    """Every card in the file, oldest first."""
    path = rate_card_path()
    try:
        stat = os.stat(path)
    except OSError as exc:
        raise RateCardError(f"{path}: can't read the rate card ({exc.strerror})") from None
    return _load(str(path), stat.st_mtime_ns, stat.st_size)


def rate_card(on: dt.date | None = None) -> RateCard:
    """The card in force on `on` (default: today, UTC): the latest effective_from on or before it."""
    on = on or timezone.now().date()
    cards = rate_cards()
    in_force = [card for card in cards if card.effective_from <= on]
    if not in_force:
        raise RateCardError(f"{rate_card_path()}: no rate card in force on {on.isoformat()} "
                            f"(the first is effective from {cards[0].effective_from.isoformat()})")
    return in_force[-1]


def estimate(counts: dict[tuple[str, str], int], on: dt.date | None = None) -> Estimate:
    """What `counts` messages ({(country, category): count}) cost if all are delivered, by the card in force."""
    card = rate_card(on)
    lines = []
    for (country, category), count in counts.items():
        rate = card.rate(country, category)
        lines.append(EstimateLine((country or "").upper(), _category(category).upper(), count, rate, rate * count))
    lines.sort(key=lambda line: (-line.count, line.country, line.category))
    return Estimate(card.currency, sum((line.amount for line in lines), Decimal(0)), tuple(lines),
                    card.effective_from)


def _category(category: str) -> str:
    name = (category or "").strip().lower().replace("-", "_")
    name = ALIASES.get(name, name)
    if name not in CATEGORIES and name not in FREE_CATEGORIES:
        raise ValueError(f"unknown pricing category {category!r}")
    return name


@functools.lru_cache(maxsize=4)
def _load(path: str, _mtime_ns: int, _size: int) -> tuple[RateCard, ...]:
    try:
        with open(path, newline="", encoding="utf-8-sig") as file:
            numbered = [(number, line) for number, line in enumerate(file, 1)
                        if line.strip() and not line.lstrip().startswith("#")]
    except (OSError, UnicodeDecodeError) as exc:
        raise RateCardError(f"{path}: can't read the rate card ({exc})") from None
    if not numbered:
        raise RateCardError(f"{path}: no header line")
    rows = csv.reader([line for _number, line in numbered])
    header_number = numbered[0][0]
    header = [name.strip().lower() for name in next(rows)]
    missing = [name for name in COLUMNS if name not in header]
    if missing:
        raise RateCardError(f"{path} line {header_number}: missing column(s) {', '.join(missing)}")
    index = {name: header.index(name) for name in COLUMNS}

    cards: dict[dt.date, tuple[str, dict[str, dict[str, Decimal]]]] = {}
    for (number, _line), row in zip(numbered[1:], rows, strict=True):
        where = f"{path} line {number}"
        if len(row) < len(header):
            raise RateCardError(f"{where}: {len(row)} fields, the header has {len(header)}")
        value = {name: row[i].strip() for name, i in index.items()}
        try:
            day = dt.date.fromisoformat(value["effective_from"])
        except ValueError:
            raise RateCardError(f"{where}: effective_from {value['effective_from']!r} is not a date "
                                f"(YYYY-MM-DD)") from None
        country = value["country"].upper()
        if country != REST_OF_WORLD and not _COUNTRY.fullmatch(country):
            raise RateCardError(f"{where}: country {value['country']!r} is not an ISO 3166 alpha-2 code or *")
        currency = value["currency"].upper()
        if not _CURRENCY.fullmatch(currency):
            raise RateCardError(f"{where}: currency {value['currency']!r} is not an ISO 4217 code")
        if not value["authentication_international"] or value["authentication_international"].lower() == "n/a":
            # Meta's cards leave it empty where a country has no separate international rate.
            value["authentication_international"] = value["authentication"]
        prices = {}
        for category in CATEGORIES:
            try:
                price = Decimal(value[category])
            except InvalidOperation:
                price = None
            if price is None or not price.is_finite() or price < 0:
                raise RateCardError(f"{where}: {category} {value[category]!r} is not a price")
            prices[category] = price
        card_currency, card = cards.setdefault(day, (currency, {}))
        if currency != card_currency:
            raise RateCardError(f"{where}: currency {currency}, but the card of {day.isoformat()} is in "
                                f"{card_currency}")
        if country in card:
            raise RateCardError(f"{where}: a second row for {country} on {day.isoformat()}")
        card[country] = prices

    if not cards:
        raise RateCardError(f"{path}: no rates")
    for day, (_currency, card) in cards.items():
        if REST_OF_WORLD not in card:
            raise RateCardError(f"{path}: the card of {day.isoformat()} has no \"*\" row (the rest of the world)")
    return tuple(RateCard(day, currency, card) for day, (currency, card) in sorted(cards.items()))
