"""Read-only template API (any member): the list and one template with the updates Meta sent about it."""
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.pagination import CursorPagination
from apps.templates.selectors import access_template, template_list


class TemplateSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    meta_template_id = serializers.CharField()
    waba_id = serializers.CharField()
    name = serializers.CharField()
    language = serializers.CharField()
    category = serializers.CharField()
    previous_category = serializers.CharField()
    pending_category = serializers.CharField()
    status = serializers.CharField(help_text="Meta's status: APPROVED, PENDING, REJECTED, PAUSED, DISABLED, ...")
    quality_score = serializers.CharField()
    rejected_reason = serializers.CharField()
    reason_detail = serializers.CharField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class TemplateEventSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField(help_text="status, quality, category or components")
    value = serializers.CharField()
    detail = serializers.DictField(help_text="The webhook's value object, as Meta sent it")
    created_at = serializers.DateTimeField()


class TemplateDetailSerializer(TemplateSerializer):
    events = TemplateEventSerializer(many=True)


class TemplatePagination(CursorPagination):
    ordering = ("-created_at", "-id")


@extend_schema_view(get=extend_schema(operation_id="templates_list"))
class TemplateListApi(ListAPIView):
    serializer_class = TemplateSerializer
    pagination_class = TemplatePagination

    def get_queryset(self):
        return template_list(self.request.member)


class TemplateDetailApi(APIView):
    @extend_schema(responses=TemplateDetailSerializer, operation_id="templates_retrieve")
    def get(self, request, template_id: int):
        return Response(TemplateDetailSerializer(access_template(request.member, template_id)).data)
