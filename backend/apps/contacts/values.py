"""Normalising and validating contact values. Shared by the API, the import and the filter language.

Each function takes what a person typed and returns the stored form, or raises ValueError with a
reason written for the error report ("not an email address").
"""
import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from apps.contacts.models import AttributeType

MAX_TAGS = 50
MAX_TEXT = 500
MAX_NAME = 200
KEY_RE = re.compile(r"[a-z][a-z0-9_]{0,49}")
_EMAIL_RE = re.compile(r"[^@\s]{1,64}@[^@\s]+\.[^@\s.]{2,}")
_LANGUAGE_RE = re.compile(r"([A-Za-z]{2,3})(?:[-_]([A-Za-z]{2}|[A-Za-z]{4}|\d{3}))?")
_USER_ID_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,255}")  # Meta: BSUIDs up to 256
_NUMBER_RE = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
_TAG_SPLIT = re.compile(r"[,;|]")
_SPACES = re.compile(r"\s+")
TRUE_WORDS = {"true", "yes", "y", "1", "t"}
FALSE_WORDS = {"false", "no", "n", "0", "f"}

# Targets a CSV column or an API field can name; attribute keys may not take these names.
BUILTIN_FIELDS = ("phone", "wa_user_id", "name", "first_name", "last_name", "email", "language", "tags")
RESERVED_KEYS = set(BUILTIN_FIELDS) | {
    "id", "wa_id", "attributes", "consent", "marketing_consent", "utility_consent", "first_seen_at",
    "last_seen_at", "last_inbound_at", "last_outbound_at", "created_at", "updated_at", "erased_at", "ignore",
    "segment", "tag", "q", "filter",
}


def clean_name(raw: str) -> str:
    name = _SPACES.sub(" ", raw).strip()
    if len(name) > MAX_NAME:
        raise ValueError(f"longer than {MAX_NAME} characters")
    return name


def clean_email(raw: str) -> str:
    email = raw.strip().lower()
    if len(email) > 254 or not _EMAIL_RE.fullmatch(email):
        raise ValueError("not an email address")
    return email


def clean_language(raw: str) -> str:
    """BCP 47 / WhatsApp style codes: "en", "pt_BR", "zh_Hant". Stored with an underscore."""
    match = _LANGUAGE_RE.fullmatch(raw.strip())
    if not match:
        raise ValueError("not a language code (e.g. en, pt_BR)")
    lang, region = match.group(1).lower(), match.group(2)
    if region is None:
        return lang
    return f"{lang}_{region.title() if len(region) == 4 else region.upper()}"


def clean_user_id(raw: str) -> str:
    value = raw.strip()
    if not _USER_ID_RE.fullmatch(value):
        raise ValueError("not a WhatsApp user id")
    return value


def clean_tag(raw: str) -> str:
    tag = _SPACES.sub(" ", raw).strip().lower()
    if not tag:
        raise ValueError("empty tag")
    if len(tag) > 64:
        raise ValueError("a tag is longer than 64 characters")
    if _TAG_SPLIT.search(tag):
        raise ValueError("a tag may not contain , ; or |")
    return tag


def split_tags(raw: str) -> list[str]:
    """"VIP, lead;Pune" -> ["lead", "pune", "vip"]. Commas, semicolons and bars separate tags."""
    return sorted({clean_tag(part) for part in _TAG_SPLIT.split(raw) if part.strip()})


def clean_tags(values) -> list[str]:
    tags = sorted({clean_tag(str(v)) for v in values})
    if len(tags) > MAX_TAGS:
        raise ValueError(f"more than {MAX_TAGS} tags")
    return tags


def clean_key(raw: str) -> str:
    key = raw.strip()
    if not KEY_RE.fullmatch(key):
        raise ValueError("use lowercase letters, digits and _, starting with a letter (at most 50)")
    if key in RESERVED_KEYS:
        raise ValueError(f"'{key}' is a built-in field name")
    return key


# --- Typed attribute values -------------------------------------------------------------------------

def parse_number(value) -> int | float:
    if isinstance(value, bool):
        raise ValueError("not a number")
    if isinstance(value, int | float):
        number = value
    else:
        text = str(value).strip()
        if not _NUMBER_RE.fullmatch(text):
            raise ValueError("not a number (use digits and a dot for decimals, no thousands separators)")
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValueError("not a number") from None
        number = int(number) if number == number.to_integral_value() and abs(number) < 2**53 else float(number)
    if isinstance(number, float) and (number != number or number in (float("inf"), float("-inf"))):
        raise ValueError("not a number")
    return number


def parse_date(value) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()[:10]
    text = str(value).strip().replace("/", "-")
    try:
        return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        raise ValueError("not a date (use YYYY-MM-DD)") from None


def parse_boolean(value) -> bool:
    if isinstance(value, bool):
        return value
    word = str(value).strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValueError("not yes/no (use true, false, yes, no, 1 or 0)")


def parse_text(value) -> str:
    if not isinstance(value, str):
        raise ValueError("not text")
    text = value.strip()
    if len(text) > MAX_TEXT:
        raise ValueError(f"longer than {MAX_TEXT} characters")
    return text


class AttributeCoercer:
    """Value -> stored JSON value for one attribute definition; built once per request or import."""

    def __init__(self, definition):
        self.key, self.type = definition.key, definition.type
        self._choices = {c.lower(): c for c in definition.choices}

    def __call__(self, value):
        if self.type == AttributeType.NUMBER:
            return parse_number(value)
        if self.type == AttributeType.DATE:
            return parse_date(value)
        if self.type == AttributeType.BOOLEAN:
            return parse_boolean(value)
        if self.type == AttributeType.CHOICE:
            choice = self._choices.get(str(value).strip().lower())
            if choice is None:
                raise ValueError(f"not one of the choices ({', '.join(self._choices.values())})")
            return choice
        return parse_text(value)


def coercers(definitions) -> dict[str, AttributeCoercer]:
    return {d.key: AttributeCoercer(d) for d in definitions}
