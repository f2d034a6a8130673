"""Template *definitions* (as created and as listed by Meta) against the parameters a send carries.

Meta answers a mismatch only at send time (132000 count, 132012 format, 132018 invalid). With the
definition at hand (our synced copy), `check_against_definition` refuses the send first, naming the
field, and `example_components` builds valid send-time components from the definition's examples
(previews, sandbox tests).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from apps.whatsapp.errors import BuilderError

from . import limits as L
from .template import check_template

_VAR_RE = re.compile(r"\{\{\s*([A-Za-z0-9_]+)\s*\}\}")
# Definition button type -> send-time sub_type, and whether the send must carry a parameter.
_BUTTONS = {
    "QUICK_REPLY": ("quick_reply", False),
    "URL": ("url", None),  # needed only when the URL has a variable
    "OTP": ("url", True),  # Meta stores OTP buttons as URL buttons; the code goes in twice
    "COPY_CODE": ("copy_code", True),
    "FLOW": ("flow", False),
    "CATALOG": ("catalog", False),
    "MPM": ("mpm", True),
}
_HEADER_PARAM = {"TEXT": "text", "IMAGE": "image", "VIDEO": "video", "DOCUMENT": "document",
                 "LOCATION": "location", "PRODUCT": "product"}


@dataclass
class Slots:
    """What one definition (or one carousel card) needs at send time."""

    header: str | None = None  # the parameter type the header needs, if any
    header_names: list[str] = field(default_factory=list)
    body: list[str] = field(default_factory=list)  # variable names ("1", "2" or "first_name")
    named: bool = False
    buttons: dict[int, tuple[str, bool]] = field(default_factory=dict)  # index -> (sub_type, required)
    limited_time_offer: bool = False
    cards: list[Slots] = field(default_factory=list)


def variables(text: str | None) -> list[str]:
    return _VAR_RE.findall(text or "")


def slots(definition: dict) -> Slots:
    """Read what a definition needs: header parameter, body variables, buttons with dynamic parts."""
    named = str(definition.get("parameter_format", "")).upper() == "NAMED"
    result = _component_slots(definition.get("components") or [], definition.get("category"))
    result.named = named or any(not v.isdigit() for v in result.body + result.header_names)
    for card in result.cards:
        card.named = result.named
    return result


def _component_slots(components: list[dict], category) -> Slots:
    result = Slots()
    for component in components:
        kind = str(component.get("type", "")).upper()
        if kind == "HEADER":
            fmt = str(component.get("format", "TEXT")).upper()
            names = variables(component.get("text")) if fmt == "TEXT" else []
            if fmt != "TEXT" or names:
                result.header = _HEADER_PARAM.get(fmt, fmt.lower())
                result.header_names = names
        elif kind == "BODY":
            result.body = variables(component.get("text"))
            if "text" not in component and str(category or "").upper() == "AUTHENTICATION":
                result.body = ["1"]  # Meta's fixed text "<code> is your verification code."
        elif kind == "BUTTONS":
            for index, button in enumerate(component.get("buttons") or []):
                b_type = str(button.get("type", "")).upper()
                if b_type not in _BUTTONS:
                    continue
                sub_type, required = _BUTTONS[b_type]
                if required is None:
                    if not variables(button.get("url")):
                        continue
                    required = True
                result.buttons[index] = (sub_type, required)
        elif kind == "LIMITED_TIME_OFFER":
            result.limited_time_offer = bool((component.get("limited_time_offer") or {}).get("has_expiration"))
        elif kind == "CAROUSEL":
            result.cards = [_component_slots(card.get("components") or [], category)
                            for card in component.get("cards") or []]
    return result


def check_against_definition(template_obj: dict, definition: dict) -> None:
    """Raise BuilderError when `template_obj` (the object under "template") doesn't fit `definition`."""
    data = check_template(template_obj)
    if data["name"] != definition.get("name"):
        raise BuilderError("template.name", f"is {data['name']!r}; the definition is {definition.get('name')!r}")
    want = slots(definition)
    _match(data.get("components") or [], want, "template.components", top=True)


def _match(components: list[dict], want: Slots, path: str, *, top: bool) -> None:
    by_type = {comp["type"]: (i, comp) for i, comp in enumerate(components) if comp["type"] != "button"}

    def need(kind: str, what: str):
        if kind not in by_type:
            raise BuilderError(path, f"the template needs a {kind} component ({what})")
        return by_type.pop(kind)

    if want.header:
        index, comp = need("header", f"a {want.header} parameter")
        got = comp["parameters"][0]["type"]
        if got != want.header:
            raise BuilderError(f"{path}[{index}].parameters[0].type", f"must be {want.header} for this template")
    if want.body:
        index, comp = need("body", f"{len(want.body)} parameters")
        params = comp["parameters"]
        if len(params) != len(want.body):
            raise BuilderError(f"{path}[{index}].parameters",
                               f"the template's body has {len(want.body)} variables; {len(params)} given")
        names = [p.get("parameter_name") for p in params]
        if want.named:
            missing = sorted(set(want.body) - set(names))
            if missing:
                raise BuilderError(f"{path}[{index}].parameters", f"missing named parameters: {', '.join(missing)}")
        elif any(names):
            raise BuilderError(f"{path}[{index}].parameters", "this template takes positional parameters")
    if want.limited_time_offer:
        need("limited_time_offer", "its expiration")
    if want.cards:
        index, comp = need("carousel", f"{len(want.cards)} cards")
        cards = comp["cards"]
        if len(cards) != len(want.cards):
            raise BuilderError(f"{path}[{index}].cards",
                               f"the template was approved with {len(want.cards)} cards; {len(cards)} given")
        for k, card in enumerate(sorted(cards, key=lambda card: int(card["card_index"]))):
            _match(card["components"], want.cards[k], f"{path}[{index}].cards[{k}].components", top=False)
    for kind, (index, _comp) in by_type.items():
        raise BuilderError(f"{path}[{index}]", f"the template has no {kind} that takes parameters")
    given = {int(comp["index"]): (i, comp) for i, comp in enumerate(components) if comp["type"] == "button"}
    for b_index, (i, comp) in given.items():
        if b_index not in want.buttons:
            raise BuilderError(f"{path}[{i}].index", f"the template has no button {b_index} that takes a parameter")
        if comp["sub_type"] != want.buttons[b_index][0]:
            raise BuilderError(f"{path}[{i}].sub_type", f"button {b_index} is a {want.buttons[b_index][0]} button")
    for b_index, (sub_type, required) in sorted(want.buttons.items()):
        if required and b_index not in given:
            raise BuilderError(path, f"the template's {sub_type} button {b_index} needs a parameter")


# --- examples -----------------------------------------------------------------------------------

_SAMPLE_MEDIA = {"image": "https://example.com/sample.png", "video": "https://example.com/sample.mp4",
                 "document": "https://example.com/sample.pdf"}


def example_components(definition: dict, *, media: dict | None = None) -> list[dict]:
    """Send-time components filled from the definition's own examples (media by `media[kind]` or a sample link)."""
    return _examples(definition.get("components") or [], definition, media or {})


def _examples(components: list[dict], definition: dict, media: dict) -> list[dict]:
    named = str(definition.get("parameter_format", "")).upper() == "NAMED"
    auth = str(definition.get("category", "")).upper() == "AUTHENTICATION"
    out: list[dict] = []
    code = "123456"
    for component in components:
        kind = str(component.get("type", "")).upper()
        example = component.get("example") or {}
        if kind == "HEADER":
            fmt = str(component.get("format", "TEXT")).upper()
            if fmt == "TEXT" and variables(component.get("text")):
                values = _named_examples(example.get("header_text_named_params")) if named else None
                param = {"type": "text", "text": (example.get("header_text") or ["x"])[0]}
                if values:
                    name, value = next(iter(values.items()))
                    param = {"type": "text", "parameter_name": name, "text": value}
                out.append({"type": "header", "parameters": [param]})
            elif fmt in ("IMAGE", "VIDEO", "DOCUMENT"):
                kind_l = fmt.lower()
                obj = media.get(kind_l) or {"link": _SAMPLE_MEDIA[kind_l]}
                out.append({"type": "header", "parameters": [{"type": kind_l, kind_l: obj}]})
            elif fmt == "LOCATION":
                out.append({"type": "header", "parameters": [{"type": "location", "location": {
                    "latitude": "37.4421", "longitude": "-122.1615", "name": "Example", "address": "1 Example St"}}]})
            elif fmt == "PRODUCT":
                out.append({"type": "header", "parameters": [{"type": "product", "product": {
                    "product_retailer_id": "SKU-1", "catalog_id": "CATALOG_ID"}}]})
        elif kind == "BODY":
            names = variables(component.get("text"))
            if named and names:
                values = _named_examples(example.get("body_text_named_params"))
                params = [{"type": "text", "parameter_name": n, "text": values.get(n, n)} for n in names]
            elif names:
                samples = (example.get("body_text") or [[]])[0]
                params = [{"type": "text", "text": samples[i] if i < len(samples) else f"v{i + 1}"}
                          for i in range(len(names))]
            elif auth and "text" not in component:
                params = [{"type": "text", "text": code}]
            else:
                continue
            out.append({"type": "body", "parameters": params})
        elif kind == "LIMITED_TIME_OFFER":
            if (component.get("limited_time_offer") or {}).get("has_expiration"):
                out.append({"type": "limited_time_offer", "parameters": [
                    {"type": "limited_time_offer", "limited_time_offer": {"expiration_time_ms": 1767225600000}}]})
        elif kind == "BUTTONS":
            out.extend(_button_examples(component.get("buttons") or [], code))
        elif kind == "CAROUSEL":
            cards = [{"card_index": i, "components": _examples(card.get("components") or [], definition, media)}
                     for i, card in enumerate(component.get("cards") or [])]
            out.append({"type": "carousel", "cards": cards})
    return out


def _button_examples(buttons: list[dict], code: str) -> list[dict]:
    out = []
    for index, button in enumerate(buttons):
        b_type = str(button.get("type", "")).upper()
        if b_type == "URL" and variables(button.get("url")):
            value = (button.get("example") or ["x"])[0]
            value = value.rsplit("=", 1)[-1].rsplit("/", 1)[-1] if "://" in value else value
            out.append(_button("url", index, "text", value))
        elif b_type == "OTP":
            out.append(_button("url", index, "text", code))
        elif b_type == "COPY_CODE":
            out.append(_button("copy_code", index, "coupon_code", str(button.get("example") or "CODE")[:L.COUPON_CODE]))
        elif b_type == "QUICK_REPLY":
            out.append(_button("quick_reply", index, "payload", f"button-{index}"))
        elif b_type == "MPM":
            out.append(_button("mpm", index, "action", {"thumbnail_product_retailer_id": "SKU-1", "sections": [
                {"title": "Items", "product_items": [{"product_retailer_id": "SKU-1"}]}]}))
        elif b_type == "CATALOG":
            out.append(_button("catalog", index, "action", {"thumbnail_product_retailer_id": "SKU-1"}))
    return out


def _button(sub_type: str, index: int, kind: str, value) -> dict:
    return {"type": "button", "sub_type": sub_type, "index": str(index), "parameters": [{"type": kind, kind: value}]}


def _named_examples(items) -> dict:
    return {item["param_name"]: item["example"] for item in items or [] if "param_name" in item and "example" in item}
