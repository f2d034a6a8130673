"""Every webhook the sandbox emits has the key structure (keys and value types, recursively) of a real
Meta payload from `conformance/meta-webhooks/`. A key may be absent or extra only where the
conformance examples themselves show it as optional at that place."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import ALICE, BEN, CARLA, PHONE, WABA, V

MEDIA = {"image", "video", "audio", "document", "sticker"}


DIR = Path(__file__).resolve().parents[2] / "conformance" / "meta-webhooks"  # copied into the repo, see its README


def load(*names: str) -> list[dict]:
    examples = []
    for name in names:
        data = json.loads((DIR / name).read_text())
        for value in data.values():  # some files nest one level deeper
            examples += [value] if "object" in value else [v for v in value.values() if "object" in v]
    return examples


def kind(value) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if value is None:
        return "null"
    return type(value).__name__


def norm(key: str) -> str:
    return "<media>" if key in MEDIA else key


def keysets(value, path: str, out: dict) -> None:
    """path -> the key sets seen there, and ("values", path) -> the values seen there, over all examples."""
    out.setdefault(("values", path), []).append(value)
    if isinstance(value, dict):
        out.setdefault(path, []).append({norm(k) for k in value})
        for key, child in value.items():
            keysets(child, f"{path}.{norm(key)}", out)
    elif isinstance(value, list):
        for child in value:
            keysets(child, f"{path}[]", out)


def differences(ours, theirs, path: str, seen: dict[str, list[set[str]]]) -> list[str]:
    if kind(ours) != kind(theirs):
        return [f"{path}: {kind(ours)} here, {kind(theirs)} in Meta's payload"]
    problems = []
    if isinstance(ours, dict):
        for key in ours:
            child = f"{path}.{norm(key)}"
            if key not in theirs:
                if not any(norm(key) in keys for keys in seen.get(path, [])):
                    problems.append(f"{child}: not in any conformance payload")
                else:  # optional here: check it against the payloads that do have it
                    problems += min((differences(ours[key], other, child, seen)
                                     for other in seen[("values", child)]), key=len)
                continue
            problems += differences(ours[key], theirs[key], child, seen)
        for key in theirs:
            if key not in ours and all(norm(key) in keys for keys in seen.get(path, [])):
                problems.append(f"{path}.{norm(key)}: always present in Meta's payloads, missing here")
    elif isinstance(ours, list) and ours and theirs:
        for item in ours:
            problems += min((differences(item, other, f"{path}[]", seen) for other in theirs), key=len)
    return problems


def assert_conforms(payload: dict, examples: list[dict]) -> None:
    seen: dict[str, list[set[str]]] = {}
    for example in examples:
        keysets(example, "", seen)
    results = [differences(payload, example, "", seen) for example in examples]
    best = min(results, key=len)
    assert best == [], f"closest conformance payload differs: {best}\n{json.dumps(payload)[:600]}"


def single_changes(payload: dict):
    """Split a (possibly batched) POST into one payload per status / message / change, as the examples are."""
    for entry in payload["entry"]:
        for change in entry["changes"]:
            value = change["value"]
            head = {k: v for k, v in entry.items() if k != "changes"}
            for key in ("statuses", "messages"):
                for item in value.get(key, []):
                    wa_id = item.get("recipient_id") or item.get("from")
                    contacts = [c for c in value.get("contacts", []) if c["wa_id"] == wa_id]
                    single = {**value, key: [item], "contacts": contacts}
                    yield change["field"], key, {"object": payload["object"],
                                                 "entry": [{**head, "changes": [{"value": single,
                                                                                 "field": change["field"]}]}]}
            if not any(k in value for k in ("statuses", "messages")):
                yield change["field"], None, {"object": payload["object"], "entry": [{**head, "changes": [change]}]}


FILES = {("messages", "statuses"): ("message_status.json",),
         ("messages", "messages"): ("message.json", "callback_button.json", "callback_selection.json",
                                    "flow_completion.json"),
         ("message_template_status_update", None): ("template_status_update.json",),
         ("account_update", None): ("account_update.json",),
         ("message_template_quality_update", None): ("template_quality_update.json",),
         ("template_category_update", None): ("template_category_update.json",)}


def exercise(sb) -> None:
    """Make the sandbox emit every kind of webhook it knows."""
    sent = sb.text(biz_opaque_callback_data="tracked").json()["messages"][0]["id"]
    sb.text(CARLA, "outside the window")  # failed 131047
    buttons = sb.send({"to": ALICE, "type": "interactive", "interactive": {
        "type": "button", "body": {"text": "Pick"}, "action": {"buttons": [
            {"type": "reply", "reply": {"id": "yes", "title": "Yes"}}]}}}).json()["messages"][0]["id"]
    listing = sb.send({"to": ALICE, "type": "interactive", "interactive": {
        "type": "list", "body": {"text": "Pick"}, "action": {"button": "Menu", "sections": [
            {"rows": [{"id": "r1", "title": "Row", "description": "About"}]}]}}}).json()["messages"][0]["id"]
    template = sb.send({"to": BEN, "type": "template", "template": {
        "name": "appointment_reminder", "language": {"code": "en_US"}, "components": [
            {"type": "body", "parameters": [{"type": "text", "text": "Ben"}, {"type": "text", "text": "Monday"}]}]}}
                       ).json()["messages"][0]["id"]
    sb.anon.post(f"/_sandbox/customers/{ALICE}/read", json={"phone_number_id": PHONE})
    customer = [
        {"type": "text", "text": {"body": "Hello"}},
        {"type": "text", "text": {"body": "quoting"}, "context": {"message_id": sent}},
        {"type": "text", "text": {"body": "fwd"}, "context": {"forwarded": True}},
        {"type": "image", "image": {"caption": "look"}}, {"type": "image", "image": {}},
        {"type": "video", "video": {"caption": "clip"}}, {"type": "audio", "audio": {"voice": True}},
        {"type": "document", "document": {"filename": "a.pdf", "caption": "doc"}},
        {"type": "sticker", "sticker": {"animated": False}},
        {"type": "location", "location": {"latitude": 37.46, "longitude": -122.21}},
        {"type": "location", "location": {"latitude": 37.46, "longitude": -122.21, "name": "HQ", "address": "1 Way",
                                          "url": "https://maps.example.com"}},
        {"type": "contacts", "contacts": [{"name": {"first_name": "Chandler", "last_name": "Bing",
                                                    "formatted_name": "Chandler Bing"},
                                           "phones": [{"phone": "+1 555-555-5555", "wa_id": "15555555555",
                                                       "type": "CELL"}]}]},
        {"type": "reaction", "reaction": {"message_id": sent, "emoji": "😮"}},
        {"type": "reaction", "reaction": {"message_id": sent}},
        {"type": "interactive", "interactive": {"type": "button_reply", "button_reply": {"id": "yes"}},
         "context": {"message_id": buttons}},
        {"type": "interactive", "interactive": {"type": "list_reply", "list_reply": {"id": "r1"}},
         "context": {"message_id": listing}},
        {"type": "interactive", "interactive": {"type": "nfm_reply", "nfm_reply": {
            "response_json": {"flow_token": "t", "answer": "1"}}}, "context": {"message_id": buttons}},
        {"type": "unsupported", "unsupported": {"type": "poll"}},
    ]
    for body in customer:
        response = sb.customer_says(ALICE, body)
        assert response.status_code == 201, response.text
    quick = sb.customer_says(BEN, {"type": "button", "button": {"text": "Reschedule"},
                                   "context": {"message_id": template}})
    assert quick.status_code == 201, quick.text
    assert quick.json()["message"]["button"] == {"payload": "Reschedule", "text": "Reschedule"}
    sb.client.post(f"{V}/{WABA}/message_templates", json={
        "name": "adjacent_params", "language": "en", "category": "MARKETING", "components": [
            {"type": "BODY", "text": "Hello there {{1}} {{2}} see you soon at the shop.",
             "example": {"body_text": [["a", "b"]]}}]})
    sb.client.post(f"{V}/{WABA}/message_templates", json={
        "name": "welcome_note", "language": "en", "category": "UTILITY", "components": [
            {"type": "BODY", "text": "Welcome aboard, we are glad to have you here."}]})
    sb.anon.post("/_sandbox/embedded-signup", json={"app_id": "300000000000001", "business_name": "New Co"})
    demo = next(t for t in sb.state.templates.values() if t.name == "hello_world")
    assert sb.anon.post(f"/_sandbox/templates/{demo.id}/quality", json={"score": "yellow"}).status_code == 200
    assert sb.anon.post(f"/_sandbox/templates/{demo.id}/category", json={"category": "MARKETING"}).status_code == 200
    sb.flush()


def test_every_emitted_webhook_matches_a_conformance_payload(sb):
    exercise(sb)
    payloads = sb.receiver.ok()
    checked: dict[tuple, int] = {}
    for payload in payloads:
        for field, key, single in single_changes(payload):
            files = FILES.get((field, key))
            assert files, f"no conformance file for field {field} ({key})"
            assert_conforms(single, load(*files))
            item = single["entry"][0]["changes"][0]["value"]
            label = item.get("statuses", item.get("messages", [item]))[0]
            checked[(field, label.get("status") or label.get("type") or label.get("event"))] = 1
    expected = {("messages", s) for s in ("sent", "delivered", "read", "failed")} | {
        ("messages", t) for t in ("text", "image", "video", "audio", "document", "sticker", "location", "contacts",
                                  "reaction", "interactive", "button", "unsupported")} | {
        ("message_template_status_update", "APPROVED"), ("message_template_status_update", "REJECTED"),
        ("account_update", "PARTNER_ADDED"), ("message_template_quality_update", None),
        ("template_category_update", None)}
    assert expected <= set(checked), expected - set(checked)


def test_the_checker_notices_a_wrong_shape():
    example = load("message.json")
    good = next(e for e in example if e["entry"][0]["changes"][0]["value"]["messages"][0]["type"] == "text")
    assert_conforms(good, example)
    bad = json.loads(json.dumps(good))
    bad["entry"][0]["changes"][0]["value"]["messages"][0]["timestamp"] = 1697043223  # a number, not a string
    with pytest.raises(AssertionError):
        assert_conforms(bad, example)
    extra = json.loads(json.dumps(load("message_status.json")[0]))
    extra["entry"][0]["changes"][0]["value"]["statuses"][0]["pricing"]["type"] = "regular"
    with pytest.raises(AssertionError):
        assert_conforms(extra, load("message_status.json"))
    missing = json.loads(json.dumps(good))
    del missing["entry"][0]["changes"][0]["value"]["metadata"]
    with pytest.raises(AssertionError):
        assert_conforms(missing, example)
