"""Interactive messages: reply buttons, list, CTA URL, location request, flow, media carousel, call permission
request (reference §2.9).

`check_interactive` validates the object under `"interactive"`; the builders below assemble it from
friendlier arguments and run the same check. Headers may be given as a string (a text header) or as
Meta's header object (see `header_media`).
"""
from __future__ import annotations

from apps.whatsapp.errors import BuilderError

from . import _check as c
from . import limits as L
from .messages import check_media

_MEDIA_HEADERS = ("image", "video", "document")
_ROOT = "interactive"


# --- shared parts -------------------------------------------------------------------------------

def header_media(kind: str, *, media_id: str | None = None, link: str | None = None,
                 filename: str | None = None) -> dict:
    """An image/video/document header object by uploaded id or link."""
    obj = {"id": media_id, "link": link}
    if filename is not None:
        obj["filename"] = filename
    return {"type": kind, kind: obj}


def _header(value, path: str, kinds: tuple[str, ...]) -> dict:
    if isinstance(value, str):
        value = {"type": "text", "text": value}
    if not isinstance(value, dict):
        raise BuilderError(path, "must be an object")
    kind = c.choice(value.get("type"), f"{path}.type", kinds)
    data = c.obj(value, path, ("type", kind), ("type", kind))
    if kind == "text":
        c.text(data["text"], f"{path}.text", max_len=L.HEADER_TEXT)
    else:
        data[kind] = check_media(kind, data[kind], f"{path}.{kind}", in_header=True)
    return data


def _text_part(value, path: str, max_len: int) -> dict:
    if isinstance(value, str):
        value = {"text": value}
    data = c.obj(value, path, ("text",), ("text",))
    c.text(data["text"], f"{path}.text", max_len=max_len)
    return data


def _common(data: dict, body_max: int, headers: tuple[str, ...] | None, footer: bool) -> None:
    """Body (required), header and footer, checked in place."""
    if headers is None and "header" in data:
        raise BuilderError(f"{_ROOT}.header", f"not allowed on {data['type']} messages")
    if not footer and "footer" in data:
        raise BuilderError(f"{_ROOT}.footer", f"not allowed on {data['type']} messages")
    if "body" not in data:
        raise BuilderError(f"{_ROOT}.body", "is required")
    data["body"] = _text_part(data["body"], f"{_ROOT}.body", body_max)
    if "header" in data:
        data["header"] = _header(data["header"], f"{_ROOT}.header", headers)
    if "footer" in data:
        data["footer"] = _text_part(data["footer"], f"{_ROOT}.footer", L.FOOTER_TEXT)


def _base(value, action_required: bool = True) -> dict:
    return c.obj(value, _ROOT, ("type", "header", "body", "footer", "action"),
                 ("type", "action") if action_required else ("type",))


# --- reply buttons ------------------------------------------------------------------------------

def _check_button(data: dict) -> dict:
    _common(data, L.INTERACTIVE_BODY, ("text", *_MEDIA_HEADERS), footer=True)
    path = f"{_ROOT}.action"
    action = c.obj(data["action"], path, ("buttons",), ("buttons",))
    items = c.array(action["buttons"], f"{path}.buttons", min_items=1, max_items=L.REPLY_BUTTONS_MAX)
    buttons = []
    for index, item in enumerate(items):
        item_path = f"{path}.buttons[{index}]"
        item = c.obj(item, item_path, ("type", "reply"), ("type", "reply"))
        c.choice(item["type"], f"{item_path}.type", ("reply",))
        reply = c.obj(item["reply"], f"{item_path}.reply", ("id", "title"), ("id", "title"))
        c.text(reply["id"], f"{item_path}.reply.id", max_len=L.REPLY_BUTTON_ID)
        c.text(reply["title"], f"{item_path}.reply.title", max_len=L.REPLY_BUTTON_TITLE)
        buttons.append({"type": "reply", "reply": reply})
    c.unique([b["reply"]["id"] for b in buttons], lambda i: f"{path}.buttons[{i}].reply.id", "button id")
    c.unique([b["reply"]["title"] for b in buttons], lambda i: f"{path}.buttons[{i}].reply.title", "button title")
    data["action"] = {"buttons": buttons}
    return data


def reply_buttons(body: str, buttons: list, *, header=None, footer: str | None = None) -> dict:
    """1-3 reply buttons; each button is `(id, title)` or `{"id", "title"}`."""
    items = []
    for button in buttons if isinstance(buttons, list | tuple) else [buttons]:
        if isinstance(button, list | tuple) and len(button) == 2:
            button = {"id": button[0], "title": button[1]}
        items.append({"type": "reply", "reply": button})
    obj = {"type": "button", "header": header, "body": body, "footer": footer, "action": {"buttons": items}}
    return _message(obj)


# --- list ---------------------------------------------------------------------------------------

def _check_list(data: dict) -> dict:
    _common(data, L.LIST_BODY, ("text",), footer=True)
    path = f"{_ROOT}.action"
    action = c.obj(data["action"], path, ("button", "sections"), ("button", "sections"))
    c.text(action["button"], f"{path}.button", max_len=L.LIST_BUTTON)
    sections = c.array(action["sections"], f"{path}.sections", min_items=1, max_items=L.LIST_SECTIONS_MAX)
    checked, row_ids, row_paths = [], [], []
    for s_index, section in enumerate(sections):
        s_path = f"{path}.sections[{s_index}]"
        section = c.obj(section, s_path, ("title", "rows"), ("rows",))
        if "title" in section:
            c.text(section["title"], f"{s_path}.title", max_len=L.LIST_SECTION_TITLE)
        elif len(sections) > 1:
            raise BuilderError(f"{s_path}.title", "is required when there is more than one section")
        rows = c.array(section["rows"], f"{s_path}.rows", min_items=1)
        out_rows = []
        for r_index, row in enumerate(rows):
            r_path = f"{s_path}.rows[{r_index}]"
            if len(row_ids) == L.LIST_ROWS_MAX:
                raise BuilderError(r_path, f"at most {L.LIST_ROWS_MAX} rows allowed across all sections")
            row = c.obj(row, r_path, ("id", "title", "description"), ("id", "title"))
            c.text(row["id"], f"{r_path}.id", max_len=L.LIST_ROW_ID)
            c.text(row["title"], f"{r_path}.title", max_len=L.LIST_ROW_TITLE)
            c.optional_text(row, "description", r_path, max_len=L.LIST_ROW_DESCRIPTION)
            row_ids.append(row["id"])
            row_paths.append(f"{r_path}.id")
            out_rows.append(row)
        section["rows"] = out_rows
        checked.append(section)
    c.unique(row_ids, lambda i: row_paths[i], "row id")
    data["action"] = {"button": action["button"], "sections": checked}
    return data


def list_message(body: str, button: str, sections: list[dict], *, header: str | None = None,
                 footer: str | None = None) -> dict:
    """A list: `sections` as `[{"title", "rows": [{"id", "title", "description"}]}]`."""
    obj = {"type": "list", "header": header, "body": body, "footer": footer,
           "action": {"button": button, "sections": sections}}
    return _message(obj)


# --- CTA URL ------------------------------------------------------------------------------------

def _cta_action(value, path: str) -> dict:
    action = c.obj(value, path, ("name", "parameters"), ("name", "parameters"))
    c.choice(action["name"], f"{path}.name", ("cta_url",))
    params = c.obj(action["parameters"], f"{path}.parameters", ("display_text", "url"), ("display_text", "url"))
    c.text(params["display_text"], f"{path}.parameters.display_text", max_len=L.CTA_DISPLAY_TEXT)
    c.url(params["url"], f"{path}.parameters.url", max_len=L.URL)
    return {"name": "cta_url", "parameters": params}


def _check_cta_url(data: dict) -> dict:
    _common(data, L.INTERACTIVE_BODY, ("text", *_MEDIA_HEADERS), footer=True)
    data["action"] = _cta_action(data["action"], f"{_ROOT}.action")
    return data


def cta_url(body: str, display_text: str, url: str, *, header=None, footer: str | None = None) -> dict:
    obj = {"type": "cta_url", "header": header, "body": body, "footer": footer,
           "action": {"name": "cta_url", "parameters": {"display_text": display_text, "url": url}}}
    return _message(obj)


# --- location request ---------------------------------------------------------------------------

def _check_location_request(data: dict) -> dict:
    _common(data, L.INTERACTIVE_BODY, None, footer=False)
    action = c.obj(data["action"], f"{_ROOT}.action", ("name",), ("name",))
    c.choice(action["name"], f"{_ROOT}.action.name", ("send_location",))
    data["action"] = action
    return data


def location_request(body: str) -> dict:
    return _message({"type": "location_request_message", "body": body, "action": {"name": "send_location"}})


# --- call permission request (reference §2.9.8, §9.5) -------------------------------------------

def _check_call_permission_request(data: dict) -> dict:
    _common(data, L.INTERACTIVE_BODY, None, footer=False)
    action = c.obj(data["action"], f"{_ROOT}.action", ("name",), ("name",))
    c.choice(action["name"], f"{_ROOT}.action.name", ("call_permission_request",))
    data["action"] = action
    return data


def call_permission_request(body: str) -> dict:
    """Ask the customer for permission to call them (inside the 24-hour window; they answer with a
    `call_permission_reply`)."""
    return _message({"type": "call_permission_request", "body": body, "action": {"name": "call_permission_request"}})


# --- flow ---------------------------------------------------------------------------------------

_FLOW_PARAMS = ("flow_message_version", "flow_id", "flow_name", "flow_cta", "flow_token", "mode",
                "flow_action", "flow_action_payload")


def _check_flow(data: dict) -> dict:
    _common(data, L.INTERACTIVE_BODY, ("text", *_MEDIA_HEADERS), footer=True)
    path = f"{_ROOT}.action"
    action = c.obj(data["action"], path, ("name", "parameters"), ("name", "parameters"))
    c.choice(action["name"], f"{path}.name", ("flow",))
    p_path = f"{path}.parameters"
    params = c.obj(action["parameters"], p_path, _FLOW_PARAMS, ("flow_message_version", "flow_cta"))
    c.choice(params["flow_message_version"], f"{p_path}.flow_message_version", ("3",))
    if ("flow_id" in params) == ("flow_name" in params):
        raise BuilderError(p_path, "give exactly one of flow_id or flow_name")
    c.optional_text(params, "flow_id", p_path, max_len=256)
    c.optional_text(params, "flow_name", p_path, max_len=256)
    c.text(params["flow_cta"], f"{p_path}.flow_cta", max_len=L.FLOW_CTA)
    c.optional_text(params, "flow_token", p_path, max_len=1024)
    if "mode" in params:
        c.choice(params["mode"], f"{p_path}.mode", ("draft", "published"))
    if "flow_action" in params:
        c.choice(params["flow_action"], f"{p_path}.flow_action", ("navigate", "data_exchange"))
    if "flow_action_payload" in params:
        pl_path = f"{p_path}.flow_action_payload"
        if params.get("flow_action", "navigate") != "navigate":
            raise BuilderError(pl_path, "only allowed with flow_action navigate")
        payload = c.obj(params["flow_action_payload"], pl_path, ("screen", "data"), ("screen",))
        c.text(payload["screen"], f"{pl_path}.screen", max_len=256)
        if "data" in payload and (not isinstance(payload["data"], dict) or not payload["data"]):
            raise BuilderError(f"{pl_path}.data", "must be a non-empty object when given")
        params["flow_action_payload"] = payload
    data["action"] = {"name": "flow", "parameters": params}
    return data


def flow(body: str, flow_cta: str, *, flow_id: str | None = None, flow_name: str | None = None,
         flow_token: str | None = None, mode: str | None = None, flow_action: str | None = None,
         screen: str | None = None, data: dict | None = None, header=None, footer: str | None = None) -> dict:
    """A Flow message (version 3). `screen`/`data` become `flow_action_payload` (navigate only)."""
    params = {"flow_message_version": "3", "flow_id": flow_id, "flow_name": flow_name, "flow_cta": flow_cta,
              "flow_token": flow_token, "mode": mode, "flow_action": flow_action}
    if screen is not None or data is not None:
        params["flow_action_payload"] = {"screen": screen, "data": data}
    obj = {"type": "flow", "header": header, "body": body, "footer": footer,
           "action": {"name": "flow", "parameters": params}}
    return _message(obj)


# --- media carousel -----------------------------------------------------------------------------

def _check_carousel(data: dict) -> dict:
    _common(data, L.INTERACTIVE_BODY, None, footer=False)
    path = f"{_ROOT}.action"
    action = c.obj(data["action"], path, ("cards",), ("cards",))
    cards = c.array(action["cards"], f"{path}.cards", min_items=L.CAROUSEL_CARDS_MIN, max_items=L.CAROUSEL_CARDS_MAX)
    checked, header_kinds = [], []
    for index, card in enumerate(cards):
        k_path = f"{path}.cards[{index}]"
        card = c.obj(card, k_path, ("card_index", "type", "header", "body", "action"),
                     ("card_index", "type", "header", "action"))
        c.integer(card["card_index"], f"{k_path}.card_index", minimum=0, maximum=L.CAROUSEL_CARDS_MAX - 1)
        c.choice(card["type"], f"{k_path}.type", ("cta_url",))
        card["header"] = _header(card["header"], f"{k_path}.header", ("image", "video"))
        header_kinds.append(card["header"]["type"])
        if index and header_kinds[index] != header_kinds[0]:
            raise BuilderError(f"{k_path}.header.type", "every card must have the same header type")
        if "body" in card:
            card["body"] = _text_part(card["body"], f"{k_path}.body", L.CAROUSEL_CARD_BODY)
            if card["body"]["text"].count("\n") > L.CAROUSEL_CARD_BODY_LINE_BREAKS:
                raise BuilderError(f"{k_path}.body.text",
                                   f"at most {L.CAROUSEL_CARD_BODY_LINE_BREAKS} line breaks allowed")
        card["action"] = _cta_action(card["action"], f"{k_path}.action")
        checked.append(card)
    c.unique([int(card["card_index"]) for card in checked], lambda i: f"{path}.cards[{i}].card_index", "card_index")
    data["action"] = {"cards": checked}
    return data


def carousel_card(*, display_text: str, url: str, image_id: str | None = None, image_link: str | None = None,
                  video_id: str | None = None, video_link: str | None = None, body: str | None = None) -> dict:
    """One card for `carousel`: an image or video header, optional body, a CTA URL button."""
    kind = "video" if (video_id or video_link) else "image"
    header = header_media(kind, media_id=video_id or image_id, link=video_link or image_link)
    return {"type": "cta_url", "header": header, "body": body,
            "action": {"name": "cta_url", "parameters": {"display_text": display_text, "url": url}}}


def carousel(body: str, cards: list[dict]) -> dict:
    """A media carousel of 2-10 cards (see `carousel_card`); `card_index` is filled in by position."""
    numbered = []
    for index, card in enumerate(cards if isinstance(cards, list | tuple) else []):
        numbered.append({"card_index": index, **card} if isinstance(card, dict) else card)
    return _message({"type": "carousel", "body": body, "action": {"cards": numbered or cards}})


# --- dispatch -----------------------------------------------------------------------------------

_CHECKS = {
    "button": _check_button,
    "list": _check_list,
    "cta_url": _check_cta_url,
    "location_request_message": _check_location_request,
    "flow": _check_flow,
    "carousel": _check_carousel,
    "call_permission_request": _check_call_permission_request,
}
INTERACTIVE_TYPES = tuple(_CHECKS)


def check_interactive(value) -> dict:
    data = _base(value)
    kind = c.choice(data["type"], f"{_ROOT}.type", INTERACTIVE_TYPES)
    return _CHECKS[kind](data)


def _message(obj: dict) -> dict:
    return {"type": "interactive", "interactive": check_interactive(obj)}
