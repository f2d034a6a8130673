"""Calls: the log (any member), one call with its SDP (for the browser's WebRTC side), answering, declining, hanging
up and placing calls (members who may write to customers), permission to call, and a number's call settings
(owners and admins change them). Thin: the services decide (answering.py, permissions.py, call_settings.py)."""
from django.http import Http404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.calls import answering, permissions
from apps.calls.call_settings import call_settings_read, call_settings_update
from apps.calls.models import Call
from apps.calls.selectors import access_call, call_list
from apps.contacts.models import Contact
from apps.contacts.selectors import access_contact
from apps.core.errors import ApplicationError
from apps.core.pagination import CursorPagination
from apps.whatsapp.models import PhoneNumber
from apps.whatsapp.selectors import access_number, number_for_sending
from tenants.members import Capability
from tenants.permissions import ReadsOrManageSettings, requires

SendsOrReads = requires(Capability.SEND, reads_open=True)
CanSend = requires(Capability.SEND)


class CallSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    call_id = serializers.CharField()
    phone_number_id = serializers.CharField(source="phone_number.phone_number_id", allow_null=True, default=None)
    contact_id = serializers.IntegerField(allow_null=True)
    conversation_id = serializers.IntegerField(allow_null=True)
    agent_id = serializers.IntegerField(allow_null=True, help_text="Who answered the customer's call, or placed ours")
    direction = serializers.CharField(help_text="user_initiated, business_initiated or unknown")
    from_number = serializers.CharField()
    to_number = serializers.CharField()
    status = serializers.ChoiceField(choices=Call.Status.choices)
    last_event = serializers.CharField()
    ringing_at = serializers.DateTimeField(allow_null=True)
    answered_at = serializers.DateTimeField(allow_null=True)
    started_at = serializers.DateTimeField(allow_null=True)
    ended_at = serializers.DateTimeField(allow_null=True)
    duration_seconds = serializers.IntegerField(allow_null=True)
    error_code = serializers.IntegerField(allow_null=True)
    error_message = serializers.CharField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class CallDetailSerializer(CallSerializer):
    sdp_offer = serializers.CharField(help_text="The customer's offer (their call) or our browser's (ours)")
    sdp_answer = serializers.CharField(help_text="Our browser's answer (their call) or Meta's (ours: answer the "
                                                 "browser's RTCPeerConnection with it)")


class CallPagination(CursorPagination):
    ordering = ("-created_at", "-id")


def _number(phone_number_id: str | None) -> PhoneNumber:
    return number_for_sending(phone_number_id)


def _contact(contact_id: int) -> Contact:
    try:
        return access_contact(contact_id)
    except Http404:
        raise ApplicationError("No such contact.", code="validation_error",
                               errors={"contact_id": ["No contact with this id in this business."]}) from None


def _detail(call: Call, code: int = status.HTTP_200_OK) -> Response:
    return Response(CallDetailSerializer(call).data, status=code)


@extend_schema_view(get=extend_schema(operation_id="calls_list"))
class CallListApi(ListAPIView):
    """GET the log (`?contact=`, `?conversation=`, `?agent=`, `?direction=`, `?status=`); POST places a call."""

    permission_classes = [SendsOrReads]
    serializer_class = CallSerializer
    pagination_class = CallPagination

    class FilterSerializer(serializers.Serializer):
        contact = serializers.IntegerField(required=False)
        conversation = serializers.IntegerField(required=False)
        agent = serializers.IntegerField(required=False)
        direction = serializers.ChoiceField(choices=Call.Direction.choices, required=False)
        status = serializers.ChoiceField(choices=Call.Status.choices, required=False)

    class InputSerializer(serializers.Serializer):
        contact_id = serializers.IntegerField()
        phone_number_id = serializers.CharField(required=False, allow_blank=True, help_text="Meta's id of the "
                                                "number that calls; optional when the business has one")
        sdp = serializers.CharField(trim_whitespace=False, help_text="The browser's SDP offer (RFC 8866)")

    def get_queryset(self):
        query = self.FilterSerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        f = query.validated_data
        return call_list(self.request.member, contact_id=f.get("contact"), conversation_id=f.get("conversation"),
                         agent_id=f.get("agent"), direction=f.get("direction", ""), status=f.get("status", ""))

    @extend_schema(parameters=[FilterSerializer])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(operation_id="calls_place", request=InputSerializer, responses={201: CallDetailSerializer})
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        call = answering.call_place(actor=request.member, contact=_contact(data.validated_data["contact_id"]),
                                    number=_number(data.validated_data.get("phone_number_id")),
                                    sdp=data.validated_data["sdp"])
        return _detail(call, status.HTTP_201_CREATED)


class CallDetailApi(APIView):
    @extend_schema(operation_id="calls_retrieve", responses={200: CallDetailSerializer})
    def get(self, request, call_id: int):
        return _detail(access_call(request.member, call_id))


class CallAnswerApi(APIView):
    permission_classes = [CanSend]

    class InputSerializer(serializers.Serializer):
        sdp = serializers.CharField(trim_whitespace=False, help_text="The browser's SDP answer to the call's offer")

    @extend_schema(operation_id="calls_answer", request=InputSerializer, responses={200: CallDetailSerializer})
    def post(self, request, call_id: int):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        call = access_call(request.member, call_id)
        return _detail(answering.call_answer(actor=request.member, call=call, sdp=data.validated_data["sdp"]))


class CallRejectApi(APIView):
    permission_classes = [CanSend]

    @extend_schema(operation_id="calls_reject", request=None, responses={200: CallDetailSerializer})
    def post(self, request, call_id: int):
        return _detail(answering.call_reject(actor=request.member, call=access_call(request.member, call_id)))


class CallHangupApi(APIView):
    permission_classes = [CanSend]

    @extend_schema(operation_id="calls_hangup", request=None, responses={200: CallDetailSerializer})
    def post(self, request, call_id: int):
        return _detail(answering.call_hangup(actor=request.member, call=access_call(request.member, call_id)))


class PermissionSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=["no_permission", "temporary", "permanent"])
    expires_at = serializers.DateTimeField(allow_null=True)
    source = serializers.CharField(help_text="reply, rejected, callback or meta: how we learned it")
    requests_24h = serializers.IntegerField()
    requests_7d = serializers.IntegerField()
    may_request = serializers.BooleanField()
    next_request_at = serializers.DateTimeField(allow_null=True)
    connected_calls_24h = serializers.IntegerField()
    may_call = serializers.BooleanField()
    next_call_at = serializers.DateTimeField(allow_null=True)


class CallPermissionApi(APIView):
    """GET whether the business may call a contact from a number (`?refresh=true` asks Meta first); POST sends the
    contact a call permission request (inside the 24-hour window)."""

    permission_classes = [SendsOrReads]

    class QuerySerializer(serializers.Serializer):
        contact_id = serializers.IntegerField()
        phone_number_id = serializers.CharField(required=False, allow_blank=True)
        refresh = serializers.BooleanField(default=False)

    class InputSerializer(serializers.Serializer):
        contact_id = serializers.IntegerField()
        phone_number_id = serializers.CharField(required=False, allow_blank=True)
        body = serializers.CharField(required=False, allow_blank=True, max_length=1024,
                                     help_text="The request's text (a default when empty)")

    @extend_schema(operation_id="calls_permission", parameters=[QuerySerializer],
                   responses={200: PermissionSerializer})
    def get(self, request):
        query = self.QuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        contact = _contact(query.validated_data["contact_id"])
        number = _number(query.validated_data.get("phone_number_id"))
        if query.validated_data["refresh"]:
            permissions.permission_sync(contact, number)
        return Response(PermissionSerializer(permissions.permission_state(contact, number)).data)

    @extend_schema(operation_id="calls_permission_request", request=InputSerializer,
                   responses={202: PermissionSerializer})
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        contact = _contact(data.validated_data["contact_id"])
        number = _number(data.validated_data.get("phone_number_id"))
        permissions.permission_request_send(actor=request.member, contact=contact, number=number,
                                            body=data.validated_data.get("body", ""))
        state = permissions.permission_state(contact, number)
        return Response(PermissionSerializer(state).data, status=status.HTTP_202_ACCEPTED)


class CallSettingsSerializer(serializers.Serializer):
    phone_number_id = serializers.CharField(source="phone_number.phone_number_id")
    calling = serializers.JSONField(help_text="Meta's `calling` settings (reference §9.1): status, "
                                              "call_icon_visibility, callback_permission_status, call_hours, sip")
    synced_at = serializers.DateTimeField(allow_null=True)
    missed_call_reply_enabled = serializers.BooleanField()
    missed_call_reply_text = serializers.CharField(allow_blank=True)


class CallSettingsApi(APIView):
    """A number's call settings: GET reads them from Meta; PATCH changes Meta's (`calling`) and the missed-call
    reply."""

    permission_classes = [ReadsOrManageSettings]

    class InputSerializer(serializers.Serializer):
        calling = serializers.JSONField(required=False, help_text="Meta's `calling` object: only the sections given "
                                                                  "change (call_hours replaces the hours as a whole)")
        missed_call_reply_enabled = serializers.BooleanField(required=False)
        missed_call_reply_text = serializers.CharField(required=False, allow_blank=True, max_length=4096)

    @extend_schema(operation_id="calls_settings_retrieve", responses={200: CallSettingsSerializer})
    def get(self, request, number_id: int):
        row = call_settings_read(access_number(request.member, number_id))
        return Response(CallSettingsSerializer(row).data)

    @extend_schema(operation_id="calls_settings_update", request=InputSerializer,
                   responses={200: CallSettingsSerializer})
    def patch(self, request, number_id: int):
        number = access_number(request.member, number_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        local = {k: v for k, v in data.validated_data.items() if k != "calling"}
        row = call_settings_update(actor=request.member, number=number, calling=data.validated_data.get("calling"),
                                   local=local)
        return Response(CallSettingsSerializer(row).data)
