"""`Idempotency-Key` on every POST of the API, for API keys and sessions alike (IETF draft
draft-ietf-httpapi-idempotency-key-header).

The first answer to (business, caller, key) is kept for 24 hours and replayed, with `Idempotent-Replayed: true`, to
any retry with the same method, path and body. While the first is still running a retry gets 409
`idempotency_in_progress`; the same key with another request is 422 `idempotency_mismatch`; a key that is empty,
longer than 255 characters or not printable ASCII is 400 `idempotency_key_invalid`.

Race-safe: the first request claims the key with one `SET NX` in Redis before the view runs, so of two concurrent
POSTs exactly one reaches the view. The claim is finished (or released) by a compare-and-set on its token, so a
request that outlived its claim can't overwrite a newer one.

Who is calling is decided before the view, from the credentials themselves: a live API key (by its id) or a valid
session of this business (by its user id), each checked as their authentication does. A request with neither is
not made idempotent (the view refuses it anyway). Not kept, so a retry runs again: every error answer (4xx and
5xx: a refused request changed nothing, so the caller may fix the body or retry later under the same key, as with
Stripe), streamed answers, answers that set cookies, and answers a view marks `idempotency_not_kept` (a secret
shown once: a new or rotated API key is never stored in Redis). Multipart
uploads are not covered (their bodies are not read into memory here).
"""
import hashlib
import json
import logging
import uuid

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import connection
from django.http import HttpResponse, JsonResponse
from rest_framework import exceptions
from rest_framework.request import Request

from apps.core.errors import envelope
from apps.core.redis import business_key, redis_client
from apps.developer.auth import bearer_key, find_key
from tenants.members import member_of

logger = logging.getLogger(__name__)

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255
REPLAYED_HEADER = "Idempotent-Replayed"
KEPT_HEADERS = ("Content-Type", "Location")
# A view sets this on an answer that must not be stored (it shows a secret once, e.g. a new API key).
NOT_KEPT_ATTRIBUTE = "idempotency_not_kept"

_FINISH = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  if ARGV[2] == '' then return redis.call('DEL', KEYS[1]) end
  return redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3])
end
return 0
"""


def request_actor(request) -> str | None:
    """Who is calling, as their authentication would decide; None when nobody (valid) is."""
    token = bearer_key(request)
    if token is not None:
        key = find_key(token)
        tenant = getattr(request, "tenant", None)
        if key is None or key.created_by is None or member_of(user=key.created_by, tenant=tenant) is None:
            return None
        return f"key:{key.pk}"
    from tenants.auth import TenantJWTCookieAuthentication  # DRF settings import order, see apps.core.csrf

    try:
        result = TenantJWTCookieAuthentication().authenticate(Request(request))
    except exceptions.APIException:
        return None
    return None if result is None else f"user:{result[0].pk}"


def _error(status: int, code: str, message: str, **headers) -> JsonResponse:
    response = JsonResponse(envelope(code, message), status=status)
    for name, value in headers.items():
        response[name] = value
    return response


def _valid_key(value: str) -> bool:
    return 0 < len(value) <= MAX_KEY_LENGTH and all(" " <= ch <= "~" for ch in value)


def fingerprint(request, body: bytes) -> str:
    digest = hashlib.sha256()
    for part in (request.method, request.path, request.META.get("QUERY_STRING", "")):
        digest.update(part.encode("utf-8", "surrogateescape") + b"\0")
    digest.update(body)
    return digest.hexdigest()


def _replay(record: dict) -> HttpResponse:
    response = HttpResponse(bytes.fromhex(record["body"]), status=record["status"])
    for name, value in record["headers"].items():
        response[name] = value
    response[REPLAYED_HEADER] = "true"
    return response


class IdempotencyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        value = request.headers.get(HEADER)
        tenant = getattr(request, "tenant", None)
        if value is None or request.method != "POST" or not request.path.startswith("/api/") \
                or tenant is None or tenant.schema_name == "public":
            return self.get_response(request)
        if not _valid_key(value):
            return _error(400, "idempotency_key_invalid",
                          f"{HEADER} must be 1 to {MAX_KEY_LENGTH} printable ASCII characters.")
        if request.META.get("CONTENT_TYPE", "").lower().startswith("multipart/"):
            return self.get_response(request)
        actor = request_actor(request)
        if actor is None:
            return self.get_response(request)
        try:
            body = request.body
        except RequestDataTooBig:
            return self.get_response(request)  # the view answers 413

        fp = fingerprint(request, body)
        redis_key = business_key("idempotency", connection.schema_name,
                                 hashlib.sha256(f"{actor}\0{value}".encode()).hexdigest())
        running = json.dumps({"state": "running", "fp": fp, "token": uuid.uuid4().hex})
        client = redis_client()
        if not client.set(redis_key, running, nx=True, ex=settings.IDEMPOTENCY_LOCK_SECONDS):
            return self._existing(client.get(redis_key), fp)

        try:
            response = self.get_response(request)
        except BaseException:
            client.eval(_FINISH, 1, redis_key, running, "", 0)
            raise
        keep = (not response.streaming and response.status_code < 400
                and not response.cookies  # a session's cookies are for this answer only
                and not getattr(response, NOT_KEPT_ATTRIBUTE, False))
        record = ""
        if keep:
            record = json.dumps({
                "state": "done", "fp": fp, "status": response.status_code, "body": response.content.hex(),
                "headers": {name: response[name] for name in KEPT_HEADERS if response.has_header(name)},
            })
        client.eval(_FINISH, 1, redis_key, running, record, settings.IDEMPOTENCY_TTL_SECONDS)
        return response

    @staticmethod
    def _existing(raw: bytes | None, fp: str) -> HttpResponse:
        record = json.loads(raw) if raw else None
        if record is None or record["state"] == "running":
            if record is not None and record["fp"] != fp:
                return _mismatch()
            return _error(409, "idempotency_in_progress",
                          f"A request with this {HEADER} is still being processed; retry shortly.",
                          **{"Retry-After": "1"})
        if record["fp"] != fp:
            return _mismatch()
        return _replay(record)


def _mismatch() -> JsonResponse:
    return _error(422, "idempotency_mismatch",
                  f"This {HEADER} was used for a different request (method, path or body); use a new key.")
