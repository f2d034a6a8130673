"""Typed errors for everything that talks to, or prepares requests for, Meta's Graph API.

Meta answers failures with an envelope
`{"error": {"message", "type", "code", "error_subcode", "error_data": {"details"}, "is_transient", "fbtrace_id"}}`.
`graph_error()` turns it (plus the HTTP status and headers) into one `GraphError` subclass chosen by
*meaning*; `RETRY_TABLE` is the one place that decides whether a retry can help. Callers branch on
the class (or `retryable`), never on message text: Meta says to branch on `code`.

`BuilderError` is raised by the message builders before any request is made.
"""
from __future__ import annotations

import email.utils
import re
import time
from dataclasses import dataclass


class BuilderError(ValueError):
    """A message or request we were asked to build breaks one of Meta's rules.

    `field` is the path inside Meta's message object, e.g. `interactive.action.buttons[3].reply.title`.
    """

    def __init__(self, field: str, message: str):
        super().__init__(field, message)
        self.field = field
        self.message = message

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


class GraphError(Exception):
    """A failed Graph API call. Never carries the access token (the client scrubs it)."""

    default_retryable = False
    # True when the request may have reached Meta and been acted on although no usable answer came back
    # (read timeouts, a gateway's 5xx, a 200 without a wamid): reconcile a send through its
    # biz_opaque_callback_data before repeating it. A Graph error envelope means Meta did not act: False.
    ambiguous = False

    def __init__(
        self,
        message: str = "",
        *,
        code: int | None = None,
        subcode: int | None = None,
        details: str | None = None,
        http_status: int | None = None,
        fbtrace_id: str | None = None,
        error_type: str | None = None,
        retryable: bool | None = None,
        retry_after: float | None = None,
        backoff_hint: float | None = None,
    ):
        # Only `message` is positional, so pickling (Celery, multiprocessing) round-trips: Exception
        # pickles as cls(*args) and then restores __dict__.
        super().__init__(message)
        self.message = message
        self.code = code
        self.subcode = subcode
        self.details = details
        self.http_status = http_status
        self.fbtrace_id = fbtrace_id
        self.error_type = error_type
        self.retryable = self.default_retryable if retryable is None else retryable
        self.retry_after = retry_after
        self.backoff_hint = backoff_hint

    @property
    def title(self) -> str:
        """Meta's message without its "(#code) " prefix: the `title` its webhooks use for the same error."""
        return re.sub(r"^\(#\d+\)\s*", "", self.message or "")

    def __str__(self) -> str:
        head = f"({self.code}) " if self.code is not None else ""
        text = head + (self.title or type(self).__name__)
        if self.details and self.details != self.title:
            text += f": {self.details}"
        if self.http_status:
            text += f" [HTTP {self.http_status}]"
        return text

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(code={self.code!r}, subcode={self.subcode!r}, title={self.title!r}, "
            f"http_status={self.http_status!r}, retryable={self.retryable!r}, retry_after={self.retry_after!r}, "
            f"fbtrace_id={self.fbtrace_id!r})"
        )

    def as_dict(self) -> dict:
        """What the outbox stores on a failed message (no secrets: the client scrubbed them)."""
        return {
            "class": type(self).__name__,
            "code": self.code,
            "subcode": self.subcode,
            "title": self.title,
            "details": self.details,
            "http_status": self.http_status,
            "fbtrace_id": self.fbtrace_id,
            "retryable": self.retryable,
            "retry_after": self.retry_after,
            "ambiguous": self.ambiguous,
        }


class AuthError(GraphError):
    """The token is invalid, expired or revoked: the tenant must reconnect (no retry helps)."""


class PermissionError_(GraphError):  # noqa: N801 - trailing underscore: don't shadow the builtin
    """The token works but may not do this (missing scope/asset access, account locked, billing)."""


class InvalidParameter(GraphError):
    """The request itself is wrong (bad/missing parameter, unknown object): fix it, don't retry."""


class RateLimited(GraphError):
    """Too much, too fast (per number, per recipient pair, per app/WABA): retry later."""

    default_retryable = True


class TemplateError(GraphError):
    """The template is missing, not approved, paused/disabled, or its parameters don't match it."""


class ReEngagementRequired(GraphError):
    """131047: more than 24 h since the customer last wrote; only a template may be sent."""


class Undeliverable(GraphError):
    """Meta won't deliver to this person (not on WhatsApp, opted out, per-user cap): don't blind-retry."""


class TransientError(GraphError):
    """Meta or the network had a problem that a later retry may not have (5xx, timeouts, resets)."""

    default_retryable = True


class CallingError(GraphError):
    """A Business Calling API refusal (138xxx, reference §9.6): calling off or not allowed, no call permission, a
    calling limit, a call in the wrong state. A person decides what next (apps.calls explains each code)."""


class MediaTooLarge(GraphError):
    """A media download exceeded the caller's size cap; raised by the client, not by Meta."""


@dataclass(frozen=True)
class Rule:
    cls: type[GraphError]
    retryable: bool
    backoff_hint: float | None = None  # the least delay worth waiting before a retry, in seconds


# The retry table: Meta's code -> what it means and whether a retry can help. Sources: the offline
# reference §8.2 (codes) and §10.10 (retry 130429/131056/131057/131000/131016/5xx; never 131026,
# 131049, 131050, 132xxx). Codes not listed fall back on their range, then on the HTTP status.
RETRY_TABLE: dict[int, Rule] = {
    # authentication
    0: Rule(AuthError, False),
    101: Rule(AuthError, False),  # invalid application id (code exchange, app tokens)
    102: Rule(AuthError, False),  # session key invalid / no longer valid
    190: Rule(AuthError, False),  # access token expired or invalid
    # permission, account state, billing
    3: Rule(PermissionError_, False),
    10: Rule(PermissionError_, False),
    368: Rule(PermissionError_, False),  # temporarily blocked for policy violations
    130497: Rule(PermissionError_, False),  # WABA may not message users in that country
    131005: Rule(PermissionError_, False),
    131031: Rule(PermissionError_, False),  # business account locked
    131042: Rule(PermissionError_, False),  # payment method / billing problem
    131045: Rule(PermissionError_, False),  # number not registered (incorrect certificate)
    # invalid requests
    100: Rule(InvalidParameter, False),
    131008: Rule(InvalidParameter, False),  # required parameter missing
    131009: Rule(InvalidParameter, False),  # parameter value invalid
    131021: Rule(InvalidParameter, False),  # recipient is the sender
    131051: Rule(InvalidParameter, False),  # unsupported message type
    131053: Rule(InvalidParameter, False),  # media upload error (MIME mismatch, codec)
    131059: Rule(InvalidParameter, False),  # invalid paging cursor: list again without it
    131062: Rule(InvalidParameter, False),  # auth template to a BSUID
    131063: Rule(InvalidParameter, False),  # marketing templates disabled on Cloud API for this WABA
    135000: Rule(InvalidParameter, False),
    132068: Rule(InvalidParameter, False),  # flow blocked
    # rate limits (retryable; the hint is the least useful wait)
    4: Rule(RateLimited, True, 60.0),  # app-level call rate
    613: Rule(RateLimited, True, 60.0),  # generic Graph call rate
    80007: Rule(RateLimited, True, 60.0),  # WABA management rate
    130429: Rule(RateLimited, True, 1.0),  # number throughput (messages per second)
    131048: Rule(RateLimited, True, 300.0),  # spam rate limit: slow right down
    131056: Rule(RateLimited, True, 6.0),  # pair rate: 1 message / 6 s to the same user
    132069: Rule(RateLimited, True, 360.0),  # flow throttled (10 messages/hour)
    133016: Rule(RateLimited, False),  # register/deregister: 10 per 72 h; a person must wait
    138005: Rule(RateLimited, True, 60.0),  # call rate limit
    # re-engagement and undeliverable
    131047: Rule(ReEngagementRequired, False),
    130472: Rule(Undeliverable, False),  # user in a marketing experiment
    131026: Rule(Undeliverable, False),
    131049: Rule(Undeliverable, False),  # per-user marketing cap: wait >= 24 h, never hammer
    131050: Rule(Undeliverable, False),  # user stopped marketing messages
    137000: Rule(Undeliverable, False),  # identity key hash mismatch
    # transient
    1: Rule(TransientError, True, 1.0),
    2: Rule(TransientError, True, 1.0),
    131000: Rule(TransientError, True, 1.0),
    131016: Rule(TransientError, True, 5.0),  # service unavailable
    131057: Rule(TransientError, True, 30.0),  # account in maintenance (throughput upgrade, ~1 min)
    2494100: Rule(TransientError, True, 60.0),  # number in maintenance mode
}

_RANGES: list[tuple[int, int, Rule]] = [
    (200, 299, Rule(PermissionError_, False)),
    (132000, 132067, Rule(TemplateError, False)),  # template missing/unapproved/paused/params
    (133000, 133015, Rule(InvalidParameter, False)),  # registration (PIN mismatch, not registered, ...)
    (2388000, 2388999, Rule(TemplateError, False)),  # template creation validation
    (138000, 138099, Rule(CallingError, False)),  # Business Calling API (reference §9.6)
]


SUBCODE_BAD_HEADER_HANDLE = 2494102  # a media header's example.header_handle Meta did not issue


def rule_for(code: int | None, http_status: int | None, is_transient: bool = False,
             subcode: int | None = None) -> Rule:
    """The one decision: Meta's code first, then its range, then the HTTP status."""
    if subcode is not None and (2388000 <= subcode <= 2388999 or subcode == SUBCODE_BAD_HEADER_HANDLE):
        # Template creation/edit refusals come as code 100 with a 2388xxx subcode (or a bad sample handle).
        return Rule(TemplateError, False)
    if code in (1, 2) and http_status is not None and 400 <= http_status < 500:
        # Graph reuses 1/2 for credential failures answered with a 4xx ("Error validating client secret"):
        # a bad app secret, not a hiccup. Only the 5xx forms are transient.
        return Rule(AuthError, False)
    if code is not None:
        if code in RETRY_TABLE:
            return RETRY_TABLE[code]
        for low, high, rule in _RANGES:
            if low <= code <= high:
                return rule
    status = http_status or 0
    if status == 401:
        return Rule(AuthError, False)
    if status == 403:
        return Rule(PermissionError_, False)
    if status == 404:
        return Rule(InvalidParameter, False)
    if status == 429:
        return Rule(RateLimited, True, 1.0)
    if status >= 500 or status in (408, 425):
        return Rule(TransientError, True, 1.0)
    # An unknown code that Meta itself flags as transient is worth one more try.
    return Rule(GraphError, bool(is_transient))


def parse_retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """Seconds from an HTTP `Retry-After` (delta-seconds or HTTP-date); None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def _int_or_none(value) -> int | None:
    try:
        return int(value) if value is not None and value != "" else None
    except (TypeError, ValueError):
        return None


def graph_error(http_status: int | None, body, headers=None) -> GraphError:
    """Build the typed exception for a non-2xx answer. `body` is the parsed JSON (or raw text, or None)."""
    envelope = body.get("error") if isinstance(body, dict) else None
    if not isinstance(envelope, dict):
        # Not Graph's envelope (a proxy's HTML 502, an empty body): classify by HTTP status alone.
        snippet = body.strip()[:200] if isinstance(body, str) else ""
        envelope = {"message": snippet or f"HTTP {http_status}"}
    code = _int_or_none(envelope.get("code"))
    error_data = envelope.get("error_data")
    details = error_data.get("details") if isinstance(error_data, dict) else None
    if details is None and isinstance(error_data, str):
        details = error_data
    if details is None:
        details = envelope.get("error_user_msg")  # Graph's human-readable text, e.g. on template refusals
    subcode = _int_or_none(envelope.get("error_subcode"))
    rule = rule_for(code, http_status, bool(envelope.get("is_transient")), subcode)
    retry_after = parse_retry_after((headers or {}).get("retry-after")) if headers is not None else None
    return rule.cls(
        str(envelope.get("message") or ""),
        code=code,
        subcode=subcode,
        details=details,
        http_status=http_status,
        fbtrace_id=envelope.get("fbtrace_id"),
        error_type=envelope.get("type"),
        retryable=rule.retryable,
        retry_after=retry_after,
        backoff_hint=rule.backoff_hint,
    )
