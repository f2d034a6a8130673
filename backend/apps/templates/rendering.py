"""One renderer for a template's preview and its send (reference §2.10).

`parameters` (what the API, the mapping and the composer give) is one shape for every template:

    {"header": [value] | {"name": value},          lists for positional templates, objects for named ones
     "body": [value, ...] | {"name": value, ...},  (a list is read in the variables' order for either format)
     "buttons": [{"index": <button position>, "value": value}],
     "cards": [{"header": ..., "body": ..., "buttons": ...}, ...],   one per carousel card, in order
     "limited_time_offer": {"expiration_time_ms": <Unix ms>}}

A text value is a string, or Meta's `{"type": "currency" | "date_time", ...}` object; a media header takes a
link (a string, or `{"link"}`) or an uploaded media `{"id"}` (+ `filename` for documents); a location header
`{"latitude", "longitude", "name"?, "address"?}`; a product header `{"product_retailer_id", "catalog_id"}`;
buttons take the URL's suffix, the copy-code coupon, the one-time code, a quick reply's payload (optional) or an
MPM/catalog/flow `action` object. One-time-code buttons repeat the body's code unless given.

`_resolve` parses them once against the definition; `render` (the preview) and `send_payload` (Meta's template
object) are both built from that one result, so what the preview shows is what the customer gets.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from apps.core.errors import ApplicationError
from apps.whatsapp.builders import check_location, check_media
from apps.whatsapp.builders import limits as L
from apps.whatsapp.builders.definitions import variables
from apps.whatsapp.errors import BuilderError

# Meta's fixed texts of authentication templates (they are created without a body or footer text).
AUTH_BODY = "*{{1}}* is your verification code."
AUTH_SECURITY = " For your security, do not share this code."
AUTH_FOOTER = "This code expires in {minutes} minutes."
OTP_URL_MARK = "otp_type="  # Meta lists OTP buttons back as URL buttons whose URL carries this
BODY_MAX = 1024
FALLBACK_MAX = 256  # currency and date_time fallback_value (apps.whatsapp.builders.template)
MEDIA_FORMATS = ("IMAGE", "VIDEO", "DOCUMENT")
# Meta refuses text parameters with new lines, tabs or more than 4 consecutive spaces (132018).
_BAD_TEXT = re.compile(r"[\n\t]| {5,}")
_CURRENCY_RE = re.compile(r"^[A-Z]{3}$")
_SAMPLE_CODE = "123456"


def _upper(value) -> str:
    return str(value or "").upper() if isinstance(value, str) else ""


def _text_of(value) -> str:
    return value if isinstance(value, str) else ""


# --- the definition --------------------------------------------------------------------------------------

@dataclass
class Part:
    """One message or one carousel card: its components, read leniently (a draft may be half typed)."""

    header: dict | None = None
    body: dict | None = None
    footer: dict | None = None
    buttons: list[dict] = field(default_factory=list)
    limited_time_offer: dict | None = None
    cards: list[Part] = field(default_factory=list)


def _part(components) -> Part:
    part = Part()
    for comp in components if isinstance(components, list) else []:
        if not isinstance(comp, dict):
            continue
        kind = _upper(comp.get("type"))
        if kind == "HEADER" and part.header is None:
            part.header = comp
        elif kind == "BODY" and part.body is None:
            part.body = comp
        elif kind == "FOOTER" and part.footer is None:
            part.footer = comp
        elif kind == "BUTTONS" and not part.buttons:
            buttons = comp.get("buttons")
            part.buttons = [b for b in buttons if isinstance(b, dict)] if isinstance(buttons, list) else []
        elif kind == "LIMITED_TIME_OFFER" and part.limited_time_offer is None:
            offer = comp.get("limited_time_offer")
            part.limited_time_offer = offer if isinstance(offer, dict) else {}
        elif kind == "CAROUSEL" and not part.cards:
            cards = comp.get("cards")
            part.cards = [_part(card.get("components")) for card in cards if isinstance(card, dict)] \
                if isinstance(cards, list) else []
    return part


def _fields(template_like) -> tuple[list, bool, bool]:
    """(components, named, authentication) of a Template row or a draft dict."""
    if isinstance(template_like, dict):
        get = template_like.get
    else:
        def get(key, default=None):
            return getattr(template_like, key, default)
    components = get("components") or []
    named = _upper(get("parameter_format")) == "NAMED"
    return components, named, _upper(get("category")) == "AUTHENTICATION"


def _is_auth_body(body: dict | None, auth: bool) -> bool:
    # Authentication bodies are created without text; Meta supplies "<code> is your verification code."
    return body is not None and not isinstance(body.get("text"), str) and (
        auth or "add_security_recommendation" in body)


def body_text(body: dict | None, auth: bool = False) -> str:
    if body is None:
        return ""
    if _is_auth_body(body, auth):
        return AUTH_BODY + (AUTH_SECURITY if body.get("add_security_recommendation") else "")
    return _text_of(body.get("text"))


def footer_text(footer: dict | None) -> str | None:
    if footer is None:
        return None
    minutes = footer.get("code_expiration_minutes")
    if not isinstance(footer.get("text"), str) and isinstance(minutes, int) and not isinstance(minutes, bool):
        return AUTH_FOOTER.format(minutes=minutes)
    return _text_of(footer.get("text"))


def _names(text: str, named: bool) -> list[str]:
    """The variables a text takes, in the order values are given: first appearance (named) or 1..n."""
    found = list(dict.fromkeys(variables(text)))
    if named:
        return found
    return sorted((n for n in found if n.isdigit()), key=int)


def _header_names(header: dict | None, named: bool) -> list[str]:
    if header is None:
        return []
    fmt = _upper(header.get("format")) or "TEXT"
    if fmt == "TEXT":
        return _names(_text_of(header.get("text")), named)
    return [fmt.lower()]  # one media / location / product parameter


def _button_kind(button: dict) -> str:
    """What a button takes at send time: url, otp, coupon_code, mpm (required), payload or action (optional),
    or "" for nothing."""
    kind = _upper(button.get("type"))
    url = _text_of(button.get("url"))
    if kind == "OTP" or (kind == "URL" and OTP_URL_MARK in url and variables(url)):
        return "otp"
    if kind == "URL":
        return "url" if variables(url) else ""
    return {"COPY_CODE": "coupon_code", "MPM": "mpm", "QUICK_REPLY": "payload", "FLOW": "action",
            "CATALOG": "action"}.get(kind, "")


_REQUIRED_BUTTON_NAMES = {"url": ["1"], "coupon_code": ["coupon_code"], "mpm": ["action"]}


def _button_variables(part: Part) -> list[dict]:
    return [{"index": i, "names": _REQUIRED_BUTTON_NAMES[kind]} for i, button in enumerate(part.buttons)
            if (kind := _button_kind(button)) in _REQUIRED_BUTTON_NAMES]


def template_variables(components: list, parameter_format: str, category: str = "") -> dict:
    """What a send must fill: `{"header": [names], "body": [names], "buttons": [{"index", "names"}],
    "cards": [{"header", "body", "buttons"}], "limited_time_offer": ["expiration_time_ms"] or []}`.

    Names are "1", "2", … for positional templates. A media, location or product header has one name, its kind
    ("image", "location", …). One-time-code buttons are not listed: they repeat the body's code."""
    named = _upper(parameter_format) == "NAMED"
    auth = _upper(category) == "AUTHENTICATION"
    part = _part(components)
    offer = part.limited_time_offer
    return {
        "header": _header_names(part.header, named),
        "body": _names(body_text(part.body, auth), named),
        "buttons": _button_variables(part),
        "cards": [{"header": _header_names(card.header, named), "body": _names(body_text(card.body), named),
                   "buttons": _button_variables(card)} for card in part.cards],
        "limited_time_offer": ["expiration_time_ms"] if offer is not None and offer.get("has_expiration") else [],
    }


# --- parsing the parameters ------------------------------------------------------------------------------

@dataclass
class Slot:
    """One value the send carries: Meta's parameter object and the text the customer sees."""

    name: str
    param: dict
    text: str = ""


@dataclass
class Resolved:
    """A part (message or card) with its values parsed; `problems` are (field, message, missing?)."""

    header: Slot | None = None
    body: list[Slot] = field(default_factory=list)
    buttons: dict[int, tuple[str, Slot]] = field(default_factory=dict)  # index -> (sub_type, slot)
    expiration_time_ms: int | None = None
    cards: list[Resolved] = field(default_factory=list)


class _Parser:
    def __init__(self, named: bool, auth: bool):
        self.named = named
        self.auth = auth
        self.problems: list[tuple[str, str, bool]] = []

    def problem(self, key: str, message: str, *, missing: bool = False) -> None:
        self.problems.append((key, message, missing))

    def key(self, base: str, index: int, name: str) -> str:
        return f"{base}.{name}" if self.named else f"{base}[{index}]"

    # values for a list of names, from a list (by position) or an object (by name)
    def values(self, given, names: list[str], base: str) -> list:
        if given is None:
            return [None] * len(names)
        if isinstance(given, list):
            if len(given) > len(names):
                self.problem(base, f"{len(given)} values given; this takes {len(names)}.")
            return [given[i] if i < len(given) else None for i in range(len(names))]
        if isinstance(given, dict):
            for extra in given:
                if str(extra) not in names:
                    self.problem(f"{base}.{extra}", f"There is no variable {{{{{extra}}}}} here.")
            return [given.get(name) for name in names]
        self.problem(base, "Must be a list (positional) or an object (named).")
        return [None] * len(names)

    def text(self, value, key: str, name: str, limit: int) -> Slot | None:
        label = f"{{{{{name}}}}}"
        if isinstance(value, int | float) and not isinstance(value, bool):
            value = str(value)
        if value is None or value == "" or (isinstance(value, str) and not value.strip()):
            self.problem(key, f"{label} needs a value.", missing=True)
            return None
        if isinstance(value, str):
            param, text = {"type": "text", "text": value}, value
        elif isinstance(value, dict):
            param, text = self._typed_text(value, key, label)
            if param is None:
                return None
        else:
            self.problem(key, f"{label}: give text, or a currency or date_time object.")
            return None
        if _BAD_TEXT.search(text):
            self.problem(key, f"{label} can't contain new lines, tabs or more than 4 spaces in a row.")
            return None
        if len(text) > limit:
            self.problem(key, f"{label} must be at most {limit} characters.")
            return None
        return Slot(name, param, text)

    def _typed_text(self, value: dict, key: str, label: str) -> tuple[dict | None, str]:
        kind = value.get("type", "text")
        if kind == "text":
            text = value.get("text")
            if not isinstance(text, str) or not text.strip():
                self.problem(key, f"{label} needs a value.", missing=True)
                return None, ""
            return {"type": "text", "text": text}, text
        obj = value.get(kind) if kind in ("currency", "date_time") else None
        fallback = obj.get("fallback_value") if isinstance(obj, dict) else None
        if not isinstance(fallback, str) or not fallback.strip():
            self.problem(key, f"{label}: a text, currency or date_time value with a fallback_value is required.")
            return None, ""
        if len(fallback) > FALLBACK_MAX:
            self.problem(key, f"{label}: the fallback_value must be at most {FALLBACK_MAX} characters.")
            return None, ""
        if kind == "currency":
            code, amount = obj.get("code"), obj.get("amount_1000")
            if not isinstance(code, str) or not _CURRENCY_RE.match(code) or not isinstance(amount, int) \
                    or isinstance(amount, bool):
                self.problem(key, f"{label}: a currency needs an ISO 4217 code and an integer amount_1000.")
                return None, ""
            return {"type": "currency", "currency": {"fallback_value": fallback, "code": code,
                                                     "amount_1000": amount}}, fallback
        return {"type": "date_time", "date_time": {"fallback_value": fallback}}, fallback

    def header(self, header: dict | None, given, base: str) -> Slot | None:
        names = _header_names(header, self.named)
        if not names:
            if given not in (None, [], {}):
                self.problem(base, "This template's header takes no parameter.")
            return None
        fmt = _upper(header.get("format")) or "TEXT"
        if fmt == "TEXT":
            value = self.values(given, names, base)[0]
            return self.text(value, self.key(base, 0, names[0]), names[0], L.TEMPLATE_HEADER_TEXT_PARAM)
        kind = names[0]
        # A media/location/product header has one unnamed parameter: [value], or {kind: value}.
        if isinstance(given, dict) and kind in given:
            value = given[kind]
        elif isinstance(given, dict) and given and kind not in given and fmt in MEDIA_FORMATS + ("LOCATION",):
            value = given  # the object itself
        else:
            value = given[0] if isinstance(given, list) and given else None
        key = f"{base}[0]"
        if value is None or value == "" or value == {}:
            what = {"location": "a location", "product": "a product"}.get(kind, f"a link or media id for the {kind}")
            self.problem(key, f"The header needs {what}.", missing=True)
            return None
        try:
            if fmt in MEDIA_FORMATS:
                obj = check_media(kind, {"link": value} if isinstance(value, str) else value, key, in_header=True)
            elif fmt == "LOCATION":
                obj = check_location(value, key)
            elif fmt == "PRODUCT":
                obj = self._product(value, key)
            else:
                self.problem(key, f"{fmt} headers can't be sent here.")
                return None
        except BuilderError as exc:
            self.problem(exc.field, exc.message)
            return None
        return Slot(kind, {"type": kind, kind: dict(obj)})

    @staticmethod
    def _product(value, key: str) -> dict:
        if not isinstance(value, dict) or not all(isinstance(value.get(k), str) and value.get(k)
                                                  for k in ("product_retailer_id", "catalog_id")):
            raise BuilderError(key, "A product header needs product_retailer_id and catalog_id.")
        return {"product_retailer_id": value["product_retailer_id"], "catalog_id": value["catalog_id"]}

    def body(self, text: str, given, base: str) -> list[Slot]:
        names = _names(text, self.named)
        if not names:
            if given not in (None, [], {}):
                self.problem(base, "This body has no variables.")
            return []
        slots = [self.text(value, self.key(base, i, name), name, L.TEMPLATE_TEXT_PARAM)
                 for i, (name, value) in enumerate(zip(names, self.values(given, names, base), strict=True))]
        if all(slot is not None for slot in slots):
            filled = _fill(text, {slot.name: slot.text for slot in slots})
            if len(filled) > BODY_MAX:
                self.problem(base, f"With its values the text is {len(filled)} characters; at most {BODY_MAX}.")
        return [slot for slot in slots if slot is not None]

    def buttons(self, buttons: list[dict], given, base: str, code: str | None) -> dict[int, tuple[str, Slot]]:
        by_index: dict[int, object] = {}
        if isinstance(given, list):
            for k, item in enumerate(given):
                index = item.get("index") if isinstance(item, dict) else None
                if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < len(buttons):
                    self.problem(f"{base}[{k}].index", f"Give the index of one of this template's {len(buttons)} "
                                                       "button(s).")
                    continue
                by_index[index] = item.get("value")
        elif isinstance(given, dict):  # {"<index>": value}, as the mapping keys them
            for raw, value in given.items():
                if not str(raw).isdigit() or int(raw) >= len(buttons):
                    self.problem(f"{base}[{raw}]", "There is no such button.")
                    continue
                by_index[int(raw)] = value
        elif given is not None:
            self.problem(base, "Must be a list of {index, value}.")
        out: dict[int, tuple[str, Slot]] = {}
        for index, button in enumerate(buttons):
            kind = _button_kind(button)
            value = by_index.pop(index, None)
            slot = self._button(kind, value, f"{base}[{index}]", code)
            if slot is not None:
                out[index] = slot
        return out

    def _button(self, kind: str, value, key: str, code: str | None) -> tuple[str, Slot] | None:
        empty = value is None or value == ""
        if kind == "" or (kind in ("payload", "action") and empty):
            if not empty:
                self.problem(key, "This button takes no parameter.")
            return None
        if kind == "otp" and empty:
            value = code  # the body's one-time code, given once
        if kind in ("url", "otp", "coupon_code", "payload"):
            if isinstance(value, int) and not isinstance(value, bool):
                value = str(value)
            label = {"url": "The link's ending", "otp": "The one-time code", "coupon_code": "The coupon code",
                     "payload": "The payload"}[kind]
            if not isinstance(value, str) or not value.strip():
                self.problem(key, f"{label} is required.", missing=True)
                return None
            limit = {"url": L.URL, "otp": L.OTP_CODE, "coupon_code": L.COUPON_CODE, "payload": 1000}[kind]
            if len(value) > limit:
                self.problem(key, f"{label} must be at most {limit} characters.")
                return None
            if kind in ("url", "otp") and (" " in value.strip() or _BAD_TEXT.search(value)):
                self.problem(key, f"{label} can't contain spaces.")
                return None
            sub_type = {"url": "url", "otp": "url", "coupon_code": "copy_code", "payload": "quick_reply"}[kind]
            param_type = {"url": "text", "otp": "text", "coupon_code": "coupon_code", "payload": "payload"}[kind]
            return sub_type, Slot(kind, {"type": param_type, param_type: value}, value)
        if not isinstance(value, dict) or not value:
            self.problem(key, "This button needs an action object.", missing=empty)
            return None
        sub_type = "mpm" if kind == "mpm" else ("flow" if "flow_token" in value or "flow_action_data" in value
                                               else "catalog")
        return sub_type, Slot(kind, {"type": "action", "action": value})

    def offer(self, offer: dict | None, given, base: str) -> int | None:
        if offer is None or not offer.get("has_expiration"):
            if given not in (None, {}):
                self.problem(base, "This template has no expiring offer.")
            return None
        ms = given.get("expiration_time_ms") if isinstance(given, dict) else None
        if ms is None:
            self.problem(f"{base}.expiration_time_ms", "The offer's expiry (Unix milliseconds) is required.",
                         missing=True)
            return None
        if isinstance(ms, bool) or not isinstance(ms, int) or ms < 1:
            self.problem(f"{base}.expiration_time_ms", "Must be a positive integer (Unix milliseconds).")
            return None
        return ms


def _fill(text: str, values: dict[str, str]) -> str:
    return re.sub(r"\{\{\s*([A-Za-z0-9_]+)\s*\}\}", lambda m: values.get(m.group(1), m.group(0)), text)


def _as_dict(parameters) -> dict:
    return parameters if isinstance(parameters, dict) else {}


def _resolve_part(parser: _Parser, part: Part, given: dict, base: str, *, top: bool) -> Resolved:
    result = Resolved()
    result.header = parser.header(part.header, given.get("header"), f"{base}.header")
    result.body = parser.body(body_text(part.body, parser.auth and top), given.get("body"), f"{base}.body")
    code = result.body[0].text if parser.auth and top and result.body else None
    result.buttons = parser.buttons(part.buttons, given.get("buttons"), f"{base}.buttons", code)
    if top:
        result.expiration_time_ms = parser.offer(part.limited_time_offer, given.get("limited_time_offer"),
                                                 f"{base}.limited_time_offer")
        cards_given = given.get("cards")
        if part.cards:
            if cards_given is not None and not isinstance(cards_given, list):
                parser.problem(f"{base}.cards", "Must be a list, one entry per card.")
                cards_given = []
            cards_given = cards_given or []
            if len(cards_given) > len(part.cards):
                parser.problem(f"{base}.cards", f"{len(cards_given)} cards given; the template has "
                                                f"{len(part.cards)}.")
            result.cards = [_resolve_part(parser, card, _as_dict(cards_given[k] if k < len(cards_given) else None),
                                          f"{base}.cards[{k}]", top=False) for k, card in enumerate(part.cards)]
        elif cards_given not in (None, []):
            parser.problem(f"{base}.cards", "This template has no carousel.")
    return result


def _resolve(template_like, parameters) -> tuple[Part, Resolved, _Parser]:
    components, named, auth = _fields(template_like)
    part = _part(components)
    parser = _Parser(named, auth)
    if parameters is not None and not isinstance(parameters, dict):
        parser.problem("parameters", "Must be an object.")
    resolved = _resolve_part(parser, part, _as_dict(parameters), "parameters", top=True)
    return part, resolved, parser


# --- the preview -----------------------------------------------------------------------------------------

@dataclass
class Rendered:
    header: dict | None
    body: str
    footer: str | None
    buttons: list[dict]
    cards: list[dict]
    limited_time_offer: dict | None
    problems: list[dict]

    def as_dict(self) -> dict:
        return {"header": self.header, "body": self.body, "footer": self.footer, "buttons": self.buttons,
                "cards": self.cards, "limited_time_offer": self.limited_time_offer}


def _render_header(header: dict | None, slot: Slot | None) -> dict | None:
    if header is None:
        return None
    fmt = _upper(header.get("format")) or "TEXT"
    out = {"type": fmt.lower(), "text": None, "link": None, "media_id": None, "filename": None, "handle": None,
           "location": None, "product": None}
    if fmt == "TEXT":
        text = _text_of(header.get("text"))
        out["text"] = _fill(text, {slot.name: slot.text}) if slot else text
        return out
    handles = (header.get("example") or {}).get("header_handle") if isinstance(header.get("example"), dict) else None
    if isinstance(handles, list) and handles and isinstance(handles[0], str):
        out["handle"] = handles[0]  # the creation sample, shown when no link is given yet
    value = slot.param[slot.param["type"]] if slot else None
    if fmt in MEDIA_FORMATS and value:
        out.update(link=value.get("link"), media_id=value.get("id"), filename=value.get("filename"))
    elif fmt == "LOCATION" and value:
        out["location"] = {k: value.get(k) for k in ("latitude", "longitude", "name", "address")}
    elif fmt == "PRODUCT" and value:
        out["product"] = value
    return out


def _render_buttons(buttons: list[dict], slots: dict[int, tuple[str, Slot]]) -> list[dict]:
    out = []
    for index, button in enumerate(buttons):
        kind = _button_kind(button)
        slot = slots[index][1] if index in slots else None
        label = _text_of(button.get("text"))
        item = {"type": _upper(button.get("type")), "text": label, "url": None, "phone_number": None, "code": None,
                "payload": None}
        if kind == "otp":
            item.update(type="OTP", text=label or "Copy code", code=slot.text if slot else None)
        elif kind == "url":
            url = _text_of(button.get("url"))
            item["url"] = _fill(url, {"1": slot.text}) if slot else url
        elif _upper(button.get("type")) == "URL":
            item["url"] = _text_of(button.get("url"))
        elif kind == "coupon_code":
            item.update(text=label or "Copy offer code", code=slot.text if slot else None)
        elif kind == "payload":
            item["payload"] = slot.text if slot else label  # Meta sends the label back when no payload is set
        elif _upper(button.get("type")) in ("PHONE_NUMBER", "VOICE_CALL"):
            item["phone_number"] = _text_of(button.get("phone_number")) or None
        out.append(item)
    return out


def _render_part(part: Part, res: Resolved, auth: bool) -> dict:
    return {"header": _render_header(part.header, res.header),
            "body": _fill(body_text(part.body, auth), {slot.name: slot.text for slot in res.body}),
            "buttons": _render_buttons(part.buttons, res.buttons)}


def _problems(parser: _Parser, *, missing: bool = True) -> list[dict]:
    seen, out = set(), []
    for key, message, is_missing in parser.problems:
        if (is_missing and not missing) or (key, message) in seen:
            continue
        seen.add((key, message))
        out.append({"field": key, "message": message})
    return out


def _rendered(part: Part, res: Resolved, problems: list[dict], auth: bool) -> Rendered:
    top = _render_part(part, res, auth)
    offer = None
    if part.limited_time_offer is not None:
        offer = {"text": _text_of(part.limited_time_offer.get("text")),
                 "has_expiration": bool(part.limited_time_offer.get("has_expiration")),
                 "expiration_time_ms": res.expiration_time_ms}
    cards = [_render_part(card, card_res, False) for card, card_res in zip(part.cards, res.cards, strict=True)]
    return Rendered(header=top["header"], body=top["body"], footer=footer_text(part.footer), buttons=top["buttons"],
                    cards=cards, limited_time_offer=offer, problems=problems)


# --- the send --------------------------------------------------------------------------------------------

def _named_param(slot: Slot, named: bool) -> dict:
    param = dict(slot.param)
    if named and param["type"] in ("text", "currency", "date_time"):
        param["parameter_name"] = slot.name
    return param


def _part_components(res: Resolved, named: bool) -> list[dict]:
    out: list[dict] = []
    if res.header is not None:
        out.append({"type": "header", "parameters": [_named_param(res.header, named)]})
    if res.body:
        out.append({"type": "body", "parameters": [_named_param(slot, named) for slot in res.body]})
    if res.expiration_time_ms is not None:
        out.append({"type": "limited_time_offer", "parameters": [
            {"type": "limited_time_offer", "limited_time_offer": {"expiration_time_ms": res.expiration_time_ms}}]})
    for index, (sub_type, slot) in sorted(res.buttons.items()):
        out.append({"type": "button", "sub_type": sub_type, "index": index, "parameters": [dict(slot.param)]})
    if res.cards:
        out.append({"type": "carousel", "cards": [
            {"card_index": k, "components": _part_components(card, named)} for k, card in enumerate(res.cards)]})
    return out


def _template_object(template, res: Resolved, named: bool) -> dict:
    get = template.get if isinstance(template, dict) else (lambda key: getattr(template, key, ""))
    payload: dict = {"name": str(get("name") or ""), "language": {"code": str(get("language") or "")}}
    components = _part_components(res, named)
    if components:
        payload["components"] = components
    return payload


def preview(template_like, parameters, *, report_missing: bool = True) -> tuple[Rendered, dict | None]:
    """The message the customer would see with these parameters, what is missing or invalid (field keys like
    `parameters.body[0]` or `parameters.body.first_name`; unfilled variables stay `{{…}}`), and Meta's template
    object for it (None while there are problems): both from one parse of the parameters.
    `report_missing=False` is for drafts filled from their examples (validation reports missing examples)."""
    part, res, parser = _resolve(template_like, parameters)
    _components, named, auth = _fields(template_like)
    problems = _problems(parser, missing=report_missing)
    payload = None if _problems(parser) else _template_object(template_like, res, named)
    return _rendered(part, res, problems, auth), payload


def render(template_like, parameters, *, report_missing: bool = True) -> Rendered:
    return preview(template_like, parameters, report_missing=report_missing)[0]


def parameters_refused(problems: list[dict], message: str) -> ApplicationError:
    """400 `template_parameters`, the preview's problems as the envelope's `errors`."""
    errors: dict[str, list[str]] = {}
    for problem in problems:
        errors.setdefault(problem["field"], []).append(problem["message"])
    return ApplicationError(message, code="template_parameters", errors=errors)


def send_payload(template, parameters) -> dict:
    """Meta's template message object (`{"name", "language": {"code"}, "components"}`) for these parameters.
    Missing or invalid parameters raise 400 `template_parameters` with `errors` keyed like the preview's."""
    rendered, payload = preview(template, parameters)
    if payload is None:
        raise parameters_refused(rendered.problems, "Some of the template's parameters are missing or invalid.")
    return payload


# --- examples (drafts) -----------------------------------------------------------------------------------

def _example_suffix(url: str, example: str) -> str:
    prefix = url.split("{{", 1)[0]
    if prefix and example.startswith(prefix):
        return example[len(prefix):]
    if "://" in example:  # a whole URL given as the example: keep its last part
        return re.split(r"[=/]", example.rstrip("/"))[-1]
    return example


def _example_part(part: Part, named: bool, auth: bool) -> dict:
    params: dict = {}
    header = part.header
    if header is not None and (_upper(header.get("format")) or "TEXT") == "TEXT":
        example = header.get("example") if isinstance(header.get("example"), dict) else {}
        if named:
            items = example.get("header_text_named_params")
            params["header"] = {i.get("param_name"): i.get("example") for i in items or [] if isinstance(i, dict)}
        elif isinstance(example.get("header_text"), list):
            params["header"] = example["header_text"][:1]
    body = part.body
    if body is not None:
        example = body.get("example") if isinstance(body.get("example"), dict) else {}
        if _is_auth_body(body, auth) or (auth and not example):  # Meta's fixed text takes the code
            params["body"] = [_SAMPLE_CODE]
        elif named:
            items = example.get("body_text_named_params")
            params["body"] = {i.get("param_name"): i.get("example") for i in items or [] if isinstance(i, dict)}
        else:
            rows = example.get("body_text")
            if isinstance(rows, list) and rows and isinstance(rows[0], list):
                params["body"] = rows[0]
    buttons = []
    for index, button in enumerate(part.buttons):
        kind = _button_kind(button)
        example = button.get("example")
        example = example[0] if isinstance(example, list) and example else example
        if kind == "url" and isinstance(example, str):
            buttons.append({"index": index, "value": _example_suffix(_text_of(button.get("url")), example)})
        elif kind == "coupon_code" and isinstance(example, str):
            buttons.append({"index": index, "value": example})
    if buttons:
        params["buttons"] = buttons
    if part.cards:
        params["cards"] = [_example_part(card, named, False) for card in part.cards]
    return params


def example_parameters(template_like) -> dict:
    """Parameters from the definition's own examples (what a draft's preview shows before values are typed).
    Media, location and product headers have no send-time example: the preview shows the sample handle."""
    components, named, auth = _fields(template_like)
    part = _part(components)
    return _prune(part, _example_part(part, named, auth), named, auth)


def _prune(part: Part, params: dict, named: bool, auth: bool) -> dict:
    """Keep the examples of the variables the text still has (a draft being edited may have more)."""
    for key, names in (("header", _header_names(part.header, named)), ("body", _names(body_text(part.body, auth),
                                                                                     named))):
        value = params.get(key)
        if isinstance(value, dict):
            params[key] = {k: v for k, v in value.items() if k in names}
        elif isinstance(value, list):
            params[key] = value[:len(names)]
    if part.cards:
        params["cards"] = [_prune(card, card_params, named, False)
                           for card, card_params in zip(part.cards, params.get("cards") or [], strict=False)]
    return params
