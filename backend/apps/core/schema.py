"""OpenAPI descriptions that drf-spectacular can't infer: our cookie auth and the error envelope."""
from drf_spectacular.extensions import OpenApiAuthenticationExtension


class TenantJWTCookieScheme(OpenApiAuthenticationExtension):
    target_class = "apps.core.auth.TenantJWTCookieAuthentication"
    name = "tenantSession"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "cookie",
            "name": "cn-access",
            "description": "httpOnly JWT set by /api/auth/login/, valid only on the host of the business that "
                           "issued it. API clients may send the same token as `Authorization: Bearer`.",
        }


ERROR_ENVELOPE = {
    "type": "object",
    "description": "Every error: a stable `code`, a sentence for people, and messages per field.",
    "properties": {
        "code": {"type": "string", "example": "validation_error"},
        "message": {"type": "string", "example": "Some fields are invalid."},
        "errors": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
    },
    "required": ["code", "message", "errors"],
}


def add_error_envelope(result, generator, request, public):
    """Postprocessing hook: every operation may answer 4XX in the ErrorEnvelope."""
    result.setdefault("components", {}).setdefault("schemas", {})["ErrorEnvelope"] = ERROR_ENVELOPE
    error = {"description": "Error", "content": {"application/json": {
        "schema": {"$ref": "#/components/schemas/ErrorEnvelope"}}}}
    for path in result["paths"].values():
        for operation in path.values():
            operation["responses"].setdefault("4XX", error)
    return result
