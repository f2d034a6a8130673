"""The audit log: GET /api/audit/events/ (filtered, cursor pages), /api/audit/events.csv (the same filter, streamed),
/api/audit/actions/ (what can be filtered for). Owners and admins (Capability.VIEW_AUDIT_LOG); never an API key."""
from django.db import connection
from django.http import StreamingHttpResponse
from django.utils import timezone
from django_tenants.utils import tenant_context
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_serializer, extend_schema_view
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.audit.actions import ACTIONS, area_of
from apps.audit.exports import audit_events_csv
from apps.audit.models import ActorType
from apps.audit.selectors import AuditFilter, audit_event_list
from apps.core.csv_export import CSV_RESPONSE, CsvRenderer
from apps.core.pagination import CursorPagination
from tenants.permissions import CanViewAuditLog


class FilterSerializer(serializers.Serializer):
    action = serializers.CharField(max_length=64, required=False, default="",
                                   help_text="An action (campaign.started) or an area (campaign)")
    actor_type = serializers.ChoiceField(choices=ActorType.choices, required=False, default="")
    actor_id = serializers.CharField(max_length=64, required=False, default="",
                                     help_text="A member's user id, an API key's id, an automation's name")
    target_type = serializers.CharField(max_length=32, required=False, default="",
                                        help_text="What was acted on: contact, campaign, template, api_key, ...")
    target_id = serializers.CharField(max_length=64, required=False, default="")
    since = serializers.DateTimeField(required=False, default=None, help_text="From this instant (included)")
    until = serializers.DateTimeField(required=False, default=None, help_text="Up to this instant (excluded)")

    def validate_action(self, value: str) -> str:
        if value and value not in ACTIONS and value not in {area_of(a) for a in ACTIONS}:
            raise serializers.ValidationError("Unknown action or area; GET /api/audit/actions/ lists them.")
        return value

    def validate(self, attrs):
        if attrs["since"] and attrs["until"] and attrs["since"] >= attrs["until"]:
            raise serializers.ValidationError({"until": ["`until` must be after `since`."]})
        return attrs


_FILTER_FIELDS = FilterSerializer().fields
FILTER_PARAMETERS = [
    OpenApiParameter(name, OpenApiTypes.DATETIME if name in ("since", "until") else str, required=False,
                     description=_FILTER_FIELDS[name].help_text or "",
                     enum=ActorType.values if name == "actor_type" else None)
    for name in ("action", "actor_type", "actor_id", "target_type", "target_id", "since", "until")
]


def _events(request):
    params = FilterSerializer(data=request.query_params)
    params.is_valid(raise_exception=True)
    return audit_event_list(request.member, AuditFilter(**params.validated_data))


@extend_schema_serializer(component_name="AuditEvent")
class AuditEventSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    occurred_at = serializers.DateTimeField()
    actor_type = serializers.ChoiceField(choices=ActorType.choices)
    actor_id = serializers.CharField()
    actor_label = serializers.CharField(help_text="An email, an API key's name and prefix, an automation's name")
    action = serializers.CharField()
    action_label = serializers.SerializerMethodField()
    target_type = serializers.CharField()
    target_id = serializers.CharField()
    target_label = serializers.CharField()
    changes = serializers.DictField(help_text="{field: [before, after]}; secret values are never recorded")
    detail = serializers.DictField()
    ip = serializers.IPAddressField(allow_null=True, help_text="The real client's address")
    user_agent = serializers.CharField()
    request_id = serializers.CharField(help_text="The X-Request-ID of the request that made the change")

    def get_action_label(self, event) -> str:
        return ACTIONS.get(event.action, event.action)


class AuditPagination(CursorPagination):
    ordering = ("-occurred_at", "-id")


@extend_schema_view(get=extend_schema(operation_id="audit_events_list", parameters=FILTER_PARAMETERS))
class AuditEventListApi(ListAPIView):
    """Who did what, from where: newest first."""

    permission_classes = [CanViewAuditLog]
    serializer_class = AuditEventSerializer
    pagination_class = AuditPagination

    def get_queryset(self):
        return _events(self.request)


class AuditEventCsvApi(APIView):
    """The same events as CSV, streamed, whatever their number."""

    permission_classes = [CanViewAuditLog]
    renderer_classes = [JSONRenderer, CsvRenderer]

    @extend_schema(operation_id="audit_events_csv", parameters=FILTER_PARAMETERS, responses=CSV_RESPONSE)
    def get(self, request):
        events = _events(request)
        tenant = connection.tenant

        def lines():
            with tenant_context(tenant):  # streamed after the view returns
                yield from audit_events_csv(events)

        response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="audit-log-{timezone.now():%Y%m%d-%H%M}.csv"'
        return response


@extend_schema_serializer(component_name="AuditAction")
class ActionSerializer(serializers.Serializer):
    action = serializers.CharField()
    area = serializers.CharField()
    label = serializers.CharField()


class AuditActionListApi(APIView):
    """Every action the log records, grouped by area (the filter's choices)."""

    permission_classes = [CanViewAuditLog]

    @extend_schema(responses=ActionSerializer(many=True), operation_id="audit_actions_list")
    def get(self, request):
        return Response(ActionSerializer([{"action": a, "area": area_of(a), "label": label}
                                          for a, label in ACTIONS.items()], many=True).data)
