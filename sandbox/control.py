"""The control API under `/_sandbox/`: play the customer, inspect and flush the webhook outbox, set fault
knobs, move the clock, tweak numbers, tokens and templates. Unauthenticated: the sandbox is a local
development tool bound to 127.0.0.1. Errors answer `{"error": {"message", "field"?}}`.
"""
from __future__ import annotations

import base64
import json
from urllib.parse import parse_qsl

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from .customers import CustomerInputError, build_inbound
from .errors import GraphError
from .graph import parse_multipart
from .service import Sandbox
from .state import THROUGHPUT_MPS, Message, bsuid
from .validation import phone_digits


class ControlError(Exception):
    def __init__(self, message: str, status: int = 400, field: str | None = None):
        super().__init__(message)
        self.status = status
        self.field = field

    def response(self) -> JSONResponse:
        error = {"message": str(self)}
        if self.field:
            error["field"] = self.field
        return JSONResponse({"error": error}, status_code=self.status)


async def body_of(request: Request) -> dict:
    raw = await request.body()
    if not raw:
        return {}
    if "application/x-www-form-urlencoded" in request.headers.get("content-type", ""):
        return dict(parse_qsl(raw.decode(errors="replace")))
    try:
        data = json.loads(raw)
    except ValueError:
        raise ControlError("the body is not valid JSON") from None
    if not isinstance(data, dict):
        raise ControlError("the body must be a JSON object")
    return data


def message_view(message: Message, *, media_base: str = "/_sandbox/media/") -> dict:
    view = {"id": message.id, "direction": message.direction, "phone_number_id": message.phone_number_id,
            "wa_id": message.wa_id, "type": message.type, "timestamp": message.timestamp, "status": message.status,
            "statuses": message.statuses, "payload": message.payload, "rendered": message.rendered,
            "biz_opaque_callback_data": message.biz_opaque_callback_data, "errors": message.errors,
            "context_id": message.context_id, "reactions": message.reactions, "category": message.category}
    return view


class Control:
    def __init__(self, sandbox: Sandbox):
        self.sb = sandbox
        self.state = sandbox.state

    def routes(self) -> list[Route]:
        """Routes relative to /_sandbox (create_app mounts them there)."""
        r = [
            ("/state", self.get_state, ["GET"]),
            ("/reset", self.reset, ["POST"]),
            ("/stats", self.stats, ["GET"]),
            ("/stats/status_times", self.status_times, ["GET"]),
            ("/config", self.config, ["GET", "POST"]),
            ("/clock", self.clock, ["GET", "POST"]),
            ("/faults", self.faults, ["GET", "POST", "DELETE"]),
            ("/webhooks", self.webhooks, ["GET", "DELETE"]),
            ("/webhooks/flush", self.flush, ["POST"]),
            ("/customers", self.customers, ["GET", "POST"]),
            ("/customers/{wa_id}", self.customer, ["GET", "PATCH"]),
            ("/customers/{wa_id}/messages", self.customer_message, ["POST"]),
            ("/customers/{wa_id}/window", self.customer_window, ["POST"]),
            ("/customers/{wa_id}/read", self.customer_read, ["POST"]),
            ("/chats/{phone_number_id}/{wa_id}", self.chat, ["GET"]),
            ("/messages", self.messages, ["GET"]),
            ("/messages/{wamid}", self.message, ["GET"]),
            ("/messages/{wamid}/status", self.message_status, ["POST"]),
            ("/numbers/{phone_number_id}", self.number, ["GET", "PATCH"]),
            ("/businesses", self.businesses, ["POST"]),
            ("/wabas", self.wabas, ["POST"]),
            ("/tokens", self.tokens, ["POST"]),
            ("/tokens/{token}", self.token, ["DELETE"]),
            ("/templates/{template_id}/status", self.template_status, ["POST"]),
            ("/templates/{template_id}/quality", self.template_quality, ["POST"]),
            ("/templates/{template_id}/category", self.template_category, ["POST"]),
            ("/media", self.media_upload, ["POST"]),
            ("/media/{media_id}", self.media_content, ["GET"]),
        ]
        from .calling_control import CallControl  # built on this module's helpers, so imported once they exist

        r += CallControl(self).routes()
        return [Route(path, self._wrap(handler), methods=methods) for path, handler, methods in r]

    @staticmethod
    def _wrap(handler):
        async def endpoint(request: Request) -> Response:
            try:
                return await handler(request)
            except ControlError as error:
                return error.response()
            except CustomerInputError as error:
                return ControlError(str(error), field=error.field).response()
            except GraphError as error:  # shared validators (e.g. a bad phone number)
                return ControlError(error.details or error.message).response()
            except (ValueError, TypeError, KeyError) as error:
                return ControlError(str(error)).response()
        return endpoint

    # --- lookups ---------------------------------------------------------------------------------------
    def _number(self, phone_number_id: str | None):
        if not phone_number_id:
            raise ControlError("phone_number_id is required", field="phone_number_id")
        number = self.state.numbers.get(str(phone_number_id))
        if number is None:
            raise ControlError(f"no phone number {phone_number_id}", 404, "phone_number_id")
        return number

    def _customer(self, wa_id: str, create: bool = True):
        digits = phone_digits(wa_id, "wa_id")
        customer = self.state.customers.get(digits)
        if customer is None:
            if not create:
                raise ControlError(f"no customer {wa_id}", 404)
            customer = self.state.ensure_customer(digits)
        return customer

    def _customer_view(self, customer) -> dict:
        windows = {pn: at for (pn, wa), at in self.state.windows.items() if wa == customer.wa_id}
        return {"wa_id": customer.wa_id, "name": customer.name, "undeliverable": customer.undeliverable,
                "bsuids": {b: bsuid(customer.wa_id, b) for b in self.state.businesses},
                "last_inbound": windows,
                "window_open": {pn: self.state.window_open(pn, customer.wa_id) for pn in self.state.numbers}}

    # --- overview, reset, config, clock, faults -------------------------------------------------------
    async def get_state(self, request: Request) -> Response:
        s = self.state
        with s.lock:
            data = {
                "businesses": [vars(b) for b in s.businesses.values()],
                "apps": [{"id": a.id, "name": a.name, "secret": a.secret, "business_id": a.business_id}
                         for a in s.apps.values()],
                "wabas": [{"id": w.id, "name": w.name, "business_id": w.business_id,
                           "subscribed_apps": list(w.subscriptions), "subscriptions": w.subscriptions}
                          for w in s.wabas.values()],
                "numbers": [self._number_view(n) for n in s.numbers.values()],
                "tokens": [{"token": t.token, "app_id": t.app_id, "kind": t.kind, "waba_ids": t.waba_ids,
                            "scopes": t.scopes, "expires_at": t.expires_at, "valid": t.valid, "name": t.name}
                           for t in s.tokens.values()],
                "templates": [{"id": t.id, "waba_id": t.waba_id, "name": t.name, "language": t.language,
                               "status": t.status, "category": t.category} for t in s.templates.values()],
                "customers": [self._customer_view(c) for c in s.customers.values()],
                "messages": len(s.messages),
                "clock": {"now": s.now(), "offset_seconds": s.clock_offset},
            }
        return JSONResponse(data)

    @staticmethod
    def _number_view(n) -> dict:
        return {"id": n.id, "waba_id": n.waba_id, "display_phone_number": n.display_phone_number,
                "verified_name": n.verified_name, "quality_rating": n.quality_rating,
                "messaging_limit_tier": n.messaging_limit_tier, "throughput_level": n.throughput_level, "mps": n.mps,
                "status": n.status, "registered": n.registered,
                "code_verification_status": n.code_verification_status, "pin": n.pin,
                "pending_code": n.pending_code}

    async def reset(self, request: Request) -> Response:
        body = await body_of(request)
        self.sb.reset(demo=bool(body.get("demo", True)))
        return JSONResponse({"success": True})

    async def stats(self, request: Request) -> Response:
        """Counters since the last reset (sandbox/stats.py): sends accepted per number, callback ids accepted
        more than once, refusals by code, statuses emitted and POSTed."""
        return JSONResponse(self.sb.stats.summary())

    async def status_times(self, request: Request) -> Response:
        q = request.query_params
        status = q.get("status", "delivered")
        if status not in ("sent", "delivered", "read", "played", "failed"):
            raise ControlError("status must be sent, delivered, read, played or failed", field="status")
        try:
            since, offset, limit = float(q.get("since", 0)), int(q.get("offset", 0)), int(q.get("limit", 100_000))
        except ValueError:
            raise ControlError("since must be a number; offset and limit whole numbers") from None
        return JSONResponse(self.sb.stats.status_times(status, since=since, offset=max(0, offset),
                                                       limit=max(1, min(1_000_000, limit))))

    async def config(self, request: Request) -> Response:
        if request.method == "POST":
            self.state.config.update(await body_of(request))
        return JSONResponse(self.state.config.to_dict())

    async def clock(self, request: Request) -> Response:
        if request.method == "POST":
            body = await body_of(request)
            with self.state.lock:
                if "offset_seconds" in body:
                    self.state.clock_offset = float(body["offset_seconds"])
                self.state.clock_offset += float(body.get("advance_seconds", 0))
                self.state.dirty = True
            self.sb.dispatcher._poke()
        return JSONResponse({"now": self.state.now(), "offset_seconds": self.state.clock_offset})

    async def faults(self, request: Request) -> Response:
        if request.method == "POST":
            self.sb.faults.update(await body_of(request))
        elif request.method == "DELETE":
            self.sb.faults.reset()
        return JSONResponse(self.sb.faults.to_dict())

    # --- webhooks --------------------------------------------------------------------------------------
    async def webhooks(self, request: Request) -> Response:
        if request.method == "DELETE":
            self.sb.dispatcher.clear()
            return JSONResponse({"success": True})
        q = request.query_params
        rows = self.sb.dispatcher.list(state=q.get("state"), limit=int(q.get("limit", 100)),
                                       with_body=q.get("body", "1") not in ("0", "false"))
        return JSONResponse({"summary": self.sb.dispatcher.summary(), "deliveries": rows})

    async def flush(self, request: Request) -> Response:
        body = await body_of(request)
        summary = await self.sb.dispatcher.flush(include_scheduled=bool(body.get("include_scheduled", True)),
                                                 rounds=int(body.get("rounds", 1)))
        return JSONResponse(summary)

    # --- customers -------------------------------------------------------------------------------------
    async def customers(self, request: Request) -> Response:
        if request.method == "POST":
            body = await body_of(request)
            digits = phone_digits(body.get("wa_id"), "wa_id")
            customer = self.state.ensure_customer(digits, body.get("name"))
            if body.get("name"):
                customer.name = str(body["name"])[:100]
            if "undeliverable" in body:
                customer.undeliverable = bool(body["undeliverable"])
            self.state.mark_dirty()
            return JSONResponse(self._customer_view(customer), status_code=201)
        return JSONResponse({"data": [self._customer_view(c) for c in list(self.state.customers.values())]})

    async def customer(self, request: Request) -> Response:
        customer = self._customer(request.path_params["wa_id"], create=request.method == "PATCH")
        if request.method == "PATCH":
            body = await body_of(request)
            if body.get("name"):
                customer.name = str(body["name"])[:100]
            if "undeliverable" in body:
                customer.undeliverable = bool(body["undeliverable"])
            self.state.mark_dirty()
        return JSONResponse(self._customer_view(customer))

    async def customer_message(self, request: Request) -> Response:
        body = await body_of(request)
        customer = self._customer(request.path_params["wa_id"])
        number = self._number(body.get("phone_number_id"))
        message_obj, context_id = build_inbound(self.state, number, customer.wa_id, body)
        try:
            message = self.sb.messaging.inbound(number, customer.wa_id, message_obj, context_id)
        except ValueError as error:
            raise ControlError(str(error), field="context.message_id") from None
        return JSONResponse({"messages": [{"id": message.id}], "message": message.payload}, status_code=201)

    async def customer_window(self, request: Request) -> Response:
        body = await body_of(request)
        customer = self._customer(request.path_params["wa_id"])
        number = self._number(body.get("phone_number_id"))
        if body.get("open", True):
            self.state.open_window(number.id, customer.wa_id)
        else:
            with self.state.lock:
                self.state.windows.pop((number.id, customer.wa_id), None)
        return JSONResponse({"window_open": self.state.window_open(number.id, customer.wa_id)})

    async def customer_read(self, request: Request) -> Response:
        body = await body_of(request)
        customer = self._customer(request.path_params["wa_id"])
        number = self._number(body.get("phone_number_id"))
        count = self.sb.messaging.customer_read(number, customer.wa_id, body.get("message_id"))
        return JSONResponse({"read": count})

    async def chat(self, request: Request) -> Response:
        number = self._number(request.path_params["phone_number_id"])
        customer = self._customer(request.path_params["wa_id"])
        state = self.state
        typing_until = state.typing.get((number.id, customer.wa_id), 0)
        messages = [message_view(m) for m in state.chat(number.id, customer.wa_id) if m.type != "reaction"]
        return JSONResponse({"number": self._number_view(number), "customer": self._customer_view(customer),
                             "window_open": state.window_open(number.id, customer.wa_id),
                             "typing": typing_until > state.now(), "messages": messages})

    # --- messages --------------------------------------------------------------------------------------
    async def messages(self, request: Request) -> Response:
        q = request.query_params
        limit = int(q.get("limit", 100))
        with self.state.lock:
            rows = list(self.state.messages.values())
        picked = []
        for message in reversed(rows):
            if q.get("phone_number_id") and message.phone_number_id != q["phone_number_id"]:
                continue
            if q.get("wa_id") and message.wa_id != q["wa_id"]:
                continue
            if q.get("direction") and message.direction != q["direction"]:
                continue
            if q.get("biz_opaque_callback_data") and message.biz_opaque_callback_data != q["biz_opaque_callback_data"]:
                continue
            picked.append(message_view(message))
            if len(picked) >= limit:
                break
        return JSONResponse({"data": picked})

    def _message(self, wamid: str) -> Message:
        message = self.state.messages.get(wamid)
        if message is None:
            raise ControlError(f"no message {wamid}", 404)
        return message

    async def message(self, request: Request) -> Response:
        return JSONResponse(message_view(self._message(request.path_params["wamid"])))

    async def message_status(self, request: Request) -> Response:
        message = self._message(request.path_params["wamid"])
        body = await body_of(request)
        status = body.get("status")
        if message.direction != "out":
            raise ControlError("only messages the business sent have statuses")
        if status == "failed":
            changed = self.sb.messaging.fail(message, int(body.get("code", 131026)), str(body.get("details", "")))
        elif status in ("sent", "delivered", "read", "played"):
            changed = self.sb.messaging.set_status(message, status)
        else:
            raise ControlError("status must be sent, delivered, read, played or failed", field="status")
        return JSONResponse({"changed": bool(changed), "status": message.status})

    # --- numbers, businesses, WABAs, tokens, templates -------------------------------------------------
    async def number(self, request: Request) -> Response:
        number = self._number(request.path_params["phone_number_id"])
        if request.method == "PATCH":
            body = await body_of(request)
            allowed = {"quality_rating": ("GREEN", "YELLOW", "RED", "NA", "UNKNOWN"),
                       "messaging_limit_tier": None, "throughput_level": tuple(THROUGHPUT_MPS), "mps": None,
                       "status": None, "registered": None, "verified_name": None, "code_verification_status": None,
                       "pin": None}
            for key, value in body.items():
                if key not in allowed:
                    raise ControlError(f"{key} can't be changed here", field=key)
                if allowed[key] and value not in allowed[key]:
                    raise ControlError(f"{key} must be one of {', '.join(allowed[key])}", field=key)
            with self.state.lock:
                for key, value in body.items():
                    if key == "mps":
                        value = max(1, int(value))
                    elif key == "registered":
                        value = bool(value)
                    setattr(number, key, value)
                if "throughput_level" in body and "mps" not in body:
                    number.mps = THROUGHPUT_MPS[number.throughput_level]
                self.state.dirty = True
        return JSONResponse(self._number_view(number))

    async def businesses(self, request: Request) -> Response:
        body = await body_of(request)
        name = str(body.get("name") or "").strip()
        if not name:
            raise ControlError("name is required", field="name")
        business = self.state.add_business(name[:100])
        return JSONResponse(vars(business), status_code=201)

    async def wabas(self, request: Request) -> Response:
        body = await body_of(request)
        business = self.state.businesses.get(str(body.get("business_id", "")))
        if business is None:
            raise ControlError("business_id is not a known business", field="business_id")
        subscribe = body.get("subscribe_app_id")
        waba = self.state.add_waba(business.id, str(body.get("name") or business.name), subscribe_app=subscribe)
        numbers = []
        for i in range(max(0, min(10, int(body.get("numbers", 1))))):
            numbers.append(self.state.add_number(waba.id, self.state.next_display_number(),
                                                 f"{business.name}" + (f" {i + 1}" if i else ""),
                                                 pin="123456").id)
        return JSONResponse({"id": waba.id, "business_id": business.id, "phone_number_ids": numbers},
                            status_code=201)

    async def tokens(self, request: Request) -> Response:
        body = await body_of(request)
        app_id = str(body.get("app_id") or next(iter(self.state.apps), ""))
        if app_id not in self.state.apps:
            raise ControlError("app_id is not a known app", field="app_id")
        waba_ids = [str(w) for w in body.get("waba_ids", [])]
        for waba_id in waba_ids:
            if waba_id not in self.state.wabas:
                raise ControlError(f"no WABA {waba_id}", field="waba_ids")
        token = self.state.add_token(app_id, waba_ids, token=body.get("token"), kind=body.get("kind", "SYSTEM_USER"),
                                     scopes=body.get("scopes"), business_id=str(body.get("business_id", "")),
                                     expires_in=body.get("expires_in"), name=str(body.get("name", "")))
        return JSONResponse({"token": token.token, "expires_at": token.expires_at, "waba_ids": token.waba_ids,
                             "scopes": token.scopes}, status_code=201)

    async def token(self, request: Request) -> Response:
        token = self.state.tokens.get(request.path_params["token"])
        if token is None:
            raise ControlError("no such token", 404)
        token.valid = False
        self.state.mark_dirty()
        return JSONResponse({"success": True})

    async def template_status(self, request: Request) -> Response:
        template = self.state.templates.get(request.path_params["template_id"])
        if template is None:
            raise ControlError("no such template", 404)
        body = await body_of(request)
        status = str(body.get("status", "")).upper()
        self.sb.set_template_status(template, status, str(body.get("reason", "NONE")))
        return JSONResponse({"id": template.id, "status": template.status})

    def _template(self, request: Request):
        template = self.state.templates.get(request.path_params["template_id"])
        if template is None:
            raise ControlError("no such template", 404)
        return template

    async def template_quality(self, request: Request) -> Response:
        template = self._template(request)
        body = await body_of(request)
        self.sb.set_template_quality(template, str(body.get("score", "")).upper())
        return JSONResponse({"id": template.id, "quality_score": template.quality_score})

    async def template_category(self, request: Request) -> Response:
        template = self._template(request)
        body = await body_of(request)
        self.sb.set_template_category(template, str(body.get("category", "")).upper())
        return JSONResponse({"id": template.id, "category": template.category,
                             "previous_category": template.previous_category})

    # --- media -----------------------------------------------------------------------------------------
    async def media_upload(self, request: Request) -> Response:
        ctype = request.headers.get("content-type", "")
        if "multipart/form-data" in ctype:
            fields, files = parse_multipart(await request.body(), ctype)
            if "file" not in files:
                raise ControlError("file is required", field="file")
            filename, part_type, data = files["file"]
            mime = fields.get("type") or part_type or "application/octet-stream"
            phone_number_id = fields.get("phone_number_id")
        else:
            body = await body_of(request)
            try:
                data = base64.b64decode(body.get("content_base64", ""), validate=True)
            except ValueError:
                raise ControlError("content_base64 is not base64", field="content_base64") from None
            filename, mime = body.get("filename"), body.get("mime_type") or "application/octet-stream"
            phone_number_id = body.get("phone_number_id")
        if not data:
            raise ControlError("the file is empty", field="file")
        number = self._number(phone_number_id)
        media = self.state.add_media(number.id, data, mime.split(";")[0].strip() if "ogg" not in mime else mime,
                                     filename, origin="customer")
        return JSONResponse({"id": media.id, "mime_type": media.mime_type, "sha256": media.sha256,
                             "file_size": media.file_size}, status_code=201)

    async def media_content(self, request: Request) -> Response:
        media = self.state.media.get(request.path_params["media_id"])
        if media is None:
            raise ControlError("no such media", 404)
        return Response(media.data, media_type=media.mime_type)
