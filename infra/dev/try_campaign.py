"""`python infra/dev/try_campaign.py`: a campaign tried as a new user would, against a running `make dev`.

Through the API the wizard and the campaign page use, signed in as the demo owner: a campaign from the STANDARD
(80 msg/s) number to the segment "Demo audience" (10,000 contacts), started; its progress sampled for 20 s; paused,
with the sends the sandbox (Meta's stand-in) accepts after the pause counted; resumed until it completes; its
funnel once the status webhooks are in; then a retarget of "read but not replied", sent to the end. Prints what it
saw and exits non-zero if something is off: a send after the pause's first second, a contact messaged twice or
never, a retarget that doesn't reach exactly the read-but-not-replied ones.

The sandbox's simulated customers read and answer a share of what is delivered (`make dev` sets SANDBOX_READ_SHARE
and SANDBOX_REPLY_SHARE), so the funnel fills past "delivered". Options: --api (default http://127.0.0.1:8000),
--sandbox (http://127.0.0.1:8010), --tenant (demo).
"""
from __future__ import annotations

import argparse
import os
import sys
import time

import httpx

FINISHED = ("completed", "failed", "cancelled")
MAPPING = {"body": [{"field": "first_name", "fallback": "there"}, {"value": "Friday at 10:00"}]}


class Api:
    def __init__(self, base: str, tenant: str):
        self.client = httpx.Client(base_url=base, timeout=60, headers={"Host": f"{tenant}.localhost"})
        email = os.environ.get("DEMO_EMAIL", f"owner@{tenant}.localhost")
        password = os.environ.get("DEMO_PASSWORD", "convonest-demo")
        answer = self.client.post("/api/auth/login/", json={"email": email, "password": password})
        if answer.status_code != 200:
            sys.exit(f"signing in as {email}: {answer.status_code} {answer.text[:300]}")

    def get(self, path: str):
        answer = self.client.get(path)
        answer.raise_for_status()
        body = answer.json()
        return body["results"] if isinstance(body, dict) and "results" in body else body

    def post(self, path: str, body: dict | None = None) -> dict:
        answer = self.client.post(path, json=body or {})
        if answer.status_code >= 300:
            sys.exit(f"POST {path}: {answer.status_code} {answer.text[:400]}")
        return answer.json()

    def wait(self, campaign_id: int, every: float = 2.0) -> dict:
        while (campaign := self.get(f"/api/campaigns/{campaign_id}/"))["status"] not in FINISHED:
            time.sleep(every)
        return campaign


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--api", default="http://127.0.0.1:8000")
    parser.add_argument("--sandbox", default="http://127.0.0.1:8010")
    parser.add_argument("--tenant", default="demo")
    args = parser.parse_args()
    api, sandbox = Api(args.api, args.tenant), httpx.Client(base_url=args.sandbox, timeout=30)
    problems = []

    segment = next(s for s in api.get("/api/contacts/segments/") if s["name"] == "Demo audience")
    number = next(n for n in api.get("/api/whatsapp/numbers/") if n["throughput_mps"] == 80)
    template = next(t for t in api.get("/api/templates/?limit=100")
                    if t["name"] == "appointment_reminder" and t["status"] == "APPROVED")
    draft = {"phone_number_id": number["phone_number_id"], "template_id": template["id"],
             "audience": {"segment_id": segment["id"]}}
    audience = api.post("/api/campaigns/audience/", draft)
    print(f"audience: {audience['recipients']:,} recipients, excluded {audience['excluded']}, "
          f"estimate {audience['estimate']['total']} {audience['estimate']['currency']}")

    def accepted() -> tuple[int, int]:
        stats = sandbox.get("/_sandbox/stats").json()
        return stats["accepted"].get(number["phone_number_id"], 0), stats["callbacks"]["extra_sends"]

    campaign = api.post("/api/campaigns/", {**draft, "name": f"try {time.strftime('%H:%M:%S')}", "mapping": MAPPING})
    accepted_before, extra_before = accepted()
    api.post(f"/api/campaigns/{campaign['id']}/start/")
    started = time.monotonic()
    print("running (seconds, sent, delivered, read, replied):")
    while time.monotonic() - started < 20:
        counts = api.get(f"/api/campaigns/{campaign['id']}/")["counts"]
        print(f"  {time.monotonic() - started:5.1f} {counts['sent']:6} {counts['delivered']:6} {counts['read']:6} "
              f"{counts['replied']:6}")
        time.sleep(2)

    api.post(f"/api/campaigns/{campaign['id']}/pause/")
    paused_at, at_pause = time.monotonic(), accepted()[0]
    after = []
    while time.monotonic() - paused_at < 3:
        after.append((time.monotonic() - paused_at, accepted()[0] - at_pause))
        time.sleep(0.1)
    final = after[-1][1]
    settled = next(t for t, n in after if n == final)  # the first sample showing the last send
    print(f"paused: {final} sends accepted after the pause call, none after {settled:.2f} s")
    if settled > 1.0:
        problems.append(f"sends were accepted {settled:.2f} s after the pause")

    api.post(f"/api/campaigns/{campaign['id']}/resume/")
    done = api.wait(campaign["id"])
    print(f"{done['status']} after {time.monotonic() - started:.0f} s")
    time.sleep(15)  # the last reads and answers (the simulated customers take a few seconds)
    counts = api.get(f"/api/campaigns/{campaign['id']}/")["counts"]
    sends, extra = accepted()
    sends, extra = sends - accepted_before, extra - extra_before
    print(f"funnel: {counts}")
    print(f"the sandbox accepted {sends:,} sends for {counts['recipients']:,} recipients, {extra} of them repeats")
    if sends != counts["recipients"] or extra:
        problems.append("a contact was messaged twice or not at all")

    retarget = api.post(f"/api/campaigns/{campaign['id']}/retarget/", {"stage": "read_not_replied"})
    api.post(f"/api/campaigns/{retarget['id']}/start/")
    second = api.wait(retarget["id"])
    expected = counts["read"] - counts["replied"]
    print(f"retarget of read but not replied: {second['status']}, {second['counts']['recipients']:,} recipients "
          f"(read {counts['read']:,} - replied {counts['replied']:,} = {expected:,}), "
          f"sent {second['counts']['sent']:,}")
    if second["counts"]["recipients"] != expected or second["counts"]["sent"] != expected:
        problems.append("the retarget did not reach exactly those who read and did not reply")

    for problem in problems:
        print(f"PROBLEM: {problem}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
