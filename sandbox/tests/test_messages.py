"""POST /{phone-number-id}/messages: every message type is accepted, and every invalid payload is refused
with Meta's envelope and a code, and details naming the field."""
from __future__ import annotations

import copy

import pytest

from .conftest import ALICE, BEN, CARLA, PHONE, V, graph_error

IMG = "https://example.com/a.jpg"


def media_id(sb, data=b"\xff\xd8\xffjpegdata", mime="image/jpeg", filename="a.jpg") -> str:
    response = sb.client.post(f"{V}/{PHONE}/media", data={"messaging_product": "whatsapp", "type": mime},
                              files={"file": (filename, data, mime)})
    assert response.status_code == 200, response.text
    return response.json()["id"]


BUTTONS = {"type": "button", "header": {"type": "text", "text": "Workshop"}, "body": {"text": "Tomorrow 9am."},
           "footer": {"text": "Lucky Shrub"}, "action": {"buttons": [
               {"type": "reply", "reply": {"id": "change", "title": "Change"}},
               {"type": "reply", "reply": {"id": "cancel", "title": "Cancel"}}]}}
LIST = {"type": "list", "header": {"type": "text", "text": "Shipping"}, "body": {"text": "Which option?"},
        "action": {"button": "Options", "sections": [
            {"title": "Fast", "rows": [{"id": "express", "title": "Express", "description": "Next day"}]},
            {"title": "Cheap", "rows": [{"id": "ground", "title": "Ground"}]}]}}
CTA = {"type": "cta_url", "body": {"text": "See dates"},
       "action": {"name": "cta_url", "parameters": {"display_text": "See Dates", "url": "https://example.com/d"}}}
LOCATION_REQUEST = {"type": "location_request_message", "body": {"text": "Where?"}, "action": {"name": "send_location"}}
FLOW = {"type": "flow", "body": {"text": "Book"}, "action": {"name": "flow", "parameters": {
    "flow_message_version": "3", "flow_id": "123", "flow_cta": "Book!", "flow_token": "tok", "mode": "published",
    "flow_action": "navigate", "flow_action_payload": {"screen": "FIRST", "data": {"k": "v"}}}}}


def card(i):
    return {"card_index": i, "type": "cta_url", "header": {"type": "image", "image": {"link": IMG}},
            "body": {"text": f"Deal {i}"},
            "action": {"name": "cta_url", "parameters": {"display_text": "Shop", "url": f"https://e.com/{i}"}}}


CAROUSEL = {"type": "carousel", "body": {"text": "Offers"}, "action": {"cards": [card(0), card(1)]}}
CONTACT = {"name": {"formatted_name": "Barbara J. Johnson", "first_name": "Barbara"},
           "phones": [{"phone": "+19175559999", "type": "Mobile", "wa_id": "19175559999"}],
           "emails": [{"email": "b@example.com", "type": "Work"}], "birthday": "1999-01-23"}

VALID = {
    "text": {"type": "text", "text": {"body": "Order https://example.com/o/1 shipped", "preview_url": True}},
    "image_link": {"type": "image", "image": {"link": IMG, "caption": "A photo"}},
    "video_link": {"type": "video", "video": {"link": "https://example.com/v.mp4", "caption": "clip"}},
    "audio_link": {"type": "audio", "audio": {"link": "https://example.com/a.ogg", "voice": True}},
    "document_link": {"type": "document", "document": {"link": "https://example.com/i.pdf", "filename": "i.pdf"}},
    "sticker_link": {"type": "sticker", "sticker": {"link": "https://example.com/s.webp"}},
    "location": {"type": "location", "location": {"latitude": "37.4421", "longitude": -122.1615, "name": "Philz",
                                                  "address": "101 Forest Ave"}},
    "contacts": {"type": "contacts", "contacts": [CONTACT]},
    "buttons": {"type": "interactive", "interactive": BUTTONS},
    "list": {"type": "interactive", "interactive": LIST},
    "cta_url": {"type": "interactive", "interactive": CTA},
    "location_request": {"type": "interactive", "interactive": LOCATION_REQUEST},
    "flow": {"type": "interactive", "interactive": FLOW},
    "carousel": {"type": "interactive", "interactive": CAROUSEL},
    "template": {"type": "template", "template": {"name": "hello_world", "language": {"code": "en_US"}}},
}


@pytest.mark.parametrize("name", sorted(VALID))
def test_every_type_is_accepted_with_a_wamid(sb, name):
    response = sb.send({"to": "+" + ALICE, **copy.deepcopy(VALID[name])})
    assert response.status_code == 200, response.text
    data = response.json()
    assert data["messaging_product"] == "whatsapp"
    assert data["contacts"] == [{"input": "+" + ALICE, "wa_id": ALICE}]
    assert data["messages"][0]["id"].startswith("wamid.")
    stored = sb.state.messages[data["messages"][0]["id"]]
    assert stored.status == "sent" and stored.type == VALID[name]["type"]


def test_media_by_id_and_context_reply_and_type_defaults_to_text(sb):
    mid = media_id(sb)
    first = sb.send({"to": ALICE, "type": "image", "image": {"id": mid, "caption": "by id"}}).json()
    wamid = first["messages"][0]["id"]
    reply = sb.send({"to": ALICE, "text": {"body": "quoted"}, "context": {"message_id": wamid}})
    assert reply.status_code == 200, reply.text
    assert sb.state.messages[reply.json()["messages"][0]["id"]].context_id == wamid


def test_reaction_to_a_customer_message_gets_only_sent(sb):
    inbound = sb.customer_says(ALICE, {"type": "text", "text": {"body": "hi"}}).json()["messages"][0]["id"]
    response = sb.send({"to": ALICE, "type": "reaction", "reaction": {"message_id": inbound, "emoji": "\U0001F600"}})
    assert response.status_code == 200, response.text
    sb.flush()
    statuses = [s["status"] for s in sb.receiver.statuses() if s["id"] == response.json()["messages"][0]["id"]]
    assert statuses == ["sent"]
    assert sb.state.messages[inbound].reactions == {"business": "\U0001F600"}


def _set(body: dict, path: str, value):
    """Set (or delete, for value=...) a dotted path with [i] indexes inside a message body."""
    keys = path.replace("]", "").replace("[", ".").split(".")
    node = body
    for key in keys[:-1]:
        node = node[int(key)] if isinstance(node, list) else node[key]
    last = keys[-1]
    if value is ...:
        del node[int(last) if isinstance(node, list) else last]
    else:
        node[int(last) if isinstance(node, list) else last] = value


# (base message, path to change, new value or ... to delete, expected code, text the details must contain)
INVALID = [
    ("text", "messaging_product", ..., 131008, "messaging_product"),
    ("text", "messaging_product", "sms", 131009, "messaging_product"),
    ("text", "to", ..., 131008, "'to'"),
    ("text", "to", "not-a-number", 131009, "'to'"),
    ("text", "recipient_type", "group", 131009, "recipient_type"),
    ("text", "type", "poll", 131051, "poll"),
    ("text", "text", ..., 131008, "'text'"),
    ("text", "text.body", ..., 131008, "text.body"),
    ("text", "text.body", "x" * 4097, 131009, "text.body"),
    ("text", "text.body", 5, 100, "text.body"),
    ("text", "text.preview_url", "yes", 100, "text.preview_url"),
    ("text", "text.font", "big", 100, "font"),
    ("text", "biz_opaque_callback_data", "x" * 513, 131009, "biz_opaque_callback_data"),
    ("text", "context", {"message_id": 7}, 100, "context.message_id"),
    ("image_link", "image.link", ..., 131008, "image.id"),
    ("image_link", "image.link", "ftp://x", 131009, "image.link"),
    ("image_link", "image.caption", "c" * 1025, 131009, "image.caption"),
    ("image_link", "image.id", "123", 131009, "image"),
    ("audio_link", "audio.caption", "no", 100, "caption"),
    ("audio_link", "audio.voice", "yes", 100, "audio.voice"),
    ("document_link", "document.filename", 3, 100, "document.filename"),
    ("sticker_link", "sticker.caption", "no", 100, "caption"),
    ("video_link", "video.link", ..., 131008, "video.id"),
    ("location", "location.latitude", ..., 131008, "location.latitude"),
    ("location", "location.longitude", "east", 131009, "location.longitude"),
    ("location", "location.latitude", 91, 131009, "location.latitude"),
    ("contacts", "contacts", [], 131009, "contacts"),
    ("contacts", "contacts[0].name.formatted_name", ..., 131008, "contacts[0].name.formatted_name"),
    ("contacts", "contacts[0].birthday", "23/01/1999", 131009, "contacts[0].birthday"),
    ("buttons", "interactive.type", "slider", 131009, "interactive.type"),
    ("buttons", "interactive.body", ..., 131008, "interactive.body"),
    ("buttons", "interactive.body.text", "b" * 1025, 131009, "interactive.body.text"),
    ("buttons", "interactive.header.text", "h" * 61, 131009, "interactive.header.text"),
    ("buttons", "interactive.footer.text", "f" * 61, 131009, "interactive.footer.text"),
    ("buttons", "interactive.action.buttons[0].reply.title", "t" * 21, 131009,
     "interactive.action.buttons[0].reply.title"),
    ("buttons", "interactive.action.buttons[1].reply.id", ..., 131008, "interactive.action.buttons[1].reply.id"),
    ("buttons", "interactive.action.buttons[1].reply.title", "Change", 131009, "unique"),
    ("buttons", "interactive.action.buttons[0].type", "url", 131009, "interactive.action.buttons[0].type"),
    ("buttons", "interactive.action.buttons", [{"type": "reply", "reply": {"id": str(i), "title": str(i)}}
                                               for i in range(4)], 131009, "interactive.action.buttons"),
    ("list", "interactive.action.button", "b" * 21, 131009, "interactive.action.button"),
    ("list", "interactive.action.sections[0].title", ..., 131008, "interactive.action.sections[0].title"),
    ("list", "interactive.action.sections[0].rows[0].title", "r" * 25, 131009,
     "interactive.action.sections[0].rows[0].title"),
    ("list", "interactive.action.sections[0].rows[0].description", "d" * 73, 131009, "description"),
    ("list", "interactive.action.sections[1].rows", [{"id": f"r{i}", "title": "t"} for i in range(10)], 131009,
     "at most 10 rows"),
    ("list", "interactive.header", {"type": "image", "image": {"link": IMG}}, 131009, "interactive.header.type"),
    ("cta_url", "interactive.action.parameters.display_text", "d" * 21, 131009, "display_text"),
    ("cta_url", "interactive.action.parameters.url", "javascript:alert(1)", 131009, "parameters.url"),
    ("cta_url", "interactive.action.name", "cta", 131009, "interactive.action.name"),
    ("location_request", "interactive.action.name", "location", 131009, "interactive.action.name"),
    ("location_request", "interactive.header", {"type": "text", "text": "x"}, 100, "header"),
    ("flow", "interactive.action.parameters.flow_message_version", "2", 131009, "flow_message_version"),
    ("flow", "interactive.action.parameters.flow_id", ..., 131008, "flow_id"),
    ("flow", "interactive.action.parameters.mode", "live", 131009, "mode"),
    ("flow", "interactive.action.parameters.flow_action_payload.data", {}, 131009, "data"),
    ("carousel", "interactive.action.cards", [card(0)], 131009, "interactive.action.cards"),
    ("carousel", "interactive.action.cards[1].card_index", 0, 131009, "card_index"),
    ("carousel", "interactive.action.cards[1].header", {"type": "video", "video": {"link": IMG}}, 131009,
     "same header type"),
    ("carousel", "interactive.header", {"type": "text", "text": "x"}, 100, "header"),
    ("carousel", "interactive.action.cards[0].body.text", "b" * 161, 131009, "cards[0].body.text"),
    ("template", "template.name", ..., 131008, "template.name"),
    ("template", "template.language.code", ..., 131008, "template.language.code"),
    ("template", "template.components", "x", 100, "template.components"),
]


@pytest.mark.parametrize("base,path,value,code,needle", INVALID,
                         ids=[f"{b}:{p}:{c}" for b, p, _v, c, _n in INVALID])
def test_invalid_payloads_name_the_field(sb, base, path, value, code, needle):
    body = {"messaging_product": "whatsapp", "to": "+" + ALICE, **copy.deepcopy(VALID[base])}
    _set(body, path, value)
    response = sb.client.post(f"{V}/{PHONE}/messages", json=body)
    error = graph_error(response)
    assert response.status_code == (404 if code == 132001 else 400), response.text
    assert error["code"] == code, error
    assert needle in error["error_data"]["details"], error
    assert error["type"] == "OAuthException" and error["fbtrace_id"]
    assert error["message"].startswith(f"(#{code})")
    assert error["error_data"]["messaging_product"] == "whatsapp"


def test_reaction_validation(sb):
    for reaction, code in [({"emoji": "x"}, 131008), ({"message_id": "wamid.x", "emoji": "abc"}, 131009),
                           ({"message_id": "wamid.x"}, 131008)]:
        error = graph_error(sb.send({"to": ALICE, "type": "reaction", "reaction": reaction}))
        assert error["code"] == code
        assert "reaction" in error["error_data"]["details"]
    error = graph_error(sb.send({"to": ALICE, "type": "reaction", "reaction": {"message_id": "wamid.x", "emoji": "👍"},
                                 "context": {"message_id": "wamid.y"}}))
    assert error["code"] == 131009 and "context" in error["error_data"]["details"]


def test_unknown_media_id_and_not_json(sb):
    error = graph_error(sb.send({"to": ALICE, "type": "image", "image": {"id": "999"}}))
    assert error["code"] == 131009 and "image.id" in error["error_data"]["details"]
    response = sb.client.post(f"{V}/{PHONE}/messages", content=b"{not json",
                              headers={"Content-Type": "application/json"})
    assert graph_error(response)["code"] == 100


def test_recipient_cannot_be_sender_and_bsuid_recipient(sb):
    error = graph_error(sb.send({"to": "+1 555-010-0001", "type": "text", "text": {"body": "me"}}))
    assert error["code"] == 131021
    user_id = sb.anon.get(f"/_sandbox/customers/{ALICE}").json()["bsuids"]["400000000000001"]
    response = sb.send({"recipient": user_id, "type": "text", "text": {"body": "by bsuid"}})
    assert response.status_code == 200, response.text
    assert response.json()["contacts"][0] == {"input": user_id, "wa_id": ALICE, "user_id": user_id}
    auth = sb.send({"recipient": user_id, "type": "template", "template": {
        "name": "authentication_code_copy_code_button", "language": {"code": "en_US"}, "components": [
            {"type": "body", "parameters": [{"type": "text", "text": "123456"}]},
            {"type": "button", "sub_type": "url", "index": "0", "parameters": [{"type": "text", "text": "123456"}]}]}})
    assert graph_error(auth)["code"] == 131062


def test_mark_read_and_typing_indicator(sb):
    inbound = sb.customer_says(BEN, {"type": "text", "text": {"body": "hi"}}).json()["messages"][0]["id"]
    ok = sb.send({"status": "read", "message_id": inbound, "typing_indicator": {"type": "text"}})
    assert ok.status_code == 200 and ok.json() == {"success": True}
    assert sb.state.messages[inbound].status == "read"
    chat = sb.anon.get(f"/_sandbox/chats/{PHONE}/{BEN}").json()
    assert chat["typing"] is True
    assert graph_error(sb.send({"status": "read", "message_id": "wamid.nope"}))["code"] == 131009
    assert graph_error(sb.send({"status": "read"}))["code"] == 131008
    bad = sb.send({"status": "read", "message_id": inbound, "typing_indicator": {"type": "audio"}})
    assert graph_error(bad)["code"] == 131009


def test_outside_the_window_free_form_is_accepted_then_fails_131047(sb):
    response = sb.text(CARLA, "are you there?", biz_opaque_callback_data="msg-42")
    assert response.status_code == 200
    wamid = response.json()["messages"][0]["id"]
    sb.flush()
    statuses = [s for s in sb.receiver.statuses() if s["id"] == wamid]
    assert [s["status"] for s in statuses] == ["failed"]
    assert statuses[0]["errors"][0]["code"] == 131047
    assert statuses[0]["errors"][0]["title"] == "Re-engagement message"
    assert statuses[0]["biz_opaque_callback_data"] == "msg-42"
    # a template is allowed outside the window; the customer replying opens it for free-form
    assert sb.send({"to": CARLA, **VALID["template"]}).status_code == 200
    sb.customer_says(CARLA, {"type": "text", "text": {"body": "yes"}})
    again = sb.text(CARLA, "thanks").json()["messages"][0]["id"]
    sb.flush()
    assert [s["status"] for s in sb.receiver.statuses() if s["id"] == again] == ["sent", "delivered"]


def test_window_closes_after_24_hours(sb, clock):
    clock.advance(24 * 3600 + 1)
    wamid = sb.text(ALICE).json()["messages"][0]["id"]
    sb.flush()
    assert sb.state.messages[wamid].errors[0]["code"] == 131047


def test_undeliverable_recipient_fails_131026(sb):
    wamid = sb.send({"to": "+999 555 0100", **VALID["template"]}).json()["messages"][0]["id"]
    sb.anon.post("/_sandbox/customers", json={"wa_id": "+44 7700 900999", "undeliverable": True})
    other = sb.send({"to": "+447700900999", **VALID["template"]}).json()["messages"][0]["id"]
    sb.flush()
    for message_id in (wamid, other):
        statuses = [s for s in sb.receiver.statuses() if s["id"] == message_id]
        assert [s["status"] for s in statuses] == ["failed"]
        assert statuses[0]["errors"][0]["code"] == 131026


def test_media_type_mismatch_fails_131053_and_bad_reaction_target_fails_131009(sb):
    pdf = media_id(sb, b"%PDF-1.4 x", "application/pdf", "x.pdf")
    wamid = sb.send({"to": ALICE, "type": "image", "image": {"id": pdf}}).json()["messages"][0]["id"]
    reaction = sb.send({"to": ALICE, "type": "reaction", "reaction": {"message_id": "wamid.gone", "emoji": "👍"}})
    sb.flush()
    assert sb.state.messages[wamid].errors[0]["code"] == 131053
    assert sb.state.messages[reaction.json()["messages"][0]["id"]].errors[0]["code"] == 131009


def test_unregistered_number_answers_133010(sb):
    sb.anon.patch(f"/_sandbox/numbers/{PHONE}", json={"registered": False})
    assert graph_error(sb.text())["code"] == 133010
