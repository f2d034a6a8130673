"""The calling paths of the Graph API (sandbox/calling.py holds the rules): `/{phone-number-id}/settings`,
`/calls` and `/call_permissions`. The customer's side is in calling_control.py.
"""
from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from .errors import GraphError, missing
from .state import PhoneNumber

MESSAGING = "whatsapp_business_messaging"
MANAGEMENT = "whatsapp_business_management"


# Registered in graph.ROUTES; `api` is the GraphApi.

async def get_settings(api, request: Request, auth, number: PhoneNumber) -> Response:
    api._number_access(auth, number, MANAGEMENT)
    return JSONResponse({"calling": api.sb.calling.settings(number)})


async def post_settings(api, request: Request, auth, number: PhoneNumber) -> Response:
    api._number_access(auth, number, MANAGEMENT)
    api.sb.calling.update_settings(number, await api._json(request))
    return JSONResponse({"success": True})


async def post_calls(api, request: Request, auth, number: PhoneNumber) -> Response:
    api._number_access(auth, number, MESSAGING)
    return JSONResponse(await api.sb.calling.act(number, await api._json(request)))


async def get_call_permissions(api, request: Request, auth, number: PhoneNumber) -> Response:
    api._number_access(auth, number, MESSAGING)
    wa_id = request.query_params.get("user_wa_id", "").lstrip("+")
    if not wa_id:
        raise missing("user_wa_id")
    if not wa_id.isdigit():
        raise GraphError(100, "Parameter 'user_wa_id' must be a WhatsApp id (digits).")
    return JSONResponse(api.sb.calling.permission_view(number, wa_id))
