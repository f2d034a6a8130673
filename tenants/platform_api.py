"""Platform staff tools on the public host (ConvoNest employees, `User.is_staff`): the webhook inbox, i.e. which
changes could not be routed or failed, and why. The rest of the staff API (sign-in, businesses, resellers, failed
jobs, replays) is tenants.staff_api.

Authentication: the staff session from `/api/platform/auth/login/` (httpOnly cookies), or a script's bearer token
from `manage.py platform_token` (tenants.staff_auth). Either carries `scope: platform` and no tenant, so it works on
the public host only, and business sessions are refused here.
"""
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_serializer, extend_schema_view
from rest_framework import serializers
from rest_framework.generics import ListAPIView

from apps.core.pagination import CursorPagination
from tenants.ingress.models import WebhookChange, WebhookEvent
from tenants.staff_auth import PlatformApi

# What tenants.ingress.replay routes again.
REPLAYABLE_CHANGES = (WebhookChange.Status.UNROUTABLE, WebhookChange.Status.FAILED)


class WebhookChangeSerializer(serializers.Serializer):
    """Enough to find and replay a change; never the payload (it holds other businesses' customers' data)."""

    id = serializers.IntegerField()
    event_id = serializers.IntegerField()
    position = serializers.IntegerField()
    received_at = serializers.DateTimeField(source="event.received_at")
    field = serializers.CharField()
    phone_number_id = serializers.CharField()
    waba_id = serializers.CharField()
    tenant = serializers.CharField(source="tenant.slug", allow_null=True, default=None)
    status = serializers.CharField(help_text="pending, handled, unroutable, failed or rejected")
    error = serializers.CharField()
    event_attempts = serializers.IntegerField(source="event.attempts")
    event_status = serializers.CharField(source="event.status", help_text="received, processed, failed or dead")
    handled_at = serializers.DateTimeField(allow_null=True)
    replayable = serializers.SerializerMethodField(
        help_text="Unroutable or failed, and the event's body is still stored: POST …/replay/ routes it again")

    def get_replayable(self, change) -> bool:
        return change.status in REPLAYABLE_CHANGES and change.event.redacted_at is None


class WebhookChangePagination(CursorPagination):
    ordering = "-id"


class FilteredListApi(PlatformApi, ListAPIView):
    """A platform list, newest first: the view's `FilterSerializer` (validated query parameters named after
    model fields) filters `rows()` by equality."""

    pagination_class = WebhookChangePagination

    def rows(self):
        raise NotImplementedError

    def get_queryset(self):
        filters = self.FilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        return self.rows().filter(**filters.validated_data)


@extend_schema_view(get=extend_schema(operation_id="platform_webhook_changes_list", parameters=[
    OpenApiParameter("status", str, enum=WebhookChange.Status.values, description="Only changes in this state"),
    OpenApiParameter("field", str, description="Only changes of this webhook field, e.g. messages"),
]))
class WebhookChangeListApi(FilteredListApi):
    """The webhook inbox's changes, newest first: received time, field, number/account, state and error."""

    serializer_class = WebhookChangeSerializer

    @extend_schema_serializer(component_name="WebhookChangeFilter")
    class FilterSerializer(serializers.Serializer):
        status = serializers.ChoiceField(choices=WebhookChange.Status.choices, required=False)
        field = serializers.CharField(max_length=64, required=False)

    def rows(self):
        return WebhookChange.objects.select_related("event", "tenant").defer("event__body")


class WebhookEventSerializer(serializers.Serializer):
    """An event's processing state; never its body."""

    id = serializers.IntegerField()
    received_at = serializers.DateTimeField()
    status = serializers.CharField(help_text="received, processed, failed (backing off) or dead (needs a person)")
    attempts = serializers.IntegerField()
    error = serializers.CharField(help_text="Why the last attempt failed, or why the event is dead")
    lease_until = serializers.DateTimeField(allow_null=True, help_text="Not retried before this time")
    processed_at = serializers.DateTimeField(allow_null=True)
    redacted_at = serializers.DateTimeField(allow_null=True, help_text="When its raw body was redacted (retention)")
    replayable = serializers.BooleanField(
        help_text="It has unroutable or failed changes and its body is still stored: POST …/replay/ routes them again")


@extend_schema_view(get=extend_schema(operation_id="platform_webhook_events_list", parameters=[
    OpenApiParameter("status", str, enum=WebhookEvent.Status.values, description="Only events in this state"),
]))
class WebhookEventListApi(FilteredListApi):
    """Stored webhook events, newest first; `?status=dead` lists those that ran out of attempts."""

    serializer_class = WebhookEventSerializer

    @extend_schema_serializer(component_name="WebhookEventFilter")
    class FilterSerializer(serializers.Serializer):
        status = serializers.ChoiceField(choices=WebhookEvent.Status.choices, required=False)

    def rows(self):
        return webhook_events_with_replayable()


def webhook_events_with_replayable():
    """Events (without their bodies) annotated with `replayable`: a change to route again, and a body to do it with."""
    changes = WebhookChange.objects.filter(event_id=OuterRef("pk"), status__in=REPLAYABLE_CHANGES)
    return WebhookEvent.objects.defer("body").annotate(
        replayable=ExpressionWrapper(Q(redacted_at__isnull=True) & Exists(changes), output_field=BooleanField()))
