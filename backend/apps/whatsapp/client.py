"""The Graph API client: the only code that speaks HTTP to Meta (or to the sandbox standing in for it).

    client = GraphClient(token)                          # base URL and version from settings
    result = client.send_message(phone_number_id, "+16505551234", wb.text("Hi"))
    result.wamid

One process-wide httpx connection pool serves every tenant; the tenant's token travels per request in
the Authorization header and is never logged, repr'd or put into an exception. Every non-2xx answer
raises a typed `GraphError` (see errors.py); timeouts and connection failures raise `TransientError`.
There are no retries here: the outbox decides, using `retryable`, `retry_after` and `backoff_hint`.
"""
from __future__ import annotations

import contextvars
import functools
import json
import logging
import os
import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

import httpx

from apps.whatsapp import builders, sender
from apps.whatsapp.errors import BuilderError, GraphError, MediaTooLarge, TransientError, graph_error

logger = logging.getLogger(__name__)

USER_AGENT = "ConvoNest/1.0 (+https://convonest.com)"  # lookaside.fbsbx.com refuses downloads without one
DEFAULT_TIMEOUT = httpx.Timeout(20.0, connect=5.0)
DEFAULT_MAX_DOWNLOAD = 100 * 1024 * 1024  # Meta's largest media (documents)
# Hosts Meta serves media URLs from; the token is sent to no other host (a forged URL must not get it).
MEDIA_HOST_SUFFIXES = (".fbsbx.com", ".facebook.com", ".fbcdn.net", ".whatsapp.net")
# What the template sync reads of each template (reference §5.1). Meta's node has more (ads, bids,
# degrees_of_freedom_spec, ...); ask for them with `fields=`.
TEMPLATE_FIELDS = ("id,name,status,category,language,components,parameter_format,quality_score,rejected_reason,"
                   "sub_category,message_send_ttl_seconds,library_template_name,previous_category,correct_category")
PHONE_FIELDS = ("display_phone_number,verified_name,quality_rating,status,throughput,"
                "whatsapp_business_manager_messaging_limit,name_status,code_verification_status,platform_type")
# Upload limits (reference §2.4): MIME type -> largest file Meta takes.
_MB = 1024 * 1024
UPLOAD_LIMITS = {
    "image/jpeg": 5 * _MB, "image/png": 5 * _MB,
    "video/mp4": 16 * _MB, "video/3gpp": 16 * _MB,
    "audio/aac": 16 * _MB, "audio/amr": 16 * _MB, "audio/mpeg": 16 * _MB, "audio/mp4": 16 * _MB,
    "audio/ogg": 16 * _MB,
    "text/plain": 100 * _MB, "application/pdf": 100 * _MB, "application/msword": 100 * _MB,
    "application/vnd.ms-excel": 100 * _MB, "application/vnd.ms-powerpoint": 100 * _MB,
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": 100 * _MB,
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": 100 * _MB,
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": 100 * _MB,
    "image/webp": 500 * 1024,  # stickers: 100 KB static, 500 KB animated
}
# Resumable Upload (reference §5.3): the file types Meta takes as template header samples, and the
# largest sample of each (its media limits: images 5 MB, videos 16 MB, documents 100 MB).
RESUMABLE_UPLOAD_LIMITS = {"image/jpeg": 5 * _MB, "image/jpg": 5 * _MB, "image/png": 5 * _MB,
                           "video/mp4": 16 * _MB, "application/pdf": 100 * _MB}
THROUGHPUT_MPS = {"STANDARD": 80, "HIGH": 1000}
_NODE_ID = re.compile(r"\d{1,40}")
# An upload session id as Meta answers it ("upload:<base64>"; its "?sig=..." travels as a query parameter).
_UPLOAD_SESSION = re.compile(r"upload:[A-Za-z0-9_\-=+]{1,2048}")
_APP_NODES = ("debug_token", "oauth")
COEXISTENCE_MPS = 20


# --- secrets and logging ------------------------------------------------------------------------

class _Secret:
    """Holds a credential; its repr/str never show it."""

    __slots__ = ("_value",)

    def __init__(self, value: str | None):
        self._value = value or ""

    def reveal(self) -> str:
        return self._value

    def __bool__(self) -> bool:
        return bool(self._value)

    def __repr__(self) -> str:
        return "'***'" if self._value else "None"

    __str__ = __repr__


_SECRET_PARAMS = re.compile(r"((?:access_token|input_token|client_secret|code|fb_exchange_token)=)[^&\s\"']+")


def redact_url(text: str) -> str:
    """Mask the credentials Graph takes in query strings (debug_token, the code exchange)."""
    return _SECRET_PARAMS.sub(r"\1***", text)


# The secrets of the request in flight on this thread, so the httpx log filter can mask them wherever
# they appear (a caller may pass one as an ordinary parameter).
_active_secrets: contextvars.ContextVar[tuple[str, ...]] = contextvars.ContextVar("graph_secrets", default=())


class _RedactQueryFilter(logging.Filter):
    """httpx logs every request URL at INFO; mask the secrets some Graph calls carry in the query."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken record is the formatter's problem, not ours
            return True
        redacted = _scrub(message, _active_secrets.get())
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True


for _name in ("httpx", "httpcore"):
    if not any(isinstance(f, _RedactQueryFilter) for f in logging.getLogger(_name).filters):
        logging.getLogger(_name).addFilter(_RedactQueryFilter())


def _scrub(text, secrets: tuple[str, ...]):
    if not isinstance(text, str):
        return text
    for secret in secrets:
        if secret and len(secret) >= 4:
            text = text.replace(secret, "***")
    return redact_url(text)


# --- the shared pool ----------------------------------------------------------------------------

_shared: tuple[int, httpx.Client] | None = None
_shared_lock = threading.Lock()


def _shared_client() -> httpx.Client:
    """One pool per process, made after fork (a pool inherited from the parent would share sockets)."""
    global _shared
    pid = os.getpid()
    if _shared is None or _shared[0] != pid:
        with _shared_lock:
            if _shared is None or _shared[0] != pid:
                _shared = (pid, httpx.Client(limits=httpx.Limits(max_connections=200, max_keepalive_connections=50)))
    return _shared[1]


# --- results ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class SendResult:
    wamid: str
    wa_id: str | None
    message_status: str | None  # templates only: accepted / held_for_quality_assessment / paused
    input: str | None = None
    user_id: str | None = None


@dataclass(frozen=True)
class MediaInfo:
    id: str
    url: str
    mime_type: str | None
    sha256: str | None
    file_size: int | None


@dataclass(frozen=True)
class TemplatePage:
    templates: list[dict]
    after: str | None  # pass back as `after=` for the next page; None on the last page
    before: str | None = None


class PhoneNumberInfo(dict):
    """Meta's phone number object exactly as Graph returned it (a dict), with typed accessors."""

    def _text(self, key: str) -> str | None:
        value = self.get(key)
        return None if value is None else str(value)

    @property
    def id(self) -> str:
        return str(self.get("id", ""))

    display_phone_number = property(lambda self: self._text("display_phone_number"))
    verified_name = property(lambda self: self._text("verified_name"))
    quality_rating = property(lambda self: self._text("quality_rating"))  # GREEN / YELLOW / RED / UNKNOWN
    status = property(lambda self: self._text("status"))
    name_status = property(lambda self: self._text("name_status"))
    code_verification_status = property(lambda self: self._text("code_verification_status"))
    platform_type = property(lambda self: self._text("platform_type"))

    @property
    def messaging_limit(self) -> str | None:
        """TIER_250 … TIER_UNLIMITED; portfolio level since v24 (`messaging_limit_tier` is the old field)."""
        return self._text("whatsapp_business_manager_messaging_limit") or self._text("messaging_limit_tier")

    @property
    def throughput_level(self) -> str | None:  # STANDARD / HIGH / NOT_APPLICABLE
        throughput = self.get("throughput")
        return throughput.get("level") if isinstance(throughput, dict) else None

    @property
    def mps(self) -> int:
        """Messages per second Meta allows this number (the rate of its token bucket)."""
        if self.get("is_on_biz_app"):
            return COEXISTENCE_MPS
        return THROUGHPUT_MPS.get(self.throughput_level or "", THROUGHPUT_MPS["STANDARD"])


def _check_node(path: str, *, upload_session: bool = False) -> None:
    node = path.split("/", 1)[0]
    if node not in _APP_NODES and not _NODE_ID.fullmatch(node) and not (
            upload_session and "/" not in path and _UPLOAD_SESSION.fullmatch(node)):
        # Graph ids are digits; anything else could steer the tenant's token to another endpoint.
        raise BuilderError("id", f"{node[:40]!r} is not a Graph object id")


def _transient(kind: str, detail: str, method: str, label: str, secrets: tuple[str, ...], *,
               may_have_reached: bool) -> TransientError:
    """A call that got no answer from Meta. `ambiguous` when the request may have reached it (the caller must not
    send it again blindly)."""
    logger.warning("graph %s %s failed: %s", method, label, kind)
    error = TransientError(f"{kind} talking to the Graph API", details=_scrub(detail, secrets) or None,
                           retryable=True, backoff_hint=1.0)
    error.ambiguous = may_have_reached
    return error


def _outcome(call, *args, **kwargs):
    """The call's result, or the GraphError (or BuilderError) it raised: one answer of a batch."""
    try:
        return call(*args, **kwargs)
    except (GraphError, BuilderError) as exc:
        return exc


def message_body(to: str, message: dict, biz_opaque_callback_data: str | None) -> dict:
    """The POST /messages body, the message checked again (builders.normalize_message) before it leaves."""
    return builders.envelope(to, builders.normalize_message(message), biz_opaque_callback_data=biz_opaque_callback_data)


def send_result(data: dict) -> SendResult:
    """Meta's answer to POST /messages; an answer without a message id may still have been sent (ambiguous)."""
    messages = data.get("messages") or [{}]
    contacts = data.get("contacts") or [{}]
    wamid = messages[0].get("id")
    if not wamid:
        error = GraphError("Meta accepted the message but returned no message id", http_status=200)
        error.ambiguous = True
        raise error
    return SendResult(wamid=wamid, wa_id=contacts[0].get("wa_id"), message_status=messages[0].get("message_status"),
                      input=contacts[0].get("input"), user_id=contacts[0].get("user_id"))


class _app_level:  # noqa: N801 - used as a decorator
    """An app-level call (no tenant token): callable on the class, with settings' base URL, or on an
    instance, with its base URL, version and transport."""

    def __init__(self, func):
        self.func = func
        functools.update_wrapper(self, func)

    def __get__(self, obj, cls):
        if obj is not None:
            return self.func.__get__(obj, cls)

        @functools.wraps(self.func)
        def call(*args, **kwargs):
            with cls(None) as client:
                return self.func(client, *args, **kwargs)
        return call


# --- the client ---------------------------------------------------------------------------------

TOKEN_MAX_LENGTH = 1000
_TOKEN = re.compile(r"[\x21-\x7e]+")  # printable ASCII without spaces: what an HTTP header value can carry


def token_problem(token: str, *, max_length: int = TOKEN_MAX_LENGTH) -> str | None:
    """Why `token` can't be a Meta access token (or Embedded Signup code), or None. Meta's are printable
    ASCII (letters, digits, a few symbols); anything else can't even travel in an Authorization header."""
    if not token:
        return "This field may not be blank."
    if len(token) > max_length:
        return f"Too long (at most {max_length} characters)."
    if not _TOKEN.fullmatch(token):
        return "Use only the letters, digits and symbols Meta gave you, without spaces or accents."
    return None


class GraphClient:
    """A tenant's view of the Graph API. Cheap to create (per task is fine): the pool is shared."""

    def __init__(self, access_token: str | None, *, base_url: str | None = None, version: str | None = None,
                 timeout: float | httpx.Timeout = DEFAULT_TIMEOUT, transport: httpx.BaseTransport | None = None):
        if base_url is None or version is None:
            from django.conf import settings

            base_url = base_url or settings.WHATSAPP_GRAPH_URL
            version = version or settings.WHATSAPP_GRAPH_VERSION
        self.base_url = base_url.rstrip("/")
        self.version = version if version.startswith("v") else f"v{version}"
        self.timeout = timeout
        self._token = _Secret(access_token)
        # A given transport (tests, proxies) gets its own client; otherwise the process-wide pool.
        self._own = httpx.Client(transport=transport) if transport is not None else None

    def __repr__(self) -> str:
        return f"GraphClient(base_url={self.base_url!r}, version={self.version!r}, access_token={self._token!r})"

    def close(self) -> None:
        if self._own is not None:
            self._own.close()

    def __enter__(self) -> GraphClient:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def _http(self) -> httpx.Client:
        return self._own or _shared_client()

    # --- plumbing -------------------------------------------------------------------------------
    def url(self, path: str) -> str:
        return f"{self.base_url}/{self.version}/{path.lstrip('/')}"

    def _headers(self, token: str | None, scheme: str = "Bearer") -> dict:
        headers = {"User-Agent": USER_AGENT}
        if token:
            problem = token_problem(token)
            if problem:  # httpx would raise UnicodeEncodeError (a 500) or send a malformed header
                raise BuilderError("access_token", problem)
            headers["Authorization"] = f"{scheme} {token}"
        return headers

    def _call(self, method: str, path: str, *, token: str | None = None, use_token: bool = True,
              secrets: tuple[str, ...] = (), upload_session: bool = False, **kwargs) -> dict:
        """One Graph call; returns the JSON object or raises the typed error. `headers` adds request headers
        and `auth_scheme` replaces "Bearer" (the Resumable Upload's "OAuth"); `upload_session` lets the
        path be an upload session id instead of a node id."""
        _check_node(path, upload_session=upload_session)
        if use_token and token is None:
            token = self._required_token()
        secrets = (*secrets, token or "", self._token.reveal())
        started = time.monotonic()
        response = self._send(method, self.url(path), path, token, secrets, **kwargs)
        return self._answer(method, path, response.status_code, response.content, response.headers, secrets,
                            elapsed_ms=(time.monotonic() - started) * 1000)

    def _required_token(self) -> str:
        if not self._token:
            raise ValueError("this call needs an access token")
        return self._token.reveal()

    def _answer(self, method: str, path: str, status: int, content: bytes, headers, secrets: tuple[str, ...], *,
                elapsed_ms: float) -> dict:
        """Meta's answer as its JSON object, or the typed error it means (raised)."""
        try:
            body = json.loads(content)
        except ValueError:
            body = content.decode("utf-8", "replace")
        if not 200 <= status < 300:
            error = self._error(status, body, headers, secrets)
            logger.warning("graph %s %s -> %s %s (%.0f ms, fbtrace_id=%s)", method, path, status, error.code,
                           elapsed_ms, error.fbtrace_id)
            raise error
        logger.debug("graph %s %s -> %s (%.0f ms)", method, path, status, elapsed_ms)
        if not isinstance(body, dict):
            raise GraphError("Meta answered with something that is not a JSON object", http_status=status)
        return body

    def _send(self, method: str, url: str, label: str, token: str | None, secrets: tuple[str, ...], *,
              headers: dict | None = None, auth_scheme: str = "Bearer", **kwargs) -> httpx.Response:
        marker = _active_secrets.set(secrets)
        try:
            return self._http.request(method, url, headers={**(headers or {}), **self._headers(token, auth_scheme)},
                                      timeout=self.timeout, follow_redirects=False, **kwargs)
        except httpx.HTTPError as exc:
            raise self._network_error(exc, method, label, secrets) from None
        finally:
            _active_secrets.reset(marker)

    @staticmethod
    def _network_error(exc: httpx.HTTPError, method: str, label: str, secrets: tuple[str, ...]) -> TransientError:
        # `from None` above: httpx's exception holds the request (URL with query secrets, headers).
        # Connect errors and pool timeouts never reached Meta; anything later may have been processed.
        reached = not isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout)
        return _transient(type(exc).__name__, str(exc), method, label, secrets, may_have_reached=reached)

    @staticmethod
    def _error(status: int, body, headers, secrets: tuple[str, ...]) -> GraphError:
        error = graph_error(status, body, headers)
        error.message = _scrub(error.message, secrets)
        error.args = (error.message,)
        error.details = _scrub(error.details, secrets)
        # Meta's own error envelope means it did not act. A 5xx without one came from something in
        # between (a gateway timing out) after which Meta may have acted.
        has_envelope = isinstance(body, dict) and isinstance(body.get("error"), dict)
        error.ambiguous = status >= 500 and not has_envelope
        return error

    # --- messages -------------------------------------------------------------------------------
    def send_message(self, phone_number_id: str, to: str, message: dict, *,
                     biz_opaque_callback_data: str | None = None) -> SendResult:
        """Send one message (a builder's output or `normalize_message`'s); checked again before it leaves."""
        body = message_body(to, message, biz_opaque_callback_data)
        return send_result(self._call("POST", f"{phone_number_id}/messages", json=body))

    def send_messages(self, phone_number_id: str, sends: list[tuple[str, dict, str | None]]) -> list:
        """`send_message` for each (to, message, biz_opaque_callback_data), all at once: one answer per send, in
        order, the SendResult or the GraphError (or BuilderError) that send_message would have raised.
        The requests go concurrently on the process's event loop (sender.post_many); with a transport of its own
        (tests) the client sends them one at a time on it."""
        path = f"{phone_number_id}/messages"
        if self._own is not None:
            return [_outcome(self.send_message, phone_number_id, to, message, biz_opaque_callback_data=callback)
                    for to, message, callback in sends]
        _check_node(path)
        token = self._required_token()
        headers = {**self._headers(token), "Content-Type": "application/json"}
        secrets = (token,)
        answers: list = [None] * len(sends)
        bodies: list[tuple[int, bytes]] = []
        for index, (to, message, callback) in enumerate(sends):
            try:
                bodies.append((index, json.dumps(message_body(to, message, callback)).encode()))
            except BuilderError as exc:
                answers[index] = exc
        replies = sender.post_many(self.url(path), headers, [body for _, body in bodies], timeout=self.timeout)
        for (index, _), reply in zip(bodies, replies, strict=True):
            if isinstance(reply, sender.Failure):
                answers[index] = _transient(reply.kind, reply.detail, "POST", path, secrets,
                                            may_have_reached=reply.may_have_reached)
                continue
            answers[index] = _outcome(lambda r=reply: send_result(self._answer(
                "POST", path, r.status, r.content, r.headers, secrets, elapsed_ms=r.elapsed_ms)))
        return answers

    def mark_read(self, phone_number_id: str, message_id: str, typing: bool = False) -> bool:
        """Mark an inbound message read; `typing=True` also shows the typing indicator (up to 25 s)."""
        body = builders.mark_read(message_id, typing_indicator=typing)
        return bool(self._call("POST", f"{phone_number_id}/messages", json=body).get("success"))

    # --- media ----------------------------------------------------------------------------------
    def upload_media(self, phone_number_id: str, data: bytes, mime_type: str, filename: str) -> str:
        """Upload a file for this number (media ids are per number, live 30 days); returns the media id."""
        mime = (mime_type or "").split(";")[0].strip().lower()
        if mime not in UPLOAD_LIMITS:
            raise BuilderError("mime_type", f"{mime_type!r} is not a type WhatsApp accepts")
        if not data:
            raise BuilderError("file", "is empty")
        if len(data) > UPLOAD_LIMITS[mime]:
            raise BuilderError("file", f"is {len(data)} bytes; WhatsApp takes at most {UPLOAD_LIMITS[mime]} for {mime}")
        body = self._call("POST", f"{phone_number_id}/media", data={"messaging_product": "whatsapp", "type": mime_type},
                          files={"file": (filename, data, mime_type)})
        return str(body["id"])

    def media_info(self, media_id: str, phone_number_id: str | None = None) -> MediaInfo:
        """The media's short-lived (5 min) download URL and metadata."""
        params = {"phone_number_id": phone_number_id} if phone_number_id else None
        body = self._call("GET", str(media_id), params=params)
        size = body.get("file_size")
        return MediaInfo(id=str(body.get("id", media_id)), url=body["url"], mime_type=body.get("mime_type"),
                         sha256=body.get("sha256"), file_size=int(size) if size is not None else None)

    def _media_url_allowed(self, url: str) -> bool:
        parts, base = urlsplit(url), urlsplit(self.base_url)
        if (parts.scheme, parts.netloc) == (base.scheme, base.netloc):
            return True
        host = (parts.hostname or "").lower()
        return parts.scheme == "https" and any(host.endswith(suffix) for suffix in MEDIA_HOST_SUFFIXES)

    def download_media(self, url: str, *, max_bytes: int = DEFAULT_MAX_DOWNLOAD) -> bytes:
        """Fetch a media URL from `media_info` (or a webhook) with the token, streamed, refusing more than
        `max_bytes`. A 404 usually means the URL expired: ask `media_info` for a fresh one."""
        if not self._media_url_allowed(url):
            raise BuilderError("url", f"refusing to send the access token to {urlsplit(url).netloc or url!r}")
        token = self._token.reveal()
        secrets = (token,)
        label = "media download"
        marker = _active_secrets.set(secrets)
        try:
            with self._http.stream("GET", url, headers=self._headers(token), timeout=self.timeout,
                                   follow_redirects=True) as response:  # httpx drops the token on cross-origin
                if not response.is_success:
                    raw = b""
                    for chunk in response.iter_bytes():
                        raw += chunk
                        if len(raw) > 65536:
                            break
                    try:
                        body = json.loads(raw)
                    except ValueError:
                        body = raw.decode("utf-8", "replace")
                    raise self._error(response.status_code, body, response.headers, secrets)
                declared = response.headers.get("content-length")
                if declared and declared.isdigit() and int(declared) > max_bytes:
                    raise MediaTooLarge(f"the media is {declared} bytes; the cap is {max_bytes}",
                                        http_status=response.status_code)
                chunks, size = [], 0
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > max_bytes:
                        raise MediaTooLarge(f"the media exceeds the cap of {max_bytes} bytes",
                                            http_status=response.status_code)
                    chunks.append(chunk)
                return b"".join(chunks)
        except httpx.HTTPError as exc:
            raise self._network_error(exc, "GET", label, secrets) from None
        finally:
            _active_secrets.reset(marker)

    def delete_media(self, media_id: str, phone_number_id: str | None = None) -> bool:
        params = {"phone_number_id": phone_number_id} if phone_number_id else None
        return bool(self._call("DELETE", str(media_id), params=params).get("success"))

    def upload_resumable(self, app_id: str, data: bytes, mime_type: str, filename: str) -> str:
        """Upload a template header sample with Meta's Resumable Upload API (reference §5.3) and return the
        file handle `h` for `example.header_handle`. `app_id` is our Meta app (settings.WHATSAPP_APP_ID): the
        file is filed under it. Opens a session (`POST /{app-id}/uploads`), sends the bytes to it
        (`POST /upload:<id>`, `Authorization: OAuth`, `file_offset: 0`); if that answer is lost, asks the
        session where it stopped (`GET /upload:<id>`) and sends the rest, once."""
        mime = (mime_type or "").split(";")[0].strip().lower()
        if mime not in RESUMABLE_UPLOAD_LIMITS:
            raise BuilderError("mime_type", f"{mime_type!r} is not a type Meta takes as a template sample (JPEG, PNG, "
                                            "MP4 or PDF)")
        if not data:
            raise BuilderError("file", "is empty")
        if len(data) > RESUMABLE_UPLOAD_LIMITS[mime]:
            raise BuilderError("file", f"is {len(data)} bytes; Meta takes {mime} samples of at most "
                                       f"{RESUMABLE_UPLOAD_LIMITS[mime]} bytes")
        if not app_id or not _NODE_ID.fullmatch(str(app_id)):
            raise BuilderError("app_id", "set WHATSAPP_APP_ID to the Meta app's id (digits)")
        name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1].strip()[:255] or "sample"
        session = self._call("POST", f"{app_id}/uploads",
                             params={"file_name": name, "file_length": len(data), "file_type": mime})
        upload_id = session.get("id")
        if not isinstance(upload_id, str) or not _UPLOAD_SESSION.fullmatch(upload_id.partition("?")[0]):
            raise GraphError("Meta opened no usable upload session", http_status=200)
        try:
            answer = self._upload_from(upload_id, data, 0, mime)
        except TransientError as lost:
            path, kwargs = self._upload_path(upload_id)
            try:  # the bytes may have arrived, in part or whole: resume where the session stopped
                offset = int(self._call("GET", path, **kwargs).get("file_offset") or 0)
            except (GraphError, TypeError, ValueError):
                raise lost from None
            if not 0 <= offset <= len(data):
                raise lost from None
            answer = self._upload_from(upload_id, data, offset, mime)
        handle = answer.get("h")
        if not isinstance(handle, str) or not handle:
            raise GraphError("Meta took the upload but returned no file handle", http_status=200)
        return handle

    @staticmethod
    def _upload_path(upload_id: str) -> tuple[str, dict]:
        session, _, query = upload_id.partition("?")
        return session, {"params": dict(parse_qsl(query)), "upload_session": True}

    def _upload_from(self, upload_id: str, data: bytes, offset: int, mime: str) -> dict:
        path, kwargs = self._upload_path(upload_id)
        return self._call("POST", path, content=data[offset:], auth_scheme="OAuth",
                          headers={"file_offset": str(offset), "Content-Type": mime}, **kwargs)

    # --- templates ------------------------------------------------------------------------------
    def get_template(self, template_id: str, fields: str = TEMPLATE_FIELDS) -> dict:
        """One template by Meta's id, with the `fields` asked for (Graph adds `id`)."""
        return self._call("GET", str(template_id), params={"fields": fields})

    def list_templates(self, waba_id: str, *, after: str | None = None, limit: int = 100,
                       fields: str = TEMPLATE_FIELDS, **filters) -> TemplatePage:
        """One page of the WABA's templates. Filters: status, category, language, name (Meta's query params)."""
        params = {"fields": fields, "limit": limit, **{k: v for k, v in filters.items() if v is not None}}
        if after:
            params["after"] = after
        body = self._call("GET", f"{waba_id}/message_templates", params=params)
        paging = body.get("paging") or {}
        cursors = paging.get("cursors") or {}
        # Graph marks "more pages" with `next`; the `after` cursor is present on the last page too.
        return TemplatePage(templates=list(body.get("data") or []),
                            after=cursors.get("after") if paging.get("next") else None,
                            before=cursors.get("before"))

    def iter_templates(self, waba_id: str, **kwargs) -> Iterator[dict]:
        """Every template of the WABA, page after page."""
        after = kwargs.pop("after", None)
        while True:
            page = self.list_templates(waba_id, after=after, **kwargs)
            yield from page.templates
            if not page.after:
                return
            after = page.after

    def create_template(self, waba_id: str, definition: dict) -> dict:
        """Submit a template for review; returns Meta's `{"id", "status", "category"}`."""
        return self._call("POST", f"{waba_id}/message_templates", json=definition)

    def edit_template(self, template_id: str, *, components: list | None = None, category: str | None = None,
                      message_send_ttl_seconds: int | None = None) -> bool:
        body = {k: v for k, v in (("components", components), ("category", category),
                                  ("message_send_ttl_seconds", message_send_ttl_seconds)) if v is not None}
        if not body:
            raise BuilderError("components", "give components, category or message_send_ttl_seconds to edit")
        return bool(self._call("POST", str(template_id), json=body).get("success"))

    def delete_template(self, waba_id: str, name: str, hsm_id: str | None = None) -> bool:
        """Delete every language of `name`, or only the one with template id `hsm_id`."""
        params = {"name": name, **({"hsm_id": hsm_id} if hsm_id else {})}
        return bool(self._call("DELETE", f"{waba_id}/message_templates", params=params).get("success"))

    # --- phone numbers and the WABA -------------------------------------------------------------
    def list_phone_numbers(self, waba_id: str, *, fields: str = PHONE_FIELDS) -> list[PhoneNumberInfo]:
        numbers, after = [], None
        while True:
            params = {"fields": fields, **({"after": after} if after else {})}
            body = self._call("GET", f"{waba_id}/phone_numbers", params=params)
            numbers.extend(PhoneNumberInfo(item) for item in body.get("data") or [])
            paging = body.get("paging") or {}
            after = (paging.get("cursors") or {}).get("after") if paging.get("next") else None
            if not after:
                return numbers

    def phone_number(self, phone_number_id: str, *, fields: str = PHONE_FIELDS) -> PhoneNumberInfo:
        return PhoneNumberInfo(self._call("GET", str(phone_number_id), params={"fields": fields}))

    def register(self, phone_number_id: str, pin: str, *, data_localization_region: str | None = None) -> bool:
        if not (isinstance(pin, str) and re.fullmatch(r"\d{6}", pin)):
            raise BuilderError("pin", "must be 6 digits")
        body = {"messaging_product": "whatsapp", "pin": pin}
        if data_localization_region:
            body["data_localization_region"] = data_localization_region
        return bool(self._call("POST", f"{phone_number_id}/register", json=body, secrets=(pin,)).get("success"))

    def subscribe_app(self, waba_id: str, *, override_callback_uri: str | None = None,
                      verify_token: str | None = None) -> bool:
        """Subscribe our app to the WABA's webhooks (optionally to a per-WABA callback URL)."""
        body = {k: v for k, v in (("override_callback_uri", override_callback_uri),
                                  ("verify_token", verify_token)) if v}
        return bool(self._call("POST", f"{waba_id}/subscribed_apps", json=body or None,
                               secrets=(verify_token or "",)).get("success"))

    def subscribed_apps(self, waba_id: str) -> list[dict]:
        return list(self._call("GET", f"{waba_id}/subscribed_apps").get("data") or [])

    def unsubscribe_app(self, waba_id: str) -> bool:
        return bool(self._call("DELETE", f"{waba_id}/subscribed_apps").get("success"))

    # --- calling (reference §9) ------------------------------------------------------------------
    def call_settings(self, phone_number_id: str) -> dict:
        """The number's `calling` settings (off by default at Meta: `{"status": "DISABLED", ...}`)."""
        return self._call("GET", f"{phone_number_id}/settings").get("calling") or {}

    def update_call_settings(self, phone_number_id: str, calling: dict) -> bool:
        """Change the number's `calling` settings, checked first (builders.check_calling_settings)."""
        body = {"calling": builders.check_calling_settings(calling)}
        return bool(self._call("POST", f"{phone_number_id}/settings", json=body).get("success"))

    def call_permissions(self, phone_number_id: str, user_wa_id: str) -> dict:
        """Whether the business may call this person now, and the limits of asking and calling (reference §9.5)."""
        wa_id = str(user_wa_id).lstrip("+")
        if not wa_id.isdigit():
            raise BuilderError("user_wa_id", "must be the customer's WhatsApp id (digits)")
        return self._call("GET", f"{phone_number_id}/call_permissions", params={"user_wa_id": wa_id})

    def call_connect(self, phone_number_id: str, to: str, sdp: str, *,
                     biz_opaque_callback_data: str | None = None) -> str:
        """Place a call to `to` with the browser's SDP offer; returns Meta's call id (wacid.…). Meta's SDP answer
        comes later, in the `connect` webhook."""
        body = {"messaging_product": "whatsapp", "to": str(to).lstrip("+"), "action": "connect",
                "session": {"sdp_type": "offer", "sdp": builders.check_sdp(sdp, "session.sdp")}}
        if biz_opaque_callback_data:
            body["biz_opaque_callback_data"] = biz_opaque_callback_data
        calls = self._call("POST", f"{phone_number_id}/calls", json=body).get("calls") or [{}]
        call_id = calls[0].get("id")
        if not call_id:
            error = GraphError("Meta accepted the call but returned no call id", http_status=200)
            error.ambiguous = True
            raise error
        return str(call_id)

    def call_action(self, phone_number_id: str, call_id: str, action: str, *, sdp: str | None = None,
                    biz_opaque_callback_data: str | None = None) -> bool:
        """pre_accept / accept (with our SDP answer: the same for both), reject or terminate a call."""
        if action not in builders.CALL_ACTIONS:
            raise BuilderError("action", f"must be one of {', '.join(builders.CALL_ACTIONS)}")
        body: dict = {"messaging_product": "whatsapp", "call_id": call_id, "action": action}
        if action in ("pre_accept", "accept"):
            body["session"] = {"sdp_type": "answer", "sdp": builders.check_sdp(sdp, "session.sdp")}
        if biz_opaque_callback_data:
            body["biz_opaque_callback_data"] = biz_opaque_callback_data
        return bool(self._call("POST", f"{phone_number_id}/calls", json=body).get("success"))

    # --- app-level: tokens and Embedded Signup ---------------------------------------------------
    @_app_level
    def debug_token(self, input_token: str, app_token: str) -> dict:
        """What a token is (app, type, validity, `granular_scopes` with the WABA ids it may touch).
        `app_token` is `"{app_id}|{app_secret}"` or a system user token."""
        body = self._call("GET", "debug_token", params={"input_token": input_token}, token=app_token,
                          secrets=(input_token, app_token, app_token.partition("|")[2]))
        return body.get("data") or {}

    @_app_level
    def exchange_code(self, app_id: str, app_secret: str, code: str, redirect_uri: str | None = None) -> str:
        """Embedded Signup: trade the `code` (valid 30 s) for the customer's business token."""
        params = {"client_id": app_id, "client_secret": app_secret, "code": code}
        if redirect_uri:
            params["redirect_uri"] = redirect_uri
        body = self._call("GET", "oauth/access_token", params=params, use_token=False, secrets=(app_secret, code))
        token = body.get("access_token")
        if not token:
            raise GraphError("the code exchange returned no access_token", http_status=200)
        return token
