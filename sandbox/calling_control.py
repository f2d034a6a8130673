"""The control API's side of calls (sandbox/calling.py holds the rules): the customer calls a number, answers a
call permission request, answers, rejects or hangs up the business's call; tests list the calls and read the media
meters of the customer's phone peer."""
from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from .calling import CallRefused
from .control import ControlError, body_of


class CallControl:
    def __init__(self, control):
        self.control = control
        self.calling = control.sb.calling

    def routes(self) -> list[tuple]:
        return [
            ("/customers/{wa_id}/calls", self.customer_calls, ["POST"]),
            ("/customers/{wa_id}/call_permission", self.customer_permission, ["POST"]),
            ("/calls", self.calls, ["GET"]),
            ("/calls/{call_id}", self.call, ["GET"]),
            ("/calls/{call_id}/media", self.media, ["GET"]),
            ("/calls/{call_id}/{action}", self.customer_acts, ["POST"]),
        ]

    async def customer_calls(self, request: Request) -> Response:
        """`{"phone_number_id", "sdp"?, "cta_payload"?, "deeplink_payload"?}`: the customer calls the number. 201
        with the call, or 409 with the `reason` it did not go through (calling off, outside hours, ...)."""
        body = await body_of(request)
        customer = self.control._customer(request.path_params["wa_id"])
        number = self.control._number(body.get("phone_number_id"))
        try:
            call = await self.calling.customer_calls(number, customer.wa_id, sdp=body.get("sdp"),
                                                     cta_payload=body.get("cta_payload"),
                                                     deeplink_payload=body.get("deeplink_payload"))
        except CallRefused as refused:
            return JSONResponse({"error": {"message": str(refused), "reason": refused.reason}}, status_code=409)
        return JSONResponse({"call": call.view()}, status_code=201)

    async def customer_permission(self, request: Request) -> Response:
        """`{"phone_number_id", "response": "accept"|"reject", "permanent"?}`: the customer answers the latest call
        permission request (a `call_permission_reply` message webhook)."""
        body = await body_of(request)
        customer = self.control._customer(request.path_params["wa_id"])
        number = self.control._number(body.get("phone_number_id"))
        if body.get("response") not in ("accept", "reject"):
            raise ControlError("response must be accept or reject", field="response")
        message = self.calling.permission_reply(number, customer.wa_id, accept=body["response"] == "accept",
                                                permanent=bool(body.get("permanent")))
        return JSONResponse({"messages": [{"id": message.id}], "message": message.payload}, status_code=201)

    async def calls(self, request: Request) -> Response:
        with self.control.state.lock:
            calls = [call.view() for call in self.calling.calls.values()]
        return JSONResponse({"data": list(reversed(calls))})

    async def call(self, request: Request) -> Response:
        call = self.calling.calls.get(request.path_params["call_id"])
        if call is None:
            raise ControlError("no such call", 404)
        return JSONResponse(call.view())

    async def media(self, request: Request) -> Response:
        """The customer's phone in this call: `state` (the peer connection's: new, connecting, connected, closed;
        failed, with `error`, when an SDP could not be used), `ice_state`, `frames_sent` (20 ms tone frames, silent
        while `muted`), `frames_received` (decoded audio from the business). `state` "none": the customer's SDP was
        given to the control API, so nothing in the sandbox plays the phone's media."""
        call_id = request.path_params["call_id"]
        if call_id not in self.calling.calls:
            raise ControlError("no such call", 404)
        meters = self.calling.phones.meters(call_id) or {
            "state": "none", "ice_state": "none", "frames_sent": 0, "frames_received": 0, "muted": False, "error": None}
        return JSONResponse({"call_id": call_id, **meters})

    async def customer_acts(self, request: Request) -> Response:
        """`answer`, `reject` or `hangup`: the customer's side of a call."""
        try:
            call = self.calling.customer_acts(request.path_params["call_id"], request.path_params["action"])
        except KeyError as error:
            raise ControlError(str(error.args[0]), 404) from None
        return JSONResponse(call.view())
