"""Template management (create -> PENDING -> APPROVED/REJECTED with a webhook, edit, delete) and the
send-time checks of template messages (132000, 132001, 132005, 132007, 132012, 132015, 132016, 132018)."""
from __future__ import annotations

import pytest

from .conftest import ALICE, CARLA, PHONE, WABA, V, graph_error


def create(sb, **overrides):
    body = {"name": "order_update", "language": "en_US", "category": "UTILITY", "components": [
        {"type": "BODY", "text": "Hello {{1}}, your order {{2}} is ready for pickup today.",
         "example": {"body_text": [["Pablo", "A-1"]]}}]}
    body.update(overrides)
    return sb.client.post(f"{V}/{WABA}/message_templates", json=body)


def send_template(sb, name, components=None, language="en_US", to=ALICE):
    template = {"name": name, "language": {"code": language}}
    if components is not None:
        template["components"] = components
    return sb.send({"to": to, "type": "template", "template": template})


def body(*values, named=None):
    if named:
        return {"type": "body", "parameters": [{"type": "text", "parameter_name": k, "text": v}
                                               for k, v in named.items()]}
    return {"type": "body", "parameters": [{"type": "text", "text": v} for v in values]}


def test_lifecycle_pending_then_approved_with_webhook(sb):
    response = create(sb)
    assert response.status_code == 200, response.text
    created = response.json()
    assert created["status"] == "PENDING" and created["category"] == "UTILITY"
    # not sendable while pending
    assert graph_error(send_template(sb, "order_update", [body("a", "b")]))["code"] == 132001
    sb.flush()
    template = sb.client.get(f"{V}/{created['id']}", params={"fields": "name,status,category"}).json()
    assert template == {"name": "order_update", "status": "APPROVED", "category": "UTILITY", "id": created["id"]}
    updates = sb.receiver.changes("message_template_status_update")
    assert updates == [{"event": "APPROVED", "message_template_id": int(created["id"]),
                        "message_template_name": "order_update", "message_template_language": "en_US",
                        "reason": "NONE", "message_template_category": "UTILITY"}]
    assert send_template(sb, "order_update", [body("Pablo", "A-1")]).status_code == 200


def test_review_happens_after_the_delay_without_a_flush(sb, clock):
    created = create(sb).json()
    clock.advance(0.2)  # template_review_ms is 100 in tests
    assert sb.receiver.wait_for(lambda: sb.receiver.changes("message_template_status_update"))
    assert sb.state.templates[created["id"]].status == "APPROVED"


@pytest.mark.parametrize("overrides,reason,info", [
    ({"name": "promo_reject_me"}, "ABUSIVE_CONTENT", False),
    ({"components": [{"type": "BODY", "text": "Hi there {{1}}{{2}} thanks for shopping with us today.",
                      "example": {"body_text": [["a", "b"]]}}]}, "INVALID_FORMAT", True),
    ({"components": [{"type": "BODY", "text": "Big sale: 50% off everything for {{1}} this week only!",
                      "example": {"body_text": [["you"]]}}]}, "INCORRECT_CATEGORY", False),
])
def test_rejections_follow_the_rules(sb, overrides, reason, info):
    created = create(sb, **overrides).json()
    sb.flush()
    update = sb.receiver.changes("message_template_status_update")[-1]
    assert update["event"] == "REJECTED" and update["reason"] == reason
    assert ("rejection_info" in update) is info
    assert sb.state.templates[created["id"]].rejected_reason == reason
    name = overrides.get("name", "order_update")
    assert graph_error(send_template(sb, name, [body("a", "b")]))["code"] == 132001


def test_name_with_pending_stays_pending(sb):
    created = create(sb, name="kept_pending").json()
    sb.flush()
    assert sb.state.templates[created["id"]].status == "PENDING"
    assert sb.receiver.changes("message_template_status_update") == []


@pytest.mark.parametrize("overrides,subcode,needle", [
    ({"name": "Bad Name"}, 2388042, "lowercase"),
    ({"name": ""}, None, "name is required"),
    ({"language": "english"}, None, "language"),
    ({"category": "PROMO"}, None, "category"),
    ({"components": []}, None, "components"),
    ({"components": [{"type": "BODY", "text": "{{1}} is your order number for today."}]}, 2388299, "start or end"),
    ({"components": [{"type": "BODY", "text": "Hi {{1}} {{2}} {{3}} ok yes."}]}, 2388293, "too many variables"),
    ({"components": [{"type": "BODY", "text": "Hello {{1}}, your order is ready for pickup."}]}, 2388072, "example"),
    ({"components": [{"type": "BODY", "text": "x" * 1025}]}, 2388040, "1024"),
    ({"components": [{"type": "HEADER", "format": "TEXT", "text": "h" * 61},
                     {"type": "BODY", "text": "Body text"}]}, 2388040, "60"),
    ({"components": [{"type": "BODY", "text": "Body"}, {"type": "FOOTER", "text": "Hi {{1}}"}]}, 2388073, "FOOTER"),
    ({"components": [{"type": "BODY", "text": "Body"}, {"type": "BUTTONS", "buttons": [
        {"type": "QUICK_REPLY", "text": "a"}, {"type": "URL", "text": "u", "url": "https://x.com"},
        {"type": "QUICK_REPLY", "text": "b"}]}]}, None, "grouped"),
    ({"components": [{"type": "BODY", "text": "Body"}, {"type": "BUTTONS", "buttons": [
        {"type": "URL", "text": "u", "url": "https://x.com/{{1}}/page"}]}]}, None, "at the end"),
])
def test_creation_errors(sb, overrides, subcode, needle):
    error = graph_error(create(sb, **overrides))
    assert error["code"] == 100
    assert error.get("error_subcode") == subcode
    assert needle in error["error_data"]["details"]


def test_duplicate_name_and_language(sb):
    create(sb)
    error = graph_error(create(sb))
    assert error["code"] == 100 and error["error_subcode"] == 2388024
    assert create(sb, language="es").status_code == 200


def test_list_filter_page_edit_and_delete(sb):
    listing = sb.client.get(f"{V}/{WABA}/message_templates", params={"limit": 3}).json()
    assert len(listing["data"]) == 3 and "next" in listing["paging"]
    assert set(listing["data"][0]) == {"name", "parameter_format", "components", "language", "status", "category", "id"}
    second = sb.client.get(f"{V}/{WABA}/message_templates",
                           params={"limit": 3, "after": listing["paging"]["cursors"]["after"]}).json()
    assert {t["id"] for t in second["data"]}.isdisjoint({t["id"] for t in listing["data"]})
    marketing = sb.client.get(f"{V}/{WABA}/message_templates",
                              params={"category": "MARKETING", "fields": "name,category", "limit": 100}).json()
    assert marketing["data"] and all(t["category"] == "MARKETING" for t in marketing["data"])
    named = sb.client.get(f"{V}/{WABA}/message_templates", params={"name": "hello"}).json()["data"]
    assert [t["name"] for t in named] == ["hello_world"]

    created = create(sb).json()
    sb.flush()
    edit = sb.client.post(f"{V}/{created['id']}", json={"components": [
        {"type": "BODY", "text": "Hi {{1}}, order {{2}} is ready to collect now.",
         "example": {"body_text": [["a", "b"]]}}]})
    assert edit.status_code == 200 and edit.json() == {"success": True}
    assert sb.state.templates[created["id"]].status == "PENDING"
    again = graph_error(sb.client.post(f"{V}/{created['id']}", json={"message_send_ttl_seconds": 600}))
    assert again["code"] == 100  # pending templates can't be edited
    sb.flush()
    assert sb.state.templates[created["id"]].status == "APPROVED"
    category = graph_error(sb.client.post(f"{V}/{created['id']}", json={"category": "MARKETING"}))
    assert "category" in category["error_data"]["details"]

    deleted = sb.client.delete(f"{V}/{WABA}/message_templates", params={"name": "order_update"})
    assert deleted.json() == {"success": True}
    sb.flush()
    assert sb.receiver.changes("message_template_status_update")[-1]["event"] == "DELETED"
    missing = graph_error(sb.client.delete(f"{V}/{WABA}/message_templates", params={"name": "order_update"}))
    assert missing["code"] == 100


def test_authentication_template_is_stored_with_a_url_otp_button(sb):
    created = sb.client.post(f"{V}/{WABA}/message_templates", json={
        "name": "login_code", "language": "en_US", "category": "AUTHENTICATION",
        "components": [{"type": "BODY", "add_security_recommendation": True},
                       {"type": "FOOTER", "code_expiration_minutes": 10},
                       {"type": "BUTTONS", "buttons": [{"type": "OTP", "otp_type": "COPY_CODE", "text": "Copy"}]}]})
    assert created.status_code == 200, created.text
    stored = sb.client.get(f"{V}/{created.json()['id']}", params={"fields": "components"}).json()["components"]
    assert stored[0]["text"].startswith("*{{1}}* is your verification code.")
    assert stored[1]["text"] == "This code expires in 10 minutes."
    assert stored[2]["buttons"][0]["type"] == "URL"


# --- sending templates --------------------------------------------------------------------------------------

def test_send_positional_named_header_buttons_and_copy_code(sb):
    ok = send_template(sb, "seasonal_promotion", [
        {"type": "header", "parameters": [{"type": "text", "text": "Summer Sale"}]},
        body("the end of August", "25OFF", "25%"),
        {"type": "button", "sub_type": "quick_reply", "index": "0",
         "parameters": [{"type": "payload", "payload": "unsub-promos"}]}], to=CARLA)
    assert ok.status_code == 200, ok.text
    assert ok.json()["messages"][0]["message_status"] == "accepted"
    rendered = sb.state.messages[ok.json()["messages"][0]["id"]].rendered
    assert rendered["header"] == {"type": "text", "text": "Our Summer Sale is on!"}
    assert "use code 25OFF to get 25% off" in rendered["body"]
    assert rendered["buttons"][0]["payload"] == "unsub-promos"
    named = send_template(sb, "order_shipped", [
        body(named={"order_number": "SK-1", "first_name": "Jess"}),
        {"type": "button", "sub_type": "url", "index": 0, "parameters": [{"type": "text", "text": "SK1"}]}])
    assert named.status_code == 200, named.text
    rendered = sb.state.messages[named.json()["messages"][0]["id"]].rendered
    assert rendered["body"].startswith("Hi Jess, your order SK-1 has shipped")
    assert rendered["buttons"][0]["url"] == "https://shop.example.com/track/SK1"
    coupon = send_template(sb, "coupon_code_fall2023_25off", [
        body("25OFF", "25%"),
        {"type": "button", "sub_type": "copy_code", "index": 1,
         "parameters": [{"type": "coupon_code", "coupon_code": "25OFF"}]}])
    assert coupon.status_code == 200, coupon.text
    otp = send_template(sb, "authentication_code_copy_code_button", [
        body("J$FpnY"), {"type": "button", "sub_type": "url", "index": "0",
                         "parameters": [{"type": "text", "text": "J$FpnY"}]}])
    assert otp.status_code == 200, otp.text
    assert sb.state.messages[otp.json()["messages"][0]["id"]].category == "authentication"


def test_send_media_location_headers_and_carousel(sb):
    doc = send_template(sb, "order_confirmation", [
        {"type": "header", "parameters": [{"type": "document", "document": {"link": "https://e.com/r.pdf",
                                                                            "filename": "r.pdf"}}]},
        body("Pablo", "860198")])
    assert doc.status_code == 200, doc.text
    where = send_template(sb, "order_delivery_update", [
        {"type": "header", "parameters": [{"type": "location", "location": {
            "latitude": "37.44", "longitude": "-122.16", "name": "Philz", "address": "101 Forest Ave"}}]},
        body("Mark", "566701")])
    assert where.status_code == 200, where.text

    def card(i):
        return {"card_index": i, "components": [
            {"type": "header", "parameters": [{"type": "image", "image": {"link": f"https://e.com/{i}.png"}}]},
            {"type": "button", "sub_type": "quick_reply", "index": 0,
             "parameters": [{"type": "payload", "payload": f"more-{i}"}]},
            {"type": "button", "sub_type": "url", "index": 1, "parameters": [{"type": "text", "text": f"p{i}"}]}]}
    carousel = send_template(sb, "carousel_template_media_cards_v1", [
        body("Pablo", "30%", "30OFF"), {"type": "carousel", "cards": [card(0), card(1)]}])
    assert carousel.status_code == 200, carousel.text
    rendered = sb.state.messages[carousel.json()["messages"][0]["id"]].rendered
    assert [c["buttons"][1]["url"] for c in rendered["cards"]] == [
        "https://www.luckyshrub.com/rare-succulents/p0", "https://www.luckyshrub.com/rare-succulents/p1"]
    short = send_template(sb, "carousel_template_media_cards_v1", [
        body("Pablo", "30%", "30OFF"), {"type": "carousel", "cards": [card(0)]}])
    assert graph_error(short)["code"] == 132000


@pytest.mark.parametrize("name,components,code,needle", [
    ("no_such_template", None, 132001, "does not exist in en_US"),
    ("hello_world", None, 132001, "es"),  # wrong language, see below
    ("appointment_reminder", [body("Pablo")], 132000, "expected number of params (2)"),
    ("appointment_reminder", None, 132000, "localizable_params (0)"),
    ("appointment_reminder", [body("a", "b", "c")], 132000, "(3)"),
    ("hello_world", [body("extra")], 132000, "body"),
    ("order_shipped", [body("Jess", "SK-1")], 132012, "parameter_name"),
    ("order_shipped", [body(named={"first_name": "J", "order": "1"})], 132000, "expected the parameters"),
    ("appointment_reminder", [{"type": "body", "parameters": [{"type": "text", "text": "a", "parameter_name": "x"},
                                                              {"type": "text", "text": "b"}]}], 132012, "positional"),
    ("appointment_reminder", [body("x" * 1000, "y")], 132005, "more than 1024"),
    ("appointment_reminder", [body("line\nbreak", "b")], 132018, "new-line"),
    ("appointment_reminder", [body("this is a scam", "b")], 132007, "policy"),
    ("appointment_reminder", [body("a", "b"), {"type": "button", "sub_type": "url", "index": 0,
                                               "parameters": [{"type": "text", "text": "x"}]}], 132012, "sub_type"),
    ("appointment_reminder", [body("a", "b"), {"type": "button", "sub_type": "quick_reply", "index": 5,
                                               "parameters": []}], 131009, "index"),
    ("order_confirmation", [body("a", "b")], 132012, "expected DOCUMENT"),
    ("order_confirmation", [{"type": "header", "parameters": [{"type": "image", "image": {"link": "https://e/x"}}]},
                            body("a", "b")], 132012, "received IMAGE"),
    ("order_shipped", [body(named={"first_name": "J", "order_number": "1"})], 132000, "URL"),
    ("coupon_code_fall2023_25off", [body("a", "b")], 132000, "COPY_CODE"),
    ("seasonal_promotion", [body("a", "b", "c")], 132000, "header"),
    ("hello_world", [{"type": "footer", "parameters": []}], 100, "footer"),
    ("appointment_reminder", [{"type": "body", "parameters": [{"type": "text"}, {"type": "text", "text": "b"}]}],
     131008, "parameters[0].text"),
])
def test_send_errors(sb, name, components, code, needle):
    language = "es" if needle == "es" else "en_US"
    response = send_template(sb, name, components, language=language)
    error = graph_error(response)
    assert error["code"] == code, error
    assert needle in error["error_data"]["details"], error
    assert response.status_code == (404 if code == 132001 else 400)


def test_paused_and_disabled_templates(sb):
    template = next(t for t in sb.state.templates.values() if t.name == "hello_world")
    assert sb.anon.post(f"/_sandbox/templates/{template.id}/status", json={"status": "PAUSED"}).status_code == 200
    assert graph_error(send_template(sb, "hello_world"))["code"] == 132015
    sb.anon.post(f"/_sandbox/templates/{template.id}/status", json={"status": "DISABLED"})
    assert graph_error(send_template(sb, "hello_world"))["code"] == 132016
    sb.flush()
    assert [u["event"] for u in sb.receiver.changes("message_template_status_update")] == ["PAUSED", "DISABLED"]


def test_template_messages_are_billed_by_category(sb):
    response = send_template(sb, "seasonal_promotion", [
        {"type": "header", "parameters": [{"type": "text", "text": "Sale"}]}, body("May", "X", "5%")], to=CARLA)
    sb.flush()
    sent = next(s for s in sb.receiver.statuses() if s["id"] == response.json()["messages"][0]["id"])
    assert sent["pricing"] == {"billable": True, "pricing_model": "PMP", "category": "marketing"}
    assert sent["conversation"]["origin"] == {"type": "marketing"}


def test_templates_of_another_waba_are_not_found(sb):
    other = sb.anon.post("/_sandbox/wabas", json={"business_id": "400000000000001", "numbers": 1}).json()
    token = sb.anon.post("/_sandbox/tokens", json={"waba_ids": [other["id"]]}).json()["token"]
    response = sb.send({"to": ALICE, "type": "template",
                        "template": {"name": "hello_world", "language": {"code": "en_US"}}},
                       phone=other["phone_number_ids"][0], token=token)
    assert graph_error(response)["code"] == 132001
    assert PHONE != other["phone_number_ids"][0]
