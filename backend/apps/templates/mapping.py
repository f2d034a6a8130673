"""A template's saved mapping: how its variables are filled from a contact when a send gives no parameters.

    {"header": [Source] | {"name": Source},
     "body": [Source] | {"name": Source},          lists for positional templates, objects for named ones
     "buttons": {"<button index>": [Source]},
     "cards": {"<card index>": {"header": ..., "body": ..., "buttons": ...}}}

    Source = {"field": "first_name" | "last_name" | "name" | "phone" | "email" | "attributes.<key>" | "",
              "value": "<fixed text, used when field is empty>", "fallback": "<text when the contact's field is empty>"}

`mapping_parameters` turns it into the renderer's parameters for one contact. A variable whose field is empty
and has no fallback is a problem (never a silent blank), keyed like the renderer's (`parameters.body[0]`).
"""
from __future__ import annotations

from django.db import transaction
from rest_framework.exceptions import PermissionDenied

from apps.audit.recorder import record
from apps.contacts.models import Contact
from apps.contacts.selectors import attribute_definition_list
from apps.core.errors import ApplicationError
from apps.templates.models import Template, TemplateEvent
from apps.templates.rendering import Rendered, preview, template_variables
from tenants.members import REFUSALS, Capability, Member

CONTACT_FIELDS = ("first_name", "last_name", "name", "phone", "email")
ATTRIBUTE_PREFIX = "attributes."
SOURCE_KEYS = ("field", "value", "fallback")
TEXT_MAX = 1024


def variables_of(template) -> dict:
    get = template.get if isinstance(template, dict) else (lambda key: getattr(template, key, None))
    return template_variables(get("components") or [], get("parameter_format") or "", get("category") or "")


def _named(template) -> bool:
    get = template.get if isinstance(template, dict) else (lambda key: getattr(template, key, None))
    return str(get("parameter_format") or "").upper() == "NAMED"


# --- validation ------------------------------------------------------------------------------------------

def _join(key: str, name) -> str:
    return f"{key}.{name}" if key else str(name)


class _Cleaner:
    def __init__(self, attribute_keys: set[str]):
        self.attribute_keys = attribute_keys
        self.errors: dict[str, list[str]] = {}

    def error(self, key: str, message: str) -> None:
        self.errors.setdefault(key, []).append(message)

    def source(self, raw, key: str) -> dict | None:
        if not isinstance(raw, dict):
            self.error(key, "Must be an object with field, value and/or fallback.")
            return None
        unknown = sorted(set(raw) - set(SOURCE_KEYS))
        if unknown:
            self.error(f"{key}.{unknown[0]}", "Unknown key; a source has field, value and fallback.")
        clean = {}
        for name in SOURCE_KEYS:
            value = raw.get(name, "")
            if value is None:
                value = ""
            if not isinstance(value, str):
                self.error(f"{key}.{name}", "Must be text.")
                value = ""
            elif len(value) > TEXT_MAX:
                self.error(f"{key}.{name}", f"At most {TEXT_MAX} characters.")
            clean[name] = value.strip() if name == "field" else value
        source_field = clean["field"]
        if source_field.startswith(ATTRIBUTE_PREFIX):
            if source_field[len(ATTRIBUTE_PREFIX):] not in self.attribute_keys:
                self.error(f"{key}.field", "No contact attribute with this key.")
        elif source_field and source_field not in CONTACT_FIELDS:
            self.error(f"{key}.field", f"Use one of {', '.join(CONTACT_FIELDS)} or attributes.<key>.")
        if not source_field and not clean["value"].strip():
            self.error(key, "Give a contact field or a fixed value.")
        return clean

    def slots(self, raw, names: list[str], key: str, named: bool):
        """Sources for a list of variables: a list (by position) or an object (by name)."""
        if raw is None:
            return None
        if isinstance(raw, list):
            if len(raw) > len(names):
                self.error(key, f"{len(raw)} sources given; there are {len(names)} variables.")
            return [self.source(item, f"{key}[{i}]") if item is not None else None
                    for i, item in enumerate(raw[:len(names)])]
        if isinstance(raw, dict):
            out = {}
            for name, item in raw.items():
                if str(name) not in names:
                    self.error(f"{key}.{name}", f"There is no variable {{{{{name}}}}}.")
                    continue
                out[str(name)] = self.source(item, f"{key}.{name}")
            return out
        self.error(key, "Must be a list (positional) or an object (named).")
        return None

    def buttons(self, raw, buttons: list[dict], key: str):
        if raw is None:
            return None
        if not isinstance(raw, dict):
            self.error(key, "Must be an object of button index to sources.")
            return None
        names = {str(b["index"]): b["names"] for b in buttons}
        out = {}
        for index, sources in raw.items():
            if str(index) not in names:
                self.error(f"{key}.{index}", "This button takes no parameter.")
                continue
            out[str(index)] = self.slots(sources, names[str(index)], f"{key}.{index}", False)
        return out

    def part(self, raw, variables: dict, key: str, named: bool, *, top: bool) -> dict:
        if not isinstance(raw, dict):
            self.error(key or "mapping", "Must be an object.")
            return {}
        allowed = {"header", "body", "buttons", "cards"} if top else {"header", "body", "buttons"}
        for extra in sorted(set(raw) - allowed):
            self.error(_join(key, extra), "Unknown key.")
        clean = {}
        for name in ("header", "body"):
            value = self.slots(raw.get(name), variables[name], _join(key, name), named)
            if value is not None:
                clean[name] = value
        buttons = self.buttons(raw.get("buttons"), variables["buttons"], _join(key, "buttons"))
        if buttons is not None:
            clean["buttons"] = buttons
        if top and raw.get("cards") is not None:
            cards = raw["cards"]
            if isinstance(cards, list):
                cards = {str(i): card for i, card in enumerate(cards)}
            if not isinstance(cards, dict):
                self.error(_join(key, "cards"), "Must be an object of card index to its mapping.")
            else:
                clean_cards = {}
                for index, card in cards.items():
                    if not str(index).isdigit() or int(index) >= len(variables["cards"]):
                        self.error(_join(key, f"cards.{index}"), "There is no such card.")
                        continue
                    clean_cards[str(int(index))] = self.part(card, variables["cards"][int(index)],
                                                             _join(key, f"cards.{index}"), named, top=False)
                clean["cards"] = clean_cards
        return clean


def mapping_clean(template: Template, mapping) -> dict:
    """The mapping checked against the template's variables and the business's attributes (400 otherwise)."""
    cleaner = _Cleaner(set(attribute_definition_list().values_list("key", flat=True)))
    clean = cleaner.part(mapping, variables_of(template), "", _named(template), top=True)
    if cleaner.errors:
        raise ApplicationError("The mapping doesn't fit the template.", code="validation_error",
                               errors=cleaner.errors)
    return clean


@transaction.atomic
def template_mapping_set(*, member: Member, template: Template, mapping) -> Template:
    """Store the mapping a send uses when it gives no parameters; the history says who changed it."""
    if not member.can(Capability.MANAGE_TEMPLATES):
        raise PermissionDenied(REFUSALS[Capability.MANAGE_TEMPLATES])
    clean = mapping_clean(template, mapping)
    if clean != template.mapping:
        TemplateEvent.objects.create(template=template, kind=TemplateEvent.Kind.MAPPED, detail={"mapping": clean},
                                     source=TemplateEvent.Source.MEMBER, actor_email=member.user.email)
        template.mapping = clean
        template.save(update_fields=["mapping", "updated_at"])
        record(member, "template.updated", target=template, detail={"fields": ["mapping"]})
    return template


# --- resolution ------------------------------------------------------------------------------------------

def _contact_value(contact: Contact | None, source_field: str) -> str:
    if contact is None or not source_field:
        return ""
    name = (contact.name or "").split()
    if source_field == "first_name":
        return name[0] if name else ""
    if source_field == "last_name":
        return " ".join(name[1:])
    if source_field == "name":
        return contact.name or ""
    if source_field == "phone":
        return contact.phone or (f"+{contact.wa_id}" if contact.wa_id else "")
    if source_field == "email":
        return contact.email or ""
    if source_field.startswith(ATTRIBUTE_PREFIX):
        value = (contact.attributes or {}).get(source_field[len(ATTRIBUTE_PREFIX):])
        if value is None:
            return ""
        if isinstance(value, bool):
            return "Yes" if value else "No"
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value)
    return ""


class _Resolver:
    def __init__(self, contact: Contact | None):
        self.contact = contact
        self.problems: list[dict] = []

    def value(self, source, key: str, label: str) -> str | None:
        if not isinstance(source, dict):
            return None  # not mapped: the renderer reports the variable as missing
        source_field = str(source.get("field") or "")
        if source_field:
            value = _contact_value(self.contact, source_field).strip()
            if value:
                return value
            fallback = str(source.get("fallback") or "")
            if fallback.strip():
                return fallback
            self.problems.append({"field": key, "message": f"{label}: this contact has no {source_field} and the "
                                                           "mapping has no fallback."})
            return None
        value = str(source.get("value") or "")
        return value if value.strip() else None

    def slots(self, sources, names: list[str], base: str, named: bool):
        if named:
            mapped = sources if isinstance(sources, dict) else {}
            if isinstance(sources, list):
                mapped = dict(zip(names, sources, strict=False))
            return {name: self.value(mapped.get(name), f"{base}.{name}", f"{{{{{name}}}}}") for name in names}
        listed = sources if isinstance(sources, list) else []
        if isinstance(sources, dict):
            listed = [sources.get(name) for name in names]
        return [self.value(listed[i] if i < len(listed) else None, f"{base}[{i}]", f"{{{{{name}}}}}")
                for i, name in enumerate(names)]

    def part(self, mapping: dict, variables: dict, base: str, named: bool, *, top: bool) -> dict:
        mapping = mapping if isinstance(mapping, dict) else {}
        params: dict = {}
        header_names = variables["header"]
        if header_names:
            header_named = named and header_names[0] not in ("image", "video", "document", "location", "product")
            params["header"] = self.slots(mapping.get("header"), header_names, f"{base}.header", header_named)
        if variables["body"]:
            params["body"] = self.slots(mapping.get("body"), variables["body"], f"{base}.body", named)
        buttons = mapping.get("buttons") if isinstance(mapping.get("buttons"), dict) else {}
        params["buttons"] = []
        for button in variables["buttons"]:
            sources = buttons.get(str(button["index"]))
            first = sources[0] if isinstance(sources, list) and sources else None
            value = self.value(first, f"{base}.buttons[{button['index']}]", "The button's parameter")
            if value is not None:
                params["buttons"].append({"index": button["index"], "value": value})
        if top and variables["cards"]:
            cards = mapping.get("cards") if isinstance(mapping.get("cards"), dict) else {}
            params["cards"] = [self.part(cards.get(str(k)), card, f"{base}.cards[{k}]", named, top=False)
                               for k, card in enumerate(variables["cards"])]
        return params


def mapping_parameters(template, contact: Contact | None) -> tuple[dict, list[dict]]:
    """The renderer's parameters from the saved mapping for `contact` (None: no contact yet, fallbacks only),
    and the variables the contact can't fill."""
    resolver = _Resolver(contact)
    params = resolver.part(getattr(template, "mapping", None) or {}, variables_of(template), "parameters",
                           _named(template), top=True)
    return params, resolver.problems


def contact_preview(template, contact: Contact | None) -> tuple[Rendered, dict | None]:
    """The preview for one contact: the mapping's problems first, then the renderer's for the rest."""
    params, problems = mapping_parameters(template, contact)
    rendered, payload = preview(template, params)
    reported = {problem["field"] for problem in problems}
    rendered.problems = problems + [p for p in rendered.problems if p["field"] not in reported]
    return rendered, (payload if not rendered.problems else None)
