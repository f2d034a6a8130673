"""The webhook outbox: items (statuses, inbound messages, template and account events) are batched into
Meta-shaped POSTs, signed with the app secret, and delivered by a background asyncio task that retries
with exponential backoff until the receiver answers 200. Timed jobs (delivered statuses, template
reviews) run on the same loop. `flush()` makes all of it happen now, for tests.
"""
from __future__ import annotations

import asyncio
import hashlib
import heapq
import hmac
import itertools
import json
import logging
import random
import ssl
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field

import httpx

from .state import SandboxState
from .stats import Stats

log = logging.getLogger("sandbox.webhooks")
_SSL: ssl.SSLContext | None = None


def _ssl_context() -> ssl.SSLContext:
    """Loading the CA bundle costs ~50 ms: do it once per process, not per dispatcher."""
    global _SSL
    if _SSL is None:
        _SSL = httpx.create_ssl_context()
    return _SSL
KEEP_FINISHED = 5000  # finished deliveries kept for GET /_sandbox/webhooks


@dataclass
class Item:
    """One update waiting for a POST."""

    field: str  # messages | message_template_status_update | account_update | ...
    waba_id: str  # entry.id (account_update: the partner's business id)
    value: dict | None = None  # non-messages fields: the change value
    phone_number_id: str | None = None
    status: dict | None = None
    message: dict | None = None
    contact: dict | None = None
    app_id: str | None = None  # account_update goes to one app, not to the WABA's subscribers
    time: int | None = None


@dataclass
class Delivery:
    id: int
    url: str
    app_id: str
    body: bytes
    signature: str
    summary: list[str]
    created_at: float
    state: str = "pending"  # pending | delivered | failed (gave up)
    attempts: list[dict] = field(default_factory=list)
    next_attempt_at: float = 0.0
    duplicate_of: int | None = None
    in_flight: bool = False
    statuses: list[tuple[str, str]] = field(default_factory=list)  # (wamid, status) it carries, for Stats

    def to_dict(self, with_body: bool = True) -> dict:
        data = {"id": self.id, "url": self.url, "app_id": self.app_id, "state": self.state,
                "summary": self.summary, "created_at": self.created_at, "attempts": self.attempts,
                "next_attempt_in_s": round(max(0.0, self.next_attempt_at - time.monotonic()), 3)
                if self.state == "pending" else None,
                "duplicate_of": self.duplicate_of, "signature": self.signature}
        if with_body:
            data["payload"] = json.loads(self.body)
        return data


def sign(body: bytes, secret: str) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


class Faults:
    """Fault knobs (`/_sandbox/faults`). Endpoint groups: messages, media, media_download, templates,
    phone_numbers, register, subscribed_apps, waba, debug_token, oauth, or "*" for all of them."""

    FIELDS = ("latency_ms", "error_rate", "error_status", "timeout_rate", "timeout_s", "timeout_processed",
              "webhook_duplicate_rate", "webhook_reorder", "seed")

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self.latency_ms: dict[str, float] = {}
        self.error_rate: dict[str, float] = {}
        self.error_status: int | str = "mixed"
        self.timeout_rate: dict[str, float] = {}
        self.timeout_s: float = 60.0
        self.timeout_processed = False
        self.webhook_duplicate_rate = 0.0
        self.webhook_reorder = False
        self.seed: int | None = None
        self.random = random.Random()

    def update(self, values: dict) -> None:
        unknown = set(values) - set(self.FIELDS)
        if unknown:
            raise ValueError(f"unknown fault knobs: {', '.join(sorted(unknown))}")
        for key in ("latency_ms", "error_rate", "timeout_rate"):
            if key in values:
                raw = values[key]
                table = raw if isinstance(raw, dict) else {"*": raw}
                setattr(self, key, {str(k): float(v) for k, v in table.items()})
        if "error_status" in values:
            if values["error_status"] not in (500, 503, "mixed"):
                raise ValueError("error_status must be 500, 503 or \"mixed\"")
            self.error_status = values["error_status"]
        if "timeout_s" in values:
            self.timeout_s = float(values["timeout_s"])
        if "timeout_processed" in values:
            self.timeout_processed = bool(values["timeout_processed"])
        if "webhook_duplicate_rate" in values:
            self.webhook_duplicate_rate = float(values["webhook_duplicate_rate"])
        if "webhook_reorder" in values:
            self.webhook_reorder = bool(values["webhook_reorder"])
        if "seed" in values:
            self.seed = None if values["seed"] is None else int(values["seed"])
            self.random = random.Random(self.seed)

    @staticmethod
    def _for(table: dict[str, float], group: str) -> float:
        return table.get(group, table.get("*", 0.0))

    def latency(self, group: str) -> float:
        return self._for(self.latency_ms, group) / 1000.0

    def roll(self, table: dict[str, float], group: str) -> bool:
        rate = self._for(table, group)
        return rate > 0 and (rate >= 1 or self.random.random() < rate)

    def pick_status(self) -> int:
        if self.error_status == "mixed":
            return self.random.choice((500, 503))
        return int(self.error_status)

    def to_dict(self) -> dict:
        return {"latency_ms": self.latency_ms, "error_rate": self.error_rate, "error_status": self.error_status,
                "timeout_rate": self.timeout_rate, "timeout_s": self.timeout_s,
                "timeout_processed": self.timeout_processed, "webhook_duplicate_rate": self.webhook_duplicate_rate,
                "webhook_reorder": self.webhook_reorder, "seed": self.seed}


class Dispatcher:
    def __init__(self, state: SandboxState, faults: Faults, transport: httpx.AsyncBaseTransport | None = None,
                 stats: Stats | None = None):
        self.state = state
        self.faults = faults
        self.stats = stats if stats is not None else Stats()
        self.transport = transport
        self.lock = threading.Lock()  # items, jobs and deliveries; never held across I/O
        self.items: list[tuple[float, Item]] = []
        self.jobs: list[tuple[float, int, object]] = []
        self.deliveries: OrderedDict[int, Delivery] = OrderedDict()
        self.pending: dict[int, Delivery] = {}  # the pending subset, so a cycle doesn't scan finished ones
        self._seq = itertools.count(1)
        self._delivery_ids = itertools.count(1)
        self.loop: asyncio.AbstractEventLoop | None = None
        self.wake: asyncio.Event | None = None
        self.task: asyncio.Task | None = None
        self.client: httpx.AsyncClient | None = None
        self.cycle = None  # asyncio.Lock, created on the loop
        self.in_flight: set[asyncio.Task] = set()
        self.semaphore: asyncio.Semaphore | None = None
        self.stopping = False

    # --- producer side (any thread) ----------------------------------------------------------------
    def enqueue(self, item: Item) -> None:
        with self.lock:
            self.items.append((time.monotonic(), item))
        self._poke()

    def schedule(self, delay_s: float, job) -> None:
        with self.lock:
            heapq.heappush(self.jobs, (self.state.now() + max(0.0, delay_s), next(self._seq), job))
        self._poke()

    def _poke(self) -> None:
        loop, wake = self.loop, self.wake
        if loop is None or wake is None or loop.is_closed():
            return
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is loop:
            wake.set()
        else:
            loop.call_soon_threadsafe(wake.set)

    # --- lifecycle ----------------------------------------------------------------------------------
    async def start(self) -> None:
        self.loop = asyncio.get_running_loop()
        self.stopping = False
        self.wake = asyncio.Event()
        self.cycle = asyncio.Lock()
        self.semaphore = asyncio.Semaphore(max(1, self.state.config.webhook_concurrency))
        self.client = httpx.AsyncClient(transport=self.transport, timeout=self.state.config.webhook_timeout_s,
                                        verify=_ssl_context(),
                                        headers={"User-Agent": "facebookexternalua"})
        self.task = asyncio.create_task(self._run(), name="sandbox-webhooks")

    async def stop(self) -> None:
        if self.task:
            self.stopping = True
            self.wake.set()
            try:
                await asyncio.wait_for(asyncio.shield(self.task), 2)
            except (TimeoutError, asyncio.CancelledError, Exception):
                self.task.cancel()
        for task in list(self.in_flight):
            task.cancel()
        if self.in_flight:
            await asyncio.gather(*self.in_flight, return_exceptions=True)
        if self.client:
            await self.client.aclose()
        self.task = self.client = None
        self.loop = self.wake = None

    async def _run(self) -> None:
        while not self.stopping:
            try:
                timeout = self._next_wakeup()
                try:
                    async with asyncio.timeout(timeout):
                        await self.wake.wait()
                except TimeoutError:
                    pass
                self.wake.clear()
                if self.stopping:
                    return
                async with self.cycle:
                    self._run_jobs(force=False)
                    self._build(force=False)
                    self._send_ready(force=False)
            except asyncio.CancelledError:
                raise
            except Exception:  # keep delivering whatever one bad item did
                log.exception("webhook dispatcher cycle failed")
                await asyncio.sleep(0.1)

    def _next_wakeup(self) -> float:
        # Jobs run on the sandbox clock (it can be frozen or moved); batching and retries on real time.
        now, mono = self.state.now(), time.monotonic()
        candidates = [0.25]  # also notices a moved clock (/_sandbox/clock)
        with self.lock:
            if self.jobs:
                candidates.append(self.jobs[0][0] - now)
            if self.items:
                candidates.append(self.items[0][0] + self.state.config.webhook_batch_window_ms / 1000 - mono)
            for d in self.pending.values():
                if not d.in_flight:
                    candidates.append(d.next_attempt_at - mono)
        return max(0.0, min(candidates))

    # --- the work -----------------------------------------------------------------------------------
    def _run_jobs(self, force: bool) -> None:
        for _ in range(100_000):
            with self.lock:
                if not self.jobs or (not force and self.jobs[0][0] > self.state.now()):
                    return
                _due, _seq, job = heapq.heappop(self.jobs)
            try:
                job()
            except Exception:
                log.exception("sandbox job failed")

    def _build(self, force: bool) -> None:
        config = self.state.config
        now = time.monotonic()
        with self.lock:
            if not self.items:
                return
            oldest = self.items[0][0]
            if not force and len(self.items) < config.webhook_batch_max and \
                    now - oldest < config.webhook_batch_window_ms / 1000:
                return
            items = [item for _at, item in self.items]
            self.items.clear()
        for delivery in self._deliveries_for(items):
            with self.lock:
                self.deliveries[delivery.id] = self.pending[delivery.id] = delivery
                if self.faults.roll({"*": self.faults.webhook_duplicate_rate}, "*"):
                    dup = Delivery(id=next(self._delivery_ids), url=delivery.url, app_id=delivery.app_id,
                                   body=delivery.body, signature=delivery.signature, summary=delivery.summary,
                                   created_at=delivery.created_at, duplicate_of=delivery.id,
                                   statuses=delivery.statuses)
                    self.deliveries[dup.id] = self.pending[dup.id] = dup
        self._trim()

    def _targets(self, item: Item) -> list[tuple[str, str]]:
        """(app id, url) pairs an item goes to: the app for account updates, else every app subscribed to the
        WABA; messages follow the number's, then the WABA's override_callback_uri (reference §6.4)."""
        state = self.state
        default_url = state.config.webhook_url
        with state.lock:
            if item.app_id:
                app = state.apps.get(item.app_id)
                return [(item.app_id, (app and app.callback_url) or default_url)] if app else []
            waba = state.wabas.get(item.waba_id)
            if waba is None:
                return []
            number = state.numbers.get(item.phone_number_id or "")
            targets = []
            for app_id, sub in waba.subscriptions.items():
                app = state.apps.get(app_id)
                if app is None:
                    continue
                url = (app.callback_url or default_url)
                if item.field == "messages":
                    url = (number and number.override_callback_uri) or sub.get("override_callback_uri") or url
                targets.append((app_id, url))
            return targets

    def _deliveries_for(self, items: list[Item]) -> list[Delivery]:
        groups: OrderedDict[tuple, list[Item]] = OrderedDict()
        for item in items:
            for app_id, url in self._targets(item):
                groups.setdefault((app_id, url, item.waba_id, item.field == "messages"), []).append(item)
        size = 1 if self.faults.webhook_reorder else max(1, self.state.config.webhook_batch_max)
        out = []
        for (app_id, url, waba_id, _is_messages), group in groups.items():
            app = self.state.apps.get(app_id)
            if app is None:
                continue
            for start in range(0, len(group), size):
                chunk = group[start:start + size]
                payload = self._payload(waba_id, chunk)
                body = json.dumps(payload, separators=(",", ":")).encode()
                out.append(Delivery(id=next(self._delivery_ids), url=url, app_id=app_id, body=body,
                                    signature=sign(body, app.secret), summary=[_summary(i) for i in chunk],
                                    created_at=time.time(),
                                    statuses=[(i.status["id"], i.status["status"]) for i in chunk
                                              if i.status is not None]))
        return out

    def _payload(self, waba_id: str, items: list[Item]) -> dict:
        changes: list[dict] = []
        status_change: dict[str, dict] = {}
        listed: set[tuple[str, str]] = set()  # (phone number id, wa_id) already in its change's contacts
        for item in items:
            if item.field != "messages":
                changes.append({"value": item.value, "field": item.field})
                continue
            metadata = _metadata(self.state, item.phone_number_id)
            if item.status is not None:
                value = status_change.get(item.phone_number_id)
                if value is None:
                    value = {"messaging_product": "whatsapp", "metadata": metadata, "contacts": [], "statuses": []}
                    status_change[item.phone_number_id] = value
                    changes.append({"value": value, "field": "messages"})
                if item.contact and (item.phone_number_id, item.contact["wa_id"]) not in listed:
                    listed.add((item.phone_number_id, item.contact["wa_id"]))
                    value["contacts"].append(item.contact)
                value["statuses"].append(item.status)
            else:
                changes.append({"value": {"messaging_product": "whatsapp", "metadata": metadata,
                                          "contacts": [item.contact], "messages": [item.message]},
                                "field": "messages"})
        entry: dict = {"id": waba_id}
        if items[0].field != "messages":
            entry["time"] = items[0].time or int(self.state.now())
        entry["changes"] = changes
        return {"object": "whatsapp_business_account", "entry": [entry]}

    def _send_ready(self, force: bool) -> list[asyncio.Task]:
        now = time.monotonic()
        with self.lock:
            ready = [d for d in self.pending.values() if not d.in_flight and (force or d.next_attempt_at <= now)]
            for d in ready:
                d.in_flight = True
        if not ready:
            return []
        if self.faults.webhook_reorder:
            # One task sends them newest first, one at a time, so the receiver sees them out of order.
            task = asyncio.create_task(self._send_sequence(list(reversed(ready))))
            tasks = [task]
        else:
            tasks = [asyncio.create_task(self._attempt(d)) for d in ready]
        for task in tasks:
            self.in_flight.add(task)
            task.add_done_callback(self._done)
        return tasks

    def _done(self, task: asyncio.Task) -> None:
        self.in_flight.discard(task)
        if self.wake is not None:
            self.wake.set()

    async def _send_sequence(self, deliveries: list[Delivery]) -> None:
        for delivery in deliveries:
            await self._attempt(delivery)

    async def _attempt(self, delivery: Delivery) -> None:
        config = self.state.config
        async with self.semaphore:
            started, mono = time.time(), time.monotonic()
            code, error = None, None
            try:
                response = await self.client.post(delivery.url, content=delivery.body, timeout=config.webhook_timeout_s,
                                                  headers={"Content-Type": "application/json",
                                                           "X-Hub-Signature-256": delivery.signature})
                code = response.status_code
            except httpx.HTTPError as exc:
                error = f"{type(exc).__name__}: {exc}"[:300]
        outcome = None if code == 200 else str(code) if code is not None else (error or "").split(":")[0]
        self.stats.post_attempted(delivery.statuses, not delivery.attempts, started, outcome)
        with self.lock:
            delivery.in_flight = False
            delivery.attempts.append({"at": started, "status_code": code, "error": error,
                                      "duration_ms": round((time.monotonic() - mono) * 1000, 1)})
            if code == 200:
                delivery.state = "delivered"
                self.pending.pop(delivery.id, None)
            elif len(delivery.attempts) >= config.webhook_max_attempts:
                delivery.state = "failed"
                self.pending.pop(delivery.id, None)
            else:
                backoff = config.webhook_backoff_base_s * (2 ** (len(delivery.attempts) - 1))
                delivery.next_attempt_at = time.monotonic() + min(backoff, config.webhook_backoff_max_s)

    def _trim(self) -> None:
        with self.lock:
            excess = len(self.deliveries) - len(self.pending) - KEEP_FINISHED
            if excess <= 0:
                return
            for delivery_id in [i for i, d in self.deliveries.items() if d.state != "pending"][:excess]:
                del self.deliveries[delivery_id]

    # --- tests and the control API ------------------------------------------------------------------
    async def flush(self, *, include_scheduled: bool = True, rounds: int = 1) -> dict:
        """Run scheduled jobs (all of them, or only the due ones), build every waiting batch, and give every
        pending delivery one attempt now (ignoring its backoff), `rounds` times. Waits for the attempts."""
        for _ in range(max(1, rounds)):
            async with self.cycle:
                self._run_jobs(force=include_scheduled)
                self._build(force=True)
                await self._drain_in_flight()
                tasks = self._send_ready(force=True)
            if tasks:
                await asyncio.gather(*tasks, return_exceptions=True)
        return self.summary()

    async def _drain_in_flight(self) -> None:
        if self.in_flight:
            await asyncio.gather(*list(self.in_flight), return_exceptions=True)

    def summary(self) -> dict:
        with self.lock:
            counts: dict[str, int] = {"pending": 0, "delivered": 0, "failed": 0}
            for d in self.deliveries.values():
                counts[d.state] = counts.get(d.state, 0) + 1
            counts["waiting_items"] = len(self.items)
            counts["scheduled_jobs"] = len(self.jobs)
            return counts

    def list(self, *, state: str | None = None, limit: int = 100, with_body: bool = True) -> list[dict]:
        with self.lock:
            rows = [d for d in self.deliveries.values() if state is None or d.state == state]
        return [d.to_dict(with_body) for d in rows[-limit:]]

    def clear(self) -> None:
        with self.lock:
            self.items.clear()
            self.jobs.clear()
            self.deliveries.clear()
            self.pending.clear()


def _metadata(state: SandboxState, phone_number_id: str | None) -> dict:
    number = state.numbers.get(phone_number_id or "")
    return {"display_phone_number": number.digits if number else "", "phone_number_id": phone_number_id or ""}


def _summary(item: Item) -> str:
    if item.status is not None:
        return f"status:{item.status['status']}:{item.status['id']}"
    if item.message is not None:
        return f"message:{item.message['type']}:{item.message['id']}"
    event = (item.value or {}).get("event")
    return f"{item.field}:{event}" if event else item.field
