"""The signature of an outbound webhook (docs/webhooks-outbound.md has the receiver's side, in Python and Node).

    ConvoNest-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, f"{t}.{raw body}")>[,v1=<with the old secret>]

The key is the whole secret string as UTF-8 (`whsec_…`). The timestamp is signed with the body, so a receiver that
refuses stale timestamps (5 minutes) can't be fed a recorded request again. After a secret is rolled, requests carry
a second v1 made with the previous secret until it expires, so a receiver can switch over without losing events.
"""
import hashlib
import hmac
import secrets
import time

SECRET_PREFIX = "whsec_"
HEADER = "ConvoNest-Signature"
TOLERANCE_SECONDS = 300


def secret_new() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def signature(secret: str, timestamp: int, body: bytes) -> str:
    return hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()


def signature_header(secrets_: list[str], body: bytes, *, timestamp: int | None = None) -> str:
    t = int(time.time()) if timestamp is None else timestamp
    return ",".join([f"t={t}", *(f"v1={signature(s, t, body)}" for s in secrets_)])


def verify(secret: str, header: str, body: bytes, *, tolerance: int = TOLERANCE_SECONDS, now: float | None = None) \
        -> bool:
    """The receiver's check, exactly as documented (the tests verify what we send with it)."""
    try:
        items = [part.split("=", 1) for part in header.split(",")]
        timestamp = int(next(value for key, value in items if key == "t"))
    except (ValueError, StopIteration):
        return False
    if abs((time.time() if now is None else now) - timestamp) > tolerance:
        return False
    expected = signature(secret, timestamp, body)
    return any(key == "v1" and hmac.compare_digest(value, expected) for key, value in items)
