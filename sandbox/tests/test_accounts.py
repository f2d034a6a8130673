"""Tokens and permissions, debug_token, Embedded Signup with the code exchange, phone numbers,
registration and subscribed_apps."""
from __future__ import annotations

import pytest

from .conftest import ALICE, APP_ID, APP_SECRET, PHONE, PHONE2, WABA, V, graph_error

TEXT = {"messaging_product": "whatsapp", "to": ALICE, "type": "text", "text": {"body": "hi"}}


def test_tokens_missing_unknown_expired_invalidated(sb, clock):
    path = f"{V}/{PHONE}/messages"
    for headers in ({}, {"Authorization": "Bearer nope"}):
        response = sb.anon.post(path, json=TEXT, headers=headers)
        assert response.status_code == 401 and graph_error(response)["code"] == 190
    short = sb.anon.post("/_sandbox/tokens", json={"waba_ids": [WABA], "expires_in": 60}).json()["token"]
    assert sb.anon.post(path, json=TEXT, headers={"Authorization": f"Bearer {short}"}).status_code == 200
    clock.advance(61)
    expired = sb.anon.post(path, json=TEXT, headers={"Authorization": f"Bearer {short}"})
    error = graph_error(expired)
    assert expired.status_code == 401 and error["code"] == 190 and error["error_subcode"] == 463
    revoked = sb.anon.post("/_sandbox/tokens", json={"waba_ids": [WABA]}).json()["token"]
    sb.anon.delete(f"/_sandbox/tokens/{revoked}")
    error = graph_error(sb.anon.post(path, json=TEXT, headers={"Authorization": f"Bearer {revoked}"}))
    assert error["code"] == 190 and error["error_subcode"] == 467
    # the token may also come as a query parameter, as Graph allows
    assert sb.anon.post(path, json=TEXT, params={"access_token": "sandbox-demo-access-token"}).status_code == 200


def test_permissions(sb):
    other = sb.anon.post("/_sandbox/wabas", json={"business_id": "400000000000001"}).json()
    stranger = sb.anon.post("/_sandbox/tokens", json={"waba_ids": [other["id"]]}).json()["token"]
    auth = {"Authorization": f"Bearer {stranger}"}
    for method, path in [("POST", f"{V}/{PHONE}/messages"), ("GET", f"{V}/{PHONE}"),
                         ("GET", f"{V}/{WABA}/phone_numbers"), ("GET", f"{V}/{WABA}/message_templates"),
                         ("POST", f"{V}/{WABA}/subscribed_apps")]:
        response = sb.anon.request(method, path, json=TEXT if "messages" in path else None, headers=auth)
        assert response.status_code == 403 and graph_error(response)["code"] == 200, (method, path)
    management_only = sb.anon.post("/_sandbox/tokens", json={"waba_ids": [WABA],
                                                             "scopes": ["whatsapp_business_management"]}).json()
    response = sb.anon.post(f"{V}/{PHONE}/messages", json=TEXT,
                            headers={"Authorization": f"Bearer {management_only['token']}"})
    assert response.status_code == 403 and graph_error(response)["code"] == 10
    app_token = {"Authorization": f"Bearer {APP_ID}|{APP_SECRET}"}
    assert graph_error(sb.anon.post(f"{V}/{PHONE}/messages", json=TEXT, headers=app_token))["code"] == 200
    unknown = graph_error(sb.client.get(f"{V}/123456789"))
    assert unknown["code"] == 100 and unknown["error_subcode"] == 33
    assert graph_error(sb.client.get(f"{V}/{PHONE}/nonsense"))["code"] == 2500
    assert graph_error(sb.client.get("/v99.0/a/b/c"))["code"] == 2500


def test_debug_token(sb):
    data = sb.client.get(f"{V}/debug_token", params={"input_token": "sandbox-demo-access-token"}).json()["data"]
    assert data["is_valid"] is True and data["app_id"] == APP_ID and data["type"] == "SYSTEM_USER"
    assert {"scope": "whatsapp_business_management", "target_ids": [WABA]} in data["granular_scopes"]
    assert {"scope": "whatsapp_business_messaging", "target_ids": [WABA]} in data["granular_scopes"]
    bad = sb.client.get(f"{V}/debug_token", params={"input_token": "zzz"}).json()["data"]
    assert bad["is_valid"] is False and bad["error"]["code"] == 190
    with_app_token = sb.anon.get(f"{V}/debug_token", params={"input_token": "sandbox-demo-access-token",
                                                              "access_token": f"{APP_ID}|{APP_SECRET}"})
    assert with_app_token.json()["data"]["is_valid"] is True
    assert graph_error(sb.client.get(f"{V}/debug_token"))["code"] == 100
    assert graph_error(sb.anon.get(f"{V}/debug_token", params={"input_token": "x"}))["code"] == 190


def signup(sb, **form):
    body = {"app_id": APP_ID, "redirect_uri": "http://demo.localhost:3000/settings/whatsapp/callback",
            "state": "st-1", "business_name": "Acme Bakery", "numbers": 2, **form}
    response = sb.anon.post("/_sandbox/embedded-signup", json=body)
    assert response.status_code == 200, response.text
    return response.json()


def test_embedded_signup_code_exchange_and_debug_token(sb):
    page = sb.anon.get("/_sandbox/embedded-signup", params={"app_id": APP_ID, "redirect_uri": "http://x/cb",
                                                            "state": "s"})
    assert page.status_code == 200 and "Continue" in page.text and "ConvoNest Demo" in page.text
    result = signup(sb)
    assert result["state"] == "st-1" and len(result["phone_number_ids"]) == 2
    assert result["redirect_url"].startswith("http://demo.localhost:3000/settings/whatsapp/callback?code=")
    params = {"client_id": APP_ID, "client_secret": APP_SECRET, "code": result["code"]}
    token = sb.anon.get(f"{V}/oauth/access_token", params=params).json()
    assert token["token_type"] == "bearer"
    business_token = token["access_token"]
    again = graph_error(sb.anon.get(f"{V}/oauth/access_token", params=params))
    assert again["code"] == 100 and again["error_subcode"] == 36009
    info = sb.client.get(f"{V}/debug_token", params={"input_token": business_token}).json()["data"]
    management = next(s for s in info["granular_scopes"] if s["scope"] == "whatsapp_business_management")
    assert management["target_ids"][0] == result["waba_id"]
    auth = {"Authorization": f"Bearer {business_token}"}
    numbers = sb.anon.get(f"{V}/{result['waba_id']}/phone_numbers", headers=auth).json()["data"]
    assert sorted(n["id"] for n in numbers) == sorted(result["phone_number_ids"])
    assert all(n["platform_type"] == "NOT_APPLICABLE" for n in numbers)
    # the business token can't touch the demo WABA, and a new number must be registered before sending
    assert graph_error(sb.anon.get(f"{V}/{WABA}/phone_numbers", headers=auth))["code"] == 200
    number = result["phone_number_ids"][0]
    text = {"messaging_product": "whatsapp", "to": ALICE, "type": "template",
            "template": {"name": "hello_world", "language": {"code": "en_US"}}}
    assert graph_error(sb.anon.post(f"{V}/{number}/messages", json=text, headers=auth))["code"] == 133010
    register = sb.anon.post(f"{V}/{number}/register", json={"messaging_product": "whatsapp", "pin": "654321"},
                            headers=auth)
    assert register.json() == {"success": True}
    assert graph_error(sb.anon.post(f"{V}/{number}/messages", json=text, headers=auth))["code"] == 132001
    subscribe = sb.anon.post(f"{V}/{result['waba_id']}/subscribed_apps", headers=auth)
    assert subscribe.json() == {"success": True}
    sb.flush()
    added = sb.receiver.changes("account_update")
    assert added == [{"event": "PARTNER_ADDED", "waba_info": {"waba_id": result["waba_id"],
                                                              "owner_business_id": result["business_id"]}}]


def test_code_exchange_errors(sb, clock):
    result = signup(sb, business_name=None, business_id="400000000000001", numbers=1)
    base = {"client_id": APP_ID, "client_secret": APP_SECRET, "code": result["code"]}
    assert graph_error(sb.anon.get(f"{V}/oauth/access_token", params={**base, "client_id": "1"}))["code"] == 101
    assert graph_error(sb.anon.get(f"{V}/oauth/access_token", params={**base, "client_secret": "x"}))["code"] == 1
    bad = graph_error(sb.anon.get(f"{V}/oauth/access_token", params={**base, "code": "nope"}))
    assert bad["error_subcode"] == 36008
    clock.advance(31)
    expired = graph_error(sb.anon.get(f"{V}/oauth/access_token", params=base))
    assert expired["error_subcode"] == 36007
    app_token = sb.anon.get(f"{V}/oauth/access_token", params={"client_id": APP_ID, "client_secret": APP_SECRET,
                                                               "grant_type": "client_credentials"}).json()
    assert app_token["access_token"] == f"{APP_ID}|{APP_SECRET}"


def test_signup_form_post_and_cancel(sb):
    form = {"app_id": APP_ID, "redirect_uri": "http://x.test/cb", "state": "abc", "business_id": "",
            "business_name": "Form Co", "numbers": "1", "action": "continue"}
    page = sb.anon.post("/_sandbox/embedded-signup", data=form)
    assert page.status_code == 200 and "WA_EMBEDDED_SIGNUP" in page.text and "http://x.test/cb?code=" in page.text
    cancelled = sb.anon.post("/_sandbox/embedded-signup", data={**form, "action": "cancel"})
    assert "error=access_denied" in cancelled.text and "CANCEL" in cancelled.text
    unknown = sb.anon.get("/_sandbox/embedded-signup", params={"app_id": "nope"})
    assert unknown.status_code == 400


def test_phone_number_fields_and_listing(sb):
    fields = "display_phone_number,verified_name,quality_rating,messaging_limit_tier,throughput,status," \
             "code_verification_status,whatsapp_business_manager_messaging_limit,health_status"
    info = sb.client.get(f"{V}/{PHONE}", params={"fields": fields}).json()
    assert info["id"] == PHONE and info["display_phone_number"] == "+1 555-010-0001"
    assert info["quality_rating"] == "GREEN" and info["messaging_limit_tier"] == "TIER_1K"
    assert info["throughput"] == {"level": "STANDARD"} and info["status"] == "CONNECTED"
    assert info["health_status"]["can_send_message"] == "AVAILABLE"
    second = sb.client.get(f"{V}/{PHONE2}", params={"fields": "throughput"}).json()
    assert second == {"throughput": {"level": "HIGH"}, "id": PHONE2}
    default = sb.client.get(f"{V}/{PHONE}").json()
    assert {"verified_name", "display_phone_number", "quality_rating", "id"} <= set(default)
    error = graph_error(sb.client.get(f"{V}/{PHONE}", params={"fields": "nope"}))
    assert error["code"] == 100 and "nope" in error["message"]
    listing = sb.client.get(f"{V}/{WABA}/phone_numbers").json()
    assert [n["id"] for n in listing["data"]] == [PHONE, PHONE2]
    waba = sb.client.get(f"{V}/{WABA}", params={"fields": "name,currency,owner_business_info"}).json()
    assert waba["owner_business_info"]["id"] == "400000000000001"
    sb.anon.patch(f"/_sandbox/numbers/{PHONE}", json={"quality_rating": "RED", "messaging_limit_tier": "TIER_10K"})
    info = sb.client.get(f"{V}/{PHONE}", params={"fields": "quality_rating,messaging_limit_tier"}).json()
    assert info["quality_rating"] == "RED" and info["messaging_limit_tier"] == "TIER_10K"


def test_register_rules(sb):
    path = f"{V}/{PHONE}/register"
    assert graph_error(sb.client.post(path, json={"messaging_product": "whatsapp"}))["code"] == 131008
    assert graph_error(sb.client.post(path, json={"messaging_product": "whatsapp", "pin": "12"}))["code"] == 100
    mismatch = sb.client.post(path, json={"messaging_product": "whatsapp", "pin": "000000"})
    assert graph_error(mismatch)["code"] == 133005
    for _ in range(9):  # the mismatch counted too: 10 attempts in 72 hours
        assert sb.client.post(path, json={"messaging_product": "whatsapp", "pin": "123456"}).status_code == 200
    assert graph_error(sb.client.post(path, json={"messaging_product": "whatsapp", "pin": "123456"}))["code"] == 133016
    assert sb.client.post(f"{V}/{PHONE2}/request_code", params={"code_method": "SMS"}).json() == {"success": True}
    assert graph_error(sb.client.post(f"{V}/{PHONE2}/verify_code", params={"code": "1"}))["code"] == 136025
    assert sb.client.post(f"{V}/{PHONE2}/verify_code", params={"code": "123456"}).json() == {"success": True}


def test_subscribed_apps_and_override_callback(sb):
    listing = sb.client.get(f"{V}/{WABA}/subscribed_apps").json()
    assert listing["data"][0]["whatsapp_business_api_data"]["id"] == APP_ID
    assert sb.client.delete(f"{V}/{WABA}/subscribed_apps").json() == {"success": True}
    assert sb.client.get(f"{V}/{WABA}/subscribed_apps").json() == {"data": []}
    sb.text()
    sb.flush()
    assert sb.receiver.ok() == []  # no subscribed app: no webhooks
    refused = sb.client.post(f"{V}/{WABA}/subscribed_apps", json={
        "override_callback_uri": sb.receiver.url + "?tenant=1", "verify_token": "wrong"})
    assert graph_error(refused)["code"] == 2200
    accepted = sb.client.post(f"{V}/{WABA}/subscribed_apps", json={
        "override_callback_uri": sb.receiver.url + "?tenant=1", "verify_token": "vt-ok"})
    assert accepted.json() == {"success": True}
    sb.text()
    sb.flush()
    assert {r["path"] for r in sb.receiver.requests} == {"/webhooks/whatsapp?tenant=1"}


@pytest.mark.parametrize("path", ["/healthz", "/_sandbox/", "/_sandbox/state", "/_sandbox/faults",
                                  f"/_sandbox/phone/{PHONE}/{ALICE}", "/_sandbox/messages", "/_sandbox/customers"])
def test_pages_and_control_reads(sb, path):
    response = sb.anon.get(path)
    assert response.status_code == 200, response.text
