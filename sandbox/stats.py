"""Counters for benchmarks (`GET /_sandbox/stats`, cleared by `POST /_sandbox/reset`): what the sandbox accepted,
refused and emitted since the last reset, as Meta would see it.

- sends accepted per phone number, and callback ids (`biz_opaque_callback_data`) accepted more than once: a
  campaign that sends someone twice shows here, whatever our database believes;
- sends refused, by Graph error code (130429 throughput, 131056 pair rate, ...), and `failed` statuses by code;
- status webhook items emitted and POSTed, by status, with the wall-clock time (`time.time()`, not the sandbox's
  movable clock) of the first POST attempt that carried each status of each message, so a benchmark can measure
  the lag from Meta's POST to the row it makes in our database (`GET /_sandbox/stats/status_times`).

Cheap on purpose: a few dictionary operations per send and per status, under one uncontended lock (the sandbox
runs on one event loop). Memory is bounded: past TRACK_MAX callback ids or first-POST times the counting goes on
but the per-id tables stop growing (`truncated` says so).
"""
from __future__ import annotations

import threading
import time
from collections import Counter

TRACK_MAX = 2_000_000  # per table: ~150 MB at the limit; a 1,000,000-recipient campaign fits
EXAMPLES = 5


class Stats:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        with self.lock:
            self.since = time.time()
            self.accepted: Counter[str] = Counter()  # phone_number_id -> sends accepted (a wamid given)
            self.callbacks: dict[str, int] = {}  # biz_opaque_callback_data -> times accepted
            self.duplicated: dict[str, int] = {}  # the callbacks accepted more than once
            self.errors: Counter[int] = Counter()  # Graph error code -> sends refused with it
            self.failed: Counter[int] = Counter()  # error code -> `failed` statuses emitted
            self.emitted: Counter[str] = Counter()  # status -> status items enqueued for a webhook
            self.posted: Counter[str] = Counter()  # status -> status items in a first POST attempt
            self.first_posted: dict[str, dict[str, float]] = {}  # status -> wamid -> time of its first POST
            self.posts = 0  # POST attempts (first ones and retries)
            self.retries = 0
            self.post_errors: Counter[str] = Counter()  # HTTP status or exception name -> attempts not answered 200
            self.truncated = False

    # --- producers (the send path, the webhook dispatcher) --------------------------------------------
    def send_accepted(self, phone_number_id: str, callback: str | None) -> None:
        with self.lock:
            self.accepted[phone_number_id] += 1
            if callback is None:
                return
            count = self.callbacks.get(callback, 0) + 1
            if count == 1 and len(self.callbacks) >= TRACK_MAX:
                self.truncated = True
                return
            self.callbacks[callback] = count
            if count > 1:
                self.duplicated[callback] = count

    def send_refused(self, code: int) -> None:
        with self.lock:
            self.errors[code] += 1

    def status_emitted(self, status: str, error_code: int | None = None) -> None:
        with self.lock:
            self.emitted[status] += 1
            if error_code is not None:
                self.failed[error_code] += 1

    def post_attempted(self, statuses: list[tuple[str, str]], first: bool, at: float, outcome: str | None) -> None:
        """One POST attempt carrying `statuses` [(wamid, status)]; `outcome` None when answered 200."""
        with self.lock:
            self.posts += 1
            if not first:
                self.retries += 1
            if outcome is not None:
                self.post_errors[outcome] += 1
            if not first:
                return
            for wamid, status in statuses:
                self.posted[status] += 1
                table = self.first_posted.get(status)
                if table is None:
                    table = self.first_posted[status] = {}
                if wamid not in table:
                    if len(table) >= TRACK_MAX:
                        self.truncated = True
                        continue
                    table[wamid] = at

    # --- readers (the control API) ----------------------------------------------------------------------
    def summary(self) -> dict:
        with self.lock:
            examples = sorted(self.duplicated.items(), key=lambda kv: -kv[1])[:EXAMPLES]
            return {
                "since": self.since,
                "accepted": dict(self.accepted),
                "accepted_total": sum(self.accepted.values()),
                "callbacks": {"distinct": len(self.callbacks), "duplicated": len(self.duplicated),
                              "extra_sends": sum(c - 1 for c in self.duplicated.values()),
                              "examples": [{"biz_opaque_callback_data": k, "accepted": c} for k, c in examples]},
                "errors": {str(code): n for code, n in sorted(self.errors.items())},
                "failed_statuses": {str(code): n for code, n in sorted(self.failed.items())},
                "statuses": {"emitted": dict(self.emitted), "posted": dict(self.posted)},
                "webhook_posts": {"attempts": self.posts, "retries": self.retries,
                                  "not_ok": dict(self.post_errors)},
                "truncated": self.truncated,
            }

    def status_times(self, status: str, *, since: float = 0.0, offset: int = 0, limit: int = 100_000) -> dict:
        """First-POST times of one status, in the order they were first POSTed, as two parallel lists (compact:
        100,000 of them are ~7 MB of JSON). Page with `offset` (`next_offset` is null at the end)."""
        with self.lock:
            table = self.first_posted.get(status, {})
            items = list(table.items())
        if since:
            items = [(w, t) for w, t in items if t >= since]
        page = items[offset:offset + limit]
        end = offset + len(page)
        return {"status": status, "count": len(items), "wamids": [w for w, _ in page],
                "first_posted_at": [round(t, 4) for _, t in page], "next_offset": end if end < len(items) else None}
