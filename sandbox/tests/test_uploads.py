"""Resumable Upload (`POST /{app-id}/uploads`, `POST/GET /upload:<id>`), the header handles template
creation and editing accept, the conformance template definitions, and the template node's every field."""
from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from sandbox.graph import TEMPLATE_FIELDS

from .conftest import APP_ID, APP_SECRET, TOKEN, WABA, V, graph_error

CONFORMANCE = Path(__file__).resolve().parents[2] / "conformance" / "meta-templates"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 200
PDF = b"%PDF-1.4\n" + b"0" * 100


def start(sb, length: int, file_type: str = "image/png", name: str = "banner.png", app_id: str = APP_ID,
          headers: dict | None = None):
    return sb.client.post(f"{V}/{app_id}/uploads", params={"file_name": name, "file_length": length,
                                                          "file_type": file_type}, headers=headers)


def send_bytes(sb, session_id: str, data: bytes, offset: int | str = 0, token: str = TOKEN):
    # The id is sent back verbatim, `?sig=` and all, with Meta's "OAuth" scheme.
    return sb.anon.post(f"{V}/{session_id}", content=data,
                        headers={"Authorization": f"OAuth {token}", "file_offset": str(offset)})


def upload(sb, data: bytes = PNG, file_type: str = "image/png") -> str:
    session = start(sb, len(data), file_type)
    assert session.status_code == 200, session.text
    answer = send_bytes(sb, session.json()["id"], data)
    assert answer.status_code == 200, answer.text
    return answer.json()["h"]


def image_template(handle, name="promo_banner", **extra):
    return {"name": name, "language": "en_US", "category": "MARKETING", **extra, "components": [
        {"type": "HEADER", "format": "IMAGE", "example": {"header_handle": [handle]}},
        {"type": "BODY", "text": "Hello {{1}}, our autumn collection is here for you.",
         "example": {"body_text": [["Pablo"]]}}]}


def create(sb, body):
    return sb.client.post(f"{V}/{WABA}/message_templates", json=body)


# --- the upload protocol ---------------------------------------------------------------------------

def test_upload_returns_a_handle_in_metas_shape(sb):
    session = start(sb, len(PNG))
    assert session.status_code == 200, session.text
    session_id = session.json()["id"]
    assert session_id.startswith("upload:") and "?sig=AR" in session_id
    status = sb.anon.get(f"{V}/{session_id}", headers={"Authorization": f"OAuth {TOKEN}"})
    assert status.json() == {"id": session_id, "file_offset": 0}
    answer = send_bytes(sb, session_id, PNG)
    assert answer.status_code == 200, answer.text
    handle = answer.json()["h"]
    assert handle.startswith("4::aW1hZ2UvcG5n:")  # base64("image/png"), like Meta's handles
    uploaded = sb.state.handles[handle]
    assert (uploaded.file_type, uploaded.file_length, uploaded.file_name, uploaded.app_id) == (
        "image/png", len(PNG), "banner.png", APP_ID)
    # Bearer works too; the completed session answers its handle again (an answer lost on the way).
    again = sb.client.post(f"{V}/{session_id}", content=b"", headers={"file_offset": str(len(PNG))})
    assert again.json() == {"h": handle}


def test_an_interrupted_upload_resumes_at_the_offset(sb):
    data = PDF * 3
    session_id = start(sb, len(data), "application/pdf", "menu.pdf").json()["id"]
    partial = send_bytes(sb, session_id, data[:100])
    assert partial.json() == {"id": session_id, "file_offset": 100}
    status = sb.client.get(f"{V}/{session_id}").json()
    assert status["file_offset"] == 100
    wrong = send_bytes(sb, session_id, data[50:], offset=50)
    error = graph_error(wrong)
    assert wrong.status_code == 400 and error["code"] == 100 and "file_offset 100" in error["error_data"]["details"]
    done = send_bytes(sb, session_id, data[100:], offset=100)
    assert sb.state.handles[done.json()["h"]].file_type == "application/pdf"


@pytest.mark.parametrize("params, needle", [
    ({"file_name": "a.png", "file_type": "image/png"}, "file_length is required"),
    ({"file_name": "a.png", "file_length": "ten", "file_type": "image/png"}, "file_length must be an integer"),
    ({"file_name": "a.png", "file_length": 0, "file_type": "image/png"}, "positive"),
    ({"file_name": "a.png", "file_length": 10}, "file_type is required"),
    ({"file_name": "a.gif", "file_length": 10, "file_type": "image/gif"}, "file_type must be one of"),
    ({"file_name": "a.png", "file_length": 5 * 1024 * 1024 + 1, "file_type": "image/png"}, "at most 5242880"),
])
def test_session_parameters_are_checked_like_meta(sb, params, needle):
    response = sb.client.post(f"{V}/{APP_ID}/uploads", params=params)
    error = graph_error(response)
    assert response.status_code == 400 and error["code"] == 100, response.text
    assert needle in error["error_data"]["details"]


def test_every_documented_file_type_is_accepted(sb):
    for file_type in ("application/pdf", "image/jpeg", "image/jpg", "image/png", "video/mp4"):
        assert start(sb, 10, file_type).status_code == 200, file_type


def test_bytes_are_checked_against_the_session(sb):
    session_id = start(sb, len(PNG)).json()["id"]
    too_long = send_bytes(sb, session_id, PNG + b"x")
    assert graph_error(too_long)["code"] == 100 and "more than the session's file_length" in too_long.text
    no_offset = sb.anon.post(f"{V}/{session_id}", content=PNG, headers={"Authorization": f"OAuth {TOKEN}"})
    assert graph_error(no_offset)["code"] == 100 and "file_offset is required" in no_offset.text
    not_a_number = send_bytes(sb, session_id, PNG, offset="zero")
    assert graph_error(not_a_number)["code"] == 100
    empty = send_bytes(sb, session_id, b"")
    assert graph_error(empty)["code"] == 100 and "no file bytes" in empty.text
    forged = send_bytes(sb, session_id.split("?")[0] + "?sig=ARforged", PNG)
    assert graph_error(forged)["code"] == 100 and graph_error(forged)["error_subcode"] == 33
    unsigned = send_bytes(sb, session_id.split("?")[0], PNG)
    assert graph_error(unsigned)["error_subcode"] == 33


def test_who_may_upload(sb):
    no_token = sb.anon.post(f"{V}/{APP_ID}/uploads", params={"file_length": 10, "file_type": "image/png"})
    assert no_token.status_code == 401 and graph_error(no_token)["code"] == 190
    app_token = start(sb, 10, headers={"Authorization": f"Bearer {APP_ID}|{APP_SECRET}"})
    assert app_token.status_code == 403 and graph_error(app_token)["code"] == 200
    # Any token of the app may upload, e.g. one the control API made (the demo app's by default).
    made = sb.anon.post("/_sandbox/tokens", json={"waba_ids": []}).json()["token"]
    assert start(sb, 10, headers={"Authorization": f"Bearer {made}"}).status_code == 200
    unknown_app = start(sb, 10, app_id="399999999999999")
    assert graph_error(unknown_app)["code"] == 100 and graph_error(unknown_app)["error_subcode"] == 33
    # A session belongs to its app: a token of another app can neither read nor fill it.
    sb.state.apps["300000000000099"] = type(sb.state.apps[APP_ID])(id="300000000000099", secret="s2")
    stranger = sb.state.add_token("300000000000099", [WABA]).token
    session_id = start(sb, len(PNG)).json()["id"]
    refused = send_bytes(sb, session_id, PNG, token=stranger)
    assert refused.status_code == 403 and graph_error(refused)["code"] == 200
    assert graph_error(start(sb, 10, app_id="300000000000099"))["code"] == 200


# --- header handles in template creation and edits -------------------------------------------------------

def test_a_media_header_needs_a_handle_the_sandbox_issued(sb):
    refused = create(sb, image_template("4::aW1hZ2UvcG5n:ARnever-issued"))
    error = graph_error(refused)
    assert refused.status_code == 400 and error["code"] == 100 and error["error_subcode"] == 2494102
    assert "components[0].example.header_handle[0]" in error["error_data"]["details"]
    assert error["error_user_title"] and "header_handle" in error["error_user_msg"]
    handle = upload(sb)
    created = create(sb, image_template(handle))
    assert created.status_code == 200, created.text
    stored = sb.client.get(f"{V}/{created.json()['id']}", params={"fields": "components"}).json()
    assert stored["components"][0]["example"]["header_handle"] == [handle]


def test_the_handle_must_be_of_a_type_the_header_takes(sb):
    pdf = upload(sb, PDF, "application/pdf")
    refused = create(sb, image_template(pdf))
    assert graph_error(refused)["error_subcode"] == 2494102 and "application/pdf" in refused.text
    document = image_template(pdf, name="receipt_doc")
    document["components"][0]["format"] = "DOCUMENT"
    assert create(sb, document).status_code == 200


def test_carousel_card_headers_are_checked_too(sb):
    handle = upload(sb)

    def card(h):
        return {"components": [{"type": "HEADER", "format": "IMAGE", "example": {"header_handle": [h]}},
                               {"type": "BUTTONS", "buttons": [{"type": "QUICK_REPLY", "text": "More"}]}]}
    body = {"name": "cards_promo", "language": "en_US", "category": "MARKETING", "components": [
        {"type": "BODY", "text": "Hello {{1}}, see our new plants today.", "example": {"body_text": [["Pablo"]]}},
        {"type": "CAROUSEL", "cards": [card(handle), card("4::aW..."), card(handle)]}]}
    refused = create(sb, body)
    assert graph_error(refused)["error_subcode"] == 2494102
    assert "components[1].cards[1].components[0].example.header_handle[0]" in refused.text
    body["components"][1]["cards"][1] = card(handle)
    assert create(sb, body).status_code == 200


def test_edits_check_new_components_and_accept_what_was_read_back(sb):
    created = create(sb, image_template(upload(sb))).json()
    sb.flush()
    template = sb.client.get(f"{V}/{created['id']}", params={"fields": "components,status"}).json()
    assert template["status"] == "APPROVED"
    components = copy.deepcopy(template["components"])
    components[1]["text"] = "Hello {{1}}, our winter collection is here for you."
    sb.clock.advance(2 * 86400)
    assert sb.client.post(f"{V}/{created['id']}", json={"components": components}).status_code == 200
    components[0]["example"]["header_handle"] = ["4::aW1hZ2UvcG5n:ARforged"]
    sb.state.templates[created["id"]].status = "REJECTED"
    refused = sb.client.post(f"{V}/{created['id']}", json={"components": components})
    assert graph_error(refused)["error_subcode"] == 2494102
    # The demo's seeded templates keep working when their own components are sent back.
    demo = next(t for t in sb.state.templates.values() if t.name == "order_confirmation")
    demo.status = "REJECTED"
    assert sb.client.post(f"{V}/{demo.id}", json={"components": demo.components}).status_code == 200


def test_conformance_definitions_pass_once_their_samples_are_uploaded(sb):
    """The conformance files carry Meta's documentation placeholders ("4::an..."): refused as never issued,
    accepted after the sample is uploaded and its handle put in their place."""
    created = 0
    for path in sorted(CONFORMANCE.glob("*.json")):
        for key, definition in json.loads(path.read_text()).items():
            body = copy.deepcopy(definition)
            body["name"] = f"conf_{key}"[:512]
            text = json.dumps(body)
            if '"header_handle"' in text:
                refused = create(sb, body)
                assert graph_error(refused)["error_subcode"] == 2494102, (key, refused.text)
                for placeholder in {h for h in _handles(body)}:
                    text = text.replace(json.dumps(placeholder), json.dumps(upload(sb)))
                body = json.loads(text)
                if '"DOCUMENT"' in text:  # a document header needs a PDF sample
                    pdf = upload(sb, PDF, "application/pdf")
                    body = json.loads(json.dumps(body).replace(json.dumps(_handles(body)[0]), json.dumps(pdf)))
            response = create(sb, body)
            assert response.status_code == 200, (key, response.text)
            created += 1
    assert created == 13


def _handles(node) -> list[str]:
    found = []
    if isinstance(node, dict):
        for key, value in node.items():
            found += value if key == "header_handle" else _handles(value)
    elif isinstance(node, list):
        for item in node:
            found += _handles(item)
    return found


# --- the template node ---------------------------------------------------------------------------------

def test_templates_list_and_read_with_every_field_meta_documents(sb):
    every = ",".join(f for f in TEMPLATE_FIELDS)
    for field in ("cta_url_link_tracking_opted_out", "degrees_of_freedom_spec", "sub_category",
                  "library_template_name", "previous_category", "correct_category", "quality_score",
                  "rejected_reason", "parameter_format", "message_send_ttl_seconds", "last_updated_time",
                  "health_status", "is_primary_device_delivery_only", "display_format", "source", "bid_spec",
                  "ad_id", "is_sms_fallback_enabled"):
        assert field in TEMPLATE_FIELDS
    listed = sb.client.get(f"{V}/{WABA}/message_templates", params={"fields": every, "limit": 100})
    assert listed.status_code == 200, listed.text
    rows = listed.json()["data"]
    assert len(rows) == len(sb.state.templates_of(WABA))
    for row in rows:
        assert {"id", "name", "language", "status", "category", "components", "parameter_format", "quality_score",
                "rejected_reason", "cta_url_link_tracking_opted_out", "is_primary_device_delivery_only",
                "last_updated_time", "health_status", "source", "is_sms_fallback_enabled"} <= set(row)
        assert row["health_status"] == {"can_send_message": "AVAILABLE"}
    one = sb.client.get(f"{V}/{rows[0]['id']}", params={"fields": every})
    assert one.status_code == 200 and one.json()["id"] == rows[0]["id"]
    nested = sb.client.get(f"{V}/{rows[0]['id']}", params={"fields": "quality_score{score},name"}).json()
    assert nested["quality_score"]["score"] == "GREEN"
    unknown = sb.client.get(f"{V}/{WABA}/message_templates", params={"fields": "name,bogus"})
    assert graph_error(unknown)["code"] == 100 and "(bogus)" in graph_error(unknown)["message"]


def test_creation_and_edits_take_metas_optional_fields(sb):
    body = {"name": "order_ready", "language": "en_US", "category": "UTILITY", "sub_category": "order_status",
            "cta_url_link_tracking_opted_out": True, "library_template_name": "order_pickup_1",
            "is_primary_device_delivery_only": False, "display_format": "ORDER_DETAILS",
            "allow_category_change": True, "message_send_ttl_seconds": 3600, "components": [
                {"type": "BODY", "text": "Hello {{1}}, your order is ready for pickup today.",
                 "example": {"body_text": [["Pablo"]]}}]}
    created = create(sb, body)
    assert created.status_code == 200, created.text
    node = sb.client.get(f"{V}/{created.json()['id']}", params={"fields": ",".join(TEMPLATE_FIELDS)}).json()
    assert (node["sub_category"], node["cta_url_link_tracking_opted_out"], node["library_template_name"],
            node["display_format"], node["message_send_ttl_seconds"]) == (
        "ORDER_STATUS", True, "order_pickup_1", "ORDER_DETAILS", 3600)
    spec = {"creative_features_spec": {"image_brightness_and_contrast": {"enroll_status": "OPT_IN"}}}
    marketing = create(sb, image_template(upload(sb), name="dof_promo", degrees_of_freedom_spec=spec,
                                          send_type="campaign"))
    assert marketing.status_code == 200, marketing.text
    node = sb.client.get(f"{V}/{marketing.json()['id']}", params={"fields": "degrees_of_freedom_spec"}).json()
    assert node["degrees_of_freedom_spec"] == spec
    sb.state.templates[created.json()["id"]].status = "REJECTED"
    edited = sb.client.post(f"{V}/{created.json()['id']}", json={"cta_url_link_tracking_opted_out": False})
    assert edited.status_code == 200, edited.text
    assert sb.state.templates[created.json()["id"]].cta_url_link_tracking_opted_out is False


@pytest.mark.parametrize("extra, needle", [
    ({"sub_category": "NOT_A_SUB"}, "sub_category must be one of"),
    ({"cta_url_link_tracking_opted_out": "yes"}, "must be a boolean"),
    ({"degrees_of_freedom_spec": ["x"]}, "must be an object"),
    ({"display_format": "CARDS"}, "display_format must be one of"),
    ({"library_template_name": ""}, "library_template_name"),
    ({"bogus_field": 1}, "Unexpected key"),
])
def test_optional_fields_are_checked(sb, extra, needle):
    response = create(sb, {"name": "bad_optional", "language": "en_US", "category": "UTILITY", **extra,
                           "components": [{"type": "BODY", "text": "Your order is ready for pickup."}]})
    assert graph_error(response)["code"] == 100 and needle in response.text, response.text


def test_a_handle_already_on_the_wabas_templates_is_accepted_again(sb):
    """State saved before the sandbox checked handles has templates with handles it never issued; what a
    client reads back from them can still be sent in an edit or a new template of the same WABA only."""
    legacy = "4::aW1hZ2UvanBlZw==:ARb"
    demo = next(t for t in sb.state.templates.values() if t.name == "limited_time_offer_caribbean_pkg_2023")
    demo.components[0]["example"]["header_handle"] = [legacy]
    assert create(sb, image_template(legacy, name="reuse_legacy")).status_code == 200
    other = sb.anon.post("/_sandbox/wabas", json={"business_id": "400000000000001"}).json()
    token = sb.anon.post("/_sandbox/tokens", json={"waba_ids": [other["id"]]}).json()["token"]
    elsewhere = sb.client.post(f"{V}/{other['id']}/message_templates", json=image_template(legacy),
                               headers={"Authorization": f"Bearer {token}"})
    assert graph_error(elsewhere)["error_subcode"] == 2494102


def test_quality_and_category_changes_show_on_the_node_and_in_webhooks(sb):
    demo = next(t for t in sb.state.templates.values() if t.name == "appointment_reminder")
    assert sb.anon.post(f"/_sandbox/templates/{demo.id}/quality", json={"score": "RED"}).status_code == 200
    moved = sb.anon.post(f"/_sandbox/templates/{demo.id}/category", json={"category": "marketing"})
    assert moved.json() == {"id": demo.id, "category": "MARKETING", "previous_category": "UTILITY"}
    assert sb.anon.post(f"/_sandbox/templates/{demo.id}/quality", json={"score": "PURPLE"}).status_code == 400
    node = sb.client.get(f"{V}/{demo.id}", params={"fields": "category,previous_category,quality_score"}).json()
    assert (node["category"], node["previous_category"], node["quality_score"]["score"]) == (
        "MARKETING", "UTILITY", "RED")
    sb.flush()
    quality = sb.receiver.changes("message_template_quality_update")
    category = sb.receiver.changes("template_category_update")
    assert quality == [{"message_template_id": int(demo.id), "message_template_name": "appointment_reminder",
                        "message_template_language": "en_US", "previous_quality_score": "GREEN",
                        "new_quality_score": "RED"}]
    assert category == [{"message_template_id": int(demo.id), "message_template_name": "appointment_reminder",
                         "message_template_language": "en_US", "new_category": "MARKETING"}]
