"""Meta's error envelope and the codes the sandbox answers with (reference §8.1, §8.2).

One exception, `GraphError`, carries a code and the details naming what was wrong; it renders as the
synchronous envelope `{"error": {...}}` or as the `errors[]` item of a failed status webhook.
"""
from __future__ import annotations

import secrets

from starlette.responses import JSONResponse

ERROR_CODES_HREF = "https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/"

# code -> (title, HTTP status). Titles are Meta's wording where the reference or public threads give it.
CODES: dict[int, tuple[str, int]] = {
    1: ("An unknown error occurred", 500),
    2: ("An unexpected error has occurred. Please retry your request later.", 503),
    10: ("Application does not have permission for this action", 403),
    100: ("Invalid parameter", 400),
    101: ("Error validating application. Invalid application ID.", 400),
    190: ("Invalid OAuth access token - Cannot parse access token", 401),
    200: ("Permissions error", 403),
    2200: ("Callback verification failed", 400),
    2500: ("Unknown path components", 400),
    130429: ("Rate limit hit", 400),
    131000: ("Something went wrong", 500),
    131008: ("Required parameter is missing", 400),
    131009: ("Parameter value is not valid", 400),
    131021: ("Recipient cannot be sender", 400),
    131026: ("Message undeliverable", 400),
    131047: ("Re-engagement message", 400),
    131051: ("Unsupported message type", 400),
    131053: ("Media upload error", 400),
    131056: ("(Business Account, Consumer Account) pair rate limit hit", 400),
    131062: ("Business-scoped user ID not supported for this message", 400),
    132000: ("Number of parameters does not match the expected number of params", 400),
    132001: ("Template name does not exist in the translation", 404),
    132005: ("Translated text too long", 400),
    132007: ("Template format character policy violated", 400),
    132012: ("Parameter format does not match format in the created template", 400),
    132015: ("Template is Paused", 400),
    132016: ("Template is Disabled", 400),
    132018: ("There was an issue with the parameters in your template.", 400),
    133005: ("Two step verification PIN Mismatch", 400),
    133010: ("Account not registered", 400),
    133016: ("Account register deregister rate limit exceeded", 400),
    136025: ("Verification code mismatch", 400),
    # Business Calling API (reference §9.6)
    138000: ("Calling not enabled", 400),
    138003: ("Call already in progress", 400),
    138006: ("No call permission", 400),
    138009: ("Call permission request limit reached", 400),
    138012: ("Business-initiated call limit reached", 400),
    138015: ("Calling can't be enabled", 400),
    138017: ("Permanent call permission exists", 400),
    138018: ("Calling prerequisites missing", 400),
}

# Codes whose message is the bare title (Graph's OAuth family), the rest read "(#code) title".
_BARE = {1, 2, 101, 190}
TRANSIENT = {1, 2, 130429, 131000, 131056}

# Template-management subcodes (reference §5.2 names 2388019/2388040/2388293/2388299; the others are
# the sandbox's choice where the reference gives none, listed in sandbox/README.md).
SUB_TEMPLATE_EXISTS = 2388024
SUB_TEMPLATE_NAME = 2388042
SUB_TEMPLATE_TOO_LONG = 2388040
SUB_TEMPLATE_HEADER = 2388047
SUB_TEMPLATE_BODY = 2388072
SUB_TEMPLATE_FOOTER = 2388073
SUB_TEMPLATE_DENSITY = 2388293
SUB_TEMPLATE_EDGE_PARAM = 2388299
SUB_TEMPLATE_NOT_EDITABLE = 2388045
SUB_TEMPLATE_LIMIT = 2388019
SUB_UNKNOWN_OBJECT = 33
SUB_TOKEN_EXPIRED = 463
SUB_TOKEN_INVALIDATED = 467
SUB_CODE_INVALID = 36008
SUB_CODE_EXPIRED = 36007
SUB_CODE_USED = 36009


def fbtrace_id() -> str:
    return "A" + secrets.token_urlsafe(16)[:22]


class GraphError(Exception):
    """An error answered in Meta's envelope. `details` names the field or the reason."""

    def __init__(self, code: int, details: str = "", *, subcode: int | None = None, message: str | None = None,
                 status: int | None = None, title: str | None = None, error_type: str = "OAuthException",
                 user_title: str | None = None, user_msg: str | None = None):
        known_title, known_status = CODES.get(code, ("Unknown error", 400))
        self.code = code
        self.title = title or known_title
        self.details = details
        self.subcode = subcode
        self.status = status or known_status
        self.error_type = error_type
        # Graph's text for people (`error_user_title`/`error_user_msg`), as on template refusals.
        self.user_title = user_title
        self.user_msg = user_msg
        if message is None:
            message = self.title if code in _BARE else f"(#{code}) {self.title}"
        self.message = message
        super().__init__(f"{code}: {message} {details}".strip())

    def envelope(self) -> dict:
        error: dict = {"message": self.message, "type": self.error_type, "code": self.code}
        if self.subcode is not None:
            error["error_subcode"] = self.subcode
        error["error_data"] = {"messaging_product": "whatsapp", "details": self.details or self.title}
        if self.user_title:
            error["error_user_title"] = self.user_title
        if self.user_msg:
            error["error_user_msg"] = self.user_msg
        if self.code in TRANSIENT:
            error["is_transient"] = True
        error["fbtrace_id"] = fbtrace_id()
        return {"error": error}

    def response(self) -> JSONResponse:
        return JSONResponse(self.envelope(), status_code=self.status, headers={"WWW-Authenticate": "OAuth"}
                            if self.status == 401 else None)

    def webhook_error(self) -> dict:
        """The item of `statuses[].errors` (failed statuses), shaped as in the conformance payloads."""
        return webhook_error(self.code, self.details)


def webhook_error(code: int, details: str) -> dict:
    title = CODES.get(code, ("Unknown error", 400))[0]
    return {"code": code, "title": title, "message": title, "error_data": {"details": details},
            "href": ERROR_CODES_HREF}


def missing(path: str) -> GraphError:
    return GraphError(131008, f"Parameter '{path}' is required.")


def invalid(path: str, why: str) -> GraphError:
    """A value Meta would refuse: wrong length, count, enum value, format or reference."""
    return GraphError(131009, f"Parameter '{path}' is invalid: {why}")


def bad_param(path: str, why: str) -> GraphError:
    """A parameter of the wrong JSON type, or a key that does not belong there."""
    return GraphError(100, f"Parameter '{path}' {why}")
