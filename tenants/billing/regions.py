"""A recipient's country and time zone from the digits of their number, in Python and in SQL.

Quiet hours and "send at 09:00 local time" need every recipient's time zone, and the cost estimate needs their
country; a campaign has up to a million recipients, so both are filled in by the one INSERT ... SELECT that
materialises them (apps.campaigns.audience), joining a small prefix table, not by Python per row. The wholesale
wallet prices each delivered message by its recipient's country (`region_of`), so the table lives in the control
plane, below both: a campaign's estimate and the wallet's charge read a number's country the same way.

The table comes from the pinned `phonenumbers` package: `COUNTRY_CODE_TO_REGION_CODE` for countries and
`tzdata.TIMEZONE_DATA` (digit prefixes -> IANA zones) for time zones. It is *dense*: every digit string of one to
four digits that starts with a geographic country code has a row holding the answer for that prefix, so the
longest-prefix match is precomputed and a number needs one lookup of its first four digits (one hash join in
SQL) instead of four. Four digits are enough for country code + NANP area code (+1 212 New York, +1 416
Toronto, +1 876 Jamaica), Russia vs Kazakhstan (+7 7xx), Bonaire vs Curaçao (+599 7); they are not enough for
the Channel Islands and the Isle of Man inside +44 (+44 1481 ...), which therefore read as GB, Europe/London.

Rules, all deterministic (so Python and SQL agree, and a test can pin them):
- Country: the country code's main region (`region_code_for_country_code`); for a code shared by several
  regions (+1, +7, +44, +599, ...) a four-digit prefix takes the region `phonenumbers` gives sample numbers
  under it (their metadata knows which area codes are Canadian or Jamaican), else the main region.
- Time zone: when `phonenumbers`' data gives a prefix several zones (+1 alone has 42, +55 four),
  the prefix gets the zone that covers the largest share of its numbers, judged from the longer, more precise
  prefixes under it: +55 -> America/Sao_Paulo, +7 -> Europe/Moscow, +1 212 -> America/New_York. Where the data
  has no finer evidence (+44 7 mobiles: London, Guernsey, Jersey or Isle of Man), the zone chosen for the
  enclosing prefix wins if it is a candidate, else the alphabetically first candidate. Finally, a zone that
  is not one of the prefix's country's own (tzdata's zone.tab) is replaced by the country's zone when it has
  only one (phonenumbers says Europe/Paris for Algeria, which has no daylight saving; Asia/Calcutta for India).
- Non-geographic codes (+800, +808, +870, +878, +881, +882, +883, +888, +979) and unknown prefixes: "" and "".

Every zone is an IANA name PostgreSQL knows (pg_timezone_names; tested), so `AT TIME ZONE` works on it.
"""
from __future__ import annotations

import functools
from collections import Counter
from importlib import resources

import phonenumbers
from phonenumbers.phonenumberutil import COUNTRY_CODE_TO_REGION_CODE
from phonenumbers.tzdata import TIMEZONE_DATA, TIMEZONE_LONGEST_PREFIX

PREFIX_DIGITS = 4
TABLE = "pg_temp.phone_regions"
_NON_GEOGRAPHIC = "001"

# Filled after a national prefix to make sample numbers of each possible length; several, because a region's
# pattern may refuse some exchanges (NANP exchanges can't start with 0 or 1). The first valid sample decides:
# the regions sharing a country code never claim the same numbers (NANP area codes are disjoint).
_FILLERS = ("2345678901234", "5678901234567", "8765432109876")


def region_of(digits: str) -> tuple[str, str]:
    """(ISO 3166 alpha-2 country or "", IANA time zone or "") of a number's digits (E.164 without "+", or a
    wa_id). The same answer as the SQL of `region_sql`."""
    return prefix_table().get((digits or "")[:PREFIX_DIGITS], ("", ""))


@functools.cache
def prefix_table() -> dict[str, tuple[str, str]]:
    """Every prefix of one to four digits under a geographic country code -> (country, time zone).

    Built once a process from `phonenumbers` (~0.3 s); about 9,000 entries."""
    table: dict[str, tuple[str, str]] = {}
    zones = _Zones()
    for code, regions in COUNTRY_CODE_TO_REGION_CODE.items():
        if regions[0] == _NON_GEOGRAPHIC:
            continue
        cc = str(code)
        for prefix in _extensions(cc):
            country = regions[0]
            if len(regions) > 1 and len(prefix) == PREFIX_DIGITS:
                country = _sampled_region(cc, prefix[len(cc):], regions)
            table[prefix] = (country, _in_country(country, zones.zone_for(prefix)))
    return table


@functools.cache
def _zones_by_country() -> dict[str, frozenset[str]]:
    """ISO country -> its IANA zones, from zone.tab of the pinned `tzdata` package."""
    by_country: dict[str, set[str]] = {}
    for line in resources.files("tzdata").joinpath("zoneinfo", "zone.tab").read_text().splitlines():
        if line and not line.startswith("#"):
            country, _coordinates, zone = line.split("\t")[:3]
            by_country.setdefault(country, set()).add(zone)
    return {country: frozenset(zones) for country, zones in by_country.items()}


def _in_country(country: str, zone: str) -> str:
    """The zone, unless it isn't one of the country's own and the country has only one: phonenumbers' data
    borrows a neighbour's zone for some countries (Europe/Paris for Algeria, America/Chicago for Nicaragua,
    Europe/Bucharest for the Baltic states), whose daylight-saving rules differ, and uses old names
    (Asia/Calcutta, Asia/Rangoon); the country's single zone is right (Africa/Algiers, Asia/Kolkata)."""
    own = _zones_by_country().get(country, frozenset())
    if zone and zone not in own and len(own) == 1:
        return next(iter(own))
    return zone


def _extensions(cc: str):
    """cc itself and every longer digit string up to PREFIX_DIGITS that starts with it."""
    level = [cc]
    while level and len(level[0]) <= PREFIX_DIGITS:
        yield from level
        level = [p + d for p in level for d in "0123456789"]


def _sampled_region(cc: str, national_prefix: str, regions: tuple[str, ...]) -> str:
    """Which of the regions sharing `cc` owns numbers starting with `national_prefix`, by asking
    phonenumbers about sample numbers; the main region when no sample is a valid number."""
    lengths = sorted({  # longest first: full numbers, not short codes (Canada's 7-digit 310-xxxx lines)
        n for region in regions
        for n in phonenumbers.PhoneMetadata.metadata_for_region(region).general_desc.possible_length
        if n > len(national_prefix)
    }, reverse=True)
    for filler in _FILLERS:
        for length in lengths:
            national = (national_prefix + filler)[:length]
            # Built directly rather than parsed (parse() is most of the cost); zeros in front are Italy's.
            number = phonenumbers.PhoneNumber(country_code=int(cc), national_number=int(national))
            if national.startswith("0"):
                number.italian_leading_zero = True
                number.number_of_leading_zeros = len(national) - len(national.lstrip("0"))
            region = phonenumbers.region_code_for_number(number)
            if region in regions:
                return region
    return regions[0]


class _Zones:
    """Picks one zone per prefix from phonenumbers' prefix -> zones data (the rule in the module docstring).

    Shares are counted in integer units of number space: a key of n digits covers 10**(9 - n) of them, so
    there are no float ties."""

    def __init__(self):
        self.keys = TIMEZONE_DATA
        # Prefixes strictly above some key: where a finer answer may exist below.
        self.inner = {key[:n] for key in TIMEZONE_DATA for n in range(1, len(key))}
        self._chosen: dict[str, str] = {}  # ambiguous key -> its zone, final (may use its ancestors)
        self._evidenced: dict[str, str | None] = {}  # ambiguous key -> what the keys below it say

    def zone_for(self, prefix: str) -> str:
        key = self._applied_key(prefix)
        if key is None:
            return ""
        if prefix not in self.inner:
            return self._zone_of_key(key)
        shares = self._shares(prefix, key, self._zone_of_key)
        return _argmax(shares) or self._zone_of_key(key)

    def _applied_key(self, prefix: str) -> str | None:
        for n in range(len(prefix), 0, -1):
            if prefix[:n] in self.keys:
                return prefix[:n]
        return None

    def _zone_of_key(self, key: str) -> str:
        candidates = self.keys[key]
        if len(candidates) == 1:
            return candidates[0]
        if key not in self._chosen:
            choice = self._evidence(key)
            if choice is None:
                parent = self._applied_key(key[:-1]) if len(key) > 1 else None
                inherited = self._zone_of_key(parent) if parent else None
                choice = inherited if inherited in candidates else sorted(candidates)[0]
            self._chosen[key] = choice
        return self._chosen[key]

    def _evidence(self, key: str) -> str | None:
        """The candidate of an ambiguous key covering most of its numbers according to the keys below it
        (themselves resolved by their own evidence only), or None when nothing below says."""
        if key not in self._evidenced:
            shares: Counter = Counter()
            if key in self.inner:
                for digit in "0123456789":
                    shares.update(self._shares(key + digit, key, self._evidence_zone, top=key))
            self._evidenced[key] = _argmax(shares)
        return self._evidenced[key]

    def _evidence_zone(self, key: str) -> str | None:
        candidates = self.keys[key]
        return candidates[0] if len(candidates) == 1 else self._evidence(key)

    def _shares(self, prefix: str, owner: str, zone_of, top: str | None = None) -> Counter:
        """How much of `prefix`'s number space each zone covers; `owner` is the key that applies to it."""
        if prefix in self.keys:
            owner = prefix
        if prefix not in self.inner:
            zone = None if owner == top else zone_of(owner)
            return Counter({zone: 10 ** (TIMEZONE_LONGEST_PREFIX - len(prefix))})
        total: Counter = Counter()
        for digit in "0123456789":
            total.update(self._shares(prefix + digit, owner, zone_of, top))
        return total


def _argmax(shares: Counter) -> str | None:
    """The zone with the largest share (ties: alphabetically first); None when no zone is known."""
    zones = sorted(zone for zone, share in shares.items() if zone is not None and share > 0)
    return max(zones, key=shares.__getitem__) if zones else None  # max() keeps the first of equals


# SQL -----------------------------------------------------------------------------------------------------------

def create_phone_regions_table(cursor) -> str:
    """Create and fill the temporary prefix table for this transaction (once; later calls find it) and
    return its name, `pg_temp.phone_regions(prefix text primary key, country text, time_zone text)`.

    ON COMMIT DROP: nothing to clean up and nothing shared between connections or tenants, and no migration.
    Must run inside transaction.atomic() (in autocommit the table would vanish after its own statement)."""
    db = getattr(cursor, "db", None)
    if db is not None and not db.in_atomic_block:
        raise RuntimeError("create_phone_regions_table needs a transaction: call it inside transaction.atomic()")
    cursor.execute("SELECT to_regclass('pg_temp.phone_regions')")
    if cursor.fetchone()[0] is not None:
        return TABLE
    rows = prefix_table()
    prefixes = list(rows)
    # Three statements, not one string: server-side parameter binding refuses several commands in one.
    cursor.execute("CREATE TEMPORARY TABLE phone_regions (prefix text PRIMARY KEY, country text NOT NULL, "
                   "time_zone text NOT NULL) ON COMMIT DROP")
    cursor.execute(f"INSERT INTO {TABLE} (prefix, country, time_zone) "
                   f"SELECT * FROM unnest(%s::text[], %s::text[], %s::text[])",
                   [prefixes, [rows[p][0] for p in prefixes], [rows[p][1] for p in prefixes]])
    cursor.execute(f"ANALYZE {TABLE}")  # a temporary table has no statistics otherwise (no autovacuum)
    return TABLE


def region_sql(digits_expr: str, alias: str = "phone_region") -> tuple[str, str]:
    """(JOIN clause, "country_expr, time_zone_expr") for a query over many numbers, after
    create_phone_regions_table() in the same transaction. `digits_expr` is an SQL expression giving the
    number's digits, e.g. `coalesce(nullif(c.wa_id, ''), ltrim(c.phone, '+'))`; both select expressions are
    never NULL ("" when unknown). One LEFT JOIN on the first four digits: a hash join, so a million rows
    take one pass over a 9,000-row table.

        join, selects = region_sql("coalesce(nullif(c.wa_id, ''), ltrim(c.phone, '+'))")
        INSERT INTO campaigns_campaignrecipient (..., country, time_zone)
        SELECT ..., {selects} FROM contacts_contact c {join} WHERE ...
    """
    join = f"LEFT JOIN {TABLE} AS {alias} ON {alias}.prefix = left({digits_expr}, {PREFIX_DIGITS})"
    selects = f"coalesce({alias}.country, ''), coalesce({alias}.time_zone, '')"
    return join, selects
