"""One error envelope for every API error: {"code", "message", "errors"}.

`errors` maps a field name to its messages ("non_field_errors" for the object as a whole); it is {}
when no field is at fault. Clients switch on `code`, show `message`, and put `errors` next to fields.
"""
import logging

from django.core.exceptions import PermissionDenied, RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error

logger = logging.getLogger(__name__)


class ApplicationError(exceptions.APIException):
    """A business rule said no. Raise from services; the handler renders it in the envelope."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "invalid_request"

    def __init__(self, message: str, *, code: str | None = None, errors: dict | None = None, status_code=None):
        super().__init__(detail=message, code=code or self.default_code)
        self.code = code or self.default_code
        self.errors = errors or {}
        if status_code:
            self.status_code = status_code


class Conflict(ApplicationError):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


class RequestTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The request body is too large."
    default_code = "request_too_large"


class BadRequest(exceptions.APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = "Bad request."
    default_code = "bad_request"


_CODES = {
    exceptions.ValidationError: "validation_error",
    exceptions.ParseError: "malformed_request",
    exceptions.NotAuthenticated: "not_authenticated",
    exceptions.AuthenticationFailed: "authentication_failed",
    exceptions.PermissionDenied: "permission_denied",
    exceptions.NotFound: "not_found",
    exceptions.MethodNotAllowed: "method_not_allowed",
    exceptions.NotAcceptable: "not_acceptable",
    exceptions.UnsupportedMediaType: "unsupported_media_type",
    exceptions.Throttled: "throttled",
    RequestTooLarge: "request_too_large",
    BadRequest: "bad_request",
}


def envelope(code: str, message: str, errors: dict | None = None) -> dict:
    return {"code": code, "message": message, "errors": errors or {}}


def _flatten(detail, prefix: str = "") -> dict:
    """DRF nests errors as lists/dicts of ErrorDetail; the envelope keeps field -> [messages], a nested field named
    by its path (`quiet_hours.start`, `ab_test.variants[0].template_id`)."""
    if isinstance(detail, dict):
        out: dict = {}
        for field, value in detail.items():
            key = f"{prefix}.{field}" if prefix else str(field)
            if isinstance(value, dict):
                out.update(_flatten(value, key))
            elif isinstance(value, list) and any(isinstance(item, dict) for item in value):
                for i, item in enumerate(value):  # a nested list serializer: one entry per item, {} when valid
                    if isinstance(item, dict):
                        out.update(_flatten(item, f"{key}[{i}]"))
                    else:
                        out.setdefault(key, []).append(str(item))
            else:
                out[key] = [str(m) for m in (value if isinstance(value, list) else [value])]
        return out
    if isinstance(detail, list):
        return {prefix or "non_field_errors": [str(m) for m in detail]}
    return {prefix or "non_field_errors": [str(detail)]}


def _client_fault(exc: SuspiciousOperation) -> exceptions.APIException:
    """Django's refusals of a request (too big, too many fields, a suspicious header): the client's doing, so a
    4xx and a warning without a traceback, never a 500 with one (log flooding)."""
    logger.warning("request refused: %s: %s", type(exc).__name__, exc)
    return RequestTooLarge() if isinstance(exc, RequestDataTooBig) else BadRequest()


def api_exception_handler(exc, context):
    # Imported here: rest_framework.views loads DEFAULT_AUTHENTICATION_CLASSES and the parsers at import time,
    # and those import this module (ApplicationError, envelope): a top-level import is a cycle.
    from rest_framework.views import exception_handler

    if isinstance(exc, SuspiciousOperation):
        exc = _client_fault(exc)
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()

    response = exception_handler(exc, context)
    if response is None:
        # Unexpected: log with the traceback, answer without internals.
        logger.exception("Unhandled API error", exc_info=exc)
        return Response(envelope("server_error", "Something went wrong on our side."), status=500)

    if isinstance(exc, ApplicationError):
        response.data = envelope(exc.code, str(exc.detail), exc.errors)
    elif isinstance(exc, exceptions.ValidationError):
        errors = _flatten(exc.detail)
        first = next(iter(errors.values()), ["Invalid input."])[0]
        response.data = envelope("validation_error", first if list(errors) == ["non_field_errors"] else
                                 "Some fields are invalid.", errors)
    else:
        code = next((c for cls, c in _CODES.items() if isinstance(exc, cls)), "error")
        detail = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
        response.data = envelope(code, detail)
    return response


# Non-DRF paths (unknown URL, crashes outside views) answer in the same envelope.
def json_404(request, exception=None):
    return JsonResponse(envelope("not_found", "Not found."), status=404)


def json_500(request):
    return JsonResponse(envelope("server_error", "Something went wrong on our side."), status=500)


def json_400(request, exception=None):
    if isinstance(exception, RequestDataTooBig):
        return JsonResponse(envelope("request_too_large", RequestTooLarge.default_detail), status=413)
    return JsonResponse(envelope("bad_request", "Bad request."), status=400)


def json_403(request, exception=None):
    return JsonResponse(envelope("permission_denied", "You do not have permission to do this."), status=403)
