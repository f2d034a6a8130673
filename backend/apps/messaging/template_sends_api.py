"""POST /api/messages/template/: send one of the business's approved templates (202; the outbox sends it)."""
from django.core.validators import RegexValidator
from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.schema import REQUEST_RULES
from apps.core.throttling import ScopedRateThrottle
from apps.messaging.messages_api import MessageSerializer
from apps.messaging.template_sends import template_send
from apps.templates.preview_api import ParametersSerializer
from apps.templates.selectors import access_template
from apps.whatsapp.selectors import number_for_sending

PHONE_VALIDATOR = RegexValidator(r"^\+[1-9][0-9]{6,14}$", message="Use international format, e.g. +14155550123.")


class TemplateSendApi(APIView):
    throttle_scope = "send"
    throttle_classes = [ScopedRateThrottle]

    # A phone number or a contact id, not both.
    @extend_schema_serializer(component_name="TemplateSend", extensions={REQUEST_RULES: {"allOf": [{"oneOf": [
        {"type": "object", "required": ["to"], "properties": {"to": {"type": "string"}},
         "not": {"required": ["contact_id"]}},
        {"type": "object", "required": ["contact_id"], "properties": {"contact_id": {"type": "integer"}},
         "not": {"required": ["to"]}}]}]}})  # allOf + typed branches: openapi-typescript intersects, not `never`
    class InputSerializer(serializers.Serializer):
        template_id = serializers.IntegerField(min_value=1, help_text="An APPROVED template of the sending number's "
                                                                      "WhatsApp account")
        to = serializers.CharField(required=False, max_length=16, validators=[PHONE_VALIDATOR],
                                   help_text="An E.164 phone number, e.g. +14155550123 (or give contact_id)")
        contact_id = serializers.IntegerField(required=False, min_value=1, help_text="A contact of this business")
        phone_number_id = serializers.CharField(required=False, allow_blank=True, max_length=32,
                                                help_text="The sending number; optional when there is one")
        parameters = ParametersSerializer(required=False, help_text="Values for the variables; without them the "
                                                                    "template's saved mapping fills them from the "
                                                                    "contact")

        def validate(self, attrs):
            if ("to" in attrs) == ("contact_id" in attrs):
                raise serializers.ValidationError({"to": ["Send to (a phone number) or contact_id, not both."]})
            return attrs

    @extend_schema(request=InputSerializer, responses={202: MessageSerializer}, operation_id="messages_send_template")
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        template = access_template(request.member, values["template_id"])
        number = number_for_sending(values.get("phone_number_id"))
        message = template_send(actor=request.member, template=template, number=number, to=values.get("to", ""),
                                contact_id=values.get("contact_id"), parameters=values.get("parameters"))
        return Response(MessageSerializer(message).data, status=status.HTTP_202_ACCEPTED)
