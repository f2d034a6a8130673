"""Acting as the customer (control API), the phone page, the state snapshot, reset and the clock."""
from __future__ import annotations

import json

from sandbox.app import create_app
from sandbox.state import SandboxState

from .conftest import ALICE, BEN, PHONE, PHONE2, WABA, V


def test_inbound_text_opens_the_window_and_emits_the_webhook(sb):
    new = "+49 151 23456789"
    sb.anon.post("/_sandbox/customers", json={"wa_id": new, "name": "Dieter"})
    response = sb.customer_says("4915123456789", {"type": "text", "text": {"body": "Hallo"}})
    assert response.status_code == 201, response.text
    message = response.json()["message"]
    assert message["from"] == "4915123456789" and message["type"] == "text"
    assert message["id"].startswith("wamid.") and message["timestamp"].isdigit()
    sb.flush()
    value = sb.receiver.ok()[0]["entry"][0]["changes"][0]["value"]
    assert value["contacts"] == [{"profile": {"name": "Dieter"}, "wa_id": "4915123456789",
                                  "user_id": value["contacts"][0]["user_id"],
                                  "parent_user_id": value["contacts"][0]["parent_user_id"]}]
    assert value["contacts"][0]["user_id"].startswith("DE.")
    assert value["messages"] == [message]
    assert sb.text("4915123456789").status_code == 200
    assert sb.anon.get("/_sandbox/customers/4915123456789").json()["window_open"][PHONE] is True


def test_bsuids_are_per_business_portfolio(sb):
    other = sb.anon.post("/_sandbox/businesses", json={"name": "Other"}).json()
    bsuids = sb.anon.get(f"/_sandbox/customers/{ALICE}").json()["bsuids"]
    assert bsuids[other["id"]] != bsuids["400000000000001"]


def test_replies_to_buttons_lists_and_templates_carry_context(sb):
    wamid = sb.send({"to": ALICE, "type": "interactive", "interactive": {
        "type": "button", "body": {"text": "Pick"}, "action": {"buttons": [
            {"type": "reply", "reply": {"id": "b1", "title": "First"}}]}}}).json()["messages"][0]["id"]
    reply = sb.customer_says(ALICE, {"type": "interactive", "interactive": {
        "type": "button_reply", "button_reply": {"id": "b1"}}, "context": {"message_id": wamid}}).json()["message"]
    assert reply["context"] == {"from": "15550100001", "id": wamid}
    assert reply["interactive"] == {"type": "button_reply", "button_reply": {"id": "b1", "title": "First"}}
    wrong = sb.customer_says(ALICE, {"type": "interactive", "interactive": {
        "type": "button_reply", "button_reply": {"id": "nope"}}, "context": {"message_id": wamid}})
    assert wrong.status_code == 400 and wrong.json()["error"]["field"] == "interactive.button_reply.id"
    no_context = sb.customer_says(ALICE, {"type": "interactive", "interactive": {
        "type": "button_reply", "button_reply": {"id": "b1"}}})
    assert no_context.status_code == 400
    template = sb.send({"to": ALICE, "type": "template", "template": {
        "name": "seasonal_promotion", "language": {"code": "en_US"}, "components": [
            {"type": "header", "parameters": [{"type": "text", "text": "Sale"}]},
            {"type": "body", "parameters": [{"type": "text", "text": t} for t in ("May", "X", "5%")]},
            {"type": "button", "sub_type": "quick_reply", "index": 1,
             "parameters": [{"type": "payload", "payload": "stop-all"}]}]}}).json()["messages"][0]["id"]
    tap = sb.customer_says(ALICE, {"type": "button", "button": {"text": "Unsubscribe from All"},
                                   "context": {"message_id": template}}).json()["message"]
    assert tap["button"] == {"payload": "stop-all", "text": "Unsubscribe from All"}
    location = sb.customer_says(ALICE, {"type": "location", "location": {"latitude": "1.5", "longitude": "2"},
                                        "context": {"message_id": wamid}}).json()["message"]
    assert location["location"] == {"latitude": 1.5, "longitude": 2.0} and location["context"]["id"] == wamid


def test_customer_input_errors_name_the_field(sb):
    for body, field in [({"type": "text", "text": {}}, "text.body"), ({"type": "poll"}, "type"),
                        ({"type": "location", "location": {"latitude": 1}}, "location.longitude"),
                        ({"type": "image", "image": {"id": "999"}}, "image.id"),
                        ({"type": "reaction", "reaction": {"message_id": "wamid.x", "emoji": "👍"}},
                         "reaction.message_id")]:
        response = sb.customer_says(ALICE, body)
        assert response.status_code == 400 and response.json()["error"]["field"] == field, (body, response.text)
    missing_number = sb.anon.post(f"/_sandbox/customers/{ALICE}/messages", json={"type": "text",
                                                                                "text": {"body": "x"}})
    assert missing_number.json()["error"]["field"] == "phone_number_id"


def test_uploaded_customer_media_and_chat_view(sb):
    upload = sb.anon.post("/_sandbox/media", data={"phone_number_id": PHONE, "type": "image/jpeg"},
                          files={"file": ("p.jpg", b"\xff\xd8\xff\xe0jpeg", "image/jpeg")})
    assert upload.status_code == 201, upload.text
    sent = sb.customer_says(BEN, {"type": "image", "image": {"id": upload.json()["id"], "caption": "pic"}})
    image = sent.json()["message"]["image"]
    assert image == {"caption": "pic", "mime_type": "image/jpeg", "sha256": upload.json()["sha256"],
                     "id": upload.json()["id"]}
    assert sb.anon.get(f"/_sandbox/media/{image['id']}").content == b"\xff\xd8\xff\xe0jpeg"
    sb.text(BEN, "thanks for the picture")
    chat = sb.anon.get(f"/_sandbox/chats/{PHONE}/{BEN}").json()
    assert [m["direction"] for m in chat["messages"]] == ["in", "out"]
    assert chat["window_open"] is True and chat["customer"]["name"] == "Ben Carter"


def test_phone_page_and_index(sb):
    page = sb.anon.get(f"/_sandbox/phone/{PHONE}/{ALICE}")
    assert page.status_code == 200 and "/_sandbox/chats/" in page.text and "Alice Johnson" in page.text
    assert sb.anon.get(f"/_sandbox/phone/123/{ALICE}").status_code == 404
    index = sb.anon.get("/_sandbox/").text
    assert PHONE in index and PHONE2 in index and f"/_sandbox/phone/{PHONE}/{ALICE}" in index
    assert "sandbox-demo-access-token" in index


def test_control_api_message_status_and_window(sb):
    wamid = sb.text().json()["messages"][0]["id"]
    assert sb.anon.post(f"/_sandbox/messages/{wamid}/status", json={"status": "read"}).json() == {
        "changed": True, "status": "read"}
    assert sb.anon.get(f"/_sandbox/messages/{wamid}").json()["status"] == "read"
    other = sb.text(BEN).json()["messages"][0]["id"]
    failed = sb.anon.post(f"/_sandbox/messages/{other}/status", json={"status": "failed", "code": 131026})
    assert failed.json() == {"changed": True, "status": "failed"}
    sb.anon.post(f"/_sandbox/customers/{ALICE}/window", json={"phone_number_id": PHONE, "open": False})
    closed = sb.text().json()["messages"][0]["id"]
    sb.flush()
    assert sb.state.messages[closed].errors[0]["code"] == 131047
    assert sb.anon.get("/_sandbox/messages", params={"wa_id": BEN}).json()["data"][0]["id"] == other


def test_clock_reset_and_config(sb):
    before = sb.anon.get("/_sandbox/clock").json()["now"]
    after = sb.anon.post("/_sandbox/clock", json={"advance_seconds": 3600}).json()["now"]
    assert after - before == 3600
    assert sb.anon.post("/_sandbox/config", json={"delivery_delay_ms": 5}).json()["delivery_delay_ms"] == 5
    assert sb.anon.post("/_sandbox/config", json={"nope": 1}).status_code == 400
    sb.client.post(f"{V}/{WABA}/message_templates", json={"name": "x_y", "language": "en", "category": "UTILITY",
                                                          "components": [{"type": "BODY", "text": "Hello there"}]})
    assert sb.anon.post("/_sandbox/reset", json={}).json() == {"success": True}
    assert not any(t.name == "x_y" for t in sb.state.templates.values())
    assert sb.anon.get("/_sandbox/clock").json()["offset_seconds"] == 0


def test_snapshot_keeps_templates_media_and_customers(tmp_path, clock):
    path = tmp_path / "state.json"
    state = SandboxState.load_or_demo(path)
    state.set_clock(clock)
    media = state.add_media(PHONE, b"%PDF-1.4", "application/pdf", "x.pdf")
    state.ensure_customer("4915100000000", "Persisted")
    state.save()
    data = json.loads(path.read_text())
    assert any(t["name"] == "hello_world" for t in data["templates"])
    loaded = SandboxState.load(path)
    assert loaded.media[media.id].data == b"%PDF-1.4"
    assert loaded.customers["4915100000000"].name == "Persisted"
    assert loaded.tokens["sandbox-demo-access-token"].waba_ids == [WABA]
    assert int(loaded.new_id()) > int(media.id)
    assert create_app(loaded).state.sandbox.state is loaded
