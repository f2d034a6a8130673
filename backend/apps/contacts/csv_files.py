"""Reading people's CSV files: encoding, delimiter, header, column mapping. Streaming, never whole.

Encoding rule (docs/contacts.md): a byte-order mark decides (UTF-8 or UTF-16); otherwise the file must
be UTF-8, checked on its first megabyte, unless the uploader names another encoding (e.g. cp1252 for
"CSV (Comma delimited)" from Excel on Windows). We don't guess: a wrong guess silently garbles every
name in the file, while a clear error costs one re-save. Invalid bytes further into a UTF-8 file
make only their own rows fail.
"""
import codecs
import csv
import io
import re
from dataclasses import dataclass, field

from apps.contacts.values import BUILTIN_FIELDS

SAMPLE_BYTES = 1 << 20
SUPPORTED_ENCODINGS = {
    "utf-8": "utf-8-sig", "utf-16": "utf-16", "cp1252": "cp1252", "latin-1": "latin-1", "iso-8859-15": "iso-8859-15",
    "cp1251": "cp1251", "shift_jis": "shift_jis", "gb18030": "gb18030",
}
_SURROGATE = re.compile("[\udc80-\udcff]")
_PHONE_LIKE = re.compile(r"\+?[\d\s().-]{7,}")
IGNORE = "ignore"
# Header spellings people use, normalised (lowercase, words separated by one space).
ALIASES = {
    "phone": "phone", "phone number": "phone", "phone no": "phone", "phonenumber": "phone", "mobile": "phone",
    "mobile number": "phone", "mobile no": "phone", "mobile phone": "phone", "cell": "phone", "cell phone": "phone",
    "cellphone": "phone", "whatsapp": "phone", "whatsapp number": "phone", "whatsapp no": "phone", "msisdn": "phone",
    "contact number": "phone", "contact no": "phone", "number": "phone", "tel": "phone", "telephone": "phone",
    "wa user id": "wa_user_id", "whatsapp user id": "wa_user_id", "bsuid": "wa_user_id", "user id": "wa_user_id",
    "business scoped user id": "wa_user_id",
    "name": "name", "full name": "name", "fullname": "name", "contact name": "name", "customer name": "name",
    "display name": "name",
    "first name": "first_name", "firstname": "first_name", "first": "first_name", "given name": "first_name",
    "last name": "last_name", "lastname": "last_name", "last": "last_name", "surname": "last_name",
    "family name": "last_name",
    "email": "email", "e mail": "email", "email address": "email", "mail": "email",
    "language": "language", "lang": "language", "locale": "language", "preferred language": "language",
    "tags": "tags", "tag": "tags", "labels": "tags", "label": "tags",
}


class CsvProblem(ValueError):
    """The file as a whole can't be imported. `code` is stable; the message tells people what to do."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


@dataclass
class CsvLayout:
    encoding: str  # a key of SUPPORTED_ENCODINGS
    delimiter: str
    headers: list[str]
    sample_rows: list[list[str]] = field(default_factory=list)


def _normal(header: str) -> str:
    return " ".join(re.sub(r"[\s_\-.#:/]+", " ", header.strip().lower()).split())


def _decoding_of(sample: bytes, encoding: str | None) -> str:
    if encoding:
        if encoding.lower() not in SUPPORTED_ENCODINGS:
            raise CsvProblem("unsupported_encoding", f"Unknown encoding {encoding!r}; use one of "
                                                     f"{', '.join(SUPPORTED_ENCODINGS)}.")
        return encoding.lower()
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        decoder.decode(sample, final=len(sample) < SAMPLE_BYTES)
    except UnicodeDecodeError as exc:
        line = sample[:exc.start].count(b"\n") + 1
        raise CsvProblem(
            "unsupported_encoding",
            f"The file is not UTF-8 (line {line} has a byte that isn't). Save it as \"CSV UTF-8\" "
            "(Excel, Numbers and Google Sheets offer it), or tell us its encoding, e.g. cp1252 for "
            "Excel's \"CSV (Comma delimited)\" on Windows.") from None
    return "utf-8"


def text_stream(binary, encoding: str) -> io.TextIOWrapper:
    """Decode a binary file lazily; undecodable bytes become markers that fail only their own row."""
    return io.TextIOWrapper(binary, encoding=SUPPORTED_ENCODINGS[encoding], errors="surrogateescape", newline="")


def has_bad_characters(text: str) -> str | None:
    if "\x00" in text:
        return "contains a NUL character"
    if not text.isascii() and _SURROGATE.search(text):
        return "has bytes that are not valid in the file's encoding"
    return None


def _delimiter_of(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: (counts[d], d == ","))
    return best if counts[best] else ","


def read_layout(binary, *, encoding: str | None = None, sample_rows: int = 5) -> CsvLayout:
    """Encoding, delimiter, header and a few rows, from the start of the file only."""
    sample = binary.read(SAMPLE_BYTES)
    if not sample.strip(b" \t\r\n\xef\xbb\xbf\xff\xfe\x00"):
        raise CsvProblem("empty_file", "The file is empty.")
    encoding = _decoding_of(sample, encoding)
    text = sample.decode(SUPPORTED_ENCODINGS[encoding], errors="replace")
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        raise CsvProblem("empty_file", "The file is empty.")
    delimiter = _delimiter_of(lines[0])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = []
    try:
        for row in reader:
            if any(cell.strip() for cell in row):
                rows.append(row)
            if len(rows) > sample_rows:
                break
    except csv.Error as exc:
        raise CsvProblem("unreadable_csv", f"The file is not a readable CSV: {exc}.") from None
    headers = [cell.strip() for cell in rows[0]]
    _check_header(headers)
    return CsvLayout(encoding=encoding, delimiter=delimiter, headers=headers, sample_rows=rows[1:sample_rows + 1])


def _check_header(headers: list[str]) -> None:
    for cell in headers:
        if _PHONE_LIKE.fullmatch(cell) or "@" in cell:
            raise CsvProblem("no_header", f"The first row looks like data ({cell!r}), not column names. "
                                          "Add a header row, e.g. phone,name,email.")
    seen = {}
    for cell in headers:
        if cell:
            seen.setdefault(cell.lower(), []).append(cell)
    twice = [names[0] for names in seen.values() if len(names) > 1]
    if twice:
        raise CsvProblem("duplicate_columns", f"Columns appear twice: {', '.join(twice)}. Rename them.")
    if not any(headers):
        raise CsvProblem("no_header", "The first row has no column names.")


def suggest_target(header: str, attributes: dict[str, str]) -> str:
    """The target a header maps to by itself: a field (or alias), an attribute key or label, else "ignore".
    `attributes`: key -> label."""
    normal = _normal(header)
    if normal in ALIASES:
        return ALIASES[normal]
    underscored = normal.replace(" ", "_")
    if underscored in attributes:
        return underscored
    for key, label in attributes.items():
        if _normal(label) == normal:
            return key
    return IGNORE


def resolve_mapping(headers: list[str], mapping: dict | None, attributes: dict[str, str]) -> dict[str, str]:
    """Header -> target for every named column. Explicit entries win; the rest map by themselves.
    Raises CsvProblem for unknown columns or targets, doubled targets and no identity column."""
    mapping = mapping or {}
    if not isinstance(mapping, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in mapping.items()):
        raise CsvProblem("invalid_mapping", "The mapping is an object of CSV column name to field, attribute key "
                                            "or \"ignore\".")
    by_lower = {h.lower(): h for h in headers if h}
    explicit = {}
    unknown_columns = []
    for column, target in mapping.items():
        header = column if column in headers else by_lower.get(column.lower())
        if header is None:
            unknown_columns.append(column)
        else:
            explicit[header] = target.strip()
    if unknown_columns:
        raise CsvProblem("unknown_columns", f"The file has no column named {', '.join(map(repr, unknown_columns))}. "
                                            f"Its columns are: {', '.join(h for h in headers if h)}.")
    valid = set(BUILTIN_FIELDS) | set(attributes) | {IGNORE}
    bad_targets = sorted({t for t in explicit.values() if t not in valid})
    if bad_targets:
        raise CsvProblem("unknown_mapping_target",
                         f"Unknown field or attribute: {', '.join(map(repr, bad_targets))}. Map columns to "
                         f"{', '.join(BUILTIN_FIELDS)}, an attribute key, or \"ignore\".")
    resolved = {h: explicit.get(h) or suggest_target(h, attributes) for h in headers if h}
    used = [t for t in resolved.values() if t not in (IGNORE, "tags")]
    doubled = sorted({t for t in used if used.count(t) > 1})
    if doubled:
        columns = [h for h, t in resolved.items() if t in doubled]
        raise CsvProblem("duplicate_mapping_target", f"Several columns map to {', '.join(doubled)} "
                                                     f"({', '.join(columns)}); keep one, ignore the others.")
    if not {"phone", "wa_user_id"} & set(resolved.values()):
        raise CsvProblem("no_identity_column", "No column is mapped to phone (or wa_user_id), so contacts can't be "
                                               "matched. Map the column that holds the WhatsApp numbers to phone.")
    return resolved


def count_lines(binary) -> int:
    """Newlines in the file, without decoding it: the progress bar's estimate of the row count."""
    lines, last = 0, b""
    while block := binary.read(1 << 20):
        lines += block.count(b"\n")
        last = block
    return lines + (1 if last and not last.endswith(b"\n") else 0)
