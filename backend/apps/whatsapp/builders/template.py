"""Template messages (reference §2.10): the send-time object with header/body/button parameters,
named or positional, OTP/copy-code, limited-time-offer and media-card carousel templates.

`check_template` validates the object under `"template"` on its own (shapes and limits). Whether the
parameters fit one particular approved template is `definitions.check_against_definition`.
"""
from __future__ import annotations

import re

from apps.whatsapp.errors import BuilderError

from . import _check as c
from . import limits as L
from .messages import check_location, check_media

_ROOT = "template"
_NAME_RE = re.compile(r"^[a-z0-9_]+$")
_PARAM_NAME_RE = re.compile(r"^[a-z0-9_]+$")
_LANG_RE = re.compile(r"^[a-z]{2,3}(_[A-Za-z]{2,4})?$")
# Meta refuses text parameters with new lines, tabs or more than 4 consecutive spaces.
_BAD_PARAM_TEXT = re.compile(r"[\n\t]| {5,}")
BUTTON_SUB_TYPES = ("quick_reply", "url", "copy_code", "flow", "catalog", "mpm")


# --- parameters ---------------------------------------------------------------------------------

def _text_param(data: dict, path: str, max_len: int, named: bool) -> None:
    c.text(data["text"], f"{path}.text", max_len=max_len)
    if _BAD_PARAM_TEXT.search(data["text"]):
        raise BuilderError(f"{path}.text", "must not contain new lines, tabs or more than 4 consecutive spaces")
    if "parameter_name" in data:
        if not named:
            raise BuilderError(f"{path}.parameter_name", "not allowed here")
        name = c.text(data["parameter_name"], f"{path}.parameter_name", max_len=256)
        if not _PARAM_NAME_RE.match(name):
            raise BuilderError(f"{path}.parameter_name", "lowercase letters, digits and underscores only")


def _check_param(value, path: str, kinds: tuple[str, ...], *, text_max: int = L.TEMPLATE_TEXT_PARAM) -> dict:
    if not isinstance(value, dict):
        raise BuilderError(path, "must be an object")
    kind = c.choice(value.get("type"), f"{path}.type", kinds)
    if kind == "text":
        data = c.obj(value, path, ("type", "text", "parameter_name"), ("text",))
        _text_param(data, path, text_max, named=True)
        return data
    data = c.obj(value, path, ("type", "parameter_name", kind), (kind,))
    if "parameter_name" in data:  # named templates name every parameter, whatever its type
        c.text(data["parameter_name"], f"{path}.parameter_name", max_len=256)
    sub = f"{path}.{kind}"
    if kind in ("image", "video", "document"):
        data[kind] = check_media(kind, data[kind], sub, in_header=True)
    elif kind == "location":
        data[kind] = check_location(data[kind], sub)
    elif kind == "currency":
        fields = ("fallback_value", "code", "amount_1000")
        cur = c.obj(data[kind], sub, fields, fields)
        c.text(cur["fallback_value"], f"{sub}.fallback_value", max_len=256)
        if not (isinstance(cur["code"], str) and re.fullmatch(r"[A-Z]{3}", cur["code"])):
            raise BuilderError(f"{sub}.code", "must be an ISO 4217 code such as USD")
        c.integer(cur["amount_1000"], f"{sub}.amount_1000")
    elif kind == "date_time":
        dt = c.obj(data[kind], sub, ("fallback_value",), ("fallback_value",))
        c.text(dt["fallback_value"], f"{sub}.fallback_value", max_len=256)
    elif kind == "product":
        prod = c.obj(data[kind], sub, ("product_retailer_id", "catalog_id"), ("product_retailer_id", "catalog_id"))
        c.text(prod["product_retailer_id"], f"{sub}.product_retailer_id", max_len=256)
        c.text(prod["catalog_id"], f"{sub}.catalog_id", max_len=256)
    elif kind == "limited_time_offer":
        lto = c.obj(data[kind], sub, ("expiration_time_ms",), ("expiration_time_ms",))
        c.integer(lto["expiration_time_ms"], f"{sub}.expiration_time_ms", minimum=1)
    elif kind == "payload":
        c.text(data[kind], sub, max_len=1000)
    elif kind == "coupon_code":
        c.text(data[kind], sub, max_len=L.COUPON_CODE)
    elif kind == "action":
        data[kind] = _check_action(data[kind], sub)
    return data


def _check_action(value, path: str) -> dict:
    data = c.obj(value, path, ("flow_token", "flow_action_data", "thumbnail_product_retailer_id", "sections"))
    c.optional_text(data, "flow_token", path, max_len=1024)
    if "flow_action_data" in data and not isinstance(data["flow_action_data"], dict):
        raise BuilderError(f"{path}.flow_action_data", "must be an object")
    c.optional_text(data, "thumbnail_product_retailer_id", path, max_len=256)
    if "sections" in data:
        sections = c.array(data["sections"], f"{path}.sections", min_items=1, max_items=10)
        for index, section in enumerate(sections):
            s_path = f"{path}.sections[{index}]"
            section = c.obj(section, s_path, ("title", "product_items"), ("title", "product_items"))
            c.text(section["title"], f"{s_path}.title", max_len=L.LIST_SECTION_TITLE)
            items = c.array(section["product_items"], f"{s_path}.product_items", min_items=1, max_items=30)
            for i, item in enumerate(items):
                item = c.obj(item, f"{s_path}.product_items[{i}]", ("product_retailer_id",), ("product_retailer_id",))
                c.text(item["product_retailer_id"], f"{s_path}.product_items[{i}].product_retailer_id", max_len=256)
    return data


# --- components ---------------------------------------------------------------------------------

_BUTTON_PARAM = {"quick_reply": "payload", "url": "text", "copy_code": "coupon_code", "flow": "action",
                 "catalog": "action", "mpm": "action"}


def _params(component: dict, path: str, kinds: tuple[str, ...], *, exactly_one: bool,
            text_max: int = L.TEMPLATE_TEXT_PARAM) -> list:
    p_path = f"{path}.parameters"
    if "parameters" not in component:
        raise BuilderError(p_path, "is required")
    items = c.array(component["parameters"], p_path, min_items=1, max_items=1 if exactly_one else None)
    params = [_check_param(item, f"{p_path}[{i}]", kinds, text_max=text_max) for i, item in enumerate(items)]
    named = ["parameter_name" in p for p in params]
    if any(named) and not all(named):
        first = named.index(not named[0])
        raise BuilderError(f"{p_path}[{first}].parameter_name",
                           "named and positional parameters can't be mixed: name every parameter or none")
    if all(named):
        c.unique([p["parameter_name"] for p in params], lambda i: f"{p_path}[{i}].parameter_name", "parameter_name")
    return params


def _check_component(value, path: str, *, in_card: bool = False) -> dict:
    if not isinstance(value, dict):
        raise BuilderError(path, "must be an object")
    kind = value.get("type")
    kind = kind.lower() if isinstance(kind, str) else kind
    kinds = ("header", "body", "button") if in_card else ("header", "body", "button", "limited_time_offer", "carousel")
    c.choice(kind, f"{path}.type", kinds)
    if kind == "header":
        data = c.obj(value, path, ("type", "parameters"))
        header_kinds = ("image", "video") if in_card else ("text", "image", "video", "document", "location", "product")
        if in_card:
            header_kinds = (*header_kinds, "product")
        data["parameters"] = _params(data, path, header_kinds, exactly_one=True, text_max=L.TEMPLATE_HEADER_TEXT_PARAM)
    elif kind == "body":
        data = c.obj(value, path, ("type", "parameters"))
        data["parameters"] = _params(data, path, ("text", "currency", "date_time"), exactly_one=False)
    elif kind == "button":
        data = c.obj(value, path, ("type", "sub_type", "index", "parameters"), ("sub_type", "index"))
        sub_type = data["sub_type"].lower() if isinstance(data["sub_type"], str) else data["sub_type"]
        data["sub_type"] = c.choice(sub_type, f"{path}.sub_type", BUTTON_SUB_TYPES)
        c.integer(data["index"], f"{path}.index", minimum=0, maximum=L.TEMPLATE_BUTTONS_MAX - 1)
        data["parameters"] = _params(data, path, (_BUTTON_PARAM[sub_type],), exactly_one=True)
        if sub_type == "url" and " " in data["parameters"][0]["text"].strip():
            raise BuilderError(f"{path}.parameters[0].text", "a URL suffix must not contain spaces")
    elif kind == "limited_time_offer":
        data = c.obj(value, path, ("type", "parameters"))
        data["parameters"] = _params(data, path, ("limited_time_offer",), exactly_one=True)
    else:
        data = c.obj(value, path, ("type", "cards"), ("cards",))
        data["cards"] = _check_cards(data["cards"], f"{path}.cards")
    data["type"] = kind
    return data


def _check_components(value, path: str, *, in_card: bool = False) -> list:
    items = c.array(value, path)
    components = [_check_component(item, f"{path}[{i}]", in_card=in_card) for i, item in enumerate(items)]
    singles = [comp["type"] for comp in components if comp["type"] != "button"]
    c.unique(singles, lambda i: f"{path}[{_nth_non_button(components, i)}].type", "component")
    indexes = [int(comp["index"]) for comp in components if comp["type"] == "button"]
    button_positions = [i for i, comp in enumerate(components) if comp["type"] == "button"]
    c.unique(indexes, lambda i: f"{path}[{button_positions[i]}].index", "button index")
    return components


def _nth_non_button(components: list, n: int) -> int:
    return [i for i, comp in enumerate(components) if comp["type"] != "button"][n]


def _check_cards(value, path: str) -> list:
    cards = c.array(value, path, min_items=L.CAROUSEL_CARDS_MIN, max_items=L.CAROUSEL_CARDS_MAX)
    out = []
    for index, card in enumerate(cards):
        k_path = f"{path}[{index}]"
        card = c.obj(card, k_path, ("card_index", "components"), ("card_index", "components"))
        c.integer(card["card_index"], f"{k_path}.card_index", minimum=0, maximum=L.CAROUSEL_CARDS_MAX - 1)
        card["components"] = _check_components(card["components"], f"{k_path}.components", in_card=True)
        out.append(card)
    c.unique([int(card["card_index"]) for card in out], lambda i: f"{path}[{i}].card_index", "card_index")
    return out


def check_template(value) -> dict:
    data = c.obj(value, _ROOT, ("name", "language", "components"), ("name", "language"))
    c.text(data["name"], f"{_ROOT}.name", max_len=L.TEMPLATE_NAME)
    if not _NAME_RE.match(data["name"]):
        raise BuilderError(f"{_ROOT}.name", "lowercase letters, digits and underscores only")
    language = data["language"]
    if isinstance(language, str):  # a bare code is accepted and normalised to Meta's object
        language = {"code": language}
    language = c.obj(language, f"{_ROOT}.language", ("code", "policy"), ("code",))
    c.text(language["code"], f"{_ROOT}.language.code", max_len=16)
    if not _LANG_RE.match(language["code"]):
        raise BuilderError(f"{_ROOT}.language.code", "must be a locale code such as en or en_US")
    if "policy" in language:
        c.choice(language["policy"], f"{_ROOT}.language.policy", ("deterministic",))
    data["language"] = language
    if "components" in data:
        data["components"] = _check_components(data["components"], f"{_ROOT}.components")
    return data


# --- builders -----------------------------------------------------------------------------------

def text_param(value: str, parameter_name: str | None = None) -> dict:
    param = {"type": "text", "text": value}
    if parameter_name is not None:
        param["parameter_name"] = parameter_name
    return param


def _as_param(value, name: str | None = None) -> dict:
    if isinstance(value, dict):
        return {**value, "parameter_name": name} if name is not None else value
    return text_param(value, name)


def body(*positional, **named) -> dict:
    """Body parameters: positional values in order, or named ones (`first_name="Jessica"`). Strings become
    text parameters; pass a dict for currency/date_time."""
    if positional and named:
        raise BuilderError("template.components.body", "named and positional parameters can't be mixed")
    params = [_as_param(v) for v in positional] or [_as_param(v, k) for k, v in named.items()]
    return {"type": "body", "parameters": params}


def header_text(value: str, parameter_name: str | None = None) -> dict:
    return {"type": "header", "parameters": [text_param(value, parameter_name)]}


def header_media(kind: str, *, media_id: str | None = None, link: str | None = None,
                 filename: str | None = None) -> dict:
    obj = {"id": media_id, "link": link}
    if filename is not None:
        obj["filename"] = filename
    return {"type": "header", "parameters": [{"type": kind, kind: {k: v for k, v in obj.items() if v is not None}}]}


def header_location(latitude, longitude, *, name: str | None = None, address: str | None = None) -> dict:
    loc = {"latitude": latitude, "longitude": longitude, "name": name, "address": address}
    return {"type": "header", "parameters": [{"type": "location",
                                              "location": {k: v for k, v in loc.items() if v is not None}}]}


def button(sub_type: str, index: int | str, value) -> dict:
    """A button parameter: quick_reply payload, url suffix, copy_code coupon, flow/catalog/mpm action dict."""
    kind = _BUTTON_PARAM.get(sub_type)
    if kind is None:
        raise BuilderError("template.components.sub_type", f"must be one of {', '.join(BUTTON_SUB_TYPES)}")
    return {"type": "button", "sub_type": sub_type, "index": str(index), "parameters": [{"type": kind, kind: value}]}


def limited_time_offer(expiration_time_ms: int) -> dict:
    return {"type": "limited_time_offer", "parameters": [
        {"type": "limited_time_offer", "limited_time_offer": {"expiration_time_ms": expiration_time_ms}}]}


def carousel(cards: list[list[dict]]) -> dict:
    """Carousel cards, each a list of components (header, body, buttons); `card_index` follows the order."""
    return {"type": "carousel", "cards": [{"card_index": i, "components": comps} for i, comps in enumerate(cards)]}


def template(name: str, language: str, components: list[dict] | None = None) -> dict:
    obj = {"name": name, "language": {"code": language}}
    if components:
        obj["components"] = list(components)
    return {"type": "template", "template": check_template(obj)}


def authentication(name: str, language: str, code: str, *, button_index: int = 0) -> dict:
    """An OTP (copy-code / one-tap / zero-tap) template: the code goes in the body and in the OTP button,
    which Meta stores as a URL button."""
    c.text(code, "template.components[0].parameters[0].text", max_len=L.OTP_CODE)
    return template(name, language, [body(code), button("url", button_index, code)])
