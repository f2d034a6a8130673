"""Outbound webhooks API, /api/developer/webhooks/ (owners and admins: manage_settings; the delivery log holds
customers' data, so reading it needs the capability too). Thin: webhook_services decides. The signing secret appears
in exactly two answers: the endpoint's creation and a roll."""
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_serializer, extend_schema_view
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.pagination import CursorPagination
from apps.developer import webhook_services as services
from apps.developer.events import EVENT_TYPES, PING
from apps.developer.webhook_models import WebhookDelivery
from apps.developer.webhook_selectors import access_delivery, access_endpoint, delivery_list, endpoint_list
from tenants.permissions import CanManageSettings

EVENT_CHOICES = sorted(EVENT_TYPES)
DELIVERY_EVENT_CHOICES = sorted([*EVENT_TYPES, PING])


@extend_schema_serializer(component_name="WebhookEndpoint")
class EndpointSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.CharField()
    description = serializers.CharField()
    events = serializers.ListField(child=serializers.ChoiceField(choices=EVENT_CHOICES))
    is_active = serializers.BooleanField()
    disabled_reason = serializers.CharField(help_text="Why it was disabled (empty while active)")
    disabled_at = serializers.DateTimeField(allow_null=True)
    failure_streak = serializers.IntegerField(help_text="Failed attempts in a row (a success resets it)")
    failing_since = serializers.DateTimeField(allow_null=True)
    last_success_at = serializers.DateTimeField(allow_null=True)
    last_failure_at = serializers.DateTimeField(allow_null=True)
    created_by_email = serializers.CharField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


@extend_schema_serializer(component_name="WebhookEndpointWithSecret")
class EndpointWithSecretSerializer(EndpointSerializer):
    secret = serializers.CharField(help_text="The signing secret (whsec_…). Shown only now: store it.")


@extend_schema_serializer(component_name="WebhookDelivery")
class DeliverySerializer(serializers.Serializer):
    id = serializers.UUIDField(help_text="The ConvoNest-Delivery header")
    endpoint_id = serializers.IntegerField()
    event_type = serializers.ChoiceField(choices=DELIVERY_EVENT_CHOICES)
    event_id = serializers.UUIDField(help_text="The body's `id`: the same for a retry and a replay (dedupe on it)")
    status = serializers.ChoiceField(choices=WebhookDelivery.Status.choices)
    attempts = serializers.IntegerField()
    next_attempt_at = serializers.DateTimeField(allow_null=True)
    replay_of_id = serializers.UUIDField(allow_null=True)
    last_response_status = serializers.IntegerField(allow_null=True)
    last_response_body = serializers.CharField(help_text="The first 2 KB of the last answer")
    last_error = serializers.CharField()
    completed_at = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()


@extend_schema_serializer(component_name="WebhookAttempt")
class AttemptSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    url = serializers.CharField()
    request_headers = serializers.DictField(child=serializers.CharField())
    response_status = serializers.IntegerField(allow_null=True)
    response_headers = serializers.DictField(child=serializers.CharField())
    response_body = serializers.CharField(help_text="The first 2 KB")
    error = serializers.CharField()
    duration_ms = serializers.IntegerField()
    created_at = serializers.DateTimeField()


@extend_schema_serializer(component_name="WebhookDeliveryDetail")
class DeliveryDetailSerializer(DeliverySerializer):
    payload = serializers.DictField(help_text="The body sent: {id, type, created_at, data}")
    attempt_rows = AttemptSerializer(many=True, source="attempt_rows.all")


@extend_schema_serializer(component_name="WebhookEventType")
class EventTypeSerializer(serializers.Serializer):
    type = serializers.CharField(help_text="One of the WebhookEventTypeEnum values")
    description = serializers.CharField()


class EndpointPagination(CursorPagination):
    ordering = ("-created_at", "-id")


class DeliveryPagination(CursorPagination):
    ordering = ("-created_at", "-id")


@extend_schema_view(get=extend_schema(operation_id="developer_webhooks_list"))
class EndpointListApi(ListAPIView):
    """The business's webhook endpoints. POST adds one; its answer carries the signing secret, once."""

    permission_classes = [CanManageSettings]
    serializer_class = EndpointSerializer
    pagination_class = EndpointPagination

    @extend_schema_serializer(component_name="WebhookEndpointCreate")
    class InputSerializer(serializers.Serializer):
        url = serializers.URLField(max_length=2000, help_text="http(s); a public address (no private network)")
        events = serializers.ListField(child=serializers.ChoiceField(choices=EVENT_CHOICES), min_length=1)
        description = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")

    def get_queryset(self):
        return endpoint_list(self.request.member)

    @extend_schema(request=InputSerializer, responses={201: EndpointWithSecretSerializer},
                   operation_id="developer_webhooks_create")
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        endpoint = services.endpoint_create(member=request.member, url=data.validated_data["url"],
                                            events_=data.validated_data["events"],
                                            description=data.validated_data["description"])
        return Response(EndpointWithSecretSerializer(endpoint).data, status=status.HTTP_201_CREATED)


class EndpointDetailApi(APIView):
    permission_classes = [CanManageSettings]

    @extend_schema_serializer(component_name="WebhookEndpointUpdate")
    class InputSerializer(serializers.Serializer):
        url = serializers.URLField(max_length=2000, required=False)
        events = serializers.ListField(child=serializers.ChoiceField(choices=EVENT_CHOICES), min_length=1,
                                       required=False)
        description = serializers.CharField(max_length=200, required=False, allow_blank=True)

    @extend_schema(responses=EndpointSerializer, operation_id="developer_webhooks_retrieve")
    def get(self, request, endpoint_id: int):
        return Response(EndpointSerializer(access_endpoint(request.member, endpoint_id)).data)

    @extend_schema(request=InputSerializer, responses=EndpointSerializer, operation_id="developer_webhooks_update")
    def patch(self, request, endpoint_id: int):
        endpoint = access_endpoint(request.member, endpoint_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        endpoint = services.endpoint_update(actor=request.member, endpoint=endpoint, url=values.get("url"),
                                            events_=values.get("events"),
                                            description=values.get("description"))
        return Response(EndpointSerializer(endpoint).data)

    @extend_schema(responses={204: None}, operation_id="developer_webhooks_destroy")
    def delete(self, request, endpoint_id: int):
        services.endpoint_delete(actor=request.member, endpoint=access_endpoint(request.member, endpoint_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


class EndpointRollSecretApi(APIView):
    """A new signing secret, shown once. The old one keeps signing (a second v1 in ConvoNest-Signature) for
    OUTBOUND_WEBHOOK_SECRET_OVERLAP_HOURS (24 by default), so the receiver can switch over."""

    permission_classes = [CanManageSettings]

    @extend_schema(request=None, responses=EndpointWithSecretSerializer, operation_id="developer_webhooks_roll_secret")
    def post(self, request, endpoint_id: int):
        endpoint = services.endpoint_secret_roll(actor=request.member,
                                                 endpoint=access_endpoint(request.member, endpoint_id))
        return Response(EndpointWithSecretSerializer(endpoint).data)


class EndpointEnableApi(APIView):
    """Turn a disabled endpoint back on: the deliveries that waited are attempted at once."""

    permission_classes = [CanManageSettings]

    @extend_schema(request=None, responses=EndpointSerializer, operation_id="developer_webhooks_enable")
    def post(self, request, endpoint_id: int):
        endpoint = services.endpoint_enable(actor=request.member, endpoint=access_endpoint(request.member, endpoint_id))
        return Response(EndpointSerializer(endpoint).data)


class EndpointTestApi(APIView):
    """Send a `ping` event now and answer with its delivery (one attempt, no retries), whether the endpoint is active
    or disabled."""

    permission_classes = [CanManageSettings]

    @extend_schema(request=None, responses=DeliveryDetailSerializer, operation_id="developer_webhooks_test")
    def post(self, request, endpoint_id: int):
        delivery = services.endpoint_ping(endpoint=access_endpoint(request.member, endpoint_id))
        return Response(DeliveryDetailSerializer(access_delivery(request.member, delivery.pk)).data)


@extend_schema_view(get=extend_schema(operation_id="developer_webhooks_deliveries_list", parameters=[
    OpenApiParameter("status", str, enum=WebhookDelivery.Status.values, description="Only deliveries in this status"),
    OpenApiParameter("event_type", str, enum=DELIVERY_EVENT_CHOICES, description="Only this event type")]))
class DeliveryListApi(ListAPIView):
    """An endpoint's deliveries, newest first."""

    permission_classes = [CanManageSettings]
    serializer_class = DeliverySerializer
    pagination_class = DeliveryPagination

    def get_queryset(self):
        endpoint = access_endpoint(self.request.member, self.kwargs["endpoint_id"])
        params = self.request.query_params
        return delivery_list(self.request.member, endpoint=endpoint, status=params.get("status", ""),
                             event_type=params.get("event_type", ""))


class DeliveryDetailApi(APIView):
    """One delivery with its payload and every attempt (request headers, answer, error, duration)."""

    permission_classes = [CanManageSettings]

    @extend_schema(responses=DeliveryDetailSerializer, operation_id="developer_webhooks_deliveries_retrieve")
    def get(self, request, delivery_id):
        return Response(DeliveryDetailSerializer(access_delivery(request.member, delivery_id)).data)


class DeliveryReplayApi(APIView):
    """Send the same event again (same event id and payload) as a new delivery, attempted shortly."""

    permission_classes = [CanManageSettings]

    @extend_schema(request=None, responses={202: DeliverySerializer},
                   operation_id="developer_webhooks_deliveries_replay")
    def post(self, request, delivery_id):
        replay = services.delivery_replay(actor=request.member,
                                          delivery=access_delivery(request.member, delivery_id))
        return Response(DeliverySerializer(replay).data, status=status.HTTP_202_ACCEPTED)


class EventTypeListApi(APIView):
    """The events an endpoint can subscribe to, with what each means (docs/webhooks-outbound.md has the payloads)."""

    permission_classes = [CanManageSettings]

    @extend_schema(responses=EventTypeSerializer(many=True), operation_id="developer_webhooks_event_types")
    def get(self, request):
        return Response(EventTypeSerializer([{"type": t, "description": d} for t, d in sorted(EVENT_TYPES.items())],
                                            many=True).data)
