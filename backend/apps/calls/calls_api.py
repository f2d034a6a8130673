"""The call log (any member), newest first. Answering and placing calls come later."""
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.generics import ListAPIView

from apps.calls.selectors import call_list
from apps.core.pagination import CursorPagination


class CallSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    call_id = serializers.CharField()
    phone_number_id = serializers.CharField(source="phone_number.phone_number_id", allow_null=True, default=None)
    contact_id = serializers.IntegerField(allow_null=True)
    direction = serializers.CharField(help_text="user_initiated, business_initiated or unknown")
    from_number = serializers.CharField()
    to_number = serializers.CharField()
    status = serializers.CharField(help_text="connecting, ringing, accepted, rejected, completed or failed")
    last_event = serializers.CharField()
    started_at = serializers.DateTimeField(allow_null=True)
    ended_at = serializers.DateTimeField(allow_null=True)
    duration_seconds = serializers.IntegerField(allow_null=True)
    error_code = serializers.IntegerField(allow_null=True)
    error_message = serializers.CharField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class CallPagination(CursorPagination):
    ordering = ("-created_at", "-id")


@extend_schema_view(get=extend_schema(operation_id="calls_list"))
class CallListApi(ListAPIView):
    serializer_class = CallSerializer
    pagination_class = CallPagination

    def get_queryset(self):
        return call_list(self.request.member)
