"""The Graph API paths (`/vNN.0/...`): authentication, permissions, fault knobs, and one handler per
node/edge the Cloud API client uses.
"""
from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import logging
import re
import secrets
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import parse_qsl, urlencode

import httpx
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from . import calling_api
from .errors import (
    SUB_CODE_EXPIRED,
    SUB_CODE_INVALID,
    SUB_CODE_USED,
    SUB_TOKEN_EXPIRED,
    SUB_TOKEN_INVALIDATED,
    SUB_UNKNOWN_OBJECT,
    GraphError,
)
from .service import Sandbox
from .state import App, Media, PhoneNumber, Template, Token, Waba
from .validation import SUPPORTED_MEDIA, media_limit

log = logging.getLogger("sandbox.graph")
VERSION_RE = re.compile(r"^v\d+\.0$")
MESSAGING = "whatsapp_business_messaging"
MANAGEMENT = "whatsapp_business_management"

PHONE_FIELDS = ("id", "display_phone_number", "verified_name", "quality_rating", "code_verification_status",
                "platform_type", "throughput", "status", "name_status", "new_name_status", "messaging_limit_tier",
                "whatsapp_business_manager_messaging_limit", "account_mode", "is_official_business_account",
                "is_pin_enabled", "last_onboarded_time", "health_status", "webhook_configuration", "country_code",
                "country_dial_code", "is_on_biz_app", "search_visibility")
PHONE_DEFAULT = ("verified_name", "code_verification_status", "display_phone_number", "quality_rating",
                 "platform_type", "throughput", "last_onboarded_time", "webhook_configuration", "id")
WABA_FIELDS = ("id", "name", "currency", "timezone_id", "message_template_namespace", "account_review_status",
               "business_verification_status", "owner_business_info", "health_status",
               "whatsapp_business_manager_messaging_limit", "ownership_type")
WABA_DEFAULT = ("id", "name", "timezone_id", "message_template_namespace")
# Every field of Meta's template node (Message Template API reference, 2026), plus `rejection_info`, which
# Meta sends in template status webhooks and the sandbox also reports on the node.
TEMPLATE_FIELDS = ("id", "ad_account_id", "ad_adset_id", "ad_campaign_id", "ad_id", "bid_spec", "category",
                   "components", "correct_category", "cta_url_link_tracking_opted_out", "degrees_of_freedom_spec",
                   "display_format", "health_status", "is_primary_device_delivery_only", "is_sms_fallback_enabled",
                   "language", "last_updated_time", "library_template_name", "message_send_ttl_seconds", "name",
                   "parameter_format", "previous_category", "quality_score", "rejected_reason", "source", "status",
                   "sub_category", "rejection_info")
TEMPLATE_DEFAULT = ("name", "parameter_format", "components", "language", "status", "category", "id")


@dataclass
class Auth:
    token: Token | None = None
    app: App | None = None  # set for app tokens ({app-id}|{app-secret})

    @property
    def app_id(self) -> str | None:
        return self.token.app_id if self.token else (self.app.id if self.app else None)


class GraphApi:
    def __init__(self, sandbox: Sandbox):
        self.sb = sandbox
        self.state = sandbox.state

    # --- entry point ------------------------------------------------------------------------------------
    async def __call__(self, request: Request) -> Response:
        path = request.path_params.get("path", "")
        segments = [s for s in path.split("/") if s]
        if segments and VERSION_RE.match(segments[0]):
            segments = segments[1:]
        group = self._group(request.method, segments)
        faults = self.sb.faults
        try:
            delay = faults.latency(group)
            if delay:
                await asyncio.sleep(delay)
            if faults.roll(faults.timeout_rate, group) and not faults.timeout_processed:
                await asyncio.sleep(faults.timeout_s)
                raise GraphError(2, "The request timed out (sandbox fault).")
            if faults.roll(faults.error_rate, group):
                status = faults.pick_status()
                raise GraphError(1 if status == 500 else 2, "Injected by the sandbox's fault knobs.", status=status)
            response = await self._route(request, segments)
            if faults.timeout_processed and faults.roll(faults.timeout_rate, group):
                await asyncio.sleep(faults.timeout_s)  # processed, but the answer comes too late for the client
            return response
        except GraphError as error:
            if group == "messages":
                self.sb.stats.send_refused(error.code)
            return error.response()
        except Exception:
            log.exception("sandbox error on %s %s", request.method, request.url.path)
            if group == "messages":
                self.sb.stats.send_refused(1)
            return GraphError(1, "The sandbox hit an internal error.").response()

    @staticmethod
    def _group(method: str, segments: list[str]) -> str:
        if not segments:
            return "other"
        if segments[0] == "debug_token":
            return "debug_token"
        if segments[0] == "oauth":
            return "oauth"
        if segments[0].startswith("upload:"):
            return "uploads"
        edge = segments[1] if len(segments) > 1 else ""
        return {"messages": "messages", "media": "media", "message_templates": "templates", "uploads": "uploads",
                "phone_numbers": "phone_numbers", "register": "register", "deregister": "register",
                "request_code": "register", "verify_code": "register", "subscribed_apps": "subscribed_apps",
                "calls": "calls", "call_permissions": "calls", "settings": "calls",
                }.get(edge, "nodes")

    async def _route(self, request: Request, segments: list[str]) -> Response:
        method = request.method
        if segments == ["debug_token"] and method == "GET":
            return self.debug_token(request, self._auth(request))
        if segments == ["oauth", "access_token"] and method in ("GET", "POST"):
            return await self.oauth_access_token(request)
        if not segments or len(segments) > 2:
            raise GraphError(2500, f"Unknown path components: /{'/'.join(segments)}", status=400)
        auth = self._auth(request)
        node_id = segments[0]
        if node_id.startswith("upload:") and len(segments) == 1 and method in ("GET", "POST"):
            return await self.upload_session(request, auth, node_id)
        found = self.state.node(node_id)
        if found is None:
            raise self._no_object(method, node_id)
        kind, node = found
        edge = segments[1] if len(segments) == 2 else None
        handler = ROUTES.get((kind, edge, method))
        if handler is None:
            if edge is None:
                raise self._no_object(method, node_id)
            raise GraphError(2500, f"Unknown path components: /{edge}", status=400)
        return await handler(self, request, auth, node)

    @staticmethod
    def _no_object(method: str, node_id: str) -> GraphError:
        return GraphError(100, f"Unsupported {method.lower()} request. Object with ID '{node_id}' does not exist, "
                               "cannot be loaded due to missing permissions, or does not support this operation.",
                          subcode=SUB_UNKNOWN_OBJECT,
                          message=f"Unsupported {method.lower()} request. Object with ID '{node_id}' does not exist, "
                                  "cannot be loaded due to missing permissions, or does not support this operation. "
                                  "Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api")

    # --- auth -------------------------------------------------------------------------------------------
    def _auth(self, request: Request) -> Auth:
        header = request.headers.get("authorization", "")
        raw = ""
        if header.lower().startswith(("bearer ", "oauth ")):
            raw = header.split(" ", 1)[1].strip()
        raw = raw or request.query_params.get("access_token", "")
        if not raw:
            raise GraphError(190, "An access token is required: send Authorization: Bearer <token>.",
                             message="An active access token must be used to query information about the current "
                                     "user.")
        app = self.state.app_token_app(raw)
        if app is not None:
            return Auth(app=app)
        token = self.state.tokens.get(raw)
        if token is None:
            raise GraphError(190, "The access token is not known to the sandbox.")
        if not token.valid:
            raise GraphError(190, "The access token was invalidated.", subcode=SUB_TOKEN_INVALIDATED,
                             message="Error validating access token: The session has been invalidated.")
        if token.expires_at and token.expires_at <= self.state.now():
            when = datetime.fromtimestamp(token.expires_at, UTC).strftime("%A, %d-%b-%y %H:%M:%S UTC")
            raise GraphError(190, "The access token has expired.", subcode=SUB_TOKEN_EXPIRED,
                             message=f"Error validating access token: Session has expired on {when}.")
        return Auth(token=token)

    def _require(self, auth: Auth, waba_id: str, scope: str) -> None:
        token = auth.token
        if token is None:
            raise GraphError(200, "App access tokens can't act on a WhatsApp Business Account; use a system user "
                                  "or business token.")
        if scope not in token.scopes:
            raise GraphError(10, f"The access token lacks the {scope} permission.")
        if waba_id not in token.waba_ids:
            raise GraphError(200, f"The access token has no access to WhatsApp Business Account {waba_id}.")

    def _number_access(self, auth: Auth, number: PhoneNumber, scope: str) -> None:
        self._require(auth, number.waba_id, scope)

    # --- helpers ----------------------------------------------------------------------------------------
    async def _json(self, request: Request) -> dict:
        raw = await request.body()
        if not raw:
            return {}
        ctype = request.headers.get("content-type", "")
        if "application/x-www-form-urlencoded" in ctype:
            return dict(parse_qsl(raw.decode(errors="replace")))
        try:
            data = json.loads(raw)
        except ValueError:
            raise GraphError(100, "The request body is not valid JSON.") from None
        if not isinstance(data, dict):
            raise GraphError(100, "The request body must be a JSON object.")
        return data

    @staticmethod
    def _fields(request: Request, allowed: tuple, default: tuple, node_type: str) -> list[str]:
        raw = request.query_params.get("fields")
        if not raw:
            return list(default)
        fields = [f.strip() for f in raw.split(",") if f.strip()]
        for name in fields:
            base = name.split("{")[0].split(".")[0]
            if base not in allowed:
                raise GraphError(100, f"Tried accessing nonexisting field ({base}) on node type ({node_type})",
                                 message=f"(#100) Tried accessing nonexisting field ({base}) on node type "
                                         f"({node_type})")
        result = [f.split("{")[0].split(".")[0] for f in fields]
        return result if "id" in result else [*result, "id"]

    @staticmethod
    def _page(request: Request, rows: list[dict], default_limit: int = 25) -> dict:
        try:
            limit = max(1, min(1000, int(request.query_params.get("limit", default_limit))))
        except ValueError:
            raise GraphError(100, "Param limit must be an integer.") from None
        start = 0
        for key, sign in (("after", 1), ("before", -1)):
            cursor = request.query_params.get(key)
            if cursor:
                try:
                    position = int(base64.urlsafe_b64decode(cursor.encode() + b"==").decode())
                except ValueError:
                    raise GraphError(100, f"Param {key} is not a valid cursor.") from None
                start = position + 1 if sign > 0 else max(0, position - limit)
        page = rows[start:start + limit]
        data: dict = {"data": page}
        if page:
            def cursor(i: int) -> str:
                return base64.urlsafe_b64encode(str(i).encode()).decode().rstrip("=")
            data["paging"] = {"cursors": {"before": cursor(start), "after": cursor(start + len(page) - 1)}}
            if start + len(page) < len(rows):
                query = dict(request.query_params)
                query["after"] = cursor(start + len(page) - 1)
                query.pop("before", None)
                query.pop("access_token", None)
                data["paging"]["next"] = f"{str(request.base_url).rstrip('/')}{request.url.path}?{urlencode(query)}"
        else:
            data["paging"] = {"cursors": {}}
        return data

    # --- phone numbers ------------------------------------------------------------------------------------
    def phone_view(self, number: PhoneNumber) -> dict:
        state = self.state
        waba = state.wabas.get(number.waba_id)
        business = state.businesses.get(waba.business_id) if waba else None
        can_send = "AVAILABLE" if number.registered and number.status == "CONNECTED" else "BLOCKED"
        if can_send == "AVAILABLE" and number.quality_rating == "RED":
            can_send = "LIMITED"
        webhook_configuration = {}
        if waba:
            for app_id, sub in waba.subscriptions.items():
                app = state.apps.get(app_id)
                webhook_configuration["application"] = (app and app.callback_url) or state.config.webhook_url
                if sub.get("override_callback_uri"):
                    webhook_configuration["whatsapp_business_account"] = sub["override_callback_uri"]
                break
        if number.override_callback_uri:
            webhook_configuration["phone_number"] = number.override_callback_uri
        digits = number.display_phone_number.lstrip("+").split(" ")[0]
        return {
            "id": number.id, "display_phone_number": number.display_phone_number,
            "verified_name": number.verified_name, "quality_rating": number.quality_rating,
            "code_verification_status": number.code_verification_status,
            "platform_type": "CLOUD_API" if number.registered else "NOT_APPLICABLE",
            "throughput": {"level": number.throughput_level}, "status": number.status,
            "name_status": number.name_status, "new_name_status": "NONE",
            "messaging_limit_tier": number.messaging_limit_tier,
            "whatsapp_business_manager_messaging_limit": business.messaging_limit if business else "TIER_250",
            "account_mode": number.account_mode, "is_official_business_account": False,
            "is_pin_enabled": bool(number.pin),
            "last_onboarded_time": datetime.fromtimestamp(number.last_onboarded_time or 0, UTC)
            .strftime("%Y-%m-%dT%H:%M:%S+0000"),
            "health_status": {"can_send_message": can_send, "entities": [
                {"entity_type": "PHONE_NUMBER", "id": number.id, "can_send_message": can_send},
                {"entity_type": "WABA", "id": number.waba_id, "can_send_message": "AVAILABLE"},
                {"entity_type": "BUSINESS", "id": business.id if business else "", "can_send_message": "AVAILABLE"},
            ]},
            "webhook_configuration": webhook_configuration,
            "country_code": "US" if digits == "1" else "ZZ", "country_dial_code": digits,
            "is_on_biz_app": False, "search_visibility": "VISIBLE",
        }

    async def get_phone(self, request, auth, number: PhoneNumber):
        self._number_access(auth, number, MANAGEMENT)
        fields = self._fields(request, PHONE_FIELDS, PHONE_DEFAULT, "WhatsAppBusinessPhoneNumber")
        view = self.phone_view(number)
        return JSONResponse({f: view[f] for f in fields})

    async def post_phone(self, request, auth, number: PhoneNumber):
        self._number_access(auth, number, MANAGEMENT)
        body = await self._json(request)
        allowed = {"pin", "webhook_configuration", "new_display_name", "messaging_product"}
        extra = set(body) - allowed
        if extra or not body:
            raise GraphError(100, f"Param {sorted(extra)[0] if extra else 'pin'} is not a supported update: use pin, "
                                  "webhook_configuration or new_display_name.")
        if "pin" in body:
            pin = str(body["pin"])
            if not re.fullmatch(r"\d{6}", pin):
                raise GraphError(100, "Param pin must be 6 digits.")
            number.pin = pin
        if "webhook_configuration" in body:
            config = body["webhook_configuration"]
            if not isinstance(config, dict):
                raise GraphError(100, "Param webhook_configuration must be an object.")
            uri = config.get("override_callback_uri", "")
            if uri:
                await self._verify_callback(uri, config.get("verify_token", ""))
            number.override_callback_uri = uri or None
        if "new_display_name" in body:
            name = str(body["new_display_name"]).strip()
            if not name or len(name) > 100:
                raise GraphError(100, "Param new_display_name must be 1-100 characters.")
            number.verified_name = name
            number.name_status = "APPROVED"
        self.state.mark_dirty()
        return JSONResponse({"success": True})

    async def register(self, request, auth, number: PhoneNumber):
        self._number_access(auth, number, MANAGEMENT)
        body = await self._json(request)
        if body.get("messaging_product") != "whatsapp":
            raise GraphError(131008 if "messaging_product" not in body else 131009,
                             "Parameter 'messaging_product' must be \"whatsapp\".")
        pin = body.get("pin")
        if pin is None:
            raise GraphError(131008, "Parameter 'pin' is required.")
        pin = str(pin)
        if not re.fullmatch(r"\d{6}", pin):
            raise GraphError(100, "Parameter 'pin' must be 6 digits.")
        self._register_attempt(number)
        if number.pin and number.pin != pin:
            raise GraphError(133005, "The PIN does not match the two-step verification PIN of this number.")
        number.pin = pin
        number.registered = True
        number.status = "CONNECTED"
        self.state.mark_dirty()
        return JSONResponse({"success": True})

    async def deregister(self, request, auth, number: PhoneNumber):
        self._number_access(auth, number, MANAGEMENT)
        self._register_attempt(number)
        number.registered = False
        number.status = "DISCONNECTED"
        self.state.mark_dirty()
        return JSONResponse({"success": True})

    def _register_attempt(self, number: PhoneNumber) -> None:
        now = self.state.now()
        number.register_attempts = [t for t in number.register_attempts if now - t < 72 * 3600]
        if len(number.register_attempts) >= 10:
            raise GraphError(133016, "Register and deregister are limited to 10 requests per number in 72 hours.")
        number.register_attempts.append(now)

    async def request_code(self, request, auth, number: PhoneNumber):
        self._number_access(auth, number, MANAGEMENT)
        body = {**dict(request.query_params), **(await self._json(request))}
        method = str(body.get("code_method", "")).upper()
        if method not in ("SMS", "VOICE"):
            raise GraphError(131008 if not method else 131009, "Parameter 'code_method' must be SMS or VOICE.")
        number.pending_code = "123456"  # fixed, so a person or a test can type it
        return JSONResponse({"success": True})

    async def verify_code(self, request, auth, number: PhoneNumber):
        self._number_access(auth, number, MANAGEMENT)
        body = {**dict(request.query_params), **(await self._json(request))}
        code = str(body.get("code", ""))
        if not code:
            raise GraphError(131008, "Parameter 'code' is required.")
        if number.pending_code is None or code != number.pending_code:
            raise GraphError(136025, "The code couldn't be verified: request a code first, then send it (the "
                                     "sandbox's code is 123456).")
        number.pending_code = None
        number.code_verification_status = "VERIFIED"
        self.state.mark_dirty()
        return JSONResponse({"success": True})

    # --- messages and media ------------------------------------------------------------------------------
    async def post_messages(self, request, auth, number: PhoneNumber):
        self._number_access(auth, number, MESSAGING)
        raw = await request.body()
        try:
            body = json.loads(raw) if raw else {}
        except ValueError:
            raise GraphError(100, "The request body is not valid JSON.") from None
        return JSONResponse(self.sb.messaging.send(number, body))

    async def upload_media(self, request, auth, number: PhoneNumber):
        self._number_access(auth, number, MESSAGING)
        ctype = request.headers.get("content-type", "")
        if "multipart/form-data" not in ctype:
            raise GraphError(100, "Upload media as multipart/form-data with the fields messaging_product, file and "
                                  "type.")
        fields, files = parse_multipart(await request.body(), ctype)
        if fields.get("messaging_product") is None:
            raise GraphError(131008, "Parameter 'messaging_product' is required.")
        if fields["messaging_product"] != "whatsapp":
            raise GraphError(131009, "Parameter 'messaging_product' must be \"whatsapp\".")
        if "file" not in files:
            raise GraphError(131008, "Parameter 'file' is required.")
        filename, part_type, data = files["file"]
        mime = (fields.get("type") or part_type or "").split(";")[0].strip().lower()
        if not mime:
            raise GraphError(131008, "Parameter 'type' (the MIME type) is required.")
        limit = media_limit(mime)
        if limit is None:
            supported = sorted({m for table in SUPPORTED_MEDIA.values() for m in table})
            raise GraphError(131053, f"Unsupported file type {mime}. Supported: {', '.join(supported)}.")
        if not data:
            raise GraphError(131053, "The file is empty.")
        if len(data) > limit:
            raise GraphError(131053, f"The file is {len(data)} bytes; {mime} files can be at most {limit} bytes.")
        media = self.state.add_media(number.id, data, mime, filename=filename)
        return JSONResponse({"id": media.id})

    def media_url(self, request: Request, media: Media) -> str:
        expires = int(time.time()) + self.state.config.media_url_ttl_s
        digest = hmac.new(self.sb.media_secret, f"{media.id}:{expires}".encode(), hashlib.sha256).hexdigest()[:32]
        base = str(request.base_url).rstrip("/")
        return f"{base}/whatsapp_business/attachments/?{urlencode({'mid': media.id, 'ext': expires, 'hash': digest})}"

    def _media_number(self, request, auth, media: Media) -> PhoneNumber:
        number = self.state.numbers.get(media.phone_number_id)
        if number is None:
            raise self._no_object(request.method, media.id)
        self._number_access(auth, number, MESSAGING)
        wanted = request.query_params.get("phone_number_id")
        if wanted and wanted != media.phone_number_id:
            raise GraphError(100, f"Media {media.id} does not belong to phone number {wanted}.")
        return number

    async def get_media(self, request, auth, media: Media):
        self._media_number(request, auth, media)
        return JSONResponse({"messaging_product": "whatsapp", "url": self.media_url(request, media),
                             "mime_type": media.mime_type, "sha256": media.sha256, "file_size": media.file_size,
                             "id": media.id})

    async def delete_media(self, request, auth, media: Media):
        self._media_number(request, auth, media)
        with self.state.lock:
            self.state.media.pop(media.id, None)
            self.state.dirty = True
        return JSONResponse({"success": True})

    async def download(self, request: Request) -> Response:
        """GET of the URL from GET /{media-id}: needs the token, like lookaside.fbsbx.com."""
        try:
            params = request.query_params
            media_id, expires, digest = params.get("mid", ""), params.get("ext", ""), params.get("hash", "")
            expected = hmac.new(self.sb.media_secret, f"{media_id}:{expires}".encode(), hashlib.sha256).hexdigest()[:32]
            media = self.state.media.get(media_id)
            if media is None or not hmac.compare_digest(expected, digest) or not expires.isdigit():
                return Response("Not found", status_code=404, media_type="text/plain")
            if int(expires) < time.time():
                return Response("URL expired: call GET /{media-id} for a fresh one", status_code=404,
                                media_type="text/plain")
            auth = self._auth(request)
            number = self.state.numbers.get(media.phone_number_id)
            if number is None:
                return Response("Not found", status_code=404, media_type="text/plain")
            self._number_access(auth, number, MESSAGING)
        except GraphError as error:
            return error.response()
        return Response(media.data, media_type=media.mime_type,
                        headers={"Content-Disposition": f"attachment; filename=\"{media.filename or media.id}\""})

    # --- WABA ------------------------------------------------------------------------------------------
    def waba_view(self, waba: Waba) -> dict:
        business = self.state.businesses.get(waba.business_id)
        return {"id": waba.id, "name": waba.name, "currency": waba.currency, "timezone_id": waba.timezone_id,
                "message_template_namespace": waba.namespace, "account_review_status": "APPROVED",
                "business_verification_status": business.verification_status if business else "not_verified",
                "owner_business_info": {"id": waba.business_id, "name": business.name if business else ""},
                "health_status": {"can_send_message": "AVAILABLE", "entities": [
                    {"entity_type": "WABA", "id": waba.id, "can_send_message": "AVAILABLE"}]},
                "whatsapp_business_manager_messaging_limit": business.messaging_limit if business else "TIER_250",
                "ownership_type": "CLIENT_OWNED"}

    async def get_waba(self, request, auth, waba: Waba):
        self._require(auth, waba.id, MANAGEMENT)
        fields = self._fields(request, WABA_FIELDS, WABA_DEFAULT, "WhatsAppBusinessAccount")
        view = self.waba_view(waba)
        return JSONResponse({f: view[f] for f in fields})

    async def list_phone_numbers(self, request, auth, waba: Waba):
        self._require(auth, waba.id, MANAGEMENT)
        fields = self._fields(request, PHONE_FIELDS, PHONE_DEFAULT, "WhatsAppBusinessPhoneNumber")
        rows = [{f: self.phone_view(n)[f] for f in fields} for n in self.state.numbers_of(waba.id)]
        return JSONResponse(self._page(request, rows))

    async def get_subscribed_apps(self, request, auth, waba: Waba):
        self._require(auth, waba.id, MANAGEMENT)
        rows = []
        for app_id, sub in waba.subscriptions.items():
            app = self.state.apps.get(app_id)
            row = {"whatsapp_business_api_data": {"link": f"https://www.facebook.com/games/?app_id={app_id}",
                                                  "name": app.name if app else "", "id": app_id}}
            if sub.get("override_callback_uri"):
                row["override_callback_uri"] = sub["override_callback_uri"]
            rows.append(row)
        return JSONResponse({"data": rows})

    async def post_subscribed_apps(self, request, auth, waba: Waba):
        self._require(auth, waba.id, MANAGEMENT)
        body = await self._json(request)
        extra = set(body) - {"override_callback_uri", "verify_token"}
        if extra:
            raise GraphError(100, f"Unexpected key \"{sorted(extra)[0]}\" on param \"subscribed_apps\".")
        uri = body.get("override_callback_uri")
        if uri:
            if not isinstance(uri, str) or len(uri) > 200 or not re.match(r"^https?://", uri):
                raise GraphError(100, "Param override_callback_uri must be an http(s) URL of at most 200 characters.")
            await self._verify_callback(uri, str(body.get("verify_token") or ""))
        with self.state.lock:
            waba.subscriptions[auth.app_id] = {"override_callback_uri": uri or None}
            self.state.dirty = True
        return JSONResponse({"success": True})

    async def delete_subscribed_apps(self, request, auth, waba: Waba):
        self._require(auth, waba.id, MANAGEMENT)
        with self.state.lock:
            waba.subscriptions.pop(auth.app_id, None)
            self.state.dirty = True
        return JSONResponse({"success": True})

    async def _verify_callback(self, uri: str, verify_token: str) -> None:
        """Meta checks an override callback with the GET handshake before saving it (reference §6.4, §7.2)."""
        challenge = str(secrets.randbelow(10**9))
        try:
            async with httpx.AsyncClient(timeout=5) as client:
                response = await client.get(uri, params={"hub.mode": "subscribe", "hub.challenge": challenge,
                                                         "hub.verify_token": verify_token})
            ok = response.status_code == 200 and response.text.strip() == challenge
            detail = f"HTTP Status Code = {response.status_code}; body did not echo hub.challenge" if not ok else ""
        except httpx.HTTPError as exc:
            ok, detail = False, f"{type(exc).__name__}: {exc}"
        if not ok:
            raise GraphError(2200, f"Callback verification failed with the following errors: {detail}",
                             message="(#2200) Callback verification failed with the following errors: " + detail)

    # --- Resumable Upload (template header samples) ---------------------------------------------------
    def _uploader(self, auth: Auth, app_id: str) -> None:
        if auth.token is None:
            raise GraphError(200, "The Resumable Upload API needs a user or system user access token, not an app "
                                  "token.")
        if auth.token.app_id != app_id:
            raise GraphError(200, f"The access token belongs to app {auth.token.app_id}, not to app {app_id}: "
                                  "upload with a token of the app the file is for.")

    async def start_upload(self, request, auth, app: App):
        self._uploader(auth, app.id)
        params = {**(await self._json(request)), **dict(request.query_params)}
        session = self.sb.uploads.start(app.id, params)
        return JSONResponse({"id": self.sb.uploads.public_id(session)})

    async def upload_session(self, request: Request, auth: Auth, session_id: str) -> Response:
        uploads = self.sb.uploads
        session = uploads.session(session_id, request.query_params.get("sig"), request.method)
        self._uploader(auth, session.app_id)
        if request.method == "GET":
            return JSONResponse(uploads.status(session))
        return JSONResponse(uploads.receive(session, request.headers.get("file_offset"), await request.body()))

    # --- templates -------------------------------------------------------------------------------------
    def template_view(self, template: Template) -> dict:
        updated = int(template.updated_at or template.created_at)
        sendable = "AVAILABLE" if template.status == "APPROVED" else "BLOCKED"
        # Fields Meta leaves out when they have no value (ads, bids) are None here and omitted below.
        view = {"id": template.id, "name": template.name, "language": template.language, "status": template.status,
                "category": template.category, "components": template.components,
                "parameter_format": template.parameter_format,
                "quality_score": {"score": template.quality_score, "date": updated},
                "rejected_reason": template.rejected_reason, "sub_category": template.sub_category,
                "previous_category": template.previous_category, "correct_category": template.correct_category,
                "library_template_name": template.library_template_name,
                "message_send_ttl_seconds": template.message_send_ttl_seconds,
                "cta_url_link_tracking_opted_out": template.cta_url_link_tracking_opted_out,
                "degrees_of_freedom_spec": template.degrees_of_freedom_spec,
                "display_format": template.display_format,
                "is_primary_device_delivery_only": template.is_primary_device_delivery_only,
                "is_sms_fallback_enabled": False, "health_status": {"can_send_message": sendable},
                "last_updated_time": updated, "source": "manual",
                "ad_account_id": None, "ad_adset_id": None, "ad_campaign_id": None, "ad_id": None, "bid_spec": None,
                "rejection_info": template.rejection_info}
        return view

    async def list_templates(self, request, auth, waba: Waba):
        self._require(auth, waba.id, MANAGEMENT)
        fields = self._fields(request, TEMPLATE_FIELDS, TEMPLATE_DEFAULT, "WhatsAppMessageTemplate")
        q = request.query_params

        def wanted(key: str) -> set[str] | None:
            raw = q.get(key)
            return {v.strip().upper() if key != "language" else v.strip() for v in raw.split(",")} if raw else None

        statuses, categories, languages = wanted("status"), wanted("category"), wanted("language")
        name, content = q.get("name"), q.get("content")
        name_or_content = q.get("name_or_content")
        rows = []
        for template in sorted(self.state.templates_of(waba.id), key=lambda t: (t.created_at, t.id)):
            text = " ".join(c.get("text", "") for c in template.components if isinstance(c.get("text"), str))
            if statuses and template.status not in statuses or categories and template.category not in categories:
                continue
            if languages and template.language not in languages:
                continue
            if name and name.lower() not in template.name or content and content.lower() not in text.lower():
                continue
            if name_or_content and name_or_content.lower() not in (template.name + " " + text).lower():
                continue
            view = self.template_view(template)
            rows.append({f: view[f] for f in fields if view.get(f) is not None})
        data = self._page(request, rows)
        if q.get("summary"):
            data["summary"] = {"total_count": len(rows),
                               "message_template_count": len(self.state.templates_of(waba.id)),
                               "message_template_limit": 250, "are_translations_complete": True}
        return JSONResponse(data)

    async def create_template(self, request, auth, waba: Waba):
        self._require(auth, waba.id, MANAGEMENT)
        body = await self._json(request)
        for key in ("components", "degrees_of_freedom_spec", "library_template_body_inputs",
                    "library_template_button_inputs"):
            if isinstance(body.get(key), str):  # form-encoded bodies carry JSON strings
                try:
                    body[key] = json.loads(body[key])
                except ValueError:
                    raise GraphError(100, f"Param {key} must be JSON.") from None
        template = self.sb.create_template(waba.id, body)
        return JSONResponse({"id": template.id, "status": template.status, "category": template.category})

    async def delete_template(self, request, auth, waba: Waba):
        self._require(auth, waba.id, MANAGEMENT)
        params = {**dict(request.query_params), **(await self._json(request))}
        name = params.get("name")
        if not name:
            raise GraphError(100, "The parameter name is required.")
        self.sb.delete_templates(waba.id, name, params.get("hsm_id"))
        return JSONResponse({"success": True})

    async def get_template(self, request, auth, template: Template):
        self._require(auth, template.waba_id, MANAGEMENT)
        fields = self._fields(request, TEMPLATE_FIELDS, TEMPLATE_DEFAULT, "WhatsAppMessageTemplate")
        view = self.template_view(template)
        return JSONResponse({f: view[f] for f in fields if view.get(f) is not None})

    async def edit_template(self, request, auth, template: Template):
        self._require(auth, template.waba_id, MANAGEMENT)
        self.sb.edit_template(template, await self._json(request))
        return JSONResponse({"success": True})

    # --- business ---------------------------------------------------------------------------------------
    async def get_business(self, request, auth, business):
        if auth.token is None or business.id != auth.token.business_id and not any(
                self.state.wabas.get(w) and self.state.wabas[w].business_id == business.id
                for w in auth.token.waba_ids):
            raise GraphError(200, f"The access token has no access to business {business.id}.")
        return JSONResponse({"id": business.id, "name": business.name,
                             "verification_status": business.verification_status})

    async def business_wabas(self, request, auth, business):
        await self.get_business(request, auth, business)
        wabas = [w for w in self.state.wabas.values() if w.business_id == business.id
                 and (auth.token and w.id in auth.token.waba_ids)]
        return JSONResponse(self._page(request, [{"id": w.id, "name": w.name} for w in wabas]))

    # --- tokens ------------------------------------------------------------------------------------------
    def debug_token(self, request: Request, auth: Auth) -> Response:
        raw = request.query_params.get("input_token")
        if not raw:
            raise GraphError(100, "The parameter input_token is required.")
        app = self.state.app_token_app(raw)
        if app is not None:
            return JSONResponse({"data": {"app_id": app.id, "type": "APP", "application": app.name,
                                          "is_valid": True, "scopes": []}})
        token = self.state.tokens.get(raw)
        if token is None:
            return JSONResponse({"data": {"error": {"code": 190, "message": "Invalid OAuth access token."},
                                          "is_valid": False, "scopes": []}})
        app = self.state.apps.get(token.app_id)
        expired = bool(token.expires_at and token.expires_at <= self.state.now())
        data = {"app_id": token.app_id, "type": token.kind, "application": app.name if app else "",
                "data_access_expires_at": 0, "expires_at": int(token.expires_at),
                "is_valid": token.valid and not expired, "issued_at": int(token.issued_at),
                "scopes": list(token.scopes),
                "granular_scopes": [{"scope": scope, "target_ids": list(token.waba_ids)}
                                    for scope in token.scopes if scope in (MANAGEMENT, MESSAGING)]
                + ([{"scope": "business_management", "target_ids": [token.business_id]}]
                   if "business_management" in token.scopes and token.business_id else []),
                "user_id": token.user_id}
        if not data["is_valid"]:
            data["error"] = {"code": 190, "subcode": SUB_TOKEN_EXPIRED if expired else SUB_TOKEN_INVALIDATED,
                             "message": "Session has expired." if expired else "The session has been invalidated."}
        return JSONResponse({"data": data})

    async def oauth_access_token(self, request: Request) -> Response:
        params = {**dict(request.query_params)}
        if request.method == "POST":
            params.update(await self._json(request))
        client_id, secret = params.get("client_id", ""), params.get("client_secret", "")
        app = self.state.apps.get(client_id)
        if app is None:
            raise GraphError(101, "Error validating application. Invalid application ID.",
                             message="Error validating application. Invalid application ID.", status=400)
        if not secret or not hmac.compare_digest(app.secret, secret):
            raise GraphError(1, "Error validating client secret.", message="Error validating client secret.",
                             status=400)
        if params.get("grant_type") == "client_credentials":
            return JSONResponse({"access_token": f"{app.id}|{app.secret}", "token_type": "bearer"})
        code = params.get("code")
        if not code:
            raise GraphError(100, "The parameter code is required.")
        state = self.state
        with state.lock:
            grant = state.oauth_codes.get(code)
            if grant is None or grant.app_id != app.id:
                raise GraphError(100, "Invalid verification code format.", subcode=SUB_CODE_INVALID,
                                 message="Invalid verification code format.")
            if grant.used:
                raise GraphError(100, "This authorization code has been used.", subcode=SUB_CODE_USED,
                                 message="This authorization code has been used.")
            if state.now() - grant.created_at > state.config.oauth_code_ttl_s:
                raise GraphError(100, "This authorization code has expired.", subcode=SUB_CODE_EXPIRED,
                                 message="This authorization code has expired.")
            redirect_uri = params.get("redirect_uri")
            if redirect_uri and grant.redirect_uri and redirect_uri != grant.redirect_uri:
                raise GraphError(100, "Error validating verification code. Please make sure your redirect_uri is "
                                      "identical to the one you used in the OAuth dialog request",
                                 subcode=SUB_CODE_INVALID)
            grant.used = True
            token = state.add_token(app.id, [grant.waba_id], business_id=grant.business_id,
                                    name="business integration system user")
        return JSONResponse({"access_token": token.token, "token_type": "bearer"})


def parse_multipart(body: bytes, content_type: str) -> tuple[dict[str, str], dict[str, tuple[str | None, str, bytes]]]:
    """multipart/form-data without python-multipart: fields -> str, files -> (filename, content type, bytes)."""
    match = re.search(r"boundary=\"?([^\";]+)\"?", content_type)
    if not match:
        raise GraphError(100, "The multipart body has no boundary.")
    delimiter = b"--" + match.group(1).encode()
    fields: dict[str, str] = {}
    files: dict[str, tuple[str | None, str, bytes]] = {}
    for part in body.split(delimiter)[1:]:
        if part.startswith(b"--"):
            break
        if part.startswith(b"\r\n"):
            part = part[2:]
        head, sep, data = part.partition(b"\r\n\r\n")
        if not sep:
            continue
        if data.endswith(b"\r\n"):
            data = data[:-2]
        headers = {}
        for line in head.decode("utf-8", errors="replace").split("\r\n"):
            key, _, value = line.partition(":")
            headers[key.strip().lower()] = value.strip()
        disposition = headers.get("content-disposition", "")
        name = re.search(r"\bname=\"([^\"]*)\"", disposition)
        if not name:
            continue
        filename = re.search(r"filename=\"([^\"]*)\"", disposition)
        if filename is not None:
            files[name.group(1)] = (filename.group(1) or None, headers.get("content-type", ""), data)
        else:
            fields[name.group(1)] = data.decode("utf-8", errors="replace")
    return fields, files


# (node kind, edge or None, method) -> handler(self, request, auth, node)
ROUTES: dict[tuple[str, str | None, str], Callable[..., Awaitable[Response]]] = {
    ("phone_number", None, "GET"): GraphApi.get_phone,
    ("phone_number", None, "POST"): GraphApi.post_phone,
    ("phone_number", "messages", "POST"): GraphApi.post_messages,
    ("phone_number", "media", "POST"): GraphApi.upload_media,
    ("phone_number", "register", "POST"): GraphApi.register,
    ("phone_number", "deregister", "POST"): GraphApi.deregister,
    ("phone_number", "request_code", "POST"): GraphApi.request_code,
    ("phone_number", "verify_code", "POST"): GraphApi.verify_code,
    ("phone_number", "settings", "GET"): calling_api.get_settings,
    ("phone_number", "settings", "POST"): calling_api.post_settings,
    ("phone_number", "calls", "POST"): calling_api.post_calls,
    ("phone_number", "call_permissions", "GET"): calling_api.get_call_permissions,
    ("waba", None, "GET"): GraphApi.get_waba,
    ("waba", "phone_numbers", "GET"): GraphApi.list_phone_numbers,
    ("waba", "message_templates", "GET"): GraphApi.list_templates,
    ("waba", "message_templates", "POST"): GraphApi.create_template,
    ("waba", "message_templates", "DELETE"): GraphApi.delete_template,
    ("waba", "subscribed_apps", "GET"): GraphApi.get_subscribed_apps,
    ("waba", "subscribed_apps", "POST"): GraphApi.post_subscribed_apps,
    ("waba", "subscribed_apps", "DELETE"): GraphApi.delete_subscribed_apps,
    ("template", None, "GET"): GraphApi.get_template,
    ("template", None, "POST"): GraphApi.edit_template,
    ("media", None, "GET"): GraphApi.get_media,
    ("media", None, "DELETE"): GraphApi.delete_media,
    ("app", "uploads", "POST"): GraphApi.start_upload,
    ("business", None, "GET"): GraphApi.get_business,
    ("business", "client_whatsapp_business_accounts", "GET"): GraphApi.business_wabas,
    ("business", "owned_whatsapp_business_accounts", "GET"): GraphApi.business_wabas,
}
