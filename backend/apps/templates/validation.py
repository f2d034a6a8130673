"""A template definition checked the way Meta judges it at creation (reference §5.2), before it is submitted.

`definition_problems(body)` takes Meta's creation body (`name`, `language`, `category`, `parameter_format`,
`message_send_ttl_seconds`, `components`) and answers every problem at once, keyed by where it is:
`{"components[1].text": ["variable {{3}} has no example"]}`; `{}` means Meta's documented rules hold. It never
raises, whatever the body holds (the builder calls it through the preview on every keystroke).

Limits come from apps.whatsapp.builders.limits where Meta states them for sending too; the creation-only ones
are below. The sandbox (sandbox/templates.py) plays Meta's side of the same rules.
"""
from __future__ import annotations

import re
from collections import defaultdict

from apps.whatsapp.builders import limits as L

# Creation-only limits (reference §5.2 and §2.11).
BODY_TEXT = 1024
CARD_BODY_TEXT = L.CAROUSEL_CARD_BODY
LTO_BODY_TEXT = 600
LTO_TEXT = 16
BUTTON_LABEL = 25
BUTTONS_PER_CARD = 2
PHONE_NUMBER = 20
CODE_EXPIRATION_MINUTES = (1, 90)
# Meta's ceilings per button type (others: up to the overall ten).
BUTTON_MAX = {"URL": 2, "PHONE_NUMBER": 1, "COPY_CODE": 1, "OTP": 1, "FLOW": 1, "CATALOG": 1, "MPM": 1, "SPM": 1,
              "VOICE_CALL": 1}
# message_send_ttl_seconds per category: -1 is Meta's "30 days" for authentication and utility.
TTL_RANGE = {"AUTHENTICATION": (30, 900), "UTILITY": (30, 43_200), "MARKETING": (43_200, 2_592_000)}

CATEGORIES = ("MARKETING", "UTILITY", "AUTHENTICATION")
PARAMETER_FORMATS = ("POSITIONAL", "NAMED")
COMPONENT_TYPES = ("HEADER", "BODY", "FOOTER", "BUTTONS", "CAROUSEL", "LIMITED_TIME_OFFER")
HEADER_FORMATS = ("TEXT", "IMAGE", "VIDEO", "DOCUMENT", "LOCATION", "PRODUCT", "GIF")
MEDIA_FORMATS = ("IMAGE", "VIDEO", "DOCUMENT", "GIF")
CARD_HEADER_FORMATS = ("IMAGE", "VIDEO", "PRODUCT")
BUTTON_TYPES = ("QUICK_REPLY", "URL", "PHONE_NUMBER", "COPY_CODE", "OTP", "FLOW", "CATALOG", "MPM", "SPM",
                "VOICE_CALL", "APP")
OTP_TYPES = ("COPY_CODE", "ONE_TAP", "ZERO_TAP")
FLOW_ACTIONS = ("navigate", "data_exchange")

NAME_RE = re.compile(r"^[a-z0-9_]+$")
LANGUAGE_RE = re.compile(r"^[a-z]{2,3}(_[A-Z]{2})?$")
VARIABLE_RE = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")
NAMED_RE = re.compile(r"^[a-z_][a-z0-9_]*$")
PHONE_RE = re.compile(r"^\+?[0-9]{1,20}$")
URL_RE = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)


def variables(text) -> list[str]:
    """The variables of a text as written, in order (`{{1}}` → "1", `{{first_name}}` → "first_name")."""
    return VARIABLE_RE.findall(text) if isinstance(text, str) else []


def _upper(value) -> str:
    return value.upper() if isinstance(value, str) else ""


class _Problems:
    def __init__(self):
        self.found: dict[str, list[str]] = defaultdict(list)

    def add(self, key: str, message: str) -> None:
        if message not in self.found[key]:
            self.found[key].append(message)


def definition_problems(body) -> dict[str, list[str]]:
    """Every rule of Meta's template creation the body breaks, by field (empty: valid)."""
    problems = _Problems()
    if not isinstance(body, dict):
        problems.add("non_field_errors", "a template definition is a JSON object")
        return dict(problems.found)
    _check_top(body, problems)
    category = _upper(body.get("category"))
    fmt = _upper(body.get("parameter_format")) or "POSITIONAL"
    components = body.get("components")
    if not isinstance(components, list) or not components:
        problems.add("components", "a template needs its components (at least a body)")
    else:
        _Components(problems, category, fmt if fmt in PARAMETER_FORMATS else "POSITIONAL").check(components)
    return dict(problems.found)


def _check_top(body: dict, problems: _Problems) -> None:
    name = body.get("name")
    if not isinstance(name, str) or not name:
        problems.add("name", "is required")
    else:
        if len(name) > L.TEMPLATE_NAME:
            problems.add("name", f"is {len(name)} characters; at most {L.TEMPLATE_NAME} allowed")
        if not NAME_RE.match(name):
            problems.add("name", "only lowercase letters, digits and underscores")
    language = body.get("language")
    if not isinstance(language, str) or not language:
        problems.add("language", "is required")
    elif not LANGUAGE_RE.match(language):
        problems.add("language", "must be a locale code such as en or en_US")
    category = _upper(body.get("category"))
    if not category:
        problems.add("category", "is required")
    elif category not in CATEGORIES:
        problems.add("category", f"must be one of {', '.join(CATEGORIES)}")
    fmt = body.get("parameter_format")
    if fmt is not None and _upper(fmt) not in PARAMETER_FORMATS:
        problems.add("parameter_format", "must be named or positional")
    ttl = body.get("message_send_ttl_seconds")
    if ttl is not None:
        if not isinstance(ttl, int) or isinstance(ttl, bool):
            problems.add("message_send_ttl_seconds", "must be a whole number of seconds")
        elif category in TTL_RANGE:
            low, high = TTL_RANGE[category]
            if not (low <= ttl <= high or (ttl == -1 and category != "MARKETING")):
                minus_one = " (or -1 for 30 days)" if category != "MARKETING" else ""
                problems.add("message_send_ttl_seconds",
                             f"{category.lower()} templates take {low} to {high} seconds{minus_one}")


class _Components:
    """The components of a definition (or of one carousel card), in the context of its category and format."""

    def __init__(self, problems: _Problems, category: str, fmt: str):
        self.problems, self.category, self.fmt = problems, category, fmt
        self.named = fmt == "NAMED"

    def add(self, key: str, message: str) -> None:
        self.problems.add(key, message)

    def check(self, components: list, prefix: str = "components", *, card: bool = False) -> dict[str, tuple]:
        """Check a list of components; answers {TYPE: (index, component)} of the well-formed ones."""
        seen: dict[str, tuple[int, dict]] = {}
        allowed = ("HEADER", "BODY", "BUTTONS") if card else COMPONENT_TYPES
        for i, comp in enumerate(components):
            key = f"{prefix}[{i}]"
            if not isinstance(comp, dict):
                self.add(key, "must be an object")
                continue
            kind = _upper(comp.get("type"))
            if kind not in allowed:
                where = "a carousel card has" if card else "components are"
                self.add(f"{key}.type", f"{where} {', '.join(t.lower() for t in allowed)}")
                continue
            if kind in seen:
                self.add(f"{key}.type", f"only one {kind.lower()} component is allowed")
                continue
            seen[kind] = (i, comp)
        for kind, (i, comp) in seen.items():
            key = f"{prefix}[{i}]"
            if kind == "HEADER":
                self.header(comp, key, card=card)
            elif kind == "BODY":
                self.body(comp, key, card=card, lto="LIMITED_TIME_OFFER" in seen)
            elif kind == "FOOTER":
                self.footer(comp, key)
            elif kind == "BUTTONS":
                self.buttons(comp, key, card=card, lto="LIMITED_TIME_OFFER" in seen)
            elif kind == "CAROUSEL":
                self.carousel(comp, key)
            elif kind == "LIMITED_TIME_OFFER":
                self.limited_time_offer(comp, key)
        if not card:
            self.whole(seen, prefix)
        return seen

    # --- the template as a whole ------------------------------------------------------------------------------
    def whole(self, seen: dict, prefix: str) -> None:
        if "BODY" not in seen:
            self.add(prefix, "a template needs exactly one body component")
        if self.category == "AUTHENTICATION":
            for kind in ("HEADER", "CAROUSEL", "LIMITED_TIME_OFFER"):
                if kind in seen:
                    self.add(f"{prefix}[{seen[kind][0]}].type", f"authentication templates have no {kind.lower()}")
            if "BUTTONS" not in seen:
                self.add(prefix, "authentication templates need a buttons component with one OTP button")
        if "CAROUSEL" in seen:
            for kind in ("HEADER", "FOOTER", "BUTTONS", "LIMITED_TIME_OFFER"):
                if kind in seen:
                    self.add(f"{prefix}[{seen[kind][0]}].type",
                             f"a carousel template has a body and cards only, no {kind.lower().replace('_', ' ')}")
        if "LIMITED_TIME_OFFER" in seen:
            if "FOOTER" in seen:
                self.add(f"{prefix}[{seen['FOOTER'][0]}].type", "a limited-time offer template has no footer")
            buttons = seen.get("BUTTONS")
            types = [_upper(b.get("type")) for b in (buttons[1].get("buttons") or []) if isinstance(b, dict)] \
                if buttons and isinstance(buttons[1].get("buttons"), list) else []
            if "URL" not in types:
                self.add(f"{prefix}[{buttons[0]}].buttons" if buttons else prefix,
                         "a limited-time offer template needs a URL button")

    # --- header -----------------------------------------------------------------------------------------------
    def header(self, comp: dict, key: str, *, card: bool) -> None:
        fmt = _upper(comp.get("format"))
        formats = CARD_HEADER_FORMATS if card else HEADER_FORMATS
        if fmt not in formats:
            self.add(f"{key}.format", f"must be one of {', '.join(f.lower() for f in formats)}")
            return
        if fmt == "TEXT":
            self.header_text(comp, key)
        elif fmt in MEDIA_FORMATS:
            handles = (comp.get("example") or {}).get("header_handle") if isinstance(comp.get("example"), dict) \
                else None
            if not (isinstance(handles, list) and handles and all(isinstance(h, str) and h for h in handles)):
                self.add(f"{key}.example", f"a {fmt.lower()} header needs a sample (example.header_handle from "
                                           "an upload)")
            if fmt == "GIF" and self.category != "MARKETING":
                self.add(f"{key}.format", "gif headers are for marketing templates only")
        elif fmt == "LOCATION" and self.category not in ("UTILITY", "MARKETING", ""):
            self.add(f"{key}.format", "location headers are for utility and marketing templates only")

    def header_text(self, comp: dict, key: str) -> None:
        text = comp.get("text")
        if not isinstance(text, str) or not text.strip():
            self.add(f"{key}.text", "a text header needs its text")
            return
        if len(text) > L.HEADER_TEXT:
            self.add(f"{key}.text", f"is {len(text)} characters; at most {L.HEADER_TEXT} allowed")
        if "\n" in text or re.search(r"[*~`]", text):
            self.add(f"{key}.text", "a header has no new lines or formatting (*, ~, `)")
        names = variables(text)
        if len(names) > 1:
            self.add(f"{key}.text", "a header has at most one variable")
        if not names:
            return
        self.variable_names(names, f"{key}.text")
        example = comp.get("example") if isinstance(comp.get("example"), dict) else {}
        given = self.named_examples(example.get("header_text_named_params")) if self.named \
            else self.positional_examples(example.get("header_text"))
        self.missing_examples(names, given, f"{key}.text")

    # --- body -------------------------------------------------------------------------------------------------
    def body(self, comp: dict, key: str, *, card: bool, lto: bool) -> None:
        if self.category == "AUTHENTICATION" and not card:
            if "text" in comp:
                self.add(f"{key}.text", "authentication templates take no body text: Meta writes it")
            flag = comp.get("add_security_recommendation")
            if flag is not None and not isinstance(flag, bool):
                self.add(f"{key}.add_security_recommendation", "must be true or false")
            return
        text = comp.get("text")
        if not isinstance(text, str) or not text.strip():
            self.add(f"{key}.text", "the body needs its text")
            return
        limit = CARD_BODY_TEXT if card else LTO_BODY_TEXT if lto else BODY_TEXT
        if len(text) > limit:
            self.add(f"{key}.text", f"is {len(text)} characters; at most {limit} allowed")
        names = variables(text)
        if not names:
            return
        self.variable_names(names, f"{key}.text")
        self.placement(text, names, f"{key}.text")
        example = comp.get("example") if isinstance(comp.get("example"), dict) else {}
        if self.named:
            given = self.named_examples(example.get("body_text_named_params"))
        else:
            rows = example.get("body_text")
            given = self.positional_examples(rows[0] if isinstance(rows, list) and rows else None)
        self.missing_examples(names, given, f"{key}.text")

    def variable_names(self, names: list[str], key: str) -> None:
        """Positional: {{1}}..{{n}} with none left out; named: lowercase and underscores, each once."""
        if self.named:
            for name in dict.fromkeys(names):
                if not NAMED_RE.match(name):
                    self.add(key, f"variable {{{{{name}}}}}: named variables are lowercase letters, digits and "
                                  "underscores, starting with a letter")
            repeated = sorted({n for n in names if names.count(n) > 1})
            for name in repeated:
                self.add(key, f"variable {{{{{name}}}}} appears twice: each named variable is used once")
            return
        wrong = [n for n in dict.fromkeys(names) if not n.isdigit()]
        for name in wrong:
            self.add(key, f"variable {{{{{name}}}}}: positional variables are numbers ({{{{1}}}}, {{{{2}}}}, ...); "
                          "set parameter_format to named for names")
        numbers = sorted({int(n) for n in names if n.isdigit()})
        if numbers and not wrong and numbers != list(range(1, len(numbers) + 1)):
            absent = [n for n in range(1, max(numbers) + 1) if n not in numbers]
            self.add(key, f"variables must be numbered from {{{{1}}}} without gaps: {{{{{absent[0]}}}}} is missing"
                     if absent else "variables must be numbered from {{1}}")

    def placement(self, text: str, names: list[str], key: str) -> None:
        """Meta refuses (2388299) a variable at the very start or end, variables side by side, and (2388293)
        more variables than the text around them can carry."""
        stripped = text.strip()
        if VARIABLE_RE.match(stripped):
            self.add(key, "must not start with a variable")
        if re.search(r"\{\{[^{}]*\}\}[\s.!?]*$", stripped):
            self.add(key, "must not end with a variable")
        for first, second in re.findall(r"\{\{\s*([^{}]*?)\s*\}\}\s*\{\{\s*([^{}]*?)\s*\}\}", text):
            self.add(key, f"variables {{{{{first}}}}} and {{{{{second}}}}} are next to each other: put words "
                          "between them")
        literal = re.sub(r"[\W_]", "", VARIABLE_RE.sub("", text))
        if len(literal) < 4 * len(names):
            self.add(key, f"has too many variables for its length ({len(names)} variables, {len(literal)} letters "
                          "of text): write more text around them")

    @staticmethod
    def positional_examples(values) -> dict[str, bool]:
        if not isinstance(values, list):
            return {}
        return {str(i + 1): isinstance(v, str) and bool(v.strip()) for i, v in enumerate(values)}

    @staticmethod
    def named_examples(items) -> dict[str, bool]:
        if not isinstance(items, list):
            return {}
        return {item["param_name"]: isinstance(item.get("example"), str) and bool(item["example"].strip())
                for item in items if isinstance(item, dict) and isinstance(item.get("param_name"), str)}

    def missing_examples(self, names: list[str], given: dict[str, bool], key: str) -> None:
        for name in dict.fromkeys(names):
            if not given.get(name):
                self.add(key, f"variable {{{{{name}}}}} has no example")
        extra = [n for n, ok in given.items() if n not in names and ok]
        if extra and not self.named:
            self.add(key, f"{len(given)} examples for {len(set(names))} variables: give one example a variable")

    # --- footer -----------------------------------------------------------------------------------------------
    def footer(self, comp: dict, key: str) -> None:
        if self.category == "AUTHENTICATION":
            if "text" in comp:
                self.add(f"{key}.text", "authentication templates take no footer text: Meta writes it")
            minutes = comp.get("code_expiration_minutes")
            low, high = CODE_EXPIRATION_MINUTES
            if minutes is not None and (not isinstance(minutes, int) or isinstance(minutes, bool)
                                        or not low <= minutes <= high):
                self.add(f"{key}.code_expiration_minutes", f"must be {low} to {high} minutes")
            return
        text = comp.get("text")
        if not isinstance(text, str) or not text.strip():
            self.add(f"{key}.text", "the footer needs its text")
            return
        if len(text) > L.FOOTER_TEXT:
            self.add(f"{key}.text", f"is {len(text)} characters; at most {L.FOOTER_TEXT} allowed")
        if variables(text):
            self.add(f"{key}.text", "a footer has no variables")

    # --- buttons ----------------------------------------------------------------------------------------------
    def buttons(self, comp: dict, key: str, *, card: bool, lto: bool) -> None:
        buttons = comp.get("buttons")
        most = BUTTONS_PER_CARD if card else L.TEMPLATE_BUTTONS_MAX
        if not isinstance(buttons, list) or not buttons:
            self.add(f"{key}.buttons", "needs at least one button")
            return
        if len(buttons) > most:
            self.add(f"{key}.buttons", f"{len(buttons)} buttons; at most {most} allowed"
                     + (" on a carousel card" if card else ""))
        kinds = []
        for j, button in enumerate(buttons):
            b_key = f"{key}.buttons[{j}]"
            if not isinstance(button, dict):
                self.add(b_key, "must be an object")
                continue
            kind = _upper(button.get("type"))
            if kind not in BUTTON_TYPES:
                self.add(f"{b_key}.type", f"must be one of {', '.join(t.lower() for t in BUTTON_TYPES)}")
                continue
            kinds.append(kind)
            self.button(button, kind, b_key)
        for kind, most_of_kind in BUTTON_MAX.items():
            if kinds.count(kind) > most_of_kind:
                self.add(f"{key}.buttons", f"at most {most_of_kind} {kind.lower().replace('_', ' ')} "
                                           f"button{'s' if most_of_kind > 1 else ''}")
        groups = [k for i, k in enumerate(q == "QUICK_REPLY" for q in kinds) if i == 0 or k != (
            kinds[i - 1] == "QUICK_REPLY")]
        if groups.count(True) > 1:
            self.add(f"{key}.buttons", "quick replies must be grouped together, before or after the other buttons")
        if self.category == "AUTHENTICATION":
            if kinds != ["OTP"]:
                self.add(f"{key}.buttons", "authentication templates have exactly one OTP button")
        elif "OTP" in kinds:
            self.add(f"{key}.buttons", "OTP buttons are for authentication templates only")
        if "CATALOG" in kinds or "MPM" in kinds or "SPM" in kinds:
            if self.category not in ("MARKETING", ""):
                self.add(f"{key}.buttons", "catalog and product buttons are for marketing templates only")

    def button(self, button: dict, kind: str, key: str) -> None:
        if kind not in ("COPY_CODE", "OTP"):
            self.label(button.get("text"), f"{key}.text")
        elif button.get("text") is not None:
            self.label(button.get("text"), f"{key}.text")
        if kind == "URL":
            self.url_button(button, key)
        elif kind == "PHONE_NUMBER":
            phone = button.get("phone_number")
            if not isinstance(phone, str) or not PHONE_RE.match(phone.replace(" ", "")):
                self.add(f"{key}.phone_number", f"a phone number in international format, at most {PHONE_NUMBER} "
                                                "digits (e.g. +15550051310)")
        elif kind == "COPY_CODE":
            example = button.get("example")
            if not isinstance(example, str) or not example.strip():
                self.add(f"{key}.example", "a copy-code button needs its sample code")
            elif len(example) > L.COUPON_CODE:
                self.add(f"{key}.example", f"is {len(example)} characters; at most {L.COUPON_CODE} allowed")
        elif kind == "OTP":
            self.otp_button(button, key)
        elif kind == "FLOW":
            if not any(isinstance(button.get(k), str) and button.get(k) for k in ("flow_id", "flow_name",
                                                                                   "flow_json")):
                self.add(key, "a flow button names its flow (flow_id, flow_name or flow_json)")
            action = button.get("flow_action")
            if action is not None and action not in FLOW_ACTIONS:
                self.add(f"{key}.flow_action", "must be navigate or data_exchange")

    def label(self, text, key: str) -> None:
        if not isinstance(text, str) or not text.strip():
            self.add(key, "a button needs its label")
        elif len(text) > BUTTON_LABEL:
            self.add(key, f"is {len(text)} characters; at most {BUTTON_LABEL} allowed")
        elif variables(text):
            self.add(key, "a button label has no variables")

    def url_button(self, button: dict, key: str) -> None:
        url = button.get("url")
        if not isinstance(url, str) or not url:
            self.add(f"{key}.url", "a URL button needs its URL")
            return
        if len(url) > L.URL:
            self.add(f"{key}.url", f"is {len(url)} characters; at most {L.URL} allowed")
        if not URL_RE.match(VARIABLE_RE.sub("x", url)):
            self.add(f"{key}.url", "must be an http or https URL")
        names = variables(url)
        if len(names) > 1:
            self.add(f"{key}.url", "a URL has at most one variable")
        elif names and (names[0] != "1" or not re.search(r"\{\{\s*1\s*\}\}$", url)):
            self.add(f"{key}.url", "the URL's one variable is {{1}}, at its very end")
        if names:
            example = button.get("example")
            if isinstance(example, str):
                example = [example]
            if not (isinstance(example, list) and example and isinstance(example[0], str) and example[0].strip()):
                self.add(f"{key}.example", "variable {{1}} has no example")

    def otp_button(self, button: dict, key: str) -> None:
        otp = _upper(button.get("otp_type"))
        if otp not in OTP_TYPES:
            self.add(f"{key}.otp_type", "must be copy_code, one_tap or zero_tap")
            return
        if otp == "COPY_CODE":
            return
        apps = button.get("supported_apps")
        if not isinstance(apps, list) or not apps:
            self.add(f"{key}.supported_apps", f"{otp.lower()} buttons name the Android apps that take the code")
        else:
            for n, app in enumerate(apps):
                if not (isinstance(app, dict) and isinstance(app.get("package_name"), str) and app["package_name"]
                        and isinstance(app.get("signature_hash"), str) and app["signature_hash"]):
                    self.add(f"{key}.supported_apps[{n}]", "needs package_name and signature_hash")
        if otp == "ZERO_TAP" and button.get("zero_tap_terms_accepted") is not True:
            self.add(f"{key}.zero_tap_terms_accepted", "zero-tap needs Meta's terms accepted (true)")

    # --- carousel and limited-time offer ----------------------------------------------------------------------
    def carousel(self, comp: dict, key: str) -> None:
        if self.category not in ("MARKETING", ""):
            self.add(f"{key}.type", "carousels are for marketing templates only")
        cards = comp.get("cards")
        low, high = L.CAROUSEL_CARDS_MIN, L.CAROUSEL_CARDS_MAX
        if not isinstance(cards, list) or not low <= len(cards) <= high:
            self.add(f"{key}.cards", f"a carousel has {low} to {high} cards")
            if not isinstance(cards, list):
                return
        shapes = []
        for k, card in enumerate(cards):
            c_key = f"{key}.cards[{k}]"
            if not isinstance(card, dict) or not isinstance(card.get("components"), list):
                self.add(c_key, "a card is an object with its components")
                continue
            seen = self.check(card["components"], f"{c_key}.components", card=True)
            if "HEADER" not in seen:
                self.add(f"{c_key}.components", "a card needs a header (image or video)")
            if "BUTTONS" not in seen:
                self.add(f"{c_key}.components", "a card needs one or two buttons")
            header = seen.get("HEADER", (0, {}))[1]
            buttons = seen.get("BUTTONS", (0, {}))[1].get("buttons")
            shapes.append((_upper(header.get("format")), "BODY" in seen,
                           tuple(_upper(b.get("type")) for b in buttons if isinstance(b, dict))
                           if isinstance(buttons, list) else ()))
        if len(set(shapes)) > 1:
            self.add(f"{key}.cards", "every card has the same components: the same header format, a body in all "
                                     "or none, and the same buttons in the same order")

    def limited_time_offer(self, comp: dict, key: str) -> None:
        if self.category not in ("MARKETING", ""):
            self.add(f"{key}.type", "limited-time offers are for marketing templates only")
        offer = comp.get("limited_time_offer")
        if not isinstance(offer, dict):
            self.add(f"{key}.limited_time_offer", "needs the offer's text (and has_expiration)")
            return
        text = offer.get("text")
        if not isinstance(text, str) or not text.strip():
            self.add(f"{key}.limited_time_offer.text", "the offer needs its text")
        elif len(text) > LTO_TEXT:
            self.add(f"{key}.limited_time_offer.text", f"is {len(text)} characters; at most {LTO_TEXT} allowed")
        elif variables(text):
            self.add(f"{key}.limited_time_offer.text", "the offer's text has no variables")
        if offer.get("has_expiration") is not None and not isinstance(offer.get("has_expiration"), bool):
            self.add(f"{key}.limited_time_offer.has_expiration", "must be true or false")
