"""Meta's one webhook endpoint for every business (public host): verify, store raw, answer 200 at once.

Nothing slow happens here: the router (tenants.webhook_router) runs in Celery after commit.
"""
import hashlib
import hmac

from django.conf import settings
from django.db import connection, transaction
from django.http import HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from tenants.models import WebhookEvent


def _error(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse({"code": code, "message": message, "errors": {}}, status=status)


def signature_valid(body: bytes, header: str | None) -> bool:
    """HMAC-SHA256 of the raw bytes with the app secret, compared in constant time."""
    secret = settings.WHATSAPP_APP_SECRET
    if not secret or not header or not header.startswith("sha256="):
        return False
    expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, header.removeprefix("sha256="))


@csrf_exempt
@require_http_methods(["GET", "POST"])
def whatsapp_webhook(request):
    if request.method == "GET":
        return _handshake(request)
    body = request.body
    if not signature_valid(body, request.headers.get("X-Hub-Signature-256")):
        return _error(401, "invalid_signature", "Missing or wrong X-Hub-Signature-256.")
    digest = hashlib.sha256(body).hexdigest()
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return _error(400, "malformed_request", "The body is not UTF-8.")
    with transaction.atomic():
        event_id = _store(text, digest)
        if event_id is not None:
            transaction.on_commit(lambda: _route_later(event_id))
    return HttpResponse("OK")


def _store(body: str, digest: str) -> int | None:
    """Insert the raw event; None when this exact body was stored before (a redelivery). One round trip."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {WebhookEvent._meta.db_table} (body, sha256, status, attempts, received_at) "
            "VALUES (%s, %s, %s, 0, now()) ON CONFLICT (sha256) DO NOTHING RETURNING id",
            [body, digest, WebhookEvent.Status.RECEIVED])
        row = cursor.fetchone()
    return row[0] if row else None


def _route_later(event_id: int) -> None:
    from tenants.tasks import webhook_event_route_task

    webhook_event_route_task.delay(event_id)


def _handshake(request):
    params = request.GET
    mode = params.get("hub.mode") or params.get("hub_mode")
    token = params.get("hub.verify_token") or params.get("hub_verify_token") or ""
    challenge = params.get("hub.challenge") or params.get("hub_challenge") or ""
    expected = settings.WHATSAPP_VERIFY_TOKEN
    if mode == "subscribe" and expected and hmac.compare_digest(token, expected):
        return HttpResponse(challenge, content_type="text/plain")
    return _error(403, "verification_failed", "hub.verify_token does not match.")
