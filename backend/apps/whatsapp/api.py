"""Settings → WhatsApp: connect numbers (Embedded Signup or by hand), see their health, disconnect."""
from urllib.parse import urlencode

from django.conf import settings
from django.core.validators import RegexValidator
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_serializer, extend_schema_view
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.pagination import CursorPagination
from apps.whatsapp import services
from apps.whatsapp.client import TOKEN_MAX_LENGTH, token_problem
from apps.whatsapp.selectors import access_number, number_list
from tenants.permissions import CanManageSettings, IsTenantMember


def _token_validator(max_length: int):
    """Tokens and codes travel in HTTP headers and query strings: printable ASCII only (else a 400, not a 500)."""
    class TokenValidator(RegexValidator):  # a RegexValidator, so the OpenAPI schema carries the pattern
        def __call__(self, value: str) -> None:
            problem = token_problem(value, max_length=max_length)
            if problem:
                raise serializers.ValidationError(problem)
    return TokenValidator(r"^[\x21-\x7e]+$")


class PhoneNumberSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    phone_number_id = serializers.CharField()
    waba_id = serializers.CharField(source="account.waba_id")
    display_phone_number = serializers.CharField()
    verified_name = serializers.CharField()
    quality_rating = serializers.CharField()
    messaging_limit_tier = serializers.CharField()
    throughput_level = serializers.CharField()
    throughput_mps = serializers.IntegerField()
    status = serializers.CharField()
    connected_via = serializers.CharField(source="account.connected_via")
    last_synced_at = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()


class NumberPagination(CursorPagination):
    ordering = ("created_at", "id")


@extend_schema_view(get=extend_schema(operation_id="whatsapp_numbers_list"))
class NumberListApi(ListAPIView):
    """The business's numbers with their health. Connecting by hand: POST (owners and admins)."""

    serializer_class = PhoneNumberSerializer
    pagination_class = NumberPagination

    def get_permissions(self):
        return [CanManageSettings()] if self.request.method == "POST" else [IsTenantMember()]

    def get_queryset(self):
        return number_list(self.request.member)

    @extend_schema_serializer(component_name="NumberConnect")
    class InputSerializer(serializers.Serializer):
        waba_id = serializers.RegexField(r"^\d{5,32}$", error_messages={"invalid": "Digits only."})
        phone_number_id = serializers.RegexField(r"^\d{5,32}$", error_messages={"invalid": "Digits only."})
        access_token = serializers.CharField(write_only=True, max_length=TOKEN_MAX_LENGTH, trim_whitespace=True,
                                             validators=[_token_validator(TOKEN_MAX_LENGTH)])

    @extend_schema(request=InputSerializer, responses={201: PhoneNumberSerializer},
                   operation_id="whatsapp_numbers_connect")
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        number = services.number_connect_manual(actor=request.member, tenant=request.tenant, **data.validated_data)
        return Response(PhoneNumberSerializer(number).data, status=status.HTTP_201_CREATED)


class NumberDetailApi(APIView):
    permission_classes = [CanManageSettings]

    @extend_schema(responses={204: None}, operation_id="whatsapp_numbers_disconnect")
    def delete(self, request, number_id: int):
        services.number_disconnect(actor=request.member, tenant=request.tenant,
                                   number=access_number(request.member, number_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


class NumberRefreshApi(APIView):
    permission_classes = [IsTenantMember]

    @extend_schema(request=None, responses=PhoneNumberSerializer, operation_id="whatsapp_numbers_refresh")
    def post(self, request, number_id: int):
        number = services.number_refresh(actor=request.member, number=access_number(request.member, number_id))
        return Response(PhoneNumberSerializer(number).data)


class EmbeddedSignupApi(APIView):
    """GET: where to start Embedded Signup. POST: finish it with the code Meta (or the sandbox) returned."""

    permission_classes = [CanManageSettings]

    @extend_schema_serializer(component_name="EmbeddedSignupStart")
    class StartSerializer(serializers.Serializer):
        app_id = serializers.CharField()
        state = serializers.CharField()
        mode = serializers.ChoiceField(choices=["sandbox", "facebook"])
        signup_url = serializers.CharField(allow_blank=True,
                                           help_text="Sandbox only: the page to open (Facebook uses its JS SDK).")

    @extend_schema_serializer(component_name="EmbeddedSignupFinish")
    class FinishSerializer(serializers.Serializer):
        code = serializers.CharField(max_length=2000, validators=[_token_validator(2000)])
        state = serializers.CharField(max_length=2000)

    @extend_schema(parameters=[OpenApiParameter("redirect_uri", str, required=False,
                                                description="Where the signup dialog sends the code back.")],
                   responses=StartSerializer, operation_id="whatsapp_embedded_signup_start")
    def get(self, request):
        state = services.signup_state_for(tenant=request.tenant, user_id=request.user.pk)
        sandbox = "graph.facebook.com" not in settings.WHATSAPP_GRAPH_URL
        redirect_uri = request.query_params.get("redirect_uri", "")
        signup_url = ""
        if sandbox:
            query = urlencode({"app_id": settings.WHATSAPP_APP_ID, "state": state, "redirect_uri": redirect_uri})
            signup_url = f"{settings.WHATSAPP_GRAPH_URL.rstrip('/')}/_sandbox/embedded-signup?{query}"
        return Response({"app_id": settings.WHATSAPP_APP_ID, "state": state,
                         "mode": "sandbox" if sandbox else "facebook", "signup_url": signup_url})

    @extend_schema(request=FinishSerializer, responses={201: PhoneNumberSerializer(many=True)},
                   operation_id="whatsapp_embedded_signup_finish")
    def post(self, request):
        data = self.FinishSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        numbers = services.embedded_signup_complete(actor=request.member, tenant=request.tenant,
                                                    **data.validated_data)
        return Response(PhoneNumberSerializer(numbers, many=True).data, status=status.HTTP_201_CREATED)
