"""Template previews (any member) and the saved mapping (manage_templates).

POST /api/templates/{id}/preview/   parameters, or a contact whose fields the mapping reads -> rendered + problems
                                    + Meta's template object (null while there are problems)
POST /api/templates/preview/        a draft (the creation body) as the builder types it -> rendered + problems
PUT  /api/templates/{id}/mapping/   the mapping a send uses when it gives no parameters -> Template

The serializers of `parameters` are shared with the send API (apps.messaging.template_sends_api).
"""
from django.core.validators import RegexValidator
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.contacts.selectors import access_contact
from apps.core.schema import REQUEST_RULES
from apps.templates import mapping, rendering
from apps.templates.selectors import access_template
from apps.templates.templates_api import TemplateSerializer
from apps.templates.validation import definition_problems
from tenants.permissions import CanManageTemplates, IsTenantMember

MAX_VALUES = 100

# --- parameters (the renderer's input; rendering.py describes it) ----------------------------------------

VALUE_SCHEMA = {
    "description": "Text (a string or number), or an object: Meta's currency/date_time parameter, a media header's "
                   "{link} or {id} (+ filename), a location {latitude, longitude, name?, address?}, a product "
                   "{product_retailer_id, catalog_id}, or a button's action.",
    "oneOf": [{"type": "string", "maxLength": 2000}, {"type": "number"},
              {"type": "object", "additionalProperties": True}],
}
SLOTS_SCHEMA = {
    "description": "A list in the variables' order (positional templates), or an object of variable name to value "
                   "(named templates).",
    "oneOf": [{"type": "array", "items": VALUE_SCHEMA, "maxItems": MAX_VALUES},
              {"type": "object", "additionalProperties": VALUE_SCHEMA, "maxProperties": MAX_VALUES}],
}


def _check_value(value):
    if isinstance(value, bool) or not isinstance(value, str | int | float | dict):
        raise serializers.ValidationError("A value is text, a number or an object.")
    if isinstance(value, str) and len(value) > 2000:
        raise serializers.ValidationError("A value is at most 2000 characters.")


@extend_schema_field(SLOTS_SCHEMA)
class SlotsField(serializers.JSONField):
    def to_internal_value(self, data):
        data = super().to_internal_value(data)
        if not isinstance(data, list | dict):
            raise serializers.ValidationError("Must be a list (positional) or an object (named).")
        if len(data) > MAX_VALUES:
            raise serializers.ValidationError(f"At most {MAX_VALUES} values.")
        for value in data.values() if isinstance(data, dict) else data:
            _check_value(value)
        return data


@extend_schema_field(VALUE_SCHEMA)
class ValueField(serializers.JSONField):
    def to_internal_value(self, data):
        data = super().to_internal_value(data)
        _check_value(data)
        return data


@extend_schema_serializer(component_name="TemplateButtonParameter")
class ButtonParameterSerializer(serializers.Serializer):
    index = serializers.IntegerField(min_value=0, max_value=9, help_text="The button's position in the template")
    value = ValueField(required=False, help_text="The URL's ending, the coupon or one-time code, a quick reply's "
                                                 "payload, or an action object")


@extend_schema_serializer(component_name="TemplateCardParameters")
class CardParametersSerializer(serializers.Serializer):
    header = SlotsField(required=False)
    body = SlotsField(required=False)
    buttons = ButtonParameterSerializer(many=True, required=False, max_length=10)


@extend_schema_serializer(component_name="TemplateOfferParameters")
class OfferParametersSerializer(serializers.Serializer):
    expiration_time_ms = serializers.IntegerField(min_value=1, help_text="When the offer ends, Unix milliseconds")


@extend_schema_serializer(component_name="TemplateParameters")
class ParametersSerializer(serializers.Serializer):
    """Values for a template's variables; `variables` on the template lists what it takes."""

    header = SlotsField(required=False)
    body = SlotsField(required=False)
    buttons = ButtonParameterSerializer(many=True, required=False, max_length=10)
    cards = CardParametersSerializer(many=True, required=False, max_length=10)
    limited_time_offer = OfferParametersSerializer(required=False)


# --- the answer ------------------------------------------------------------------------------------------

@extend_schema_serializer(component_name="TemplateProblem")
class ProblemSerializer(serializers.Serializer):
    field = serializers.CharField(help_text="e.g. parameters.body[0], parameters.body.first_name, components[1].text")
    message = serializers.CharField()


@extend_schema_serializer(component_name="TemplateRenderedHeader")
class RenderedHeaderSerializer(serializers.Serializer):
    type = serializers.CharField(help_text="text, image, video, document, location or product")
    text = serializers.CharField(allow_null=True)
    link = serializers.CharField(allow_null=True)
    media_id = serializers.CharField(allow_null=True)
    filename = serializers.CharField(allow_null=True)
    handle = serializers.CharField(allow_null=True, help_text="The creation sample (example.header_handle)")
    location = serializers.DictField(allow_null=True)
    product = serializers.DictField(allow_null=True)


@extend_schema_serializer(component_name="TemplateRenderedButton")
class RenderedButtonSerializer(serializers.Serializer):
    type = serializers.CharField(help_text="QUICK_REPLY, URL, PHONE_NUMBER, COPY_CODE, OTP, FLOW, ...")
    text = serializers.CharField(allow_blank=True)
    url = serializers.CharField(allow_null=True, help_text="The final URL, its variable filled")
    phone_number = serializers.CharField(allow_null=True)
    code = serializers.CharField(allow_null=True, help_text="The coupon or one-time code")
    payload = serializers.CharField(allow_null=True, help_text="What a quick reply sends back")


@extend_schema_serializer(component_name="TemplateRenderedCard")
class RenderedCardSerializer(serializers.Serializer):
    header = RenderedHeaderSerializer(allow_null=True)
    body = serializers.CharField(allow_blank=True)
    buttons = RenderedButtonSerializer(many=True)


@extend_schema_serializer(component_name="TemplateRenderedOffer")
class RenderedOfferSerializer(serializers.Serializer):
    text = serializers.CharField(allow_blank=True)
    has_expiration = serializers.BooleanField()
    expiration_time_ms = serializers.IntegerField(allow_null=True)


@extend_schema_serializer(component_name="TemplateRendered")
class RenderedSerializer(serializers.Serializer):
    header = RenderedHeaderSerializer(allow_null=True)
    body = serializers.CharField(allow_blank=True)
    footer = serializers.CharField(allow_null=True, allow_blank=True)
    buttons = RenderedButtonSerializer(many=True)
    cards = RenderedCardSerializer(many=True)
    limited_time_offer = RenderedOfferSerializer(allow_null=True)


@extend_schema_serializer(component_name="TemplateDraftPreview")
class DraftPreviewSerializer(serializers.Serializer):
    rendered = RenderedSerializer()
    problems = ProblemSerializer(many=True)


@extend_schema_serializer(component_name="TemplatePreview")
class PreviewSerializer(DraftPreviewSerializer):
    payload = serializers.DictField(allow_null=True, help_text="Meta's template message object (the `template` of "
                                                               "a send); null while there are problems")


def _answer(rendered: rendering.Rendered, payload=None, *, draft: bool = False) -> dict:
    out = {"rendered": rendered.as_dict(), "problems": rendered.problems}
    if not draft:
        out["payload"] = payload
    return out


# --- views -----------------------------------------------------------------------------------------------

class TemplatePreviewApi(APIView):
    """A saved template with values: given `parameters`, or the saved mapping filled from `contact_id` (neither:
    the mapping's fixed values and fallbacks)."""

    permission_classes = [IsTenantMember]

    @extend_schema_serializer(component_name="TemplatePreviewInput", extensions={REQUEST_RULES: {
        "not": {"required": ["parameters", "contact_id"]}}})
    class InputSerializer(serializers.Serializer):
        parameters = ParametersSerializer(required=False)
        contact_id = serializers.IntegerField(required=False, min_value=1,
                                              help_text="A contact of this business; the mapping reads its fields")

        def validate(self, attrs):
            if "parameters" in attrs and "contact_id" in attrs:
                raise serializers.ValidationError({"contact_id": ["Send parameters or contact_id, not both."]})
            return attrs

    @extend_schema(request=InputSerializer, responses=PreviewSerializer, operation_id="templates_preview")
    def post(self, request, template_id):
        template = access_template(request.member, template_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        if "parameters" in data.validated_data:
            rendered, payload = rendering.preview(template, data.validated_data["parameters"])
        else:
            contact_id = data.validated_data.get("contact_id")
            contact = access_contact(contact_id) if contact_id is not None else None
            rendered, payload = mapping.contact_preview(template, contact)
        return Response(PreviewSerializer(_answer(rendered, payload)).data)


class TemplateDraftPreviewApi(APIView):
    """A template being built: Meta's creation body as typed so far. Problems are the local validation's and the
    parameters'; without `parameters` the definition's examples fill the variables."""

    permission_classes = [IsTenantMember]

    @extend_schema_serializer(component_name="TemplateDraft")
    class InputSerializer(serializers.Serializer):
        # Lenient on purpose: a half-typed draft is answered with its problems, not refused.
        name = serializers.CharField(required=False, allow_blank=True, max_length=512)
        language = serializers.CharField(required=False, allow_blank=True, max_length=16)
        category = serializers.CharField(required=False, allow_blank=True, max_length=32)
        parameter_format = serializers.CharField(required=False, allow_blank=True, max_length=16)
        components = serializers.ListField(child=serializers.DictField(), required=False, max_length=20)
        message_send_ttl_seconds = serializers.IntegerField(required=False, allow_null=True)
        waba_id = serializers.CharField(required=False, allow_blank=True, max_length=32)
        parameters = ParametersSerializer(required=False)

    @extend_schema(request=InputSerializer, responses=DraftPreviewSerializer, operation_id="templates_preview_draft")
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        draft = {k: v for k, v in data.validated_data.items() if k != "parameters"}
        draft.setdefault("components", [])
        problems = _definition_problems(draft)
        if "parameters" in data.validated_data:
            rendered = rendering.render(draft, data.validated_data["parameters"])
        else:
            rendered = rendering.render(draft, rendering.example_parameters(draft), report_missing=False)
        reported = {(p["field"], p["message"]) for p in problems}
        rendered.problems = problems + [p for p in rendered.problems if (p["field"], p["message"]) not in reported]
        return Response(DraftPreviewSerializer(_answer(rendered, draft=True)).data)


def _definition_problems(draft: dict) -> list[dict]:
    body = {k: v for k, v in draft.items() if k != "waba_id"}
    return [{"field": field, "message": message}
            for field, messages in definition_problems(body).items() for message in messages]


_FIELD_PATTERN = r"^(|first_name|last_name|name|phone|email|attributes\.[a-z][a-z0-9_]{0,49})$"


class SourceSerializer(serializers.Serializer):
    field = serializers.CharField(required=False, allow_blank=True, max_length=61, validators=[RegexValidator(
        _FIELD_PATTERN, message="Use first_name, last_name, name, phone, email or attributes.<key>.")],
        help_text="The contact's field; empty for a fixed value")
    value = serializers.CharField(required=False, allow_blank=True, max_length=mapping.TEXT_MAX, trim_whitespace=False,
                                  help_text="Fixed text, used when field is empty")
    fallback = serializers.CharField(required=False, allow_blank=True, max_length=mapping.TEXT_MAX,
                                     trim_whitespace=False, help_text="Used when the contact's field is empty")


# Inline schemas: the sources are checked by hand (to key errors by variable), so no component is registered.
SOURCE_SCHEMA = {"type": "object", "additionalProperties": False, "properties": {
    "field": {"type": "string", "maxLength": 61, "pattern": _FIELD_PATTERN,
              "description": "The contact's field; empty for a fixed value"},
    "value": {"type": "string", "maxLength": mapping.TEXT_MAX, "description": "Fixed text, used when field is empty"},
    "fallback": {"type": "string", "maxLength": mapping.TEXT_MAX,
                 "description": "Used when the contact's field is empty"}}}
SOURCE_SLOTS_SCHEMA = {
    "description": "Sources in the variables' order (positional), or variable name to source (named).",
    "oneOf": [{"type": "array", "items": SOURCE_SCHEMA, "maxItems": MAX_VALUES},
              {"type": "object", "additionalProperties": SOURCE_SCHEMA, "maxProperties": MAX_VALUES}]}


class _Sources(serializers.JSONField):
    def to_internal_value(self, data):
        data = super().to_internal_value(data)
        if not isinstance(data, list | dict) or len(data) > MAX_VALUES:
            raise serializers.ValidationError(f"A list or an object of at most {MAX_VALUES} sources.")
        items = data.items() if isinstance(data, dict) else enumerate(data)
        errors = {}
        for key, item in items:
            source = SourceSerializer(data=item)
            if not source.is_valid():
                errors[str(key)] = source.errors
        if errors:
            raise serializers.ValidationError(errors)
        return data


@extend_schema_field(SOURCE_SLOTS_SCHEMA)
class SourceSlotsField(_Sources):
    pass


BUTTON_SOURCES_SCHEMA = {"type": "object", "description": "Button index (\"0\"…\"9\") to its source (a list of one).",
                         "additionalProperties": {"type": "array", "items": SOURCE_SCHEMA, "maxItems": 1},
                         "maxProperties": 10}


@extend_schema_field(BUTTON_SOURCES_SCHEMA)
class ButtonSourcesField(serializers.JSONField):
    def to_internal_value(self, data):
        data = super().to_internal_value(data)
        if not isinstance(data, dict) or len(data) > 10:
            raise serializers.ValidationError("An object of button index to a list of one source.")
        for key, sources in data.items():
            if not isinstance(sources, list) or len(sources) > 1:
                raise serializers.ValidationError({key: ["A list of one source."]})
            _Sources().to_internal_value(sources)
        return data


class CardMappingSerializer(serializers.Serializer):
    header = SourceSlotsField(required=False)
    body = SourceSlotsField(required=False)
    buttons = ButtonSourcesField(required=False)


CARD_MAPPING_SCHEMA = {"type": "object", "additionalProperties": False, "properties": {
    "header": SOURCE_SLOTS_SCHEMA, "body": SOURCE_SLOTS_SCHEMA, "buttons": BUTTON_SOURCES_SCHEMA}}


@extend_schema_field({"type": "object", "description": "Card index (\"0\"…\"9\") to the card's mapping.",
                      "additionalProperties": CARD_MAPPING_SCHEMA, "maxProperties": 10})
class CardMappingsField(serializers.JSONField):
    def to_internal_value(self, data):
        data = super().to_internal_value(data)
        if not isinstance(data, dict) or len(data) > 10:
            raise serializers.ValidationError("An object of card index to the card's mapping.")
        for key, card in data.items():
            if not isinstance(card, dict):
                raise serializers.ValidationError({key: ["Must be an object."]})
            CardMappingSerializer(data=card).is_valid(raise_exception=True)
        return data


class TemplateMappingApi(APIView):
    permission_classes = [CanManageTemplates]

    @extend_schema_serializer(component_name="TemplateMapping")
    class InputSerializer(serializers.Serializer):
        header = SourceSlotsField(required=False)
        body = SourceSlotsField(required=False)
        buttons = ButtonSourcesField(required=False)
        cards = CardMappingsField(required=False)

    @extend_schema(request=InputSerializer, responses=TemplateSerializer, operation_id="templates_mapping_update")
    def put(self, request, template_id):
        template = access_template(request.member, template_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        template = mapping.template_mapping_set(member=request.member, template=template,
                                                mapping=data.validated_data)
        return Response(TemplateSerializer(template).data)
