"""The contact filter language: saved by segments, sent by the contacts page, compiled to SQL.

A filter is a group: {"all": [...]} (and) or {"any": [...]} (or) of conditions and nested groups;
{} matches every contact. A condition names a `field`, an `op` and usually a `value`:

    {"field": "tags", "op": "any", "value": ["vip", "lead"]}
    {"field": "attribute", "key": "city", "op": "eq", "value": "Pune"}
    {"field": "consent", "category": "marketing", "op": "is", "value": "opted_out"}
    {"field": "last_inbound_at", "op": "within_days", "value": 7}

`validate_filter` checks a document against this business's attribute definitions and returns its
canonical form; `compile_filter` turns a canonical document into a Django Q. Nothing is evaluated in
Python: tag and attribute equality use the GIN indexes (&&, @>, ?), the rest are plain SQL predicates.
See docs/contacts.md for the full table of fields and operators.
"""
import datetime as dt
import json

from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL
from django.utils import timezone

from apps.contacts import values
from apps.contacts.models import AttributeType, ConsentCategory, ConsentState

MAX_CONDITIONS = 50
MAX_DEPTH = 4
MAX_LIST = 100
TIME_FIELDS = ("first_seen_at", "last_seen_at", "last_inbound_at", "last_outbound_at", "created_at")
TIME_OPS = ("before", "after", "within_days", "not_within_days", "never", "ever")
PRESENCE_FIELDS = ("phone", "wa_user_id", "email", "name")
NO_VALUE_OPS = {"is_set", "is_not_set", "never", "ever"}
ATTRIBUTE_OPS = {
    AttributeType.TEXT: ("eq", "neq", "contains", "in", "is_set", "is_not_set"),
    AttributeType.NUMBER: ("eq", "neq", "gt", "gte", "lt", "lte", "in", "is_set", "is_not_set"),
    AttributeType.DATE: ("eq", "neq", "gt", "gte", "lt", "lte", "is_set", "is_not_set"),
    AttributeType.BOOLEAN: ("eq", "neq", "is_set", "is_not_set"),
    AttributeType.CHOICE: ("eq", "neq", "in", "is_set", "is_not_set"),
}
_COMPARE_SQL = {"gt": ">", "gte": ">=", "lt": "<", "lte": "<="}
_TABLE = '"contacts_contact"'


class FilterError(ValueError):
    """The filter document is not valid; the message says where and why."""


def validate_filter(document, definitions) -> dict:
    """A canonical copy of `document`, or FilterError. `definitions`: the AttributeDefinitions."""
    if document in (None, {}):
        return {}
    if not isinstance(document, dict):
        raise FilterError("A filter is an object such as {\"all\": [...]}.")
    counter = [0]
    return _group(document, {d.key: d for d in definitions}, depth=1, counter=counter, path="filter")


def _group(node, definitions, *, depth, counter, path) -> dict:
    keys = set(node) & {"all", "any"}
    if len(keys) != 1 or len(node) != 1:
        raise FilterError(f"{path}: a group has exactly one of \"all\" or \"any\".")
    kind = keys.pop()
    items = node[kind]
    if not isinstance(items, list):
        raise FilterError(f"{path}.{kind}: must be a list.")
    if depth > MAX_DEPTH:
        raise FilterError(f"{path}: groups nest at most {MAX_DEPTH} deep.")
    out = []
    for i, item in enumerate(items):
        where = f"{path}.{kind}[{i}]"
        if not isinstance(item, dict):
            raise FilterError(f"{where}: must be an object.")
        if "field" in item:
            counter[0] += 1
            if counter[0] > MAX_CONDITIONS:
                raise FilterError(f"A filter has at most {MAX_CONDITIONS} conditions.")
            out.append(_condition(item, definitions, where))
        else:
            out.append(_group(item, definitions, depth=depth + 1, counter=counter, path=where))
    return {kind: out}


def _condition(node, definitions, where) -> dict:
    field, op = node.get("field"), node.get("op")
    allowed = {"field", "op", "value", "key", "category"}
    if set(node) - allowed:
        raise FilterError(f"{where}: unknown keys {sorted(set(node) - allowed)}.")
    if not isinstance(op, str):
        raise FilterError(f"{where}: \"op\" is required.")
    out = {"field": field, "op": op}
    if field == "tags":
        _check_op(op, ("any", "all", "none"), where)
        tags = _list(node.get("value"), where)
        try:
            out["value"] = values.clean_tags(tags)
        except ValueError as exc:
            raise FilterError(f"{where}: {exc}.") from None
    elif field == "attribute":
        key = node.get("key")
        definition = definitions.get(key)
        if definition is None:
            raise FilterError(f"{where}: unknown attribute {key!r}.")
        out["key"] = key
        _check_op(op, ATTRIBUTE_OPS[definition.type], where)
        if op not in NO_VALUE_OPS:
            out["value"] = _attribute_value(definition, op, node.get("value"), where)
    elif field == "consent":
        category = node.get("category")
        if category not in ConsentCategory.values:
            raise FilterError(f"{where}: \"category\" is one of {ConsentCategory.values}.")
        _check_op(op, ("is", "is_not"), where)
        if node.get("value") not in ConsentState.values:
            raise FilterError(f"{where}: \"value\" is one of {ConsentState.values}.")
        out.update(category=category, value=node["value"])
    elif field in TIME_FIELDS:
        _check_op(op, TIME_OPS, where)
        if op in ("within_days", "not_within_days"):
            days = node.get("value")
            if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= 36500:
                raise FilterError(f"{where}: \"value\" is a number of days (1 to 36500).")
            out["value"] = days
        elif op in ("before", "after"):
            out["value"] = _moment(node.get("value"), where).isoformat()
    elif field in PRESENCE_FIELDS:
        _check_op(op, ("is_set", "is_not_set"), where)
    elif field == "language":
        _check_op(op, ("eq", "neq", "in", "is_set", "is_not_set"), where)
        try:
            if op == "in":
                out["value"] = sorted({values.clean_language(str(v)) for v in _list(node.get("value"), where)})
            elif op in ("eq", "neq"):
                out["value"] = values.clean_language(str(node.get("value", "")))
        except ValueError as exc:
            raise FilterError(f"{where}: {exc}.") from None
    else:
        raise FilterError(f"{where}: unknown field {field!r}.")
    return out


def _check_op(op, allowed, where) -> None:
    if op not in allowed:
        raise FilterError(f"{where}: \"op\" is one of {list(allowed)} here.")


def _list(value, where) -> list:
    if not isinstance(value, list) or not value:
        raise FilterError(f"{where}: \"value\" is a non-empty list.")
    if len(value) > MAX_LIST:
        raise FilterError(f"{where}: at most {MAX_LIST} values.")
    return value


def _attribute_value(definition, op, value, where):
    coerce = values.AttributeCoercer(definition)
    try:
        if op == "in":
            return [coerce(v) for v in _list(value, where)]
        if op == "contains":
            text = values.parse_text(value)
            if not text:
                raise ValueError("empty text")
            return text
        if value is None:
            raise ValueError("\"value\" is required")
        return coerce(value)
    except ValueError as exc:
        raise FilterError(f"{where}: {exc}.") from None


def _moment(value, where) -> dt.datetime:
    """An ISO date (midnight UTC) or datetime (UTC if it has no offset)."""
    if not isinstance(value, str):
        raise FilterError(f"{where}: \"value\" is an ISO date or date-time.")
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        raise FilterError(f"{where}: \"value\" is an ISO date or date-time.") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


# --- Compiling ------------------------------------------------------------------------------------

def compile_filter(document: dict, now: dt.datetime | None = None) -> Q:
    """A validated document -> Q over Contact. Relative days count back from `now`."""
    if not document:
        return Q()
    return _compile_group(document, now or timezone.now())


def _compile_group(node, now) -> Q:
    kind, items = next(iter(node.items()))
    parts = [_compile_group(i, now) if "field" not in i else _compile_condition(i, now) for i in items]
    if not parts:
        return Q() if kind == "all" else Q(pk__in=[])
    result = parts[0]
    for part in parts[1:]:
        result = result & part if kind == "all" else result | part
    return result


def _raw(sql: str, params: list) -> Q:
    return Q(RawSQL(sql, params, output_field=BooleanField()))


def _compile_condition(node, now) -> Q:
    field, op, value = node["field"], node["op"], node.get("value")
    if field == "tags":
        if op == "any":
            return Q(tags__overlap=value)
        if op == "all":
            return Q(tags__contains=value)
        return ~Q(tags__overlap=value)
    if field == "attribute":
        return _compile_attribute(node["key"], op, value)
    if field == "consent":
        q = Q(**{f"{node['category']}_consent": value})
        return q if op == "is" else ~q
    if field in TIME_FIELDS:
        if op == "never":
            return Q(**{f"{field}__isnull": True})
        if op == "ever":
            return Q(**{f"{field}__isnull": False})
        if op == "before":
            return Q(**{f"{field}__lt": dt.datetime.fromisoformat(value)})
        if op == "after":
            return Q(**{f"{field}__gt": dt.datetime.fromisoformat(value)})
        since = now - dt.timedelta(days=value)
        if op == "within_days":
            return Q(**{f"{field}__gte": since})
        return Q(**{f"{field}__lt": since}) | Q(**{f"{field}__isnull": True})  # not within: older, or never
    if field in PRESENCE_FIELDS:
        present = Q(**{f"{field}__isnull": False}) & ~Q(**{field: ""})
        return present if op == "is_set" else ~present
    if field == "language":
        if op == "is_set":
            return ~Q(language="")
        if op == "is_not_set":
            return Q(language="")
        if op == "in":
            return Q(language__in=value)
        return Q(language=value) if op == "eq" else ~Q(language=value)
    raise FilterError(f"unknown field {field!r}")  # validate_filter rules this out


def _compile_attribute(key: str, op: str, value) -> Q:
    if op == "is_set":
        return Q(attributes__has_key=key)
    if op == "is_not_set":
        return ~Q(attributes__has_key=key)
    if op == "eq":
        return Q(attributes__contains={key: value})
    if op == "neq":  # not equal, including contacts without a value
        return ~Q(attributes__contains={key: value})
    if op == "in":
        result = Q(attributes__contains={key: value[0]})
        for v in value[1:]:
            result |= Q(attributes__contains={key: v})
        return result
    if op == "contains":
        pattern = "%" + value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        return _raw(f"({_TABLE}.\"attributes\" ->> %s) ILIKE %s", [key, pattern])
    sign = _COMPARE_SQL[op]
    if isinstance(value, str):  # dates are stored as ISO text, which sorts by date in the C collation
        return _raw(f"jsonb_typeof({_TABLE}.\"attributes\" -> %s) = 'string' AND "
                    f"({_TABLE}.\"attributes\" ->> %s) COLLATE \"C\" {sign} %s", [key, key, value])
    return _raw(f"jsonb_typeof({_TABLE}.\"attributes\" -> %s) = 'number' AND "
                f"({_TABLE}.\"attributes\" -> %s) {sign} %s::jsonb", [key, key, json.dumps(value)])


def filter_attribute_keys(document: dict) -> set[str]:
    """The attribute keys a (canonical) filter refers to."""
    keys = set()

    def walk(node):
        for item in next(iter(node.values()), []) if node else []:
            if "field" in item:
                if item["field"] == "attribute":
                    keys.add(item["key"])
            else:
                walk(item)

    walk(document)
    return keys
