"""The public API in the OpenAPI document: the `apiKey` bearer scheme on the operations keys may call (and only
those), the `Idempotency-Key` header on their POSTs, and worked examples."""
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.permissions import SAFE_METHODS

from apps.developer.idempotency import HEADER, MAX_KEY_LENGTH
from apps.developer.models import ApiKeyScope
from apps.developer.public_api import scope_for

SCHEME = "apiKey"


class ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = "apps.developer.auth.ApiKeyAuthentication"
    name = SCHEME

    def get_security_requirement(self, auto_schema):
        scope = scope_for(auto_schema.view)
        if scope is None:
            return None  # not part of the public API: keys get 403 here
        scopes = [scope, ApiKeyScope.READ_ONLY] if auto_schema.method.upper() in SAFE_METHODS else [scope]
        return {SCHEME: [str(s) for s in scopes]}

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "cn_live_…",
            "description": "A business's API key (Settings → Developers), sent as `Authorization: Bearer cn_live_…` "
                           "to that business's own host only (any other host: 401). A key may call the operations "
                           "that list this scheme, if it holds the scope named there (`read_only` keys: reads only); "
                           "anything else is 403 `api_key_not_allowed` or `api_key_scope`. Every answer carries "
                           "`RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset` (seconds); over the "
                           "limit, 429 with `Retry-After`.",
        }


IDEMPOTENCY_PARAMETER = {
    "in": "header",
    "name": HEADER,
    "required": False,
    "schema": {"type": "string", "minLength": 1, "maxLength": MAX_KEY_LENGTH, "pattern": "^[ -~]+$"},
    "description": "Makes a retry safe: the first answer to this key is replayed for 24 hours (with "
                   "`Idempotent-Replayed: true`) instead of doing the work again. The same key with another body is "
                   "422 `idempotency_mismatch`; while the first request runs, 409 `idempotency_in_progress`.",
    "example": "order-1234-confirmation",
}

EXAMPLES = {
    "messages_send": {
        "text": {"summary": "A text message (inside the 24-hour window)",
                 "value": {"to": "+14155550123", "type": "text", "text": {"body": "Your order has shipped."}}},
        "template": {"summary": "A template (any time)",
                     "value": {"to": "+14155550123", "type": "template", "template": {
                         "name": "order_update", "language": {"code": "en_US"},
                         "components": [{"type": "body", "parameters": [{"type": "text", "text": "1234"}]}]}}},
    },
    "messages_send_template": {
        "template": {"summary": "An approved template by id, variables filled from the contact's fields",
                     "value": {"template_id": 7, "to": "+14155550123"}},
        "parameters": {"summary": "With explicit values for the body's variables",
                       "value": {"template_id": 7, "contact_id": 42, "parameters": {"body": ["Ada", "1234"]}}},
    },
    "contacts_create": {
        "contact": {"summary": "A contact with a phone number",
                    "value": {"phone": "+14155550123", "name": "Ada Lovelace"}},
    },
}


def public_api(result, generator, request, public):
    """Postprocessing hook: the Idempotency-Key header on every POST of a business's host, and the examples above."""
    for path in result["paths"].values():
        for method, operation in path.items():
            callers = {name for requirement in operation.get("security", []) for name in requirement}
            if method == "post" and callers & {SCHEME, "tenantSession"}:  # a business's host: keys and sessions
                params = operation.setdefault("parameters", [])
                if not any(p.get("name") == HEADER and p.get("in") == "header" for p in params):
                    params.append(IDEMPOTENCY_PARAMETER)
            examples = EXAMPLES.get(operation.get("operationId"))
            if examples:
                for content in operation.get("requestBody", {}).get("content", {}).values():
                    content["examples"] = examples
    return result
