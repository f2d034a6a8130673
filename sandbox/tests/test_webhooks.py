"""Status webhooks: signing, batching, retries with backoff, duplicate/reorder knobs; the sync fault knobs;
the throughput (130429) and pair (131056) limits."""
from __future__ import annotations

import time

import httpx

from .conftest import ALICE, BEN, PHONE, PHONE2, V, graph_error, verify_signature


def test_sent_delivered_read_signed(sb):
    wamid = sb.text(biz_opaque_callback_data="our-id-1").json()["messages"][0]["id"]
    sb.flush()
    assert [s["status"] for s in sb.receiver.statuses()] == ["sent", "delivered"]
    assert all(s["biz_opaque_callback_data"] == "our-id-1" for s in sb.receiver.statuses())
    # the customer opens the chat (the phone page does this call)
    assert sb.anon.post(f"/_sandbox/customers/{ALICE}/read", json={"phone_number_id": PHONE}).json() == {"read": 1}
    sb.flush()
    assert [s["status"] for s in sb.receiver.statuses()] == ["sent", "delivered", "read"]
    for request in sb.receiver.requests:
        assert request["headers"]["Content-Type"] == "application/json"
        assert verify_signature(request)
        assert not verify_signature(request, secret="other-secret")
    payload = sb.receiver.ok()[0]
    assert payload["object"] == "whatsapp_business_account"
    assert payload["entry"][0]["id"] == "200000000000001"
    value = payload["entry"][0]["changes"][0]["value"]
    assert value["metadata"] == {"display_phone_number": "15550100001", "phone_number_id": PHONE}
    assert value["contacts"][0]["wa_id"] == ALICE and value["contacts"][0]["profile"] == {"name": "Alice Johnson"}
    assert value["contacts"][0]["user_id"].startswith("US.")
    assert sb.state.messages[wamid].status == "read"
    # statuses never go back
    assert sb.anon.post(f"/_sandbox/messages/{wamid}/status", json={"status": "delivered"}).json()["changed"] is False


def test_statuses_that_accumulate_share_one_post(sb):
    sb.state.config.webhook_batch_window_ms = 60_000  # only the flush builds batches here
    for i in range(5):
        assert sb.text(BEN if i % 2 else ALICE, f"m{i}").status_code == 200
    sb.send({"to": ALICE, "type": "text", "text": {"body": "other number"}}, phone=PHONE2)
    sb.flush()
    posts = sb.receiver.ok()
    assert len(posts) == 1  # one WABA, one field: one POST
    changes = posts[0]["entry"][0]["changes"]
    assert len(changes) == 2  # one change per phone number
    first = changes[0]["value"]
    assert len(first["statuses"]) == 10 and {c["wa_id"] for c in first["contacts"]} == {ALICE, BEN}
    sb.state.config.webhook_batch_max = 3
    for i in range(4):
        sb.text(ALICE, f"n{i}")
    sb.flush(include_scheduled=False)
    assert [len(p["entry"][0]["changes"][0]["value"]["statuses"]) for p in sb.receiver.ok()[1:]] == [3, 1]


def test_retries_until_200_with_backoff(sb_realtime):
    sb = sb_realtime
    sb.state.config.delivery_delay_ms = 60_000  # only the `sent` status is in play
    sb.receiver.script = [500, 503, 500]
    sb.text()
    assert sb.receiver.wait_for(lambda: len(sb.receiver.ok()) >= 1, timeout=5)
    attempts = [r for r in sb.receiver.requests if r["json"]["entry"][0]["changes"][0]["value"]["statuses"][0]
                ["status"] == "sent"]
    assert [r["answered"] for r in attempts[:4]] == [500, 503, 500, 200]
    assert len({r["body"] for r in attempts}) == 1  # the same bytes (and signature) every time
    gaps = [b["at"] - a["at"] for a, b in zip(attempts, attempts[1:], strict=False)]
    assert gaps[0] >= 0.04 and gaps[1] >= 0.09 and gaps[2] >= 0.18  # base 0.05 s, doubling
    # The receiver logs the 200 before the sandbox has read it: wait for the sandbox's own record.
    assert sb.receiver.wait_for(
        lambda: sb.anon.get("/_sandbox/webhooks").json()["deliveries"][0]["state"] == "delivered", timeout=5)
    delivery = sb.anon.get("/_sandbox/webhooks").json()["deliveries"][0]
    assert [a["status_code"] for a in delivery["attempts"]] == [500, 503, 500, 200]


def test_flush_retries_deterministically_and_gives_up(sb):
    sb.state.config.webhook_batch_window_ms = 60_000  # only the flush sends: the attempts are its two rounds, then one
    sb.state.config.webhook_max_attempts = 3
    sb.receiver.script = [500, 500, 500]
    sb.text()
    summary = sb.flush(rounds=2)
    assert summary["pending"] == 1 and summary["delivered"] == 0
    summary = sb.flush()
    assert summary["failed"] == 1
    deliveries = sb.anon.get("/_sandbox/webhooks", params={"state": "failed", "body": "0"}).json()["deliveries"]
    assert len(deliveries[0]["attempts"]) == 3 and "payload" not in deliveries[0]


def test_unreachable_receiver_is_retried(sb):
    sb.state.config.webhook_url = "http://127.0.0.1:9/nowhere"
    sb.text()
    sb.flush()
    delivery = sb.anon.get("/_sandbox/webhooks").json()["deliveries"][0]
    assert delivery["state"] == "pending" and delivery["attempts"][0]["error"]


def test_duplicates_and_reordering(sb):
    sb.anon.post("/_sandbox/faults", json={"webhook_duplicate_rate": 1.0})
    sb.text()
    sb.flush()
    bodies = [r["body"] for r in sb.receiver.requests]
    assert len(bodies) == 2 and bodies[0] == bodies[1]
    sb.anon.post("/_sandbox/faults", json={"webhook_duplicate_rate": 0, "webhook_reorder": True})
    sb.receiver.requests.clear()
    wamid = sb.text(BEN).json()["messages"][0]["id"]
    sb.flush()
    order = [s["status"] for s in sb.receiver.statuses() if s["id"] == wamid]
    assert order == ["delivered", "sent"]
    assert all(len(p["entry"][0]["changes"][0]["value"]["statuses"]) == 1 for p in sb.receiver.ok())
    assert sb.anon.delete("/_sandbox/faults").json()["webhook_reorder"] is False


def test_error_rate_latency_and_timeouts(sb):
    faults = sb.anon.post("/_sandbox/faults", json={"error_rate": {"messages": 1.0}, "error_status": 503}).json()
    assert faults["error_rate"] == {"messages": 1.0}
    response = sb.text()
    error = graph_error(response)
    assert response.status_code == 503 and error["code"] == 2 and error["is_transient"] is True
    assert sb.client.get(f"{V}/{PHONE}").status_code == 200  # other endpoints are untouched
    sb.anon.post("/_sandbox/faults", json={"error_rate": {"*": 1.0}, "error_status": 500})
    response = sb.client.get(f"{V}/{PHONE}")
    assert response.status_code == 500 and graph_error(response)["code"] == 1
    sb.anon.delete("/_sandbox/faults")
    sb.anon.post("/_sandbox/faults", json={"latency_ms": {"messages": 150}})
    started = time.monotonic()
    assert sb.text().status_code == 200
    assert time.monotonic() - started >= 0.15
    sb.anon.post("/_sandbox/faults", json={"latency_ms": 0, "timeout_rate": {"messages": 1.0}, "timeout_s": 1.0})
    try:
        sb.client.post(f"{V}/{PHONE}/messages", json={"messaging_product": "whatsapp", "to": ALICE, "type": "text",
                                                       "text": {"body": "lost"}}, timeout=0.2)
        raise AssertionError("expected a client timeout")
    except httpx.TimeoutException:
        pass
    assert not any(m.payload.get("text", {}).get("body") == "lost" for m in sb.state.messages.values())
    sb.anon.post("/_sandbox/faults", json={"timeout_processed": True, "timeout_s": 0.5})
    try:
        sb.client.post(f"{V}/{PHONE}/messages", json={"messaging_product": "whatsapp", "to": ALICE, "type": "text",
                                                       "text": {"body": "sent but lost"}, "biz_opaque_callback_data":
                                                       "outbox-7"}, timeout=0.2)
        raise AssertionError("expected a client timeout")
    except httpx.TimeoutException:
        pass
    found = sb.anon.get("/_sandbox/messages", params={"biz_opaque_callback_data": "outbox-7"}).json()["data"]
    assert len(found) == 1 and found[0]["status"] == "sent"
    assert sb.anon.post("/_sandbox/faults", json={"nope": 1}).status_code == 400
    sb.anon.delete("/_sandbox/faults")
    time.sleep(0.4)  # let the hanging handler finish before the next test swaps the app


def test_throughput_limit_130429(sb):
    sb.anon.patch(f"/_sandbox/numbers/{PHONE}", json={"mps": 5})
    customers = [f"1650555{i:04d}" for i in range(7)]
    for wa_id in customers:
        sb.anon.post(f"/_sandbox/customers/{wa_id}/window", json={"phone_number_id": PHONE})
    codes = [sb.text(wa_id).status_code for wa_id in customers]
    assert codes == [200] * 5 + [400] * 2
    error = graph_error(sb.text(customers[0]))
    assert error["code"] == 130429 and error["error_subcode"] == 2494055
    sb.clock.advance(0.2)  # one more token at 5/s
    assert sb.text(customers[0]).status_code == 200
    # the other number has its own bucket (HIGH = 1,000/s)
    assert sb.send({"to": ALICE, "type": "text", "text": {"body": "x"}}, phone=PHONE2).status_code == 200


def test_pair_rate_limit_131056(sb):
    sb.state.config.pair_burst = 3
    assert [sb.text().status_code for _ in range(3)] == [200, 200, 200]
    error = graph_error(sb.text())
    assert error["code"] == 131056
    assert sb.text(BEN).status_code == 200  # another recipient is fine
    sb.clock.advance(6)
    assert sb.text().status_code == 200


def test_throughput_default_80_per_second(sb):
    customers = [f"1415555{i:04d}" for i in range(81)]
    for wa_id in customers:
        sb.anon.post(f"/_sandbox/customers/{wa_id}/window", json={"phone_number_id": PHONE})
    results = [sb.text(wa_id).status_code for wa_id in customers]
    assert results.count(200) == 80 and results[-1] == 400


def test_simulated_customers_read_a_share_of_what_is_delivered_and_answer_a_share_of_that(sb):
    sb.state.config.update({"read_share": 0.5, "reply_share": 0.5, "read_delay_ms": 100, "reply_delay_ms": 100,
                            "webhook_batch_window_ms": 60_000})  # only the flushes send
    sent = [sb.text(ALICE if i % 2 else BEN, f"m{i}").json()["messages"][0]["id"] for i in range(40)]
    for _ in range(3):  # delivered, then read, then the answers: each scheduled by the one before
        sb.flush()
    read = {s["id"] for s in sb.receiver.statuses() if s["status"] == "read"}
    assert {s["id"] for s in sb.receiver.statuses() if s["status"] == "delivered"} == set(sent)
    assert 10 <= len(read) <= 30 and read < set(sent)
    answers = [m for post in sb.receiver.ok() for change in post["entry"][0]["changes"]
               for m in change["value"].get("messages", [])]
    assert 2 <= len(answers) < len(read)
    assert all(m["context"]["id"] in read and m["text"]["body"] for m in answers)  # each answers a message read
    assert {m["from"] for m in answers} <= {ALICE, BEN}


def test_simulated_customers_are_off_unless_configured(sb):
    sb.text()
    for _ in range(3):
        sb.flush()
    assert [s["status"] for s in sb.receiver.statuses()] == ["sent", "delivered"]
    changes = [change for post in sb.receiver.ok() for change in post["entry"][0]["changes"]]
    assert not any(change["value"].get("messages") for change in changes)
