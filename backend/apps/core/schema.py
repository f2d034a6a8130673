"""OpenAPI descriptions that drf-spectacular can't infer: our cookie auth and the error envelope."""
from drf_spectacular import openapi
from drf_spectacular.extensions import OpenApiAuthenticationExtension

from apps.core.error_codes import error_code_schema


class TenantJWTCookieScheme(OpenApiAuthenticationExtension):
    target_class = "tenants.auth.TenantJWTCookieAuthentication"
    name = "tenantSession"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "cookie",
            "name": "cn-access",
            # Fixed here (not read from settings) so the committed schema doesn't depend on SITE_SCHEME.
            "description": "httpOnly JWT set by /api/auth/login/, valid only on the host of the business that "
                           "issued it; named `__Host-cn-access` when the site is served over https. Writes "
                           "authenticated by the cookie must come from the site's own pages (`Sec-Fetch-Site: "
                           "same-origin` or a matching `Origin`), else 403 `csrf_failed`. API clients may send "
                           "the same token as `Authorization: Bearer`.",
        }


ERROR_ENVELOPE = {
    "type": "object",
    "description": "Every error: a stable `code`, a sentence for people, and messages per field.",
    "properties": {
        "code": {"$ref": "#/components/schemas/ErrorCode"},
        "message": {"type": "string", "example": "Some fields are invalid."},
        "errors": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
    },
    "required": ["code", "message", "errors"],
}


def add_error_envelope(result, generator, request, public):
    """Postprocessing hook: every operation may answer 4XX in the ErrorEnvelope, whose `code` is one of the
    registry's (apps.core.error_codes), so clients get the codes as an enum (the frontend's `ErrorCode`)."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["ErrorEnvelope"] = ERROR_ENVELOPE
    schemas["ErrorCode"] = error_code_schema()
    error = {"description": "Error", "content": {"application/json": {
        "schema": {"$ref": "#/components/schemas/ErrorEnvelope"}}}}
    for path in result["paths"].values():
        for operation in path.values():
            operation["responses"].setdefault("4XX", error)
    return result


REQUIRED_IN_PATCH = "x-required-in-patch"


def required_in_patch(result, generator, request, public):
    """Postprocessing hook: drf-spectacular makes every field of a PATCH body optional. A serializer that
    declares `extend_schema_serializer(extensions={"x-required-in-patch": [...]})` keeps those required
    (e.g. a member's role: a PATCH without it changes nothing and is refused)."""
    refs = set()
    for name, schema in result.get("components", {}).get("schemas", {}).items():
        fields = schema.pop(REQUIRED_IN_PATCH, None)
        if fields:
            schema["required"] = sorted(set(schema.get("required", [])) | set(fields))
            refs.add(f"#/components/schemas/{name}")
    for path in result["paths"].values():
        for operation in path.values():
            body = operation.get("requestBody", {})
            if any(c.get("schema", {}).get("$ref") in refs for c in body.get("content", {}).values()):
                body["required"] = True
    return result


# One character that is not space for both Python (str.strip, which DRF applies to text) and the schema's
# ECMA-262 patterns: Python also counts \x1c-\x1f and \x85 as space, ECMA's \s does not.
NOT_SPACE = r"[^\s\x1c-\x1f\x85]"

REQUEST_PROPERTIES = "x-request-properties"
REQUEST_RULES = "x-request-rules"


def request_rules(result, generator, request, public):
    """Postprocessing hook: rules of a request body that drf-spectacular can't derive from fields.

    A serializer declares them with `extend_schema_serializer(extensions={...})`:
    - `x-request-properties`: property schemas merged into its request components (POST and PATCH), e.g.
      an enum the response must not carry (stored rows may predate it);
    - `x-request-rules`: keywords (`anyOf`, `oneOf`, `allOf`) added to its full request component only,
      e.g. "phone or wa_user_id" on create, which a partial PATCH need not meet.
    Response components drop both keys."""
    schemas = result.get("components", {}).get("schemas", {})
    for name, schema in schemas.items():
        properties = schema.pop(REQUEST_PROPERTIES, None)
        rules = schema.pop(REQUEST_RULES, None)
        if not name.endswith("Request"):
            continue
        for field, extra in (properties or {}).items():
            if field in schema.get("properties", {}):
                schema["properties"][field].update(extra)
        if rules and not name.startswith("Patched"):
            schema.update(rules)
    return result


class AutoSchema(openapi.AutoSchema):
    """Names a view's nested `InputSerializer` (or Output-, Filter-, Query-) after the view: `CallAnswerApi.
    InputSerializer` → `CallAnswerInput`. Views share these class names (HackSoft's style); drf-spectacular names
    components by class name alone, so they would all be one component and the document would describe all but one
    body wrongly."""

    GENERIC = frozenset({"InputSerializer", "OutputSerializer", "FilterSerializer", "QuerySerializer"})

    def get_serializer_name(self, serializer, direction):
        name = super().get_serializer_name(serializer, direction)
        cls = type(serializer)
        owner, dot, _ = cls.__qualname__.rpartition(".")
        if dot and cls.__name__ in self.GENERIC and name == cls.__name__:
            name = owner.rpartition(".")[2].removesuffix("Api").removesuffix("View") + name
        return name
