"""The templates API: every member lists and reads; owners and admins (manage_templates) submit, edit, delete,
sync, acknowledge and upload header samples. Thin: the services decide, Meta's rules live in validation.py."""
from django.core.validators import RegexValidator
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_serializer,
    extend_schema_view,
)
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.input_guards import MultiPartParser
from apps.core.pagination import CursorPagination
from apps.templates import services
from apps.templates.models import Template, TemplateEvent, TemplateSync
from apps.templates.rendering import template_variables
from apps.templates.selectors import access_template, template_list, template_sync_list
from apps.templates.sync import templates_sync_start
from apps.templates.validation import CATEGORIES, PARAMETER_FORMATS
from tenants.members import Capability
from tenants.permissions import requires

ReadsOrManageTemplates = requires(Capability.MANAGE_TEMPLATES, reads_open=True)
CanManageTemplates = requires(Capability.MANAGE_TEMPLATES)
WABA_ID = r"^\d{1,32}$"


class DocumentedPattern(RegexValidator):
    """A pattern validation.py enforces, stated in the OpenAPI schema. It checks nothing itself: the service
    checks the whole definition and reports every problem at once (`template_invalid`)."""

    def __call__(self, value):
        pass


def _one_of(words, **kwargs) -> serializers.RegexField:
    """One of Meta's words, upper or lower case. A pattern rather than an enum: the OpenAPI document's enums are
    named by field, and other components already have a `category` enum of their own."""
    options = "|".join([*words, *(w.lower() for w in words)])
    return serializers.RegexField(rf"^({options})$", error_messages={
        "invalid": f"Must be one of {', '.join(words)}."}, **kwargs)


# --- output -----------------------------------------------------------------------------------------------

@extend_schema_serializer(component_name="TemplateButtonVariables")
class ButtonVariablesSerializer(serializers.Serializer):
    index = serializers.IntegerField(help_text="The button's position in the template (zero-based)")
    names = serializers.ListField(child=serializers.CharField())


@extend_schema_serializer(component_name="TemplateCardVariables")
class CardVariablesSerializer(serializers.Serializer):
    header = serializers.ListField(child=serializers.CharField())
    body = serializers.ListField(child=serializers.CharField())
    buttons = ButtonVariablesSerializer(many=True)


@extend_schema_serializer(component_name="TemplateVariables")
class VariablesSerializer(serializers.Serializer):
    header = serializers.ListField(child=serializers.CharField(),
                                   help_text="The header's variable, or its media kind (image, location, ...)")
    body = serializers.ListField(child=serializers.CharField(), help_text="\"1\", \"2\", ... or the names")
    buttons = ButtonVariablesSerializer(many=True)
    cards = CardVariablesSerializer(many=True)
    limited_time_offer = serializers.ListField(child=serializers.CharField())


@extend_schema_serializer(component_name="Template")
class TemplateSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    meta_template_id = serializers.CharField()
    waba_id = serializers.CharField()
    name = serializers.CharField()
    language = serializers.CharField()
    category = serializers.CharField(help_text="MARKETING, UTILITY or AUTHENTICATION")
    previous_category = serializers.CharField()
    pending_category = serializers.CharField(help_text="The category Meta announced it will move the template to")
    sub_category = serializers.CharField()
    status = serializers.CharField(help_text="Meta's status: APPROVED, PENDING, REJECTED, PAUSED, DISABLED, ...")
    quality_score = serializers.CharField(help_text="GREEN, YELLOW, RED, UNKNOWN or empty")
    rejected_reason = serializers.CharField()
    reason_detail = serializers.CharField()
    parameter_format = serializers.CharField(help_text="POSITIONAL ({{1}}) or NAMED ({{first_name}})")
    components = serializers.ListField(child=serializers.DictField(), help_text="Meta's components, as Meta has them")
    message_send_ttl_seconds = serializers.IntegerField(allow_null=True)
    mapping = serializers.DictField(help_text="How a contact's fields fill the variables (PUT .../mapping/)")
    variables = serializers.SerializerMethodField()
    attention = serializers.CharField(help_text="What the team should look at (empty: nothing), until acknowledged")
    attention_since = serializers.DateTimeField(allow_null=True)
    synced_at = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    @extend_schema_field(VariablesSerializer)
    def get_variables(self, template: Template) -> dict:
        return template_variables(template.components, template.parameter_format, template.category)


@extend_schema_serializer(component_name="TemplateEvent")
class TemplateEventSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=TemplateEvent.Kind.choices)
    value = serializers.CharField()
    source = serializers.ChoiceField(choices=TemplateEvent.Source.choices,
                                     help_text="Meta's webhook, a sync with Meta's list, or a member")
    actor_email = serializers.CharField(help_text="The member who did it (empty for Meta)")
    detail = serializers.DictField(help_text="The webhook's value object, or what a sync or member changed")
    created_at = serializers.DateTimeField()


@extend_schema_serializer(component_name="TemplateDetail")
class TemplateDetailSerializer(TemplateSerializer):
    events = TemplateEventSerializer(many=True)


@extend_schema_serializer(component_name="TemplateSync")
class TemplateSyncSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    waba_id = serializers.CharField()
    status = serializers.ChoiceField(choices=TemplateSync.Status.choices)
    trigger = serializers.CharField(help_text="connect, member or schedule")
    seen = serializers.IntegerField()
    added = serializers.IntegerField()
    updated = serializers.IntegerField()
    removed = serializers.IntegerField()
    error = serializers.CharField()
    started_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)


class TemplatePagination(CursorPagination):
    ordering = ("-created_at", "-id")


class SyncPagination(CursorPagination):
    ordering = ("-started_at", "-id")


def _flag(value: str | None) -> bool | None:
    return {"true": True, "1": True, "false": False, "0": False}.get((value or "").lower())


LIST_FILTERS = [
    OpenApiParameter("status", str, description="Meta's status, e.g. APPROVED"),
    OpenApiParameter("category", str, description="MARKETING, UTILITY or AUTHENTICATION"),
    OpenApiParameter("language", str, description="e.g. en_US"),
    OpenApiParameter("waba_id", str, description="One WhatsApp account's templates"),
    OpenApiParameter("q", str, description="Name contains"),
    OpenApiParameter("attention", bool, description="true: only templates the team should look at"),
]


@extend_schema_view(get=extend_schema(operation_id="templates_list", parameters=LIST_FILTERS))
class TemplateListApi(ListAPIView):
    """The business's templates, newest first. POST submits a new one to Meta (owners and admins)."""

    permission_classes = [ReadsOrManageTemplates]
    serializer_class = TemplateSerializer
    pagination_class = TemplatePagination

    @extend_schema_serializer(component_name="TemplateCreate")
    class InputSerializer(serializers.Serializer):
        waba_id = serializers.RegexField(WABA_ID, required=False,
                                         help_text="The WhatsApp account; optional when the business has one")
        name = serializers.CharField(max_length=512, trim_whitespace=False,
                                     validators=[DocumentedPattern(r"^[a-z0-9_]+$")],
                                     help_text="Lowercase letters, digits and underscores")
        language = serializers.CharField(max_length=16, trim_whitespace=False,
                                         validators=[DocumentedPattern(r"^[a-z]{2,3}(_[A-Z]{2})?$")])
        category = _one_of(CATEGORIES)
        parameter_format = _one_of(PARAMETER_FORMATS, required=False)
        components = serializers.ListField(child=serializers.DictField(), min_length=1,
                                           help_text="Meta's creation components (reference §5.2): HEADER, BODY, "
                                                     "FOOTER, BUTTONS, CAROUSEL, LIMITED_TIME_OFFER")
        message_send_ttl_seconds = serializers.IntegerField(required=False, min_value=-1, max_value=2_592_000)

    def get_queryset(self):
        params = self.request.query_params
        return template_list(self.request.member, status=params.get("status", ""),
                             category=params.get("category", ""), language=params.get("language", ""),
                             waba_id=params.get("waba_id", ""), q=params.get("q", ""),
                             attention=_flag(params.get("attention")))

    @extend_schema(request=InputSerializer, responses={201: TemplateSerializer}, operation_id="templates_create")
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        definition = dict(data.validated_data)
        waba_id = definition.pop("waba_id", None)
        template = services.template_create(member=request.member, definition=definition, waba_id=waba_id)
        return Response(TemplateSerializer(template).data, status=status.HTTP_201_CREATED)


class TemplateDetailApi(APIView):
    """One template with its history. PATCH edits where Meta allows; DELETE deletes at Meta (the row stays,
    DELETED, with its history)."""

    permission_classes = [ReadsOrManageTemplates]

    @extend_schema_serializer(component_name="TemplateEdit")
    class InputSerializer(serializers.Serializer):
        components = serializers.ListField(child=serializers.DictField(), min_length=1, required=False,
                                           help_text="The whole new components (Meta replaces them)")
        category = _one_of(CATEGORIES, required=False)
        message_send_ttl_seconds = serializers.IntegerField(required=False, min_value=-1, max_value=2_592_000)

    @extend_schema(responses=TemplateDetailSerializer, operation_id="templates_retrieve")
    def get(self, request, template_id: int):
        return Response(TemplateDetailSerializer(access_template(request.member, template_id)).data)

    @extend_schema(request=InputSerializer, responses=TemplateSerializer, operation_id="templates_update")
    def patch(self, request, template_id: int):
        template = access_template(request.member, template_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        template = services.template_edit(member=request.member, template=template, **data.validated_data)
        return Response(TemplateSerializer(template).data)

    @extend_schema(parameters=[OpenApiParameter("all_languages", bool, description="Delete every language of "
                                                                                    "the name, not only this one")],
                   responses={204: None}, operation_id="templates_destroy")
    def delete(self, request, template_id: int):
        template = access_template(request.member, template_id)
        services.template_delete(member=request.member, template=template,
                                 all_languages=bool(_flag(request.query_params.get("all_languages"))))
        return Response(status=status.HTTP_204_NO_CONTENT)


class TemplateAcknowledgeApi(APIView):
    """A member saw what needed attention: `attention` is cleared (the history keeps who and what)."""

    permission_classes = [CanManageTemplates]

    @extend_schema(request=None, responses=TemplateSerializer, operation_id="templates_acknowledge")
    def post(self, request, template_id: int):
        template = services.template_acknowledge(member=request.member,
                                                 template=access_template(request.member, template_id))
        return Response(TemplateSerializer(template).data)


class TemplateSyncApi(APIView):
    """Reconcile with Meta's list now: answers the queued sync at once; follow it in GET .../syncs/."""

    permission_classes = [CanManageTemplates]

    @extend_schema_serializer(component_name="TemplateSyncStart")
    class InputSerializer(serializers.Serializer):
        waba_id = serializers.RegexField(WABA_ID, required=False,
                                         help_text="The WhatsApp account; optional when the business has one")

    @extend_schema(request=InputSerializer, responses={202: TemplateSyncSerializer}, operation_id="templates_sync")
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        account = services.account_for(data.validated_data.get("waba_id"))
        sync = templates_sync_start(actor=request.member, waba_id=account.waba_id, trigger="member")
        return Response(TemplateSyncSerializer(sync).data, status=status.HTTP_202_ACCEPTED)


@extend_schema_view(get=extend_schema(operation_id="templates_syncs_list", parameters=[
    OpenApiParameter("waba_id", str, description="One WhatsApp account's syncs")]))
class TemplateSyncListApi(ListAPIView):
    """The latest syncs, newest first (progress and counts of the sync button)."""

    permission_classes = [ReadsOrManageTemplates]
    serializer_class = TemplateSyncSerializer
    pagination_class = SyncPagination

    def get_queryset(self):
        return template_sync_list(self.request.member, waba_id=self.request.query_params.get("waba_id", ""))


class TemplateUploadApi(APIView):
    """A media header's sample, uploaded through Meta's Resumable Upload: put the `handle` in the header's
    `example.header_handle`. JPEG or PNG images (5 MB), MP4 videos (16 MB), PDF documents (100 MB)."""

    permission_classes = [CanManageTemplates]
    parser_classes = [MultiPartParser]

    @extend_schema_serializer(component_name="TemplateUpload")
    class InputSerializer(serializers.Serializer):
        file = serializers.FileField(allow_empty_file=True)
        waba_id = serializers.RegexField(WABA_ID, required=False)

    @extend_schema_serializer(component_name="TemplateUploadResult")
    class OutputSerializer(serializers.Serializer):
        handle = serializers.CharField(help_text="Meta's header handle (example.header_handle)")
        mime_type = serializers.CharField()
        size = serializers.IntegerField()
        filename = serializers.CharField()
        format = serializers.ChoiceField(choices=["IMAGE", "VIDEO", "DOCUMENT"],
                                         help_text="The header format the sample is for")

    @extend_schema(request={"multipart/form-data": InputSerializer}, responses={201: OutputSerializer},
                   operation_id="templates_uploads_create")
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        upload = data.validated_data["file"]
        result = services.header_sample_upload(member=request.member, upload=upload,
                                               waba_id=data.validated_data.get("waba_id"))
        return Response(self.OutputSerializer(result).data, status=status.HTTP_201_CREATED)

