"""Binds each request's origin for the audit log (apps.audit.context) and names the request.

The request id is the caller's `X-Request-ID` when it looks like one (our proxy's, so one id follows a request
through every hop), else a new one; it is echoed in the response so support can find the request's audit events.
"""
import ipaddress
import re
import uuid

from apps.audit.context import Origin, request_origin
from apps.core.client_ip import client_ip

_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{8,64}")


def request_id_of(request) -> str:
    given = request.headers.get("X-Request-ID", "")
    return given if _REQUEST_ID.fullmatch(given) else uuid.uuid4().hex


def _ip(request) -> str | None:
    try:
        return str(ipaddress.ip_address(client_ip(request)))
    except ValueError:  # no usable peer address (a unix socket)
        return None


class AuditOriginMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = request_id_of(request)
        origin = Origin(ip=_ip(request), user_agent=request.headers.get("User-Agent", "")[:255],
                        request_id=request.request_id)
        with request_origin(origin):
            response = self.get_response(request)
        response["X-Request-ID"] = request.request_id
        return response
