"""The filter language (apps.contacts.filters) as JSON Schema, so the OpenAPI document says what a filter is.

Components `FilterDocument`, `FilterGroup` and `FilterCondition` are added by the postprocessing hook
below, and the list/count/export `filter` query parameter is such a JSON document (`content:
application/json`). Request bodies (segments, preview, bulk) use `FilterField`: the same document.
What the schema can't say is data: an attribute condition must name one of this business's attributes
with a value of its type (else 400, like an unknown id).
"""
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.contacts import filters
from apps.contacts.models import ConsentCategory, ConsentState

REF = {"$ref": "#/components/schemas/FilterDocument"}
# Must equal values.clean_tag's rules: not blank, at most 64 characters, no , ; or |. "Blank" is Python's strip():
# it also removes \x1c-\x1f and \x85, which a JSON Schema (ECMAScript) \s does not match, so they are listed.
TAG = {"type": "string", "maxLength": 64, "pattern": r"^[^,;|\x00]*[^,;|\s\x00\x1c-\x1f\x85][^,;|\x00]*$"}
LANGUAGE = {"type": "string", "pattern": r"^[A-Za-z]{2,3}([-_]([A-Za-z]{2}|[A-Za-z]{4}|[0-9]{3}))?$"}
ATTRIBUTE_KEY = {"type": "string", "pattern": r"^[a-z][a-z0-9_]{0,49}$"}
MOMENT = {"type": "string", "format": "date",
          "description": "An ISO date (midnight UTC); an ISO date-time is accepted too."}


def _condition(field, op, **extra) -> dict:
    properties = {"field": {"type": "string", "enum": field}, "op": {"type": "string", "enum": op}}
    properties.update(extra)
    return {"type": "object", "properties": properties, "required": ["field", "op", *extra],
            "additionalProperties": False}


def _list_of(item: dict, max_items: int = filters.MAX_LIST) -> dict:
    return {"type": "array", "items": item, "minItems": 1, "maxItems": max_items}


_attribute_ops = sorted({op for ops in filters.ATTRIBUTE_OPS.values() for op in ops})
CONDITION = {
    "description": "One condition. See docs/contacts.md for every field and operator.",
    "oneOf": [
        _condition(["tags"], ["any", "all", "none"], value=_list_of(TAG, max_items=50)),
        {**_condition(["attribute"], [op for op in _attribute_ops if op not in filters.NO_VALUE_OPS],
                      key=ATTRIBUTE_KEY, value={"description": "A value of the attribute's type; a list for `in`."}),
         "description": "Compare one of this business's attributes (unknown keys are refused)."},
        _condition(["attribute"], sorted(filters.NO_VALUE_OPS & set(_attribute_ops)), key=ATTRIBUTE_KEY),
        _condition(["consent"], ["is", "is_not"], category={"type": "string", "enum": ConsentCategory.values},
                   value={"type": "string", "enum": ConsentState.values}),
        _condition(list(filters.TIME_FIELDS), ["within_days", "not_within_days"],
                   value={"type": "integer", "minimum": 1, "maximum": 36500}),
        _condition(list(filters.TIME_FIELDS), ["before", "after"], value=MOMENT),
        _condition(list(filters.TIME_FIELDS), ["never", "ever"]),
        _condition(list(filters.PRESENCE_FIELDS), ["is_set", "is_not_set"]),
        _condition(["language"], ["eq", "neq"], value=LANGUAGE),
        _condition(["language"], ["in"], value=_list_of(LANGUAGE)),
        _condition(["language"], ["is_set", "is_not_set"]),
    ],
}


def _group(kind: str) -> dict:
    items = {"oneOf": [{"$ref": "#/components/schemas/FilterCondition"},
                       {"$ref": "#/components/schemas/FilterGroup"}]}
    return {"type": "object", "properties": {kind: {"type": "array", "items": items,
                                                    "maxItems": filters.MAX_CONDITIONS}},
            "required": [kind], "additionalProperties": False}


COMPONENTS = {
    "FilterDocument": {
        "description": f"A filter: {{}} for every contact, or a group. At most {filters.MAX_CONDITIONS} conditions "
                       f"and {filters.MAX_DEPTH} levels of groups.",
        "oneOf": [{"type": "object", "additionalProperties": False, "maxProperties": 0}, {"$ref":
                  "#/components/schemas/FilterGroup"}],
    },
    "FilterGroup": {"description": "\"all\" (and) or \"any\" (or) of conditions and groups.",
                    "oneOf": [_group("all"), _group("any")]},
    "FilterCondition": CONDITION,
}


@extend_schema_field(REF)
class FilterField(serializers.JSONField):
    """A filter document in a request body (validated by the view with the business's attributes)."""


def add_filter_schema(result, generator, request, public):
    """Postprocessing hook: the filter components, and `filter` query parameters as JSON documents."""
    result.setdefault("components", {}).setdefault("schemas", {}).update(COMPONENTS)
    for path, operations in result["paths"].items():
        if not path.startswith("/api/contacts/"):
            continue
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "query" and parameter["name"] == "filter":
                    parameter.pop("schema", None)
                    parameter["content"] = {"application/json": {"schema": REF}}
    return result


def filter_fields(document) -> list[str]:
    """The fields a filter document tests, without the values it compares them to (a value may be a person's email
    or number): what the audit log says about a selection."""
    found: set[str] = set()

    def walk(node) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("field"), str):
                found.add(node["field"])
            for child in node.values():
                walk(child)
        elif isinstance(node, list):
            for child in node:
                walk(child)

    walk(document)
    return sorted(found)
