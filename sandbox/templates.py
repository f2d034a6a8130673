"""Message templates: creation checks (reference §5.2), the deterministic review, and send-time checks
of a `"type": "template"` message against the approved definition (§2.10), with the rendered text the
phone page shows.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .errors import (
    SUB_TEMPLATE_BODY,
    SUB_TEMPLATE_DENSITY,
    SUB_TEMPLATE_EDGE_PARAM,
    SUB_TEMPLATE_FOOTER,
    SUB_TEMPLATE_HEADER,
    SUB_TEMPLATE_NAME,
    SUB_TEMPLATE_TOO_LONG,
    GraphError,
    bad_param,
    invalid,
    missing,
)

NAME_RE = re.compile(r"^[a-z0-9_]{1,512}$")
LANGUAGE_RE = re.compile(r"^[a-z]{2,3}(_[A-Z]{2})?$")
VAR_RE = re.compile(r"\{\{\s*([A-Za-z0-9_]+)\s*\}\}")
CATEGORIES = ("MARKETING", "UTILITY", "AUTHENTICATION")
BUTTON_TYPES = {"QUICK_REPLY", "URL", "PHONE_NUMBER", "COPY_CODE", "FLOW", "OTP", "MPM", "SPM", "CATALOG",
                "VOICE_CALL", "APP"}
HEADER_FORMATS = {"TEXT", "IMAGE", "VIDEO", "DOCUMENT", "LOCATION", "PRODUCT", "GIF"}
OTP_URL = "https://www.whatsapp.com/otp/code/?otp_type={otp}&code=otp{{{{1}}}}"
PROMO_WORDS = re.compile(r"\b(sale|discount|\d+\s?% off|promo(tion)?|offer|coupon|deal)\b", re.I)
POLICY_WORDS = re.compile(r"\b(scam|phishing)\b", re.I)
BAD_PARAM_TEXT = re.compile(r"[\n\t]| {5,}")

HEADER_TEXT_MAX = 60
BODY_MAX = 1024
FOOTER_MAX = 60
BUTTON_TEXT_MAX = 25


def _fail(subcode: int, details: str) -> GraphError:
    return GraphError(100, details, subcode=subcode)


def variables(text: str) -> list[str]:
    return VAR_RE.findall(text or "")


# --- creation ---------------------------------------------------------------------------------------------

def normalize_definition(body: dict) -> dict:
    """Check a creation payload like Meta and return the stored fields (upper-case types, auth text filled in)."""
    if not isinstance(body, dict):
        raise GraphError(100, "The request body must be a JSON object.")
    name = body.get("name")
    if not name:
        raise GraphError(100, "The parameter name is required.")
    if not isinstance(name, str) or not NAME_RE.match(name):
        raise _fail(SUB_TEMPLATE_NAME, "Template name must be 1-512 characters of lowercase letters, digits and "
                                       "underscores.")
    language = body.get("language")
    if not language:
        raise GraphError(100, "The parameter language is required.")
    if not isinstance(language, str) or not LANGUAGE_RE.match(language):
        raise GraphError(100, f"Param language must be a locale code such as en or en_US, got {language!r}.")
    category = str(body.get("category") or "").upper()
    if not category:
        raise GraphError(100, "The parameter category is required.")
    if category not in CATEGORIES:
        raise GraphError(100, f"Param category must be one of {{{', '.join(CATEGORIES)}}} - got {category!r}.")
    parameter_format = str(body.get("parameter_format") or "positional").upper()
    if parameter_format not in ("POSITIONAL", "NAMED"):
        raise GraphError(100, "Param parameter_format must be one of {named, positional}.")
    ttl = body.get("message_send_ttl_seconds")
    ttl_ok = isinstance(ttl, int) and not isinstance(ttl, bool) and (ttl == -1 or 30 <= ttl <= 2592000)
    if ttl is not None and not ttl_ok:
        raise GraphError(100, "Param message_send_ttl_seconds must be -1 or between 30 and 2592000.")
    extra = set(body) - CREATION_FIELDS
    if extra:
        raise GraphError(100, f"Unexpected key \"{sorted(extra)[0]}\" on the template.")
    components = body.get("components")
    if not isinstance(components, list) or not components:
        if body.get("library_template_name"):
            raise GraphError(100, "The sandbox has no template library: give the components of the template "
                                  "along with library_template_name.")
        raise GraphError(100, "The parameter components is required.")
    stored = _normalize_components(components, category, parameter_format, top=True)
    return {"name": name, "language": language, "category": category, "components": stored,
            "parameter_format": parameter_format, "message_send_ttl_seconds": ttl, **optional_fields(body)}


# What POST /{waba-id}/message_templates takes (Meta's Message Template API reference, 2026).
CREATION_FIELDS = {"name", "language", "category", "parameter_format", "message_send_ttl_seconds", "components",
                   "allow_category_change", "sub_category", "library_template_name", "cta_url_link_tracking_opted_out",
                   "library_template_button_inputs", "library_template_body_inputs", "display_format",
                   "is_primary_device_delivery_only", "send_type", "degrees_of_freedom_spec"}
# ... and what POST /{template-id} (edit) takes.
EDIT_FIELDS = {"components", "category", "parameter_format", "allow_category_change", "cta_url_link_tracking_opted_out",
               "message_send_ttl_seconds", "sub_category", "display_format", "is_primary_device_delivery_only"}
SUB_CATEGORIES = ("ORDER_DETAILS", "ORDER_STATUS", "RICH_ORDER_STATUS", "BOOKING_STATUS",
                  "FLIGHT_DELAY_AND_GATE_CHANGE_ALERT", "FRAUD_ALERT", "CALL_PERMISSIONS_REQUEST")
DISPLAY_FORMATS = ("ORDER_DETAILS",)
SEND_TYPES = ("campaign", "direct")


def _enum(body: dict, key: str, values: tuple, *, upper: bool = True) -> str | None:
    raw = body.get(key)
    if raw is None:
        return None
    value = str(raw).upper() if upper else str(raw)
    if not isinstance(raw, str) or value not in values:
        raise GraphError(100, f"Param {key} must be one of {{{', '.join(values)}}} - got {raw!r}.")
    return value


def _bool(body: dict, key: str) -> bool | None:
    raw = body.get(key)
    if raw is None:
        return None
    if isinstance(raw, str) and raw.lower() in ("true", "false"):  # form-encoded bodies
        return raw.lower() == "true"
    if not isinstance(raw, bool):
        raise GraphError(100, f"Param {key} must be a boolean.")
    return raw


def optional_fields(body: dict) -> dict:
    """The optional node fields of a creation or edit body, checked; only those given are returned."""
    out: dict = {}
    sub_category = _enum(body, "sub_category", SUB_CATEGORIES)
    if sub_category:
        out["sub_category"] = sub_category
    display_format = _enum(body, "display_format", DISPLAY_FORMATS)
    if display_format:
        out["display_format"] = display_format
    _enum(body, "send_type", SEND_TYPES, upper=False)  # MM API only; nothing the node reports
    _bool(body, "allow_category_change")  # a no-op since 2025-04: Meta recategorises regardless
    for key in ("cta_url_link_tracking_opted_out", "is_primary_device_delivery_only"):
        value = _bool(body, key)
        if value is not None:
            out[key] = value
    name = body.get("library_template_name")
    if name is not None:
        if not isinstance(name, str) or not 1 <= len(name) <= 512:
            raise GraphError(100, "Param library_template_name must be a string of 1 to 512 characters.")
        out["library_template_name"] = name
    spec = body.get("degrees_of_freedom_spec")
    if spec is not None:
        if not isinstance(spec, dict):
            raise GraphError(100, "Param degrees_of_freedom_spec must be an object, e.g. "
                                  "{\"creative_features_spec\": {...}}.")
        out["degrees_of_freedom_spec"] = spec
    if body.get("library_template_button_inputs") is not None and not isinstance(
            body["library_template_button_inputs"], list):
        raise GraphError(100, "Param library_template_button_inputs must be an array.")
    if body.get("library_template_body_inputs") is not None and not isinstance(
            body["library_template_body_inputs"], dict):
        raise GraphError(100, "Param library_template_body_inputs must be an object.")
    return out


def _normalize_components(components: list, category: str, parameter_format: str, *, top: bool) -> list[dict]:
    out: list[dict] = []
    seen: dict[str, int] = {}
    for i, raw in enumerate(components):
        if not isinstance(raw, dict) or not raw.get("type"):
            raise GraphError(100, f"components[{i}].type is required.")
        comp = dict(raw)
        kind = str(comp["type"]).upper()
        comp["type"] = kind
        seen[kind] = seen.get(kind, 0) + 1
        if seen[kind] > 1:
            raise GraphError(100, f"Only one {kind} component is allowed.")
        if kind == "HEADER":
            _check_header(comp, parameter_format)
        elif kind == "BODY":
            _check_body(comp, category, parameter_format, top=top)
        elif kind == "FOOTER":
            _check_footer(comp, category)
        elif kind == "BUTTONS":
            _check_buttons(comp, category)
        elif kind == "CAROUSEL" and top:
            _check_carousel(comp, category, parameter_format)
        elif kind in ("LIMITED_TIME_OFFER", "CALL_PERMISSION_REQUEST") and top:
            pass
        else:
            raise GraphError(100, f"Unsupported component type {kind} in components[{i}].")
        out.append(comp)
    if top and "BODY" not in seen:
        raise _fail(SUB_TEMPLATE_BODY, "A template needs exactly one BODY component.")
    return out


def _check_header(comp: dict, parameter_format: str) -> None:
    fmt = str(comp.get("format") or "").upper()
    if fmt not in HEADER_FORMATS:
        raise _fail(SUB_TEMPLATE_HEADER, f"HEADER format must be one of {sorted(HEADER_FORMATS)}.")
    comp["format"] = fmt
    if fmt == "TEXT":
        text = comp.get("text")
        if not isinstance(text, str) or not text:
            raise _fail(SUB_TEMPLATE_HEADER, "HEADER text is required for format TEXT.")
        if len(text) > HEADER_TEXT_MAX:
            raise _fail(SUB_TEMPLATE_TOO_LONG, f"HEADER text must be at most {HEADER_TEXT_MAX} characters.")
        names = variables(text)
        if len(names) > 1:
            raise _fail(SUB_TEMPLATE_HEADER, "HEADER text can have at most one variable.")
        if names:
            _check_names(names, parameter_format, "HEADER")
            example = comp.get("example") or {}
            if parameter_format == "NAMED":
                ok = bool(example.get("header_text_named_params"))
            else:
                ok = bool(example.get("header_text"))
            if not ok:
                raise _fail(SUB_TEMPLATE_HEADER, "HEADER variables need an example (example.header_text).")
    elif fmt in ("IMAGE", "VIDEO", "DOCUMENT", "GIF"):
        handles = (comp.get("example") or {}).get("header_handle")
        if not handles:
            raise _fail(SUB_TEMPLATE_HEADER, f"HEADER format {fmt} needs example.header_handle.")


def _check_names(names: list[str], parameter_format: str, where: str) -> None:
    if parameter_format == "NAMED":
        for name in names:
            if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
                raise _fail(SUB_TEMPLATE_BODY, f"{where}: named parameters are lowercase letters and underscores, "
                                               f"got {{{{{name}}}}}.")
        if len(set(names)) != len(names):
            raise _fail(SUB_TEMPLATE_BODY, f"{where}: named parameters must be unique.")
    else:
        if not all(n.isdigit() for n in names):
            raise _fail(SUB_TEMPLATE_BODY, f"{where}: positional parameters are {{{{1}}}}, {{{{2}}}}, ...; use "
                                           "parameter_format named for names.")
        if sorted(int(n) for n in set(names)) != list(range(1, len(set(names)) + 1)):
            raise _fail(SUB_TEMPLATE_BODY, f"{where}: parameters must be numbered {{{{1}}}} to {{{{n}}}} in order.")


def _check_body(comp: dict, category: str, parameter_format: str, *, top: bool) -> None:
    if category == "AUTHENTICATION" and top:
        text = "*{{1}}* is your verification code."
        if comp.get("add_security_recommendation"):
            text += " For your security, do not share this code."
        comp["text"] = text
        return
    text = comp.get("text")
    if not isinstance(text, str) or not text.strip():
        raise _fail(SUB_TEMPLATE_BODY, "BODY text is required.")
    if len(text) > BODY_MAX:
        raise _fail(SUB_TEMPLATE_TOO_LONG, f"BODY text must be at most {BODY_MAX} characters.")
    names = variables(text)
    if not names:
        return
    _check_names(list(dict.fromkeys(names)) if parameter_format == "POSITIONAL" else names, parameter_format, "BODY")
    stripped = text.strip()
    if VAR_RE.match(stripped) or re.search(r"\{\{\s*[A-Za-z0-9_]+\s*\}\}[\s.!?]*$", stripped):
        raise _fail(SUB_TEMPLATE_EDGE_PARAM, "BODY can't start or end with a variable.")
    literal = re.sub(r"[\W_]", "", VAR_RE.sub("", text))
    if len(literal) < 4 * len(names):
        raise _fail(SUB_TEMPLATE_DENSITY, "BODY has too many variables for its length.")
    if top:
        example = comp.get("example") or {}
        if parameter_format == "NAMED":
            given = {p.get("param_name") for p in example.get("body_text_named_params") or [] if isinstance(p, dict)}
            if not set(names) <= given:
                raise _fail(SUB_TEMPLATE_BODY, "BODY variables need examples (example.body_text_named_params).")
        else:
            rows = example.get("body_text") or []
            if not rows or not isinstance(rows[0], list) or len(rows[0]) != len(set(names)):
                raise _fail(SUB_TEMPLATE_BODY, "BODY variables need one example each (example.body_text).")


def _check_footer(comp: dict, category: str) -> None:
    if category == "AUTHENTICATION" and "code_expiration_minutes" in comp:
        minutes = comp.get("code_expiration_minutes")
        if not isinstance(minutes, int) or not 1 <= minutes <= 90:
            raise _fail(SUB_TEMPLATE_FOOTER, "code_expiration_minutes must be between 1 and 90.")
        comp["text"] = f"This code expires in {minutes} minutes."
        return
    text = comp.get("text")
    if not isinstance(text, str) or not text:
        raise _fail(SUB_TEMPLATE_FOOTER, "FOOTER text is required.")
    if len(text) > FOOTER_MAX:
        raise _fail(SUB_TEMPLATE_TOO_LONG, f"FOOTER text must be at most {FOOTER_MAX} characters.")
    if variables(text):
        raise _fail(SUB_TEMPLATE_FOOTER, "FOOTER can't have variables.")


def _check_buttons(comp: dict, category: str) -> None:
    buttons = comp.get("buttons")
    if not isinstance(buttons, list) or not 1 <= len(buttons) <= 10:
        raise GraphError(100, "BUTTONS needs 1 to 10 buttons.")
    normalized = []
    counts: dict[str, int] = {}
    for i, raw in enumerate(buttons):
        if not isinstance(raw, dict):
            raise GraphError(100, f"buttons[{i}] must be an object.")
        button = dict(raw)
        kind = str(button.get("type") or "").upper()
        if kind not in BUTTON_TYPES:
            raise GraphError(100, f"buttons[{i}].type must be one of {sorted(BUTTON_TYPES)}.")
        button["type"] = kind
        counts[kind] = counts.get(kind, 0) + 1
        if kind == "OTP":
            if category != "AUTHENTICATION":
                raise GraphError(100, "OTP buttons are for AUTHENTICATION templates only.")
            otp = str(button.get("otp_type") or "").upper()
            if otp not in ("COPY_CODE", "ONE_TAP", "ZERO_TAP"):
                raise GraphError(100, f"buttons[{i}].otp_type must be COPY_CODE, ONE_TAP or ZERO_TAP.")
            if otp in ("ONE_TAP", "ZERO_TAP") and not button.get("supported_apps"):
                raise GraphError(100, f"buttons[{i}].supported_apps is required for {otp}.")
            # Meta reports OTP buttons back as URL buttons carrying the code.
            button = {"type": "URL", "text": button.get("text") or "Copy code", "url": OTP_URL.format(otp=otp)}
        elif kind == "COPY_CODE":
            example = button.get("example")
            if not isinstance(example, str) or not 1 <= len(example) <= 20:
                raise GraphError(100, f"buttons[{i}].example (the coupon code) must be 1-20 characters.")
        else:
            text = button.get("text")
            if not isinstance(text, str) or not text:
                raise GraphError(100, f"buttons[{i}].text is required.")
            if len(text) > BUTTON_TEXT_MAX:
                raise _fail(SUB_TEMPLATE_TOO_LONG, f"buttons[{i}].text must be at most {BUTTON_TEXT_MAX} characters.")
        if kind == "URL":
            url = button.get("url")
            if not isinstance(url, str) or not re.match(r"^https?://", url) or len(url) > 2000:
                raise GraphError(100, f"buttons[{i}].url must be an http(s) URL of at most 2000 characters.")
            names = variables(url)
            if len(names) > 1 or (names and not re.search(r"\{\{\s*1\s*\}\}$", url)):
                raise GraphError(100, f"buttons[{i}].url can have one variable {{{{1}}}}, at the end only.")
            if names and not button.get("example"):
                raise GraphError(100, f"buttons[{i}].example is required when the URL has a variable.")
        if kind == "PHONE_NUMBER":
            phone = button.get("phone_number")
            if not isinstance(phone, str) or not 1 <= len(phone) <= 20:
                raise GraphError(100, f"buttons[{i}].phone_number is required (at most 20 characters).")
        normalized.append(button)
    limits = {"URL": 2, "PHONE_NUMBER": 1, "COPY_CODE": 1}
    for kind, limit in limits.items():
        if counts.get(kind, 0) > limit:
            raise GraphError(100, f"At most {limit} {kind} button(s) are allowed.")
    kinds = ["QR" if b["type"] == "QUICK_REPLY" else "OTHER" for b in normalized]
    groups = [k for j, k in enumerate(kinds) if j == 0 or kinds[j - 1] != k]
    if groups.count("QR") > 1:
        raise GraphError(100, "QUICK_REPLY buttons must be grouped together (before or after the other buttons).")
    comp["buttons"] = normalized


def _check_carousel(comp: dict, category: str, parameter_format: str) -> None:
    if category != "MARKETING":
        raise GraphError(100, "CAROUSEL templates must be MARKETING.")
    cards = comp.get("cards")
    if not isinstance(cards, list) or not 2 <= len(cards) <= 10:
        raise GraphError(100, "CAROUSEL needs 2 to 10 cards.")
    shapes = []
    stored_cards = []
    for i, card in enumerate(cards):
        if not isinstance(card, dict) or not isinstance(card.get("components"), list):
            raise GraphError(100, f"cards[{i}].components is required.")
        components = _normalize_components(card["components"], category, parameter_format, top=False)
        header = next((c for c in components if c["type"] == "HEADER"), None)
        if header is None or header["format"] not in ("IMAGE", "VIDEO", "PRODUCT"):
            raise GraphError(100, f"cards[{i}] needs an IMAGE, VIDEO or PRODUCT header.")
        buttons = next((c["buttons"] for c in components if c["type"] == "BUTTONS"), [])
        if len(buttons) > 2:
            raise GraphError(100, f"cards[{i}] can have at most 2 buttons.")
        shapes.append((header["format"], any(c["type"] == "BODY" for c in components),
                       tuple(b["type"] for b in buttons)))
        stored_cards.append({"components": components})
    if len(set(shapes)) > 1:
        raise GraphError(100, "All CAROUSEL cards must have the same components.")
    comp["cards"] = stored_cards


def review(name: str, category: str, components: list[dict]) -> tuple[str, str, dict | None] | None:
    """The deterministic review: (status, reason, rejection_info), or None to stay PENDING.

    - a name containing `pending` is never reviewed;
    - a name containing `reject` is REJECTED (ABUSIVE_CONTENT);
    - variables next to each other (`{{1}}{{2}}`) are REJECTED (INVALID_FORMAT, with rejection_info);
    - a UTILITY template whose text reads as promotional is REJECTED (INCORRECT_CATEGORY);
    - anything else is APPROVED.
    """
    if "pending" in name:
        return None
    if "reject" in name:
        return "REJECTED", "ABUSIVE_CONTENT", None
    texts = _all_texts(components)
    if any(re.search(r"\}\}\s*\{\{", text) for text in texts):
        return "REJECTED", "INVALID_FORMAT", {
            "reason": "Your template has parameters placed next to each other (like {{1}}{{2}}) without text or "
                      "punctuation between them.",
            "recommendation": "Separate parameters with descriptive text and ensure each parameter is clearly "
                              "contextualized."}
    if category == "UTILITY" and any(PROMO_WORDS.search(text) for text in texts):
        return "REJECTED", "INCORRECT_CATEGORY", None
    return "APPROVED", "NONE", None


def _all_texts(components: list[dict]) -> list[str]:
    texts = []
    for comp in components:
        if isinstance(comp.get("text"), str):
            texts.append(comp["text"])
        for card in comp.get("cards") or []:
            texts.extend(_all_texts(card.get("components") or []))
    return texts


# --- sending ---------------------------------------------------------------------------------------------

@dataclass
class SendComponents:
    header: list | None = None
    body: list | None = None
    buttons: dict | None = None  # index -> (sub_type, parameters)
    carousel: list | None = None
    limited_time_offer: list | None = None


def _parse_send_components(components, path: str) -> SendComponents:
    parsed = SendComponents(buttons={})
    if components is None:
        return parsed
    if not isinstance(components, list):
        raise bad_param(path, "must be an array")
    for i, comp in enumerate(components):
        where = f"{path}[{i}]"
        if not isinstance(comp, dict):
            raise bad_param(where, "must be an object")
        kind = str(comp.get("type") or "").lower()
        if not kind:
            raise missing(f"{where}.type")
        params = comp.get("parameters", [])
        if kind in ("header", "body", "limited_time_offer"):
            if not isinstance(params, list):
                raise bad_param(f"{where}.parameters", "must be an array")
            if getattr(parsed, kind) is not None:
                raise invalid(where, f"only one {kind} component is allowed")
            setattr(parsed, kind, params)
        elif kind == "button":
            sub_type = comp.get("sub_type")
            if not sub_type:
                raise missing(f"{where}.sub_type")
            index = comp.get("index")
            if index is None:
                raise missing(f"{where}.index")
            try:
                index = int(index)
            except (TypeError, ValueError):
                raise invalid(f"{where}.index", "must be an integer") from None
            if index in parsed.buttons:
                raise invalid(f"{where}.index", f"button {index} is given twice")
            if not isinstance(params, list):
                raise bad_param(f"{where}.parameters", "must be an array")
            parsed.buttons[index] = (str(sub_type).lower(), params, where)
        elif kind == "carousel":
            cards = comp.get("cards")
            if not isinstance(cards, list):
                raise missing(f"{where}.cards")
            parsed.carousel = cards
        else:
            raise bad_param(f"{where}.type", f"'{kind}' is not a template component type")
    return parsed


class Renderer:
    """Checks one template send and builds what the customer's phone shows."""

    def __init__(self, template, media_lookup, path: str = "template"):
        self.template = template
        self.named = template.parameter_format == "NAMED"
        self.media_lookup = media_lookup  # media id -> Media | None
        self.path = path

    def render(self, payload_components) -> dict:
        sent = _parse_send_components(payload_components, f"{self.path}.components")
        rendered = self._render_components(self.template.components, sent, where="")
        carousel = next((c for c in self.template.components if c["type"] == "CAROUSEL"), None)
        if carousel is not None:
            cards_sent = sent.carousel or []
            expected = len(carousel["cards"])
            if len(cards_sent) != expected:
                raise GraphError(132000, f"carousel: number of cards ({len(cards_sent)}) does not match the expected "
                                         f"number of cards ({expected})")
            by_index = {}
            for i, card in enumerate(cards_sent):
                where = f"{self.path}.components.carousel.cards[{i}]"
                if not isinstance(card, dict):
                    raise bad_param(where, "must be an object")
                idx = card.get("card_index")
                if idx is None:
                    raise missing(f"{where}.card_index")
                if not isinstance(idx, int) or not 0 <= idx < expected or idx in by_index:
                    raise invalid(f"{where}.card_index", f"must be unique and between 0 and {expected - 1}")
                by_index[idx] = _parse_send_components(card.get("components"), f"{where}.components")
            rendered["cards"] = [self._render_components(carousel["cards"][i]["components"], by_index[i],
                                                         where=f"card {i} ") for i in range(expected)]
        elif sent.carousel is not None:
            raise GraphError(132000, "carousel: this template has no carousel")
        lto = next((c for c in self.template.components if c["type"] == "LIMITED_TIME_OFFER"), None)
        if lto is not None:
            rendered["limited_time_offer"] = dict(lto.get("limited_time_offer") or {})
        elif sent.limited_time_offer:
            raise GraphError(132000, "limited_time_offer: this template has no limited-time offer")
        return rendered

    def _render_components(self, components: list[dict], sent: SendComponents, where: str) -> dict:
        out: dict = {}
        header = next((c for c in components if c["type"] == "HEADER"), None)
        out["header"] = self._header(header, sent.header, where)
        body = next((c for c in components if c["type"] == "BODY"), None)
        if body is not None:
            out["body"] = self._text(body.get("text", ""), sent.body, f"{where}body", BODY_MAX)
        elif sent.body:
            raise GraphError(132000, f"{where}body: this template has no body parameters")
        footer = next((c for c in components if c["type"] == "FOOTER"), None)
        if footer is not None:
            out["footer"] = footer.get("text", "")
        buttons = next((c["buttons"] for c in components if c["type"] == "BUTTONS"), [])
        out["buttons"] = self._buttons(buttons, sent.buttons or {}, where)
        return out

    def _header(self, header: dict | None, params: list | None, where: str):
        if header is None:
            if params:
                raise GraphError(132000, f"{where}header: this template has no header")
            return None
        fmt = header["format"]
        if fmt == "TEXT":
            return {"type": "text", "text": self._text(header.get("text", ""), params, f"{where}header",
                                                       HEADER_TEXT_MAX)}
        params = params or []
        got = params[0].get("type") if params and isinstance(params[0], dict) else None
        expected = fmt.lower()
        if len(params) != 1 or got != expected:
            raise GraphError(132012, f"{where}header: Format mismatch, expected {fmt}, received "
                                     f"{str(got).upper() if got else 'UNKNOWN'}")
        value = params[0].get(expected)
        if not isinstance(value, dict):
            raise missing(f"{self.path}.components.header.parameters[0].{expected}")
        if fmt == "LOCATION":
            for key in ("latitude", "longitude"):
                if value.get(key) in (None, ""):
                    raise missing(f"{self.path}.components.header.parameters[0].location.{key}")
            return {"type": "location", "location": value}
        if fmt == "PRODUCT":
            return {"type": "product", "product": value}
        media_id, link = value.get("id"), value.get("link")
        if not media_id and not link:
            raise missing(f"{self.path}.components.header.parameters[0].{expected}.id")
        if media_id and self.media_lookup(str(media_id)) is None:
            raise invalid(f"{self.path}.components.header.parameters[0].{expected}.id", "no media with this id")
        return {"type": expected, expected: value}

    def _text(self, text: str, params: list | None, where: str, limit: int) -> str:
        names = variables(text)
        params = params or []
        if self.named:
            expected = list(dict.fromkeys(names))
            values = {}
            for i, param in enumerate(params):
                if not isinstance(param, dict):
                    raise bad_param(f"{where}.parameters[{i}]", "must be an object")
                name = param.get("parameter_name")
                if not name:
                    raise GraphError(132012, f"{where}: parameter_name is required for templates with named "
                                             f"parameters (parameters[{i}])")
                values[name] = self._param_text(param, f"{where}.parameters[{i}]")
            if len(params) != len(expected) or set(values) != set(expected):
                raise GraphError(132000, f"{where}: expected the parameters {expected}, received "
                                         f"{[p.get('parameter_name') for p in params if isinstance(p, dict)]}")
            result = VAR_RE.sub(lambda m: values.get(m.group(1), m.group(0)), text)
        else:
            expected_count = len(set(names))
            if len(params) != expected_count:
                raise GraphError(132000, f"{where}: number of localizable_params ({len(params)}) does not match the "
                                         f"expected number of params ({expected_count})")
            values = []
            for i, param in enumerate(params):
                if not isinstance(param, dict):
                    raise bad_param(f"{where}.parameters[{i}]", "must be an object")
                if param.get("parameter_name"):
                    raise GraphError(132012, f"{where}: this template has positional parameters; "
                                             f"parameters[{i}].parameter_name is not expected")
                values.append(self._param_text(param, f"{where}.parameters[{i}]"))
            result = VAR_RE.sub(lambda m: values[int(m.group(1)) - 1] if m.group(1).isdigit()
                                and 0 < int(m.group(1)) <= len(values) else m.group(0), text)
        if len(result) > limit:
            raise GraphError(132005, f"{where}: the text with its parameters is {len(result)} characters, more than "
                                     f"{limit}")
        return result

    def _param_text(self, param: dict, where: str) -> str:
        kind = param.get("type")
        if not kind:
            raise missing(f"{where}.type")
        if kind == "text":
            value = param.get("text")
            if value is None or value == "":
                raise missing(f"{where}.text")
            if not isinstance(value, str):
                raise bad_param(f"{where}.text", "must be a string")
        elif kind in ("currency", "date_time"):
            obj = param.get(kind)
            if not isinstance(obj, dict) or not obj.get("fallback_value"):
                raise missing(f"{where}.{kind}.fallback_value")
            if kind == "currency":
                for key in ("code", "amount_1000"):
                    if key not in obj:
                        raise missing(f"{where}.currency.{key}")
            value = str(obj["fallback_value"])
        else:
            raise GraphError(132012, f"{where}.type: expected text, currency or date_time, received {kind}")
        if BAD_PARAM_TEXT.search(value):
            raise GraphError(132018, f"{where}: Param text cannot have new-line/tab characters or more than 4 "
                                     "consecutive spaces")
        if POLICY_WORDS.search(value):
            raise GraphError(132007, f"{where}: the parameter violates WhatsApp's content policy")
        return value

    def _buttons(self, buttons: list[dict], sent: dict, where: str) -> list[dict]:
        for index, (_sub, _params, at) in sent.items():
            if not 0 <= index < len(buttons):
                raise invalid(f"{at}.index", f"this template has {len(buttons)} button(s); there is no index {index}")
        rendered = []
        for i, button in enumerate(buttons):
            kind = button["type"]
            given = sent.get(i)
            item = {"type": kind, "text": button.get("text", "")}
            if kind == "QUICK_REPLY":
                item["payload"] = button.get("text", "")
                if given:
                    params = self._button_params(given, "quick_reply", where, i)
                    if params:
                        if params[0].get("type") != "payload" or not params[0].get("payload"):
                            raise missing(f"{given[2]}.parameters[0].payload")
                        item["payload"] = str(params[0]["payload"])
            elif kind == "URL":
                item["url"] = button.get("url", "")
                if variables(item["url"]):
                    if not given:
                        raise GraphError(132000, f"{where}button at index {i} (URL): number of params (0) does not "
                                                 "match the expected number of params (1)")
                    params = self._button_params(given, "url", where, i)
                    if len(params) != 1 or params[0].get("type") != "text" or not params[0].get("text"):
                        raise GraphError(132000, f"{where}button at index {i} (URL): expected one text parameter")
                    value = str(params[0]["text"])
                    if "otp_type=" in item["url"] and len(value) > 15:
                        raise invalid(f"{given[2]}.parameters[0].text", "one-time codes are at most 15 characters")
                    item["url"] = VAR_RE.sub(value, item["url"])
                    if "otp_type=" in item["url"]:
                        item["code"] = value
                elif given:
                    raise GraphError(132000, f"{where}button at index {i} (URL) has no variable; no parameters are "
                                             "expected")
            elif kind == "COPY_CODE":
                item["text"] = "Copy offer code"
                if not given:
                    raise GraphError(132000, f"{where}button at index {i} (COPY_CODE) needs a coupon_code parameter")
                params = self._button_params(given, "copy_code", where, i)
                if len(params) != 1 or params[0].get("type") != "coupon_code" or not params[0].get("coupon_code"):
                    raise GraphError(132000, f"{where}button at index {i} (COPY_CODE) needs one coupon_code parameter")
                code = str(params[0]["coupon_code"])
                if len(code) > 20:
                    raise invalid(f"{given[2]}.parameters[0].coupon_code", "must be at most 20 characters")
                item["code"] = code
            elif kind in ("FLOW", "CATALOG", "MPM", "SPM"):
                if given:
                    expected_sub = {"FLOW": "flow", "CATALOG": "catalog", "MPM": "mpm", "SPM": "spm"}[kind]
                    self._button_params(given, expected_sub, where, i)
            elif kind == "PHONE_NUMBER":
                item["phone_number"] = button.get("phone_number", "")
                if given:
                    raise GraphError(132000, f"{where}button at index {i} (PHONE_NUMBER) takes no parameters")
            elif given:
                raise GraphError(132000, f"{where}button at index {i} ({kind}) takes no parameters")
            rendered.append(item)
        return rendered

    @staticmethod
    def _button_params(given, expected_sub: str, where: str, index: int) -> list:
        sub_type, params, _at = given
        if sub_type != expected_sub:
            raise GraphError(132012, f"{where}button at index {index}: expected sub_type {expected_sub}, received "
                                     f"{sub_type}")
        for param in params:
            if not isinstance(param, dict):
                raise bad_param(f"{_at}.parameters", "must be an array of objects")
        return params
