"""CSV rows -> normalised contact records, in chunks, with duplicates inside a chunk merged, then
formatted as COPY text.

This is the import's only per-row Python, so it is written for speed (no per-row closures, caches for
the tag and attribute cells that repeat across rows). It runs in a reader thread while the database
writes the previous chunk (apps.contacts.imports). Duplicates across chunks are merged by the upsert.
"""
import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass, field

from apps.contacts import values
from apps.contacts.csv_files import IGNORE, has_bad_characters
from apps.contacts.phones import PhoneError, PhoneNormaliser

# Positions in a record (a list, merged in place).
ROW, PHONE, USER_ID, NAME, EMAIL, LANGUAGE, TAGS, ATTRIBUTES = range(8)
MAX_ERROR_VALUE = 200
_CACHE_LIMIT = 50_000
_COPY_ESCAPE = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(value: str) -> str:
    if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
        return value.translate(_COPY_ESCAPE)
    return value


def _array_literal(tags) -> str:
    return "{" + ",".join('"' + t.replace("\\", "\\\\").replace('"', '\\"') + '"' for t in tags) + "}"


def _identity_order(record: list) -> tuple:
    phone = record[PHONE]
    return (0, phone) if phone is not None else (1, record[USER_ID])


@dataclass
class Chunk:
    rows: int = 0  # non-blank data rows read
    records: list = field(default_factory=list)  # merged records, each a list indexed as above
    errors: list = field(default_factory=list)  # (row number, column, value, reason)
    error_rows: int = 0
    duplicates: int = 0
    has_user_ids: bool = False
    payload: bytes = b""  # the records as COPY text, filled by finish()

    def finish(self, formatter: "CopyFormatter") -> "Chunk":
        # Staged in identity order (str order is the "C" collation's byte order for UTF-8), so the
        # upsert's ORDER BY finds the rows already sorted.
        self.records.sort(key=_identity_order)
        self.payload = formatter.format(self.records)
        self.has_user_ids = any(r[USER_ID] is not None and r[PHONE] is not None for r in self.records)
        self.records = []
        return self


class CopyFormatter:
    """Records -> COPY text for the staging table (import_sql.STAGING_COLUMNS), with caches for the
    tag and attribute values that repeat."""

    def __init__(self):
        self._tags: dict = {}
        self._attributes: dict = {}

    def format(self, records) -> bytes:
        lines = []
        for r in records:
            lines.append("\t".join((
                str(r[ROW]),
                r[PHONE] or "\\N",
                _copy_text(r[USER_ID]) if r[USER_ID] is not None else "\\N",
                _copy_text(r[NAME]) if r[NAME] is not None else "\\N",
                _copy_text(r[EMAIL]) if r[EMAIL] is not None else "\\N",
                r[LANGUAGE] or "\\N",
                self._tag_text(r[TAGS]),
                self._attribute_text(r[ATTRIBUTES]),
            )))
        lines.append("")
        return "\n".join(lines).encode()

    def _tag_text(self, tags) -> str:
        if not tags:
            return "\\N"
        key = tuple(tags)
        text = self._tags.get(key)
        if text is None:
            if len(self._tags) > _CACHE_LIMIT:
                self._tags.clear()
            text = self._tags[key] = _copy_text(_array_literal(tags))
        return text

    def _attribute_text(self, attributes: dict) -> str:
        if not attributes:
            return "\\N"
        key = tuple(attributes.items())
        text = self._attributes.get(key)
        if text is None:
            if len(self._attributes) > _CACHE_LIMIT:
                self._attributes.clear()
            text = self._attributes[key] = _copy_text(json.dumps(attributes, ensure_ascii=False,
                                                                 separators=(",", ":")))
        return text


class RowReader:
    """Turns the mapped columns of each row into a record, or into error lines."""

    def __init__(self, *, headers: list[str], mapping: dict[str, str], definitions, default_region: str,
                 extra_tags: list[str]):
        self.headers = headers
        self.normalise_phone = PhoneNormaliser(default_region or None)
        self.extra_tags = sorted(set(extra_tags))
        coercers = values.coercers(definitions)
        single = {}
        self.tag_columns, self.attribute_columns = [], []
        for index, header in enumerate(headers):
            target = mapping.get(header, IGNORE) if header else IGNORE
            if target == IGNORE:
                continue
            if target == "tags":
                self.tag_columns.append(index)
            elif target in coercers:
                self.attribute_columns.append((index, target, coercers[target]))
            else:
                single[target] = index
        self.phone = single.get("phone")
        self.user_id = single.get("wa_user_id")
        self.name = single.get("name")
        self.first_name, self.last_name = single.get("first_name"), single.get("last_name")
        self.email, self.language = single.get("email"), single.get("language")
        self._tag_cells: dict = {}

    def _column(self, index) -> str:
        return self.headers[index] if index is not None else ""

    def _tags_of(self, text: str):
        """Tags of one cell united with the import's tags: a list, or the reason the cell is bad."""
        found = self._tag_cells.get(text)
        if found is None:
            if len(self._tag_cells) > _CACHE_LIMIT:
                self._tag_cells.clear()
            try:
                found = sorted(set(self.extra_tags).union(values.split_tags(text)))
            except ValueError as exc:
                found = str(exc)
            self._tag_cells[text] = found
        return found

    def read(self, row: list[str], row_number: int, errors: list) -> list | None:
        """A record for `row`, or None after appending its problems to `errors`."""
        width = len(row)
        problems = []
        index = self.phone
        phone = row[index].strip() if index is not None and index < width else ""
        if phone:
            try:
                phone = self.normalise_phone(phone)
            except PhoneError as exc:
                problems.append((row_number, self.headers[index], phone[:MAX_ERROR_VALUE], f"phone: {exc}"))
                phone = None
        else:
            phone = None
        index = self.user_id
        user_id = (row[index].strip() if index is not None and index < width else "") or None
        if user_id is not None:
            try:
                user_id = values.clean_user_id(user_id)
            except ValueError as exc:
                problems.append((row_number, self.headers[index], user_id[:MAX_ERROR_VALUE], str(exc)))
        if phone is None and user_id is None and not problems:
            column = self._column(self.phone if self.phone is not None else self.user_id)
            problems.append((row_number, column, "", "no phone number or WhatsApp user id"))
        index = self.name
        name = row[index] if index is not None and index < width else ""
        if not name and (self.first_name is not None or self.last_name is not None):
            first = row[self.first_name] if self.first_name is not None and self.first_name < width else ""
            last = row[self.last_name] if self.last_name is not None and self.last_name < width else ""
            name, index = f"{first} {last}", self.name if self.name is not None else self.first_name
        name = " ".join(name.split())
        if len(name) > values.MAX_NAME:
            problems.append((row_number, self._column(index), name[:MAX_ERROR_VALUE],
                             f"name: longer than {values.MAX_NAME} characters"))
        index = self.email
        email = row[index].strip() if index is not None and index < width else ""
        if email:
            try:
                email = values.clean_email(email)
            except ValueError as exc:
                problems.append((row_number, self.headers[index], email[:MAX_ERROR_VALUE], str(exc)))
        index = self.language
        language = row[index].strip() if index is not None and index < width else ""
        if language:
            try:
                language = values.clean_language(language)
            except ValueError as exc:
                problems.append((row_number, self.headers[index], language[:MAX_ERROR_VALUE], str(exc)))
        tags = self.extra_tags
        for index in self.tag_columns:
            text = row[index].strip() if index < width else ""
            if text:
                found = self._tags_of(text)
                if isinstance(found, str):
                    problems.append((row_number, self.headers[index], text[:MAX_ERROR_VALUE], found))
                else:
                    tags = found if tags is self.extra_tags else sorted(set(tags) | set(found))
        if len(tags) > values.MAX_TAGS:
            problems.append((row_number, self._column(self.tag_columns[0] if self.tag_columns else None), "",
                             f"more than {values.MAX_TAGS} tags"))
        attributes = {}
        for index, key, coerce in self.attribute_columns:
            text = row[index].strip() if index < width else ""
            if text:
                try:
                    attributes[key] = coerce(text)
                except ValueError as exc:
                    problems.append((row_number, self.headers[index], text[:MAX_ERROR_VALUE], f"{key}: {exc}"))
        if problems:
            errors.extend(problems)
            return None
        return [row_number, phone, user_id, name or None, email or None, language or None, tags, attributes]


def _merge(into: list, other: list) -> None:
    """Later rows fill blanks: the first non-empty value of each field wins; tags and keys are united."""
    for position in (PHONE, USER_ID, NAME, EMAIL, LANGUAGE):
        if into[position] is None and other[position] is not None:
            into[position] = other[position]
    if other[TAGS] and not set(other[TAGS]) <= set(into[TAGS]):
        into[TAGS] = sorted(set(into[TAGS]) | set(other[TAGS]))
    if other[ATTRIBUTES]:
        into[ATTRIBUTES] = {**other[ATTRIBUTES], **into[ATTRIBUTES]}


def read_chunks(text, *, reader: RowReader, delimiter: str, chunk_rows: int, skip_rows: int = 0) -> Iterator[Chunk]:
    """Chunks of `chunk_rows` non-blank data rows from a text stream positioned at the file's start,
    each finished (formatted for COPY).

    The first `skip_rows` data rows are passed over unread (resuming an interrupted import).
    Row numbers are spreadsheet rows: the header is row 1.
    """
    rows = csv.reader(text, delimiter=delimiter)
    formatter = CopyFormatter()
    record_number = 0
    header_seen = False
    chunk = Chunk()
    by_key: dict = {}
    user_owner: dict = {}
    skipped = 0
    read = reader.read
    while True:
        try:
            row = next(rows)
        except StopIteration:
            break
        except csv.Error as exc:
            record_number += 1
            if not header_seen:
                raise
            if skipped < skip_rows:
                skipped += 1
                continue
            chunk.rows += 1
            chunk.error_rows += 1
            chunk.errors.append((record_number, "", "", f"could not read this row: {exc}"))
            continue
        record_number += 1
        if not header_seen:
            header_seen = any(c.strip() for c in row)
            continue
        joined = "".join(row)
        if not joined or joined.isspace():  # a blank line, or only empty cells
            continue
        if skipped < skip_rows:
            skipped += 1
            continue
        chunk.rows += 1
        bad = has_bad_characters(joined)
        if bad:
            chunk.error_rows += 1
            chunk.errors.append((record_number, "", "", bad))
        else:
            record = read(row, record_number, chunk.errors)
            if record is None:
                chunk.error_rows += 1
            else:
                _add(chunk, record, by_key, user_owner)
        if chunk.rows >= chunk_rows:
            yield chunk.finish(formatter)
            chunk, by_key, user_owner = Chunk(), {}, {}
    if chunk.rows:
        yield chunk.finish(formatter)


def _add(chunk: Chunk, record: list, by_key: dict, user_owner: dict) -> None:
    phone, user_id = record[PHONE], record[USER_ID]
    key = phone if phone is not None else ("user", user_id)
    if phone is None and user_id in user_owner:  # a row with only the user id of an earlier row
        key = user_owner[user_id]
    elif phone is not None and user_id is not None and user_owner.get(user_id, key) != key:
        chunk.error_rows += 1
        chunk.errors.append((record[ROW], "", user_id[:MAX_ERROR_VALUE],
                             "this WhatsApp user id is given for another phone number in this file"))
        return
    earlier = by_key.get(key)
    if earlier is None:
        by_key[key] = record
        chunk.records.append(record)
        if user_id is not None:
            user_owner[user_id] = key
        return
    if user_id is not None and earlier[USER_ID] is not None and earlier[USER_ID] != user_id:
        chunk.error_rows += 1
        chunk.errors.append((record[ROW], "", user_id[:MAX_ERROR_VALUE],
                             "an earlier row has this phone number with another WhatsApp user id"))
        return
    _merge(earlier, record)
    if user_id is not None:
        user_owner[user_id] = key
    chunk.duplicates += 1
