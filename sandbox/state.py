"""Everything the sandbox knows: businesses, apps, WABAs, numbers, tokens, templates, media, customers,
messages and the 24-hour windows. In memory, guarded by one re-entrant lock that is only ever held for
dictionary work (never across I/O), with an optional JSON snapshot so restarts keep what was made.
"""
from __future__ import annotations

import base64
import dataclasses
import hashlib
import itertools
import json
import os
import secrets
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

WINDOW_SECONDS = 24 * 3600
MAX_MESSAGES = 300_000  # oldest are forgotten past this (benchmarks send many)
SNAPSHOT_MESSAGES = 2_000  # messages kept in the snapshot file
CHAT_KEEP = 500  # messages per (number, customer) kept for the phone page

THROUGHPUT_MPS = {"STANDARD": 80, "HIGH": 1000, "NOT_APPLICABLE": 20}

# BSUID country prefixes for the demo's calling codes (Meta uses the user's ISO country).
_COUNTRY_BY_PREFIX = [("1", "US"), ("44", "GB"), ("55", "BR"), ("91", "IN"), ("49", "DE"), ("972", "IL"),
                      ("34", "ES"), ("52", "MX"), ("62", "ID"), ("33", "FR"), ("39", "IT"), ("27", "ZA")]
_LONGEST_PREFIX_FIRST = sorted(_COUNTRY_BY_PREFIX, key=lambda p: -len(p[0]))


def _env(name: str, default: str) -> str:
    return os.environ.get(name) or default


@dataclass
class SandboxConfig:
    """Timings and limits. Environment variables (SANDBOX_*) set the defaults; `/_sandbox/config` changes them."""

    webhook_url: str = "http://localhost:8000/webhooks/whatsapp"
    webhook_backoff_base_s: float = 1.0  # retry n waits base * 2**(n-1) seconds ...
    webhook_backoff_max_s: float = 300.0  # ... capped here
    webhook_max_attempts: int = 10  # then the delivery is given up ("failed")
    webhook_timeout_s: float = 10.0
    webhook_batch_window_ms: int = 50  # items arriving within this window share one POST
    webhook_batch_max: int = 100  # items per POST (Meta: up to 1,000)
    webhook_concurrency: int = 4  # POSTs in flight at once
    delivery_delay_ms: int = 300  # accepted -> delivered
    template_review_ms: int = 2000  # PENDING -> APPROVED/REJECTED
    oauth_code_ttl_s: int = 30  # Meta: exchange the Embedded Signup code within 30 s
    media_url_ttl_s: int = 300  # media download URLs live 5 minutes
    pair_burst: int = 45  # messages to one user allowed in a burst ...
    pair_interval_s: float = 6.0  # ... then one per this many seconds (131056)
    call_accept_timeout_s: float = 45.0  # a call not accepted (or answered) in time ends (Meta: 30-60 s)
    # Simulated customers (make dev's demo sets them): a share of the business messages delivered is read, and a share
    # of those is answered with a text, so a campaign's funnel fills past "delivered" without anyone at a phone page.
    read_share: float = 0.0
    read_delay_ms: int = 4000  # delivered -> read, spread from half to one and a half times this per message
    reply_share: float = 0.0  # of the messages read
    reply_delay_ms: int = 5000  # read -> the customer's answer

    @classmethod
    def from_env(cls) -> SandboxConfig:
        config = cls()
        for f in dataclasses.fields(cls):
            raw = os.environ.get("SANDBOX_" + f.name.upper())
            if raw:
                setattr(config, f.name, _coerce(f.type, raw))
        return config

    def update(self, values: dict) -> None:
        names = {f.name: f.type for f in dataclasses.fields(self)}
        unknown = set(values) - set(names)
        if unknown:
            raise ValueError(f"unknown config keys: {', '.join(sorted(unknown))}")
        for key, value in values.items():
            setattr(self, key, _coerce(names[key], value))

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)


def _coerce(type_name: str, value: Any) -> Any:
    if type_name == "int":
        return int(value)
    if type_name == "float":
        return float(value)
    return str(value)


@dataclass
class Business:
    id: str
    name: str
    messaging_limit: str = "TIER_2K"  # whatsapp_business_manager_messaging_limit (portfolio level)
    verification_status: str = "verified"


@dataclass
class App:
    id: str
    secret: str
    name: str = "ConvoNest"
    business_id: str = ""  # the tech provider's own portfolio (entry.id of account_update webhooks)
    callback_url: str | None = None  # None: the sandbox's webhook_url


@dataclass
class Waba:
    id: str
    name: str
    business_id: str
    currency: str = "USD"
    timezone_id: str = "1"
    namespace: str = ""
    subscriptions: dict[str, dict] = field(default_factory=dict)  # app id -> {"override_callback_uri": ...}


@dataclass
class PhoneNumber:
    id: str
    waba_id: str
    display_phone_number: str  # "+1 555-010-0001"
    verified_name: str
    quality_rating: str = "GREEN"
    messaging_limit_tier: str = "TIER_1K"
    throughput_level: str = "STANDARD"
    mps: int = 80
    status: str = "CONNECTED"
    registered: bool = True
    code_verification_status: str = "VERIFIED"
    name_status: str = "APPROVED"
    account_mode: str = "LIVE"
    pin: str | None = None
    register_attempts: list[float] = field(default_factory=list)
    pending_code: str | None = None
    override_callback_uri: str | None = None
    last_onboarded_time: float = 0.0

    @property
    def digits(self) -> str:
        return "".join(ch for ch in self.display_phone_number if ch.isdigit())


@dataclass
class Token:
    token: str
    app_id: str
    kind: str = "SYSTEM_USER"  # SYSTEM_USER | USER | APP
    scopes: list[str] = field(default_factory=lambda: list(ALL_SCOPES))
    waba_ids: list[str] = field(default_factory=list)
    business_id: str = ""
    user_id: str = ""
    name: str = ""
    issued_at: float = 0.0
    expires_at: float = 0.0  # 0: never
    valid: bool = True


ALL_SCOPES = ("business_management", "whatsapp_business_management", "whatsapp_business_messaging")


@dataclass
class Template:
    id: str
    waba_id: str
    name: str
    language: str
    category: str
    components: list[dict]
    parameter_format: str = "POSITIONAL"
    status: str = "PENDING"
    rejected_reason: str = "NONE"
    rejection_info: dict | None = None
    message_send_ttl_seconds: int | None = None
    quality_score: str = "UNKNOWN"
    created_at: float = 0.0
    edits: list[float] = field(default_factory=list)
    # The rest of Meta's template node (reference §5.1; Meta's Message Template API reference).
    sub_category: str | None = None
    library_template_name: str | None = None
    cta_url_link_tracking_opted_out: bool = False
    degrees_of_freedom_spec: dict | None = None
    display_format: str | None = None
    is_primary_device_delivery_only: bool = False
    previous_category: str | None = None
    correct_category: str | None = None
    updated_at: float = 0.0


@dataclass
class Media:
    id: str
    phone_number_id: str
    mime_type: str
    sha256: str
    file_size: int
    filename: str | None = None
    origin: str = "business"  # business (uploaded) | customer (inbound)
    created_at: float = 0.0
    data: bytes = field(default=b"", repr=False)


@dataclass
class UploadSession:
    """A Resumable Upload session (`POST /{app-id}/uploads`): the bytes received so far."""

    id: str  # "upload:<opaque>", without the ?sig= Meta appends
    app_id: str
    file_name: str
    file_length: int
    file_type: str
    created_at: float
    data: bytearray = field(default_factory=bytearray, repr=False)
    handle: str | None = None  # set when the last byte arrived


@dataclass
class UploadedFile:
    """A file handle (`h`) the sandbox issued; template creation accepts it as `example.header_handle`."""

    handle: str
    app_id: str
    file_type: str
    file_length: int
    file_name: str = ""
    sha256: str = ""
    created_at: float = 0.0


@dataclass
class Customer:
    wa_id: str
    name: str
    undeliverable: bool = False  # not on WhatsApp: sends fail with 131026
    created_at: float = 0.0


@dataclass
class Message:
    id: str  # wamid
    direction: str  # out (the business sent it) | in (the customer sent it)
    phone_number_id: str
    wa_id: str
    type: str
    payload: dict  # out: the request body; in: the webhook message object
    timestamp: float
    status: str = "accepted"  # out: accepted/sent/delivered/read/failed; in: received/read
    statuses: list[dict] = field(default_factory=list)
    biz_opaque_callback_data: str | None = None
    errors: list[dict] = field(default_factory=list)
    category: str = "service"  # pricing category
    rendered: dict | None = None  # templates: the text as the customer sees it
    context_id: str | None = None
    reactions: dict[str, str] = field(default_factory=dict)  # "business"/"customer" -> emoji


@dataclass
class OAuthCode:
    code: str
    app_id: str
    business_id: str
    waba_id: str
    redirect_uri: str
    created_at: float
    used: bool = False


_KINDS = {"businesses": Business, "apps": App, "wabas": Waba, "numbers": PhoneNumber, "tokens": Token,
          "templates": Template, "customers": Customer}


class SandboxState:
    """The sandbox's world. All methods are thread-safe; callers doing several steps take `lock`."""

    def __init__(self, *, snapshot_path: str | os.PathLike | None = None, config: SandboxConfig | None = None,
                 clock=None):
        self.lock = threading.RLock()
        self.config = config or SandboxConfig.from_env()
        self.snapshot_path = Path(snapshot_path) if snapshot_path else None
        self._base_clock = clock or time.time
        self.clock_offset = 0.0
        self.businesses: dict[str, Business] = {}
        self.apps: dict[str, App] = {}
        self.wabas: dict[str, Waba] = {}
        self.numbers: dict[str, PhoneNumber] = {}
        self.tokens: dict[str, Token] = {}
        self.templates: dict[str, Template] = {}
        self.media: dict[str, Media] = {}
        self.uploads: dict[str, UploadSession] = {}  # session id -> session (memory only)
        self.handles: dict[str, UploadedFile] = {}  # handle -> what was uploaded (kept in the snapshot)
        self.customers: dict[str, Customer] = {}
        self.messages: OrderedDict[str, Message] = OrderedDict()
        self.chats: dict[tuple[str, str], list[str]] = {}
        self.windows: dict[tuple[str, str], float] = {}  # (phone_number_id, wa_id) -> last inbound time
        self.conversations: dict[tuple[str, str, str], tuple[str, float]] = {}
        self.oauth_codes: dict[str, OAuthCode] = {}
        self.typing: dict[tuple[str, str], float] = {}  # typing indicator shown until
        self.call_settings: dict[str, dict] = {}  # phone number id -> its `calling` settings (sandbox/calling.py)
        self._ids = itertools.count(600_000_000_000_001)
        self._wamid_seq = itertools.count(1)
        self.dirty = False

    # --- time ---------------------------------------------------------------------------------------
    def now(self) -> float:
        return self._base_clock() + self.clock_offset

    def set_clock(self, clock) -> None:
        self._base_clock = clock

    # --- ids ----------------------------------------------------------------------------------------
    def new_id(self) -> str:
        with self.lock:
            while True:
                candidate = str(next(self._ids))
                if self.node(candidate) is None:
                    return candidate

    def new_wamid(self, wa_id: str) -> str:
        # Real wamids are base64 of a protobuf-ish blob starting with the user's number: keep the look.
        raw = (b"\x15\x02\x00\x11\x18\x12" + f"{next(self._wamid_seq):08X}".encode()
               + secrets.token_hex(8).upper().encode())
        return "wamid.HBgL" + base64.b64encode(wa_id.encode()[:15] + raw).decode()

    def node(self, node_id: str) -> tuple[str, Any] | None:
        for kind, table in (("phone_number", self.numbers), ("waba", self.wabas), ("template", self.templates),
                            ("media", self.media), ("business", self.businesses), ("app", self.apps)):
            obj = table.get(node_id)
            if obj is not None:
                return kind, obj
        return None

    def mark_dirty(self) -> None:
        self.dirty = True

    # --- customers, identity, windows -----------------------------------------------------------------
    def ensure_customer(self, wa_id: str, name: str | None = None) -> Customer:
        with self.lock:
            customer = self.customers.get(wa_id)
            if customer is None:
                customer = Customer(wa_id=wa_id, name=name or f"WhatsApp User {wa_id[-4:]}", created_at=self.now(),
                                    undeliverable=wa_id.startswith("999"))
                self.customers[wa_id] = customer
                self.dirty = True
            return customer

    def business_of_number(self, number: PhoneNumber) -> str:
        waba = self.wabas.get(number.waba_id)
        return waba.business_id if waba else ""

    def contact_for(self, number: PhoneNumber, wa_id: str) -> dict:
        """`contacts[]` item of webhooks, as in the conformance payloads (BSUIDs are per portfolio)."""
        customer = self.ensure_customer(wa_id)
        business_id = self.business_of_number(number)
        return {"profile": {"name": customer.name}, "wa_id": wa_id, "user_id": bsuid(wa_id, business_id),
                "parent_user_id": parent_bsuid(wa_id, business_id)}

    def customer_by_bsuid(self, user_id: str, business_id: str) -> Customer | None:
        for customer in list(self.customers.values()):
            if bsuid(customer.wa_id, business_id) == user_id:
                return customer
        return None

    def window_open(self, phone_number_id: str, wa_id: str) -> bool:
        last = self.windows.get((phone_number_id, wa_id))
        return last is not None and self.now() - last < WINDOW_SECONDS

    def open_window(self, phone_number_id: str, wa_id: str, at: float | None = None) -> None:
        with self.lock:
            self.windows[(phone_number_id, wa_id)] = self.now() if at is None else at
            self.dirty = True

    def conversation(self, phone_number_id: str, wa_id: str, category: str) -> tuple[str, float]:
        """The (id, expiry) of the 24-hour conversation a status belongs to (the `conversation` object)."""
        key = (phone_number_id, wa_id, category)
        with self.lock:
            current = self.conversations.get(key)
            if current is None or current[1] <= self.now():
                current = (secrets.token_hex(15), self.now() + WINDOW_SECONDS)
                self.conversations[key] = current
            return current

    # --- messages -----------------------------------------------------------------------------------
    def add_message(self, message: Message) -> None:
        with self.lock:
            self.messages[message.id] = message
            chat = self.chats.setdefault((message.phone_number_id, message.wa_id), [])
            chat.append(message.id)
            if len(chat) > CHAT_KEEP:
                del chat[: len(chat) - CHAT_KEEP]
            while len(self.messages) > MAX_MESSAGES:
                self.messages.popitem(last=False)
            self.dirty = True

    def chat(self, phone_number_id: str, wa_id: str) -> list[Message]:
        with self.lock:
            ids = list(self.chats.get((phone_number_id, wa_id), ()))
            return [self.messages[i] for i in ids if i in self.messages]

    # --- lookups --------------------------------------------------------------------------------------
    def numbers_of(self, waba_id: str) -> list[PhoneNumber]:
        return [n for n in self.numbers.values() if n.waba_id == waba_id]

    def templates_of(self, waba_id: str) -> list[Template]:
        return [t for t in self.templates.values() if t.waba_id == waba_id]

    def app_token_app(self, token: str) -> App | None:
        """`{app-id}|{app-secret}` app tokens."""
        if "|" not in token:
            return None
        app_id, _, secret = token.partition("|")
        app = self.apps.get(app_id)
        return app if app and secrets.compare_digest(app.secret, secret) else None

    # --- creation helpers -------------------------------------------------------------------------------
    def add_business(self, name: str, business_id: str | None = None) -> Business:
        with self.lock:
            business = Business(id=business_id or self.new_id(), name=name)
            self.businesses[business.id] = business
            self.dirty = True
            return business

    def add_waba(self, business_id: str, name: str, waba_id: str | None = None,
                 subscribe_app: str | None = None) -> Waba:
        with self.lock:
            waba = Waba(id=waba_id or self.new_id(), name=name, business_id=business_id)
            waba.namespace = hashlib.sha1(waba.id.encode()).hexdigest()[:8] + "_" + waba.id[-6:]
            if subscribe_app:
                waba.subscriptions[subscribe_app] = {"override_callback_uri": None}
            self.wabas[waba.id] = waba
            self.dirty = True
            return waba

    def add_number(self, waba_id: str, display_phone_number: str, verified_name: str,
                   number_id: str | None = None, **fields) -> PhoneNumber:
        with self.lock:
            number = PhoneNumber(id=number_id or self.new_id(), waba_id=waba_id,
                                 display_phone_number=display_phone_number, verified_name=verified_name,
                                 last_onboarded_time=self.now(), **fields)
            if "mps" not in fields:
                number.mps = THROUGHPUT_MPS.get(number.throughput_level, 80)
            self.numbers[number.id] = number
            self.dirty = True
            return number

    def next_display_number(self) -> str:
        """A fresh fictional US number (+1 555-01x-xxxx) for numbers made by Embedded Signup."""
        taken = {n.digits for n in self.numbers.values()}
        for i in itertools.count(100):
            digits = f"155501{i:05d}"
            if digits not in taken:
                return f"+1 555-{digits[4:7]}-{digits[7:]}"
        raise AssertionError("unreachable")

    def add_token(self, app_id: str, waba_ids: list[str], *, token: str | None = None, kind: str = "SYSTEM_USER",
                  scopes: list[str] | None = None, business_id: str = "", expires_in: float | None = None,
                  name: str = "") -> Token:
        with self.lock:
            now = self.now()
            tok = Token(token=token or "EAAS" + secrets.token_urlsafe(48).replace("-", "").replace("_", ""),
                        app_id=app_id, kind=kind, scopes=list(scopes or ALL_SCOPES), waba_ids=list(waba_ids),
                        business_id=business_id, user_id=self.new_id(), name=name, issued_at=now,
                        expires_at=(now + expires_in) if expires_in is not None else 0.0)
            self.tokens[tok.token] = tok
            self.dirty = True
            return tok

    def add_media(self, phone_number_id: str, data: bytes, mime_type: str, filename: str | None = None,
                  origin: str = "business") -> Media:
        with self.lock:
            media = Media(id=self.new_id(), phone_number_id=phone_number_id, mime_type=mime_type,
                          sha256=base64.b64encode(hashlib.sha256(data).digest()).decode(), file_size=len(data),
                          filename=filename, origin=origin, created_at=self.now(), data=data)
            self.media[media.id] = media
            self.dirty = True
            return media

    # --- snapshot -------------------------------------------------------------------------------------
    def to_snapshot(self) -> dict:
        with self.lock:
            data: dict[str, Any] = {"version": 1, "next_id": None, "clock_offset": self.clock_offset}
            for name in _KINDS:
                data[name] = [dataclasses.asdict(obj) for obj in getattr(self, name).values()]
            data["media"] = [{k: v for k, v in dataclasses.asdict(m).items() if k != "data"}
                             for m in self.media.values()]
            data["messages"] = [dataclasses.asdict(m) for m in list(self.messages.values())[-SNAPSHOT_MESSAGES:]]
            data["windows"] = [[pn, wa, at] for (pn, wa), at in self.windows.items()]
            data["upload_handles"] = [dataclasses.asdict(h) for h in self.handles.values()]
            data["call_settings"] = self.call_settings
            data["media_data"] = {m.id: m.data for m in self.media.values()}
            self.dirty = False
            return data

    def save(self) -> None:
        """Write the snapshot atomically (state.json + media/ beside it). Safe to call from any thread."""
        if not self.snapshot_path:
            return
        data = self.to_snapshot()
        media_data = data.pop("media_data")
        path = self.snapshot_path
        media_dir = path.parent / "media"
        media_dir.mkdir(parents=True, exist_ok=True)
        for media_id, blob in media_data.items():
            target = media_dir / f"{media_id}.bin"
            if not target.exists():
                target.write_bytes(blob)
        for stale in media_dir.glob("*.bin"):
            if stale.stem not in media_data:
                stale.unlink(missing_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(data), encoding="utf-8")
        os.replace(tmp, path)

    @classmethod
    def load(cls, path: str | os.PathLike, *, config: SandboxConfig | None = None) -> SandboxState:
        state = cls(snapshot_path=path, config=config)
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        for name, kind in _KINDS.items():
            table = getattr(state, name)
            key = "token" if kind is Token else ("wa_id" if kind is Customer else "id")
            for row in data.get(name, []):
                obj = kind(**row)
                table[getattr(obj, key)] = obj
        media_dir = Path(path).parent / "media"
        for row in data.get("media", []):
            blob_path = media_dir / f"{row['id']}.bin"
            blob = blob_path.read_bytes() if blob_path.exists() else b""
            state.media[row["id"]] = Media(**row, data=blob)
        for row in data.get("messages", []):
            state.add_message(Message(**row))
        state.windows = {(pn, wa): at for pn, wa, at in data.get("windows", [])}
        state.handles = {row["handle"]: UploadedFile(**row) for row in data.get("upload_handles", [])}
        state.call_settings = dict(data.get("call_settings", {}))
        state.clock_offset = float(data.get("clock_offset", 0.0))
        numeric = [int(i) for table in (state.numbers, state.wabas, state.templates, state.media, state.businesses,
                                        state.apps) for i in table if i.isdigit()]
        floor = max([600_000_000_000_000, *[i for i in numeric if i >= 600_000_000_000_000]]) + 1
        state._ids = itertools.count(floor)
        state.dirty = False
        return state

    @classmethod
    def load_or_demo(cls, path: str | os.PathLike, *, config: SandboxConfig | None = None) -> SandboxState:
        if Path(path).exists():
            return cls.load(path, config=config)
        state = cls.demo(config=config)
        state.snapshot_path = Path(path)
        state.dirty = True
        return state

    # --- demo ---------------------------------------------------------------------------------------
    @classmethod
    def demo(cls, *, config: SandboxConfig | None = None, clock=None) -> SandboxState:
        """The demo business of `make dev`: ids and secrets from the WHATSAPP_* environment (defaults equal
        .env.example), two numbers, approved templates, three customers (two with an open window)."""
        state = cls(config=config, clock=clock)
        seed_demo(state)
        return state

    def reset(self, *, demo: bool = True) -> None:
        with self.lock:
            fresh = SandboxState(config=self.config, clock=self._base_clock)
            if demo:
                seed_demo(fresh)
            for name in ("businesses", "apps", "wabas", "numbers", "tokens", "templates", "media", "uploads",
                         "handles", "customers",
                         "messages", "chats", "windows", "conversations", "oauth_codes", "typing", "call_settings"):
                setattr(self, name, getattr(fresh, name))
            self.clock_offset = 0.0
            self._ids = fresh._ids
            self.dirty = True


DEMO = {
    "token": "sandbox-demo-access-token",
    "phone_id": "100000000000001",
    "waba_id": "200000000000001",
    "app_id": "300000000000001",
    "app_secret": "sandbox-demo-app-secret",
    "business_id": "400000000000001",
    "platform_business_id": "400000000000000",
}


def demo_values() -> dict[str, str]:
    phone_id = _env("WHATSAPP_PHONE_ID", DEMO["phone_id"])
    second = str(int(phone_id) + 1) if phone_id.isdigit() else DEMO["phone_id"][:-1] + "2"
    return {
        "token": _env("WHATSAPP_ACCESS_TOKEN", DEMO["token"]),
        "phone_id": phone_id,
        "second_phone_id": _env("SANDBOX_DEMO_SECOND_PHONE_ID", second),
        "waba_id": _env("WHATSAPP_BUSINESS_ID", DEMO["waba_id"]),
        "app_id": _env("WHATSAPP_APP_ID", DEMO["app_id"]),
        "app_secret": _env("WHATSAPP_APP_SECRET", DEMO["app_secret"]),
        "business_id": _env("SANDBOX_DEMO_BUSINESS_ID", DEMO["business_id"]),
        "platform_business_id": DEMO["platform_business_id"],
    }


DEMO_CUSTOMERS = [("16505550101", "Alice Johnson", True), ("447700900123", "Ben Carter", True),
                  ("5511955550123", "Carla Souza", False)]


def seed_demo(state: SandboxState) -> None:
    from .demo_templates import DEMO_HANDLES, demo_templates

    v = demo_values()
    with state.lock:
        state.apps[v["app_id"]] = App(id=v["app_id"], secret=v["app_secret"], name="ConvoNest",
                                      business_id=v["platform_business_id"])
        business = state.add_business("ConvoNest Demo", v["business_id"])
        # 100,000 business-initiated conversations a day: make dev's 10,000-contact demo campaign fits in a day.
        business.messaging_limit = "TIER_100K"
        waba = state.add_waba(business.id, "ConvoNest Demo", v["waba_id"], subscribe_app=v["app_id"])
        first = state.add_number(waba.id, "+1 555-010-0001", "ConvoNest Demo", v["phone_id"], pin="123456")
        second = state.add_number(waba.id, "+1 555-010-0002", "ConvoNest Demo Support", v["second_phone_id"],
                                  throughput_level="HIGH", pin="123456")
        state.add_token(v["app_id"], [waba.id], token=v["token"], business_id=business.id, name="demo system user")
        for handle, (file_type, file_name) in DEMO_HANDLES.items():
            state.handles[handle] = UploadedFile(handle=handle, app_id=v["app_id"], file_type=file_type,
                                                 file_length=1024, file_name=file_name, created_at=state.now())
        for definition in demo_templates():
            template = Template(id=state.new_id(), waba_id=waba.id, status="APPROVED", quality_score="GREEN",
                                created_at=state.now(), updated_at=state.now(), **definition)
            state.templates[template.id] = template
        for wa_id, name, window in DEMO_CUSTOMERS:
            state.customers[wa_id] = Customer(wa_id=wa_id, name=name, created_at=state.now())
            if window:
                state.windows[(first.id, wa_id)] = state.now()
                state.windows[(second.id, wa_id)] = state.now()
        state.dirty = True


def bsuid(wa_id: str, business_id: str) -> str:
    digest = int(hashlib.sha256(f"bsuid:{business_id}:{wa_id}".encode()).hexdigest(), 16)
    return f"{country_of(wa_id)}.{digest % 10**20:020d}"


def parent_bsuid(wa_id: str, business_id: str) -> str:
    digest = int(hashlib.sha256(f"parent:{business_id}:{wa_id}".encode()).hexdigest(), 16)
    return f"{country_of(wa_id)}.ENT.{digest % 10**20:020d}"


def country_of(wa_id: str) -> str:
    for prefix, iso in _LONGEST_PREFIX_FIRST:
        if wa_id.startswith(prefix):
            return iso
    return "ZZ"
