"""The campaigns API (owners and admins: run_campaigns). Thin: services decide, selectors read, the detail's
numbers come from apps.campaigns.funnel and apps.campaigns.costs."""
from django.db import connection
from django.http import StreamingHttpResponse
from django.utils import timezone
from django_tenants.utils import tenant_context
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_serializer, extend_schema_view
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.campaigns import costs, services
from apps.campaigns.audience import STAGES as RETARGET_STAGES
from apps.campaigns.audience import audience_clean, audience_preview
from apps.campaigns.limits import daily_budget
from apps.campaigns.models import Campaign
from apps.campaigns.reports import recipients_csv
from apps.campaigns.selectors import STAGES, access_campaign, campaign_list, recipient_list
from apps.campaigns.serializers import (
    AudiencePreviewSerializer,
    CampaignDetailSerializer,
    CampaignSummarySerializer,
    CampaignWriteSerializer,
    RecipientSerializer,
)
from apps.core.csv_export import CSV_RESPONSE, CsvRenderer
from apps.core.errors import ApplicationError
from apps.core.pagination import CursorPagination
from apps.templates.selectors import access_template
from apps.whatsapp.selectors import number_for_sending
from tenants.members import Capability
from tenants.permissions import requires

CanRunCampaigns = requires(Capability.RUN_CAMPAIGNS)


class CampaignPagination(CursorPagination):
    ordering = ("-created_at", "-id")


class RecipientPagination(CursorPagination):
    ordering = ("id",)
    page_size = 50


def _detail(campaign: Campaign) -> Response:
    campaign.refresh_from_db()
    return Response(CampaignDetailSerializer(campaign).data)


@extend_schema_view(get=extend_schema(operation_id="campaigns_list", parameters=[
    OpenApiParameter("status", str, enum=list(Campaign.Status.values), description="Only campaigns in this status")]))
class CampaignListApi(ListAPIView):
    """The business's campaigns, newest first. POST creates a draft."""

    permission_classes = [CanRunCampaigns]
    serializer_class = CampaignSummarySerializer
    pagination_class = CampaignPagination

    def get_queryset(self):
        wanted = self.request.query_params.get("status", "")
        return campaign_list(self.request.member, status=wanted if wanted in Campaign.Status.values else "")

    @extend_schema(operation_id="campaigns_create", request=CampaignWriteSerializer,
                   responses={201: CampaignDetailSerializer})
    def post(self, request):
        data = CampaignWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        campaign = services.campaign_create(member=request.member, data=data.validated_data)
        return Response(CampaignDetailSerializer(campaign).data, status=status.HTTP_201_CREATED)


class CampaignDetailApi(APIView):
    """One campaign with its funnel, failures and cost. PATCH edits a draft; DELETE deletes a draft."""

    permission_classes = [CanRunCampaigns]

    @extend_schema(operation_id="campaigns_retrieve", responses=CampaignDetailSerializer)
    def get(self, request, campaign_id: int):
        return Response(CampaignDetailSerializer(access_campaign(request.member, campaign_id)).data)

    @extend_schema(operation_id="campaigns_update", request=CampaignWriteSerializer(partial=True),
                   responses=CampaignDetailSerializer)
    def patch(self, request, campaign_id: int):
        campaign = access_campaign(request.member, campaign_id)
        data = CampaignWriteSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        return _detail(services.campaign_update(member=request.member, campaign=campaign, data=data.validated_data))

    @extend_schema(operation_id="campaigns_destroy", responses={204: None})
    def delete(self, request, campaign_id: int):
        services.campaign_delete(member=request.member, campaign=access_campaign(request.member, campaign_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_serializer(component_name="CampaignStart")
class StartSerializer(serializers.Serializer):
    split_across_days = serializers.BooleanField(
        required=False, default=False,
        help_text="When the audience is larger than the daily messaging limit has left: send what fits each day")


class CampaignStartApi(APIView):
    permission_classes = [CanRunCampaigns]

    @extend_schema(operation_id="campaigns_start", request=StartSerializer, responses=CampaignDetailSerializer)
    def post(self, request, campaign_id: int):
        campaign = access_campaign(request.member, campaign_id)
        data = StartSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return _detail(services.campaign_start(member=request.member, campaign=campaign,
                                               split_across_days=data.validated_data["split_across_days"]))


def _action(name: str, service):
    class CampaignActionApi(APIView):
        permission_classes = [CanRunCampaigns]

        @extend_schema(operation_id=f"campaigns_{name}", request=None, responses=CampaignDetailSerializer)
        def post(self, request, campaign_id: int):
            campaign = access_campaign(request.member, campaign_id)
            return _detail(service(member=request.member, campaign=campaign))

    CampaignActionApi.__name__ = CampaignActionApi.__qualname__ = f"Campaign{name.title()}Api"
    CampaignActionApi.__doc__ = {"pause": "Pause: sends stop within a second; resume goes on where it stopped.",
                                 "resume": "Resume a paused campaign.",
                                 "cancel": "Cancel: nothing more is sent; the report keeps what was."}[name]
    return CampaignActionApi


CampaignPauseApi = _action("pause", services.campaign_pause)
CampaignResumeApi = _action("resume", services.campaign_resume)
CampaignCancelApi = _action("cancel", services.campaign_cancel)


@extend_schema_serializer(component_name="CampaignRetarget")
class RetargetSerializer(serializers.Serializer):
    stage = serializers.ChoiceField(choices=RETARGET_STAGES)
    name = serializers.CharField(max_length=200, required=False, allow_blank=True)


class CampaignRetargetApi(APIView):
    """A new draft to the recipients at one stage of this campaign's funnel."""

    permission_classes = [CanRunCampaigns]

    @extend_schema(operation_id="campaigns_retarget", request=RetargetSerializer,
                   responses={201: CampaignDetailSerializer})
    def post(self, request, campaign_id: int):
        campaign = access_campaign(request.member, campaign_id)
        data = RetargetSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        retarget = services.campaign_retarget(member=request.member, campaign=campaign, **data.validated_data)
        return Response(CampaignDetailSerializer(retarget).data, status=status.HTTP_201_CREATED)


RECIPIENT_FILTERS = [
    OpenApiParameter("state", str, enum=list(STAGES), description="The recipient's stage"),
    OpenApiParameter("error_code", int, description="Meta's error code of failed recipients"),
]


def _error_code(value: str | None) -> int | None:
    if value in (None, ""):
        return None
    try:
        return int(value)
    except ValueError:
        raise ApplicationError("Not an error code.", code="validation_error",
                               errors={"error_code": ["A number, e.g. 131026."]}) from None


@extend_schema_view(get=extend_schema(operation_id="campaigns_recipients_list", parameters=RECIPIENT_FILTERS))
class CampaignRecipientListApi(ListAPIView):
    permission_classes = [CanRunCampaigns]
    serializer_class = RecipientSerializer
    pagination_class = RecipientPagination

    def get_queryset(self):
        campaign = access_campaign(self.request.member, self.kwargs["campaign_id"])
        params = self.request.query_params
        stage = params.get("state", "")
        return recipient_list(self.request.member, campaign, stage=stage if stage in STAGES else "",
                              error_code=_error_code(params.get("error_code")))


class CampaignReportCsvApi(APIView):
    """Every recipient with its stage, error and times, as CSV (streamed)."""

    permission_classes = [CanRunCampaigns]
    renderer_classes = [JSONRenderer, CsvRenderer]

    @extend_schema(operation_id="campaigns_report_csv", responses=CSV_RESPONSE)
    def get(self, request, campaign_id: int):
        campaign = access_campaign(request.member, campaign_id)
        recipients = recipient_list(request.member, campaign)
        tenant = connection.tenant

        def lines():
            with tenant_context(tenant):  # streamed after the view returns
                yield from recipients_csv(recipients)

        response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
        stamp = timezone.now().strftime("%Y%m%d-%H%M")
        response["Content-Disposition"] = f'attachment; filename="campaign-{campaign.pk}-{stamp}.csv"'
        return response


@extend_schema_serializer(component_name="CampaignAudienceQuery")
class AudienceQuerySerializer(serializers.Serializer):
    phone_number_id = serializers.CharField(required=False, allow_blank=True, max_length=32)
    template_id = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    audience = serializers.DictField(help_text="Exactly one of segment_id, tags, contact_ids, import_id, "
                                               "all_opted_in")
    mapping = serializers.DictField(required=False, allow_null=True,
                                    help_text="The campaign's mapping for the sample's previews (default: the "
                                              "template's saved one)")


class CampaignAudienceApi(APIView):
    """How many people an audience reaches for a template (exclusions, cost estimate, the daily limit, a sample),
    before anything is created."""

    permission_classes = [CanRunCampaigns]

    @extend_schema(operation_id="campaigns_audience", request=AudienceQuerySerializer,
                   responses=AudiencePreviewSerializer)
    def post(self, request):
        data = AudienceQuerySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        number = number_for_sending(data.validated_data.get("phone_number_id"))
        template = access_template(request.member, data.validated_data["template_id"])
        audience = audience_clean(data.validated_data["audience"])
        preview = audience_preview(audience, template)
        samples = services.sample_previews(template, data.validated_data.get("mapping"),
                                           [pk for pk, _, _ in preview.sample])
        budget = daily_budget(number)
        return Response(AudiencePreviewSerializer({
            "recipients": preview.counts.recipients,
            "excluded": {"opted_out": preview.counts.opted_out, "unreachable": preview.counts.unreachable,
                         "duplicates": preview.counts.duplicates},
            "estimate": costs.estimate_for(preview.by_country, template.category),
            "daily_limit": {"tier": budget.tier, "limit": budget.limit, "used": budget.used,
                            "remaining": budget.remaining},
            "sample": [{"contact_id": pk, "name": name, "to": to, "preview": samples[pk]}
                       for pk, name, to in preview.sample],
        }).data)
