"""Phone numbers to E.164, exactly as `phonenumbers` would, at import speed.

`phonenumbers.parse` + `is_valid_number` cost ~35 µs a number, which alone would cap a CSV import at
~28k rows/s. Most inputs have one of two simple shapes: "+<digits>", or national digits in the default
region with no national prefix. For those, `PhoneNormaliser` follows the same rules as the library
(country code extraction, national-prefix test, the validity patterns of every region sharing the
country code) with precompiled patterns. Anything else (IDD prefixes, national prefixes that need
the library's stripping rules, letters, extensions, non-ASCII digits) goes to `phonenumbers` itself.
`tests/test_phones.py` checks the two paths agree on hundreds of thousands of generated inputs.
"""
import re
from dataclasses import dataclass
from functools import lru_cache

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat
from phonenumbers.phonemetadata import PhoneMetadata
from phonenumbers.phonenumberutil import COUNTRY_CODE_TO_REGION_CODE, ValidationResult, _test_number_length

_SEPARATORS = str.maketrans("", "", " -.()/\u00a0\u2010\u2011\u2012\u2013\u2014\u2212")
_MIN_NSN, _MAX_NSN = 2, 17
_MAX_INPUT = 250  # phonenumbers refuses longer strings
_BAD_LENGTH = (ValidationResult.TOO_SHORT, ValidationResult.IS_POSSIBLE_LOCAL_ONLY, ValidationResult.INVALID_LENGTH)
_TYPE_DESCS = ("fixed_line", "mobile", "toll_free", "premium_rate", "shared_cost", "voip", "personal_number",
               "pager", "uan", "voicemail")
_PARSE_ERRORS = {
    NumberParseException.INVALID_COUNTRY_CODE: "unknown or missing country code",
    NumberParseException.NOT_A_NUMBER: "not a phone number",
    NumberParseException.TOO_SHORT_AFTER_IDD: "too short",
    NumberParseException.TOO_SHORT_NSN: "too short",
    NumberParseException.TOO_LONG: "too long",
}


class PhoneError(ValueError):
    """The reason a value is not a usable phone number, in words for the error report."""


def region_is_known(region: str) -> bool:
    return region.upper() in phonenumbers.SUPPORTED_REGIONS


def _desc(desc):
    if desc is None or not desc.national_number_pattern:
        return None
    return frozenset(desc.possible_length), desc.national_number_pattern


def _allows(desc, length: int) -> bool:
    return not desc[0] or length in desc[0]


@dataclass(frozen=True)
class _Region:
    """One region's validity rule (phonenumbers' _number_type_helper != UNKNOWN), precompiled per length:
    the general description and any one of the type descriptions allowed at that length, as one regex."""

    leading_digits: re.Pattern | None
    by_length: dict

    def valid(self, nsn: str) -> bool:
        pattern = self.by_length.get(len(nsn))
        return pattern is not None and pattern.fullmatch(nsn) is not None

    @classmethod
    def of(cls, md) -> "_Region":
        general = _desc(md.general_desc)
        types = [d for d in (_desc(getattr(md, t)) for t in _TYPE_DESCS) if d is not None]
        by_length = {}
        for length in range(_MIN_NSN, _MAX_NSN + 1) if general else ():
            allowed = [pattern for desc in types if _allows(desc, length) for pattern in [desc[1]]]
            if _allows(general, length) and allowed:
                either = "|".join(f"(?:{p})" for p in allowed)
                by_length[length] = re.compile(f"(?=(?:{general[1]})\\Z)(?:{either})")
        return cls(re.compile(md.leading_digits) if md.leading_digits else None, by_length)


@lru_cache(maxsize=512)
def _regions(country_code: int) -> tuple[_Region, ...] | None:
    names = COUNTRY_CODE_TO_REGION_CODE.get(country_code)
    if not names or names[0] == "001":  # non-geographic codes (+800, +882 ...): the library decides
        return None
    return tuple(_Region.of(md) for md in (PhoneMetadata.metadata_for_region(n, None) for n in names) if md)


def _valid(country_code: int, nsn: str) -> bool | None:
    """phonenumbers.is_valid_number for +cc nsn; None when the fast rules don't cover this code."""
    regions = _regions(country_code)
    if regions is None:
        return None
    if len(regions) == 1:
        return regions[0].valid(nsn)
    for region in regions:  # shared codes: the region is picked as region_code_for_number does
        if region.leading_digits is not None:
            if region.leading_digits.match(nsn):
                return region.valid(nsn)
        elif region.valid(nsn):
            return True
    return False


@dataclass(frozen=True)
class _Parsing:
    """The metadata parse() consults for national input in one region (or for a country code)."""

    country_code: int
    metadata: object
    idd: re.Pattern | None
    national_prefix: re.Pattern | None
    simple_prefix: str | None  # the prefix when it's plain digits with no transform rule
    general: re.Pattern | None
    code_text: str

    @classmethod
    def of(cls, md) -> "_Parsing":
        npfp = md.national_prefix_for_parsing
        simple = npfp if npfp and npfp.isdigit() and not md.national_prefix_transform_rule else None
        general = md.general_desc.national_number_pattern if md.general_desc else None
        return cls(md.country_code, md, re.compile(md.international_prefix) if md.international_prefix else None,
                   re.compile(npfp) if npfp else None, simple, re.compile(general) if general else None,
                   str(md.country_code))


@lru_cache(maxsize=512)
def _parsing_for_region(region: str) -> _Parsing | None:
    md = PhoneMetadata.metadata_for_region(region, None)
    return _Parsing.of(md) if md is not None else None


@lru_cache(maxsize=512)
def region_of_code(country_code: int) -> str | None:
    return phonenumbers.region_code_for_country_code(country_code)


@lru_cache(maxsize=512)
def _parsing_for_code(country_code: int) -> _Parsing | None:
    names = COUNTRY_CODE_TO_REGION_CODE.get(country_code)
    if not names or names[0] == "001":
        return None
    return _parsing_for_region(names[0])


def _split_country_code(digits: str) -> tuple[int, str] | None:
    if not digits or digits[0] == "0":
        return None
    for i in (1, 2, 3):
        code = int(digits[:i])
        if code in COUNTRY_CODE_TO_REGION_CODE:
            return code, digits[i:]
    return None


class PhoneNormaliser:
    """Callable: raw text -> E.164 string, or raises PhoneError. One per import (per default region)."""

    def __init__(self, default_region: str | None):
        self.region = (default_region or "").upper() or None
        self.parsing = _parsing_for_region(self.region) if self.region else None

    def __call__(self, raw: str) -> str:
        cleaned = raw.strip().translate(_SEPARATORS)
        fast = self._fast(cleaned) if cleaned.isascii() and len(raw) <= _MAX_INPUT else None
        if fast is not None:
            return fast
        return self._slow(raw)

    def _fast(self, cleaned: str) -> str | None:
        """E.164 for the simple shapes; None means "ask phonenumbers" (which also produces the error)."""
        if cleaned.startswith("+"):
            digits = cleaned[1:]
            if len(digits) <= _MIN_NSN or not digits.isdigit():
                return None
            split = _split_country_code(digits)
            if split is None:
                return None
            country_code, nsn = split
            parsing = _parsing_for_code(country_code)
            if parsing is None or (parsing.national_prefix is not None and parsing.national_prefix.match(nsn)):
                return None
        else:
            parsing = self.parsing
            if parsing is None or not cleaned.isdigit():
                return None
            if parsing.idd is not None and parsing.idd.match(cleaned):
                return None
            country_code, nsn, extracted = parsing.country_code, cleaned, False
            if cleaned.startswith(parsing.code_text):
                split = self._country_code_without_plus(parsing, cleaned)
                if split is None:
                    return None
                nsn, extracted = split
            if not extracted and parsing.national_prefix is not None and parsing.national_prefix.match(nsn):
                if parsing.simple_prefix is None:
                    return None
                nsn = self._strip_simple_prefix(parsing, nsn)
        if not _MIN_NSN <= len(nsn) <= _MAX_NSN:
            return None
        valid = _valid(country_code, nsn)
        if valid is None or not valid:
            return None  # invalid numbers take the slow path too, which words the reason
        return f"+{country_code}{nsn}"

    def _country_code_without_plus(self, parsing: _Parsing, cleaned: str) -> tuple[str, bool] | None:
        """"919876543210" in region IN: phonenumbers' _maybe_extract_country_code. Returns the national
        number and whether the leading digits were the country code; None for "ask the library"."""
        potential = cleaned[len(parsing.code_text):]
        if parsing.general is None or region_of_code(parsing.country_code) != self.region:
            return None
        if parsing.national_prefix is not None and parsing.national_prefix.match(potential):
            return None
        if (parsing.general.fullmatch(cleaned) is None and parsing.general.fullmatch(potential) is not None) or \
                _test_number_length(cleaned, parsing.metadata) == ValidationResult.TOO_LONG:
            return potential, True
        return cleaned, False

    @staticmethod
    def _strip_simple_prefix(parsing: _Parsing, nsn: str) -> str:
        # phonenumbers' _maybe_strip_national_prefix_carrier_code, then parse()'s length test.
        stripped = nsn[len(parsing.simple_prefix):]
        pattern = parsing.general
        viable = pattern is not None and pattern.fullmatch(nsn) is not None
        if viable and (pattern.fullmatch(stripped) is None):
            return nsn
        if _test_number_length(stripped, parsing.metadata) in _BAD_LENGTH:
            return nsn
        return stripped

    def _slow(self, raw: str) -> str:
        try:
            number = phonenumbers.parse(raw, self.region)
        except NumberParseException as exc:
            reason = _PARSE_ERRORS.get(exc.error_type, "not a phone number")
            if exc.error_type == NumberParseException.INVALID_COUNTRY_CODE:
                if raw.strip().startswith("+"):
                    reason = "unknown country code"
                elif self.region is None:
                    reason = "no country code: write it as +<country code><number>, or set a default region"
            raise PhoneError(reason) from None
        if number.extension:
            raise PhoneError("has an extension; WhatsApp needs a plain number")
        if not phonenumbers.is_valid_number(number):
            region = phonenumbers.region_code_for_country_code(number.country_code)
            raise PhoneError(f"not a valid number for {region}" if region and region != "ZZ" else "not a valid number")
        return phonenumbers.format_number(number, PhoneNumberFormat.E164)


def normalise_phone(raw: str, default_region: str | None) -> str:
    """One number (API writes). Imports keep one PhoneNormaliser for the whole file."""
    return PhoneNormaliser(default_region)(raw)


def reference_e164(raw: str, default_region: str | None) -> str | None:
    """What phonenumbers alone says, for the equivalence tests; None when invalid."""
    try:
        number = phonenumbers.parse(raw, default_region)
    except NumberParseException:
        return None
    if number.extension or not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)
