"""Meta's one webhook endpoint for every business (public host): verify, store raw, answer 200 at once.

Nothing slow happens here: one INSERT, no broker message per event; a router claims the event later, in a batch
(tenants.ingress.claim), woken at most once per claim (tenants.ingress.wake).
"""
import hashlib
import hmac
import logging
import re

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from apps.core.errors import envelope
from apps.core.metrics import WEBHOOKS_RECEIVED
from tenants.ingress.store import webhook_event_store

logger = logging.getLogger(__name__)

SIGNATURE = re.compile(r"sha256=([0-9a-fA-F]{64})")


def _error(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse(envelope(code, message), status=status)


def signature_valid(body: bytes, header: str | None) -> bool:
    """HMAC-SHA256 of the raw bytes with the app secret, compared in constant time. Anything but 64 hex digits
    (non-ASCII included) is simply wrong, never a crash."""
    secret = settings.WHATSAPP_APP_SECRET
    match = SIGNATURE.fullmatch(header or "")
    if not secret or match is None:
        return False
    expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest().encode()
    return hmac.compare_digest(expected, match.group(1).lower().encode())


def _read_body(request) -> bytes | None:
    """The raw body, read with this endpoint's own cap (Meta sends up to 3 MB; `request.body` would apply the
    site's 2.5 MB DATA_UPLOAD_MAX_MEMORY_SIZE). None when it is larger than WEBHOOK_MAX_BODY_BYTES."""
    cap = settings.WEBHOOK_MAX_BODY_BYTES
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > cap:
        return None
    body = request.read(cap + 1)
    return None if len(body) > cap else body


@csrf_exempt
@require_http_methods(["GET", "POST"])
def whatsapp_webhook(request):
    if request.method == "GET":
        return _handshake(request)
    body = _read_body(request)
    if body is None:
        logger.warning("webhook POST over WEBHOOK_MAX_BODY_BYTES refused")
        WEBHOOKS_RECEIVED.labels("too_large").inc()
        return _error(413, "request_too_large", "The body is larger than this endpoint accepts.")
    if not signature_valid(body, request.headers.get("X-Hub-Signature-256")):
        WEBHOOKS_RECEIVED.labels("invalid_signature").inc()
        return _error(401, "invalid_signature", "Missing or wrong X-Hub-Signature-256.")
    digest = hashlib.sha256(body).hexdigest()
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        WEBHOOKS_RECEIVED.labels("malformed").inc()
        return _error(400, "malformed_request", "The body is not UTF-8.")
    if "\x00" in text:  # PostgreSQL text can't hold NUL; JSON escapes it (\u0000), so Meta never sends one raw
        WEBHOOKS_RECEIVED.labels("malformed").inc()
        return _error(400, "malformed_request", "The body contains a NUL byte.")
    stored = webhook_event_store(body=text, digest=digest)
    WEBHOOKS_RECEIVED.labels("stored" if stored.inserted else "redelivery").inc()
    if not stored.inserted and stored.event_id is not None:
        logger.info("webhook redelivery of event %s ignored%s", stored.event_id,
                    " (its body was redacted after processing)" if stored.redacted else "")
    return HttpResponse("OK")


def _handshake(request):
    params = request.GET
    mode = params.get("hub.mode") or params.get("hub_mode")
    token = params.get("hub.verify_token") or params.get("hub_verify_token") or ""
    challenge = params.get("hub.challenge") or params.get("hub_challenge") or ""
    expected = settings.WHATSAPP_VERIFY_TOKEN
    # Bytes: compare_digest refuses non-ASCII str, and a stray "é" must be a 403, not a 500.
    if mode == "subscribe" and expected and hmac.compare_digest(token.encode(), expected.encode()):
        return HttpResponse(challenge, content_type="text/plain")
    return _error(403, "verification_failed", "hub.verify_token does not match.")
