"""GET /_sandbox/stats and /_sandbox/stats/status_times: what a benchmark reads from Meta's side of the line
(sends accepted per number, callback ids accepted twice, refusals by code, statuses emitted and first POSTed)."""
from __future__ import annotations

import time

from .conftest import ALICE, BEN, CARLA, PHONE, PHONE2, V

TEMPLATE = {"type": "template", "template": {"name": "hello_world", "language": {"code": "en_US"}}}


def stats(sb) -> dict:
    response = sb.anon.get("/_sandbox/stats")
    assert response.status_code == 200, response.text
    return response.json()


def test_accepted_sends_are_counted_per_number(sb):
    for to in (ALICE, BEN, CARLA):
        assert sb.send({"to": to, **TEMPLATE}).status_code == 200
    assert sb.send({"to": ALICE, **TEMPLATE}, phone=PHONE2).status_code == 200
    data = stats(sb)
    assert data["accepted"] == {PHONE: 3, PHONE2: 1}
    assert data["accepted_total"] == 4


def test_a_callback_id_accepted_twice_is_a_duplicate_with_an_example(sb):
    for callback in ("m-1", "m-2", "m-2", "m-3", "m-3", "m-3"):
        assert sb.send({"to": ALICE, **TEMPLATE, "biz_opaque_callback_data": callback}).status_code == 200
    assert sb.send({"to": ALICE, **TEMPLATE}).status_code == 200  # no callback id: not tracked
    callbacks = stats(sb)["callbacks"]
    assert callbacks["distinct"] == 3
    assert callbacks["duplicated"] == 2
    assert callbacks["extra_sends"] == 3  # m-2 once more, m-3 twice more
    assert callbacks["examples"] == [{"biz_opaque_callback_data": "m-3", "accepted": 3},
                                     {"biz_opaque_callback_data": "m-2", "accepted": 2}]


def test_a_refused_send_is_counted_by_code_and_not_as_accepted(sb):
    sb.anon.patch(f"/_sandbox/numbers/{PHONE}", json={"mps": 2})
    codes = [sb.send({"to": ALICE, **TEMPLATE, "biz_opaque_callback_data": f"m-{i}"}).status_code for i in range(3)]
    assert codes == [200, 200, 400]
    sb.state.config.pair_burst = 1
    assert sb.send({"to": BEN, **TEMPLATE}, phone=PHONE2).status_code == 200
    assert sb.send({"to": BEN, **TEMPLATE}, phone=PHONE2).status_code == 400  # pair rate
    assert sb.send({"to": BEN, "type": "text"}, phone=PHONE2).status_code == 400  # text.body missing
    data = stats(sb)
    assert data["errors"] == {"130429": 1, "131056": 1, "131008": 1}
    assert data["accepted"] == {PHONE: 2, PHONE2: 1}
    assert data["callbacks"]["duplicated"] == 0  # m-2 was refused, not accepted


def test_statuses_emitted_posted_and_failed_by_code(sb):
    delivered = sb.send({"to": ALICE, **TEMPLATE}).json()["messages"][0]["id"]
    failed = sb.text(CARLA, "outside the window").json()["messages"][0]["id"]  # 131047
    sb.flush()
    data = stats(sb)
    assert data["statuses"]["emitted"] == {"sent": 1, "delivered": 1, "failed": 1}
    assert data["statuses"]["posted"] == {"sent": 1, "delivered": 1, "failed": 1}
    assert data["failed_statuses"] == {"131047": 1}
    assert data["webhook_posts"]["attempts"] >= 1 and data["webhook_posts"]["not_ok"] == {}
    assert {s["id"] for s in sb.receiver.statuses()} == {delivered, failed}


def test_status_times_are_the_wall_clock_of_the_first_post_not_of_a_retry(sb):
    before = time.time()
    wamids = [sb.send({"to": to, **TEMPLATE}).json()["messages"][0]["id"] for to in (ALICE, BEN)]
    sb.receiver.script = [500]  # the first POST (both sent statuses) fails, its retry succeeds
    sb.flush()
    sb.flush()
    times = sb.anon.get("/_sandbox/stats/status_times", params={"status": "sent"}).json()
    assert times["count"] == 2 and sorted(times["wamids"]) == sorted(wamids)
    assert [r["answered"] for r in sb.receiver.requests] == [500, 200]
    for at in times["first_posted_at"]:  # wall clock (the sandbox's clock is frozen in these tests)
        assert before - 0.01 <= at <= time.time()
    data = stats(sb)
    assert data["webhook_posts"]["retries"] >= 1 and data["webhook_posts"]["not_ok"] == {"500": 1}
    assert data["statuses"]["posted"]["sent"] == 2  # counted once, at the first attempt


def test_status_times_page_with_offset_and_filter_by_since(sb):
    for to in (ALICE, BEN):
        sb.send({"to": to, **TEMPLATE})
    sb.flush()
    first = sb.anon.get("/_sandbox/stats/status_times", params={"status": "delivered", "limit": 1}).json()
    assert first["count"] == 2 and len(first["wamids"]) == 1 and first["next_offset"] == 1
    rest = sb.anon.get("/_sandbox/stats/status_times",
                       params={"status": "delivered", "offset": first["next_offset"]}).json()
    assert len(rest["wamids"]) == 1 and rest["next_offset"] is None
    assert set(first["wamids"] + rest["wamids"]) == {s["id"] for s in sb.receiver.statuses()}
    later = sb.anon.get("/_sandbox/stats/status_times", params={"status": "delivered", "since": time.time() + 60})
    assert later.json()["count"] == 0
    assert sb.anon.get("/_sandbox/stats/status_times", params={"status": "bogus"}).status_code == 400
    assert sb.anon.get("/_sandbox/stats/status_times", params={"since": "yesterday"}).status_code == 400


def test_reset_clears_the_stats(sb):
    sb.send({"to": ALICE, **TEMPLATE, "biz_opaque_callback_data": "m-1"})
    sb.send({"to": ALICE, **TEMPLATE, "biz_opaque_callback_data": "m-1"})
    sb.flush()
    assert stats(sb)["callbacks"]["duplicated"] == 1
    assert sb.anon.post("/_sandbox/reset", json={"demo": True}).status_code == 200
    data = stats(sb)
    assert data["accepted_total"] == 0 and data["callbacks"]["distinct"] == 0 and data["statuses"]["posted"] == {}
    assert sb.anon.get("/_sandbox/stats/status_times", params={"status": "sent"}).json()["count"] == 0


def test_the_demo_portfolio_can_message_100k_people_a_day(sb):
    info = sb.client.get(f"{V}/{PHONE}", params={"fields": "whatsapp_business_manager_messaging_limit"}).json()
    assert info["whatsapp_business_manager_messaging_limit"] == "TIER_100K"  # a 10,000-contact demo campaign fits
    made = sb.anon.post("/_sandbox/businesses", json={"name": "Other"}).json()
    assert made["messaging_limit"] == "TIER_2K"  # a new portfolio does not share the demo's tier
