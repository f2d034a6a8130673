"""The messages API: list and read the messages a member may see, mark a customer's message read, and send one
(POST /api/messages/ goes through the outbox's one send path and answers 202)."""
from django.core.validators import RegexValidator
from drf_spectacular.utils import extend_schema, extend_schema_serializer, extend_schema_view
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.throttling import ScopedRateThrottle
from apps.messaging import outbox
from apps.messaging.models import Message
from apps.messaging.selectors import access_message, message_list
from apps.whatsapp.builders import MESSAGE_TYPES
from apps.whatsapp.selectors import number_for_sending


class MessageEventSerializer(serializers.Serializer):
    status = serializers.CharField()
    detail = serializers.DictField()
    created_at = serializers.DateTimeField()


class MessageSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    direction = serializers.ChoiceField(choices=Message.Direction.choices)
    phone_number_id = serializers.CharField(source="phone_number.phone_number_id")
    to = serializers.CharField()
    contact_id = serializers.IntegerField(allow_null=True)
    conversation_id = serializers.IntegerField(allow_null=True)
    automation = serializers.CharField(help_text="welcome, away, opt_out, opt_in, or empty when a person sent it")
    created_by_id = serializers.IntegerField(allow_null=True)
    type = serializers.CharField()
    payload = serializers.DictField()
    status = serializers.ChoiceField(choices=Message.Status.choices)
    wamid = serializers.CharField(allow_null=True)
    error_code = serializers.IntegerField(allow_null=True)
    error_title = serializers.CharField()
    error_details = serializers.CharField()
    attempts = serializers.IntegerField()
    pricing_category = serializers.CharField(help_text="What Meta charged it as: marketing, utility, service, ...")
    pricing_type = serializers.CharField(help_text="regular, free_customer_service, free_entry_point")
    billable = serializers.BooleanField(allow_null=True)
    created_at = serializers.DateTimeField()
    sent_at = serializers.DateTimeField(allow_null=True)
    delivered_at = serializers.DateTimeField(allow_null=True)
    read_at = serializers.DateTimeField(allow_null=True)
    failed_at = serializers.DateTimeField(allow_null=True)


class MessageBodySerializer(serializers.Serializer):
    """Meta's message object: `type`, plus the object it names (and `context`) passed through as is."""

    # A pattern, not an enum: the schema states the sendable types while clients keep a plain string type.
    type = serializers.CharField(max_length=32, validators=[RegexValidator(
        f"^({'|'.join(MESSAGE_TYPES)})$", message=f"must be one of {', '.join(MESSAGE_TYPES)}")],
        help_text="Meta's message type; the object of that name (e.g. `text`, `template`) goes next to it.")

    def to_internal_value(self, data):
        values = super().to_internal_value(data)
        message = {"type": values["type"]}
        for key in (values["type"], "context", "recipient_type"):
            if isinstance(data, dict) and key in data:
                message[key] = data[key]
        values["message"] = message
        return values


class MessageDetailSerializer(MessageSerializer):
    events = MessageEventSerializer(many=True)


@extend_schema_view(get=extend_schema(operation_id="messages_list"))
class MessageListApi(ListAPIView):
    """GET: the business's messages, newest first. POST: send one (answers 202; the outbox sends it)."""

    serializer_class = MessageSerializer
    throttle_scope = "send"

    def get_throttles(self):
        return [ScopedRateThrottle()] if self.request.method == "POST" else []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no member, no tenant schema
            return Message.objects.none()
        return message_list(self.request.member)

    @extend_schema_serializer(component_name="MessageSend")
    class InputSerializer(MessageBodySerializer):
        to = serializers.CharField(max_length=64, help_text="An E.164 phone number (with its +, e.g. "
                                   "+14155550123) or the id of a contact of this business (e.g. 42)",
                                   validators=[RegexValidator(r"^(\+[1-9][0-9]{6,14}|[1-9][0-9]{0,17})$", message=(
                                       "Use international format, e.g. +14155550123."))])
        phone_number_id = serializers.CharField(required=False, allow_blank=True,
                                                help_text="The sending number; optional when there is one")

    @extend_schema(request=InputSerializer, responses={202: MessageSerializer}, operation_id="messages_send")
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        number = number_for_sending(data.validated_data.get("phone_number_id"))
        to = data.validated_data["to"].strip()
        recipient = {"contact_id": int(to)} if to.isdigit() else {"to": to}  # the API's `to`: a contact id or a number
        message = outbox.message_send_to(actor=request.member, number=number, message=data.validated_data["message"],
                                         **recipient)
        return Response(MessageSerializer(message).data, status=status.HTTP_202_ACCEPTED)


class MessageDetailApi(APIView):
    @extend_schema(responses=MessageDetailSerializer, operation_id="messages_retrieve")
    def get(self, request, message_id):
        return Response(MessageDetailSerializer(access_message(request.member, message_id)).data)


class MessageReadApi(APIView):
    """Mark a customer's message read (blue ticks), optionally showing the typing indicator."""

    @extend_schema_serializer(component_name="MessageRead")
    class InputSerializer(serializers.Serializer):
        typing_indicator = serializers.BooleanField(default=False)

    @extend_schema(request=InputSerializer, responses={200: MessageSerializer}, operation_id="messages_mark_read")
    def post(self, request, message_id):
        message = access_message(request.member, message_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        outbox.message_mark_read(message=message, typing_indicator=data.validated_data["typing_indicator"])
        return Response(MessageSerializer(message).data)
