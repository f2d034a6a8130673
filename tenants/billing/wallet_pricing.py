"""What a wholesale business pays for one delivered message: Meta's rate for its category and the recipient's
country on the day it was delivered (the dated rate card), plus the reseller's markup, in integer micro-units.

Both parts are rounded half-up to a micro-unit on their own, so the ledger can show Meta's share and the
reseller's, and they add up to the charge exactly.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from tenants.billing import rate_card as cards
from tenants.billing.regions import region_of
from tenants.billing.wallet_models import MICROS


@dataclass(frozen=True)
class Price:
    category: str  # Meta's name, lower case ("" when unknown)
    country: str  # ISO alpha-2, "" when the number's prefix says none
    meta_rate_micros: int | None  # None: could not be priced (see `problem`)
    markup_micros: int | None
    problem: str = ""

    @property
    def total_micros(self) -> int:
        return (self.meta_rate_micros or 0) + (self.markup_micros or 0)


def to_micros(amount: Decimal) -> int:
    return int((amount * MICROS).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def markup_of(meta_rate_micros: int, markup_percent: Decimal) -> int:
    return int((Decimal(meta_rate_micros) * markup_percent / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def country_of(recipient: str) -> str:
    """The recipient's country from the digits of their number (a wa_id or E.164 digits); "" for anything else
    (a BSUID, a non-geographic number), which the card prices at the rest of the world's rate."""
    digits = (recipient or "").lstrip("+")
    return region_of(digits)[0] if digits.isdigit() else ""


def category_name(category: str) -> str:
    return (category or "").strip().lower().replace("-", "_")


def price_of(*, category: str, recipient: str, on: dt.date, markup_percent: Decimal,
             card_cache: dict | None = None) -> Price:
    """The price of one delivered message. Never raises: a category the card doesn't know or a card that can't be
    read is a Price with `problem` set (the ledger records the delivery at no charge and says why; the log too)."""
    country, name = country_of(recipient), category_name(category)
    cache = card_cache if card_cache is not None else {}
    try:
        card = cache[on] if on in cache else cache.setdefault(on, cards.rate_card(on))
        rate = to_micros(card.rate(country, name))
    except cards.RateCardError as exc:
        return Price(name, country, None, None, f"rate card unusable: {exc}"[:300])
    except ValueError:
        return Price(name, country, None, None, f"unknown pricing category {category!r}"[:300])
    return Price(name, country, rate, markup_of(rate, markup_percent))


def price_list(*, markup_percent: Decimal, on: dt.date | None = None) -> dict:
    """The card in force with the markup included, per country ("*": every other, first) and category: what a
    wholesale business is told it pays (never the markup itself), in the card's currency (the wallet's: a wallet
    is opened in it)."""
    card = cards.rate_card(on)

    def billed(price: Decimal) -> int:
        meta = to_micros(price)
        return meta + markup_of(meta, markup_percent)

    countries = sorted(card.prices, key=lambda country: (country != cards.REST_OF_WORLD, country))
    return {"rate_card_date": card.effective_from,
            "prices": [{"country": country, **{f"{category}_micros": billed(card.prices[country][category])
                                               for category in cards.CATEGORIES}} for country in countries]}
