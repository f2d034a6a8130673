"""What shapes a business's contacts: settings, attribute definitions, saved segments.

Every member reads them (the contacts page needs them); owners and admins change them.
"""
import time

from django.core.validators import RegexValidator
from drf_spectacular.utils import extend_schema, extend_schema_serializer, extend_schema_view
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.contacts import services
from apps.contacts.filter_schema import FilterField
from apps.contacts.filters import compile_filter
from apps.contacts.models import AttributeType
from apps.contacts.selectors import (
    access_attribute_definition,
    access_segment,
    attribute_definition_list,
    contact_list,
    contact_query,
    contact_settings_get,
    segment_list,
)
from apps.contacts.serializers import FILTER_HELP
from apps.contacts.values import RESERVED_KEYS
from apps.core.pagination import CursorPagination
from apps.core.schema import NOT_SPACE, REQUEST_PROPERTIES, REQUEST_RULES
from tenants.permissions import IsTenantMember, ReadsOrManageContacts

# DRF trims text, so "  " is blank: the schema says "some non-space character".
CHOICES = {"type": "array", "items": {"type": "string"}}  # typed in the rules too, for the generated TypeScript
NOT_BLANK = RegexValidator(NOT_SPACE, message="This field may not be blank.")
KEY_VALIDATOR = RegexValidator(r"^[a-z][a-z0-9_]{0,49}$", message="use lowercase letters, digits and _, starting "
                                                                  "with a letter (at most 50)")


class ContactSettingsSerializer(serializers.Serializer):
    default_region = serializers.CharField(allow_blank=True, max_length=2,
                                           help_text="ISO 3166 country for numbers without +country code; "
                                                     "empty: such numbers are rejected.")
    updated_at = serializers.DateTimeField(read_only=True)


class ContactSettingsApi(APIView):
    permission_classes = [ReadsOrManageContacts]

    @extend_schema(operation_id="contacts_settings_retrieve", responses=ContactSettingsSerializer)
    def get(self, request):
        return Response(ContactSettingsSerializer(contact_settings_get()).data)

    @extend_schema(operation_id="contacts_settings_update", request=ContactSettingsSerializer,
                   responses=ContactSettingsSerializer)
    def patch(self, request):
        data = ContactSettingsSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        settings = contact_settings_get()
        if "default_region" in data.validated_data:
            settings = services.contact_settings_update(actor=request.member,
                                                        default_region=data.validated_data["default_region"])
        return Response(ContactSettingsSerializer(settings).data)


# --- Attribute definitions ------------------------------------------------------------------------

class AttributeDefinitionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    key = serializers.CharField()
    label = serializers.CharField()
    type = serializers.ChoiceField(choices=AttributeType.choices)
    choices = serializers.ListField(child=serializers.CharField())
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class NameOrderPagination(CursorPagination):
    ordering = ("id",)
    page_size = 200


@extend_schema_view(get=extend_schema(operation_id="contacts_attributes_list"))
class AttributeListApi(ListAPIView):
    """Custom contact fields. Values are validated against their type on every write and import."""

    permission_classes = [ReadsOrManageContacts]
    serializer_class = AttributeDefinitionSerializer
    pagination_class = NameOrderPagination

    # Choices belong to the choice type only; built-in field names are not keys.
    @extend_schema_serializer(component_name="AttributeDefinitionCreate", extensions={
        REQUEST_PROPERTIES: {"key": {"not": {"enum": sorted(RESERVED_KEYS)}}, "choices": {"uniqueItems": True}},
        REQUEST_RULES: {"oneOf": [
            {"type": "object", "required": ["type", "choices"], "properties": {
                "type": {"type": "string", "enum": [AttributeType.CHOICE.value]},
                "choices": {**CHOICES, "minItems": 1}}},
            {"type": "object", "properties": {
                "type": {"type": "string", "enum": [t for t in AttributeType.values if t != AttributeType.CHOICE]},
                "choices": {**CHOICES, "maxItems": 0}}},
        ]}})
    class InputSerializer(serializers.Serializer):
        key = serializers.CharField(max_length=50, validators=[KEY_VALIDATOR],
                                    help_text="a-z, 0-9 and _, starting with a letter; not a built-in field's name "
                                              "(phone, name, tags, ...). Also the CSV column name that maps to it.")
        label = serializers.CharField(max_length=100, validators=[NOT_BLANK])
        type = serializers.ChoiceField(choices=AttributeType.choices)
        choices = serializers.ListField(child=serializers.CharField(max_length=100, validators=[NOT_BLANK]),
                                        required=False, default=list, max_length=200,
                                        help_text="Required (1 to 200, no repeats, ignoring case and spacing) for "
                                                  "the choice type; empty for the others.")

    def get_queryset(self):
        return attribute_definition_list()

    @extend_schema(operation_id="contacts_attributes_create", request=InputSerializer,
                   responses={201: AttributeDefinitionSerializer})
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        definition = services.attribute_definition_create(actor=request.member, **data.validated_data)
        return Response(AttributeDefinitionSerializer(definition).data, status=status.HTTP_201_CREATED)


class AttributeDetailApi(APIView):
    permission_classes = [ReadsOrManageContacts]

    @extend_schema_serializer(component_name="AttributeDefinitionUpdate")
    class InputSerializer(serializers.Serializer):
        label = serializers.CharField(max_length=100, required=False)
        choices = serializers.ListField(child=serializers.CharField(max_length=100), required=False, max_length=200)

    @extend_schema(operation_id="contacts_attributes_retrieve", responses=AttributeDefinitionSerializer)
    def get(self, request, attribute_id: int):
        return Response(AttributeDefinitionSerializer(access_attribute_definition(attribute_id)).data)

    @extend_schema(operation_id="contacts_attributes_update", request=InputSerializer,
                   responses=AttributeDefinitionSerializer)
    def patch(self, request, attribute_id: int):
        definition = access_attribute_definition(attribute_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        definition = services.attribute_definition_update(actor=request.member, definition=definition,
                                                          **data.validated_data)
        return Response(AttributeDefinitionSerializer(definition).data)

    @extend_schema(operation_id="contacts_attributes_destroy", responses={204: None})
    def delete(self, request, attribute_id: int):
        services.attribute_definition_delete(actor=request.member,
                                             definition=access_attribute_definition(attribute_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- Segments -------------------------------------------------------------------------------------

class SegmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    description = serializers.CharField()
    filter = serializers.JSONField(help_text=FILTER_HELP)
    created_by_email = serializers.CharField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


@extend_schema_serializer(component_name="SegmentWrite")
class SegmentWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100, validators=[NOT_BLANK])
    description = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    filter = FilterField(help_text=FILTER_HELP)


@extend_schema_serializer(component_name="SegmentCount")
class SegmentCountSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    took_ms = serializers.FloatField(help_text="Time the database took to count.")


def _timed_count(queryset) -> dict:
    started = time.perf_counter()
    count = queryset.count()
    return {"count": count, "took_ms": round((time.perf_counter() - started) * 1000, 1)}


class SegmentPagination(CursorPagination):
    ordering = ("id",)
    page_size = 200


@extend_schema_view(get=extend_schema(operation_id="contacts_segments_list"))
class SegmentListApi(ListAPIView):
    """Saved dynamic filters. Members use them; owners and admins save them."""

    permission_classes = [ReadsOrManageContacts]
    serializer_class = SegmentSerializer
    pagination_class = SegmentPagination

    def get_queryset(self):
        return segment_list()

    @extend_schema(operation_id="contacts_segments_create", request=SegmentWriteSerializer,
                   responses={201: SegmentSerializer})
    def post(self, request):
        data = SegmentWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        segment = services.segment_create(actor=request.member, actor_email=request.user.email,
                                          **data.validated_data)
        return Response(SegmentSerializer(segment).data, status=status.HTTP_201_CREATED)


class SegmentDetailApi(APIView):
    permission_classes = [ReadsOrManageContacts]

    @extend_schema(operation_id="contacts_segments_retrieve", responses=SegmentSerializer)
    def get(self, request, segment_id: int):
        return Response(SegmentSerializer(access_segment(segment_id)).data)

    @extend_schema(operation_id="contacts_segments_update", request=SegmentWriteSerializer(partial=True),
                   responses=SegmentSerializer)
    def patch(self, request, segment_id: int):
        segment = access_segment(segment_id)
        data = SegmentWriteSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        fields = {k: v for k, v in data.validated_data.items() if k in request.data}
        segment = services.segment_update(actor=request.member, segment=segment, **fields)
        return Response(SegmentSerializer(segment).data)

    @extend_schema(operation_id="contacts_segments_destroy", responses={204: None})
    def delete(self, request, segment_id: int):
        services.segment_delete(actor=request.member, segment=access_segment(segment_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


class SegmentCountApi(APIView):
    """How many contacts are in the segment right now (counted in SQL on indexed filters)."""

    permission_classes = [IsTenantMember]

    @extend_schema(operation_id="contacts_segments_count", responses=SegmentCountSerializer)
    def get(self, request, segment_id: int):
        segment = access_segment(segment_id)
        return Response(_timed_count(contact_query(segment=segment.pk)))


class SegmentPreviewApi(APIView):
    """Validate a filter and count its contacts without saving it (the segment editor's live count)."""

    permission_classes = [IsTenantMember]

    @extend_schema_serializer(component_name="SegmentPreview")
    class InputSerializer(serializers.Serializer):
        filter = FilterField(help_text=FILTER_HELP)

    @extend_schema(operation_id="contacts_segments_preview", request=InputSerializer,
                   responses=SegmentCountSerializer)
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        document = services.filter_validate(data.validated_data["filter"])
        return Response(_timed_count(contact_list().filter(compile_filter(document))))

