"""Meta's rate card as data: a dated CSV of prices per delivered template message, by country and category
(`rate_card.csv` next to this module, or settings.CAMPAIGN_RATE_CARD_PATH). Lines starting with # are comments.

    rate_card(on)            the card in force on a day (the latest effective_from on or before it)
    RateCard.rate(c, cat)    a country's price for a category, else the rest of the world's ("*")
    estimate(counts, on)     counts by (country, category) priced, with the card's date
"""
from __future__ import annotations

import csv
import datetime as dt
import functools
import os
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.conf import settings

DEFAULT_PATH = Path(__file__).with_name("rate_card.csv")
CATEGORIES = ("marketing", "utility", "authentication", "authentication_international")
COLUMNS = ("effective_from", "country", "currency", *CATEGORIES)
REST_OF_WORLD = "*"


class RateCardError(ValueError):
    """The rate card file can't be read; the message names the line."""


@dataclass(frozen=True)
class RateCard:
    effective_from: dt.date
    currency: str
    rates: dict[tuple[str, str], Decimal]  # (country, category) -> price

    def rate(self, country: str, category: str) -> Decimal:
        category = (category or "marketing").lower()
        if category not in CATEGORIES:
            category = "marketing"
        country = (country or "").upper()
        return self.rates.get((country, category), self.rates.get((REST_OF_WORLD, category), Decimal(0)))


@dataclass(frozen=True)
class Line:
    country: str
    category: str
    count: int
    rate: Decimal
    amount: Decimal


@dataclass(frozen=True)
class Estimate:
    currency: str
    total: Decimal
    lines: list[Line]
    rate_card_date: dt.date


def _path() -> Path:
    return Path(getattr(settings, "CAMPAIGN_RATE_CARD_PATH", "") or DEFAULT_PATH)


@functools.lru_cache(maxsize=4)
def _load(path: str, mtime: float) -> dict[dt.date, RateCard]:
    cards: dict[dt.date, dict] = {}
    with open(path, newline="", encoding="utf-8") as f:
        lines = [(n, line) for n, line in enumerate(f, 1) if line.strip() and not line.lstrip().startswith("#")]
    reader = csv.DictReader([line for _, line in lines])
    missing = set(COLUMNS) - set(reader.fieldnames or [])
    if missing:
        raise RateCardError(f"{path}: missing columns {', '.join(sorted(missing))}")
    for (number, _), row in zip(lines[1:], reader, strict=True):
        try:
            day = dt.date.fromisoformat(row["effective_from"].strip())
            prices = {c: Decimal(row[c].strip()) for c in CATEGORIES}
        except (ValueError, InvalidOperation, AttributeError) as exc:
            raise RateCardError(f"{path} line {number}: {exc}") from None
        card = cards.setdefault(day, {"currency": row["currency"].strip() or "USD", "rates": {}})
        country = row["country"].strip().upper()
        for category, price in prices.items():
            card["rates"][(country, category)] = price
    if not cards:
        raise RateCardError(f"{path}: no rates")
    return {day: RateCard(day, c["currency"], c["rates"]) for day, c in cards.items()}


def rate_card(on: dt.date | None = None) -> RateCard:
    path = _path()
    cards = _load(str(path), os.path.getmtime(path))
    on = on or dt.date.today()
    dates = sorted(day for day in cards if day <= on) or sorted(cards)[:1]
    return cards[dates[-1]]


def estimate(counts: dict[tuple[str, str], int], on: dt.date | None = None) -> Estimate:
    card = rate_card(on)
    lines = []
    for (country, category), count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        rate = card.rate(country, category)
        lines.append(Line(country or "", (category or "").upper(), count, rate, (rate * count).quantize(
            Decimal("0.0001"))))
    return Estimate(card.currency, sum((line.amount for line in lines), Decimal(0)), lines, card.effective_from)
