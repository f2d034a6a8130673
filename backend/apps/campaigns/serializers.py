"""The campaigns API's shapes: what it accepts (checked here for types, by the services for business rules) and what
it answers (the detail's numbers come from apps.campaigns.funnel and apps.campaigns.costs)."""
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from apps.campaigns import costs, funnel
from apps.campaigns.models import Campaign, CampaignRecipient
from apps.campaigns.selectors import recipient_stage
from apps.templates.preview_api import DraftPreviewSerializer

HHMM = r"^([01]\d|2[0-3]):[0-5]\d$"
METRICS = ("delivered", "read", "replied")


# --- input ------------------------------------------------------------------------------------------------------

@extend_schema_serializer(component_name="CampaignAudience")
class AudienceSerializer(serializers.Serializer):
    """Exactly one of these (the service says which is missing or extra)."""

    segment_id = serializers.IntegerField(required=False, min_value=1, max_value=2**31 - 1)
    tags = serializers.ListField(child=serializers.CharField(max_length=64), required=False, max_length=50)
    contact_ids = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=2**63 - 1),
                                        required=False, max_length=10_000)
    import_id = serializers.IntegerField(required=False, min_value=1, max_value=2**31 - 1)
    all_opted_in = serializers.BooleanField(required=False, help_text="Everyone opted in to the template's category")


@extend_schema_serializer(component_name="QuietHours")
class QuietHoursSerializer(serializers.Serializer):
    start = serializers.RegexField(HHMM, help_text="HH:MM, the recipient's local time")
    end = serializers.RegexField(HHMM, help_text="HH:MM; before start means overnight")


@extend_schema_serializer(component_name="CampaignVariantWrite")
class VariantWriteSerializer(serializers.Serializer):
    template_id = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    mapping = serializers.DictField(required=False, allow_null=True,
                                    help_text="How contacts fill its variables (default: the template's saved one)")


@extend_schema_serializer(component_name="AbTestWrite")
class AbTestWriteSerializer(serializers.Serializer):
    variants = VariantWriteSerializer(many=True, help_text="The other templates (B, C, D); A is template_id")
    test_percent = serializers.IntegerField(min_value=10, max_value=100, default=100,
                                            help_text="Share of the audience in the test; the rest gets the winner")
    metric = serializers.ChoiceField(choices=METRICS, default="read")
    decide_after_minutes = serializers.IntegerField(min_value=5, max_value=10_080, default=240)


class BusinessDateTimeField(serializers.DateTimeField):
    """A time without an offset stays naive here: the service reads it in the business's time zone, not UTC."""

    def enforce_timezone(self, value):
        return value if timezone.is_naive(value) else super().enforce_timezone(value)


@extend_schema_serializer(component_name="CampaignWrite")
class CampaignWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    phone_number_id = serializers.CharField(required=False, allow_blank=True, max_length=32,
                                            help_text="Meta's id of the number to send from; optional with one")
    template_id = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    mapping = serializers.DictField(required=False, allow_null=True,
                                    help_text="How contacts fill the variables (default: the template's saved one)")
    audience = AudienceSerializer()
    schedule_at = BusinessDateTimeField(required=False, allow_null=True,
                                        help_text="Start then (a time without offset is in the business's time zone)")
    throughput_cap = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=1000,
                                              help_text="Messages a second at most (default: the number's)")
    quiet_hours = QuietHoursSerializer(required=False, allow_null=True)
    send_at_local_time = serializers.TimeField(required=False, allow_null=True, format="%H:%M",
                                               help_text="Send to each recipient at this time of their day")
    reply_window_hours = serializers.IntegerField(required=False, min_value=1, max_value=168)
    ab_test = AbTestWriteSerializer(required=False, allow_null=True)

    def validate(self, attrs):
        if "audience" in attrs:
            attrs["audience"] = {k: v for k, v in attrs["audience"].items() if v not in (None, False)}
        return attrs


# --- output -----------------------------------------------------------------------------------------------------

@extend_schema_serializer(component_name="CampaignCounts")
class CountsSerializer(serializers.Serializer):
    recipients = serializers.IntegerField()
    excluded = serializers.IntegerField(required=False)
    pending = serializers.IntegerField(help_text="Not handed to the outbox yet (incl. an A/B holdout)")
    queued = serializers.IntegerField()
    sent = serializers.IntegerField(help_text="Accepted by WhatsApp (delivered and read included)")
    delivered = serializers.IntegerField(help_text="Delivered (read included)")
    read = serializers.IntegerField()
    replied = serializers.IntegerField(help_text="Answered within the reply window")
    failed = serializers.IntegerField()
    skipped = serializers.IntegerField(help_text="Not sent: opted out since, erased, a variable missing, cancelled")


@extend_schema_serializer(component_name="CampaignTemplate")
class TemplateRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    language = serializers.CharField()
    category = serializers.CharField()
    status = serializers.CharField()


@extend_schema_serializer(component_name="CampaignVariant")
class VariantSerializer(serializers.Serializer):
    index = serializers.IntegerField()
    label = serializers.CharField()
    template = TemplateRefSerializer()
    mapping = serializers.DictField()
    counts = CountsSerializer()


@extend_schema_serializer(component_name="CampaignNumber")
class NumberRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    phone_number_id = serializers.CharField()
    display_phone_number = serializers.CharField()
    throughput_mps = serializers.IntegerField()
    quality_rating = serializers.CharField()


@extend_schema_serializer(component_name="CampaignFailure")
class FailureSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Meta's error code, or our reason for not sending (opted_out, ...)")
    title = serializers.CharField()
    explanation = serializers.CharField()
    action = serializers.CharField(help_text="What to do about it")
    retryable = serializers.BooleanField(help_text="Worth a retarget later (failed_retryable)")
    count = serializers.IntegerField()


@extend_schema_serializer(component_name="CostLine")
class CostLineSerializer(serializers.Serializer):
    country = serializers.CharField(help_text="ISO 3166 alpha-2; empty when unknown (the rest-of-world rate)")
    category = serializers.CharField()
    count = serializers.IntegerField()
    rate = serializers.CharField(help_text="Per message, decimal")
    amount = serializers.CharField(help_text="Decimal")


@extend_schema_serializer(component_name="CostEstimate")
class EstimateSerializer(serializers.Serializer):
    currency = serializers.CharField()
    total = serializers.CharField(help_text="Decimal")
    lines = CostLineSerializer(many=True)
    rate_card_date = serializers.DateField(help_text="The rate card in force (effective from)")


@extend_schema_serializer(component_name="CampaignCost")
class CostSerializer(serializers.Serializer):
    estimate = EstimateSerializer(help_text="Every recipient delivered, at the rate card's prices")
    actual = EstimateSerializer(help_text="What WhatsApp reported billable (status webhooks' pricing), priced by "
                                          "the rate card")


@extend_schema_serializer(component_name="CampaignWaiting")
class WaitingSerializer(serializers.Serializer):
    reason = serializers.CharField(help_text="quiet_hours, local_time, daily_limit, ab_decision, backoff")
    until = serializers.DateTimeField(allow_null=True)


@extend_schema_serializer(component_name="CampaignRate")
class RateSerializer(serializers.Serializer):
    configured = serializers.IntegerField(help_text="Messages a second: the number's throughput or the cap")
    current = serializers.FloatField()


@extend_schema_serializer(component_name="CampaignExcluded")
class ExcludedSerializer(serializers.Serializer):
    opted_out = serializers.IntegerField()
    unreachable = serializers.IntegerField()
    duplicates = serializers.IntegerField()


def _number(campaign: Campaign) -> dict:
    number = campaign.phone_number
    return {"id": number.pk, "phone_number_id": number.phone_number_id,
            "display_phone_number": number.display_phone_number, "throughput_mps": number.throughput_mps,
            "quality_rating": number.quality_rating}


@extend_schema_serializer(component_name="CampaignSummary")
class CampaignSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    status = serializers.ChoiceField(choices=Campaign.Status.choices)
    status_reason = serializers.CharField()
    phone_number = serializers.SerializerMethodField()
    counts = serializers.SerializerMethodField()
    progress = serializers.SerializerMethodField()
    schedule_at = serializers.DateTimeField(allow_null=True)
    started_at = serializers.DateTimeField(allow_null=True)
    completed_at = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()

    def _counts(self, campaign: Campaign):
        if not hasattr(campaign, "_funnel"):
            campaign._funnel = funnel.campaign_counts(campaign)
        return campaign._funnel

    @extend_schema_field(NumberRefSerializer)
    def get_phone_number(self, campaign: Campaign) -> dict:
        return _number(campaign)

    @extend_schema_field(CountsSerializer)
    def get_counts(self, campaign: Campaign) -> dict:
        return self._counts(campaign)[0]

    @extend_schema_field(serializers.FloatField(help_text="0 to 1: recipients past the outbox, of all"))
    def get_progress(self, campaign: Campaign) -> float:
        counts = self._counts(campaign)[0]
        if not counts["recipients"]:
            return 1.0 if campaign.is_final else 0.0
        done = counts["sent"] + counts["failed"] + counts["skipped"]
        return round(done / counts["recipients"], 4)


@extend_schema_serializer(component_name="CampaignDetail")
class CampaignDetailSerializer(CampaignSummarySerializer):
    audience = serializers.DictField()
    waiting = serializers.SerializerMethodField()
    throughput_cap = serializers.IntegerField(allow_null=True)
    quiet_hours = QuietHoursSerializer(allow_null=True)
    send_at_local_time = serializers.TimeField(allow_null=True, format="%H:%M")
    reply_window_hours = serializers.IntegerField()
    split_across_days = serializers.BooleanField()
    ab_test = serializers.DictField(allow_null=True, help_text="test_percent, metric, decide_after_minutes")
    winner_variant = serializers.SerializerMethodField()
    decide_at = serializers.DateTimeField(allow_null=True)
    variants = serializers.SerializerMethodField()
    excluded = serializers.SerializerMethodField()
    failures = serializers.SerializerMethodField()
    cost = serializers.SerializerMethodField()
    rate = serializers.SerializerMethodField()
    retarget_of = serializers.IntegerField(source="retarget_of_id", allow_null=True)
    retarget_stage = serializers.CharField()
    created_by_email = serializers.CharField()
    updated_at = serializers.DateTimeField()

    @extend_schema_field(WaitingSerializer(allow_null=True))
    def get_waiting(self, campaign: Campaign):
        if campaign.status != Campaign.Status.RUNNING or not campaign.waiting_reason:
            return None
        return {"reason": campaign.waiting_reason, "until": campaign.next_run_at}

    @extend_schema_field(serializers.IntegerField(allow_null=True, help_text="The A/B test's winner (decided, or "
                                                                              "leading once the campaign ended)"))
    def get_winner_variant(self, campaign: Campaign):
        if campaign.winner_variant is not None or not campaign.ab_test or not campaign.is_final:
            return campaign.winner_variant
        return funnel.ab_leader(campaign, self._counts(campaign)[1])

    @extend_schema_field(VariantSerializer(many=True))
    def get_variants(self, campaign: Campaign) -> list:
        by_variant = self._counts(campaign)[1]
        return [{"index": v.index, "label": v.label, "mapping": v.mapping,
                 "template": {"id": v.template.pk, "name": v.template.name, "language": v.template.language,
                              "category": v.template.category, "status": v.template.status},
                 "counts": by_variant.get(v.index, funnel.empty_counts())}
                for v in campaign.variants.select_related("template")]

    @extend_schema_field(ExcludedSerializer)
    def get_excluded(self, campaign: Campaign) -> dict:
        return {"opted_out": campaign.excluded_opted_out, "unreachable": campaign.excluded_unreachable,
                "duplicates": campaign.excluded_duplicates}

    @extend_schema_field(FailureSerializer(many=True))
    def get_failures(self, campaign: Campaign) -> list:
        return funnel.campaign_failures(campaign)

    @extend_schema_field(CostSerializer)
    def get_cost(self, campaign: Campaign) -> dict:
        return costs.campaign_costs(campaign)

    @extend_schema_field(RateSerializer)
    def get_rate(self, campaign: Campaign) -> dict:
        number = campaign.phone_number
        configured = min(campaign.throughput_cap or number.throughput_mps, number.throughput_mps)
        return {"configured": configured, "current": campaign.rate_current}


@extend_schema_serializer(component_name="CampaignRecipient")
class RecipientSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    contact_id = serializers.IntegerField(allow_null=True)
    contact_name = serializers.CharField(allow_null=True)
    to = serializers.CharField(source="identity")
    variant = serializers.IntegerField(allow_null=True)
    state = serializers.SerializerMethodField()
    message_id = serializers.UUIDField(allow_null=True)
    error_code = serializers.SerializerMethodField()
    error_title = serializers.SerializerMethodField()
    skip_reason = serializers.CharField()
    sent_at = serializers.DateTimeField(source="message.sent_at", allow_null=True, default=None)
    delivered_at = serializers.DateTimeField(source="message.delivered_at", allow_null=True, default=None)
    read_at = serializers.DateTimeField(source="message.read_at", allow_null=True, default=None)
    failed_at = serializers.DateTimeField(source="message.failed_at", allow_null=True, default=None)

    @extend_schema_field(serializers.CharField(help_text="pending, held, skipped, queued, sending, sent, delivered, "
                                                         "read, replied, failed or unknown"))
    def get_state(self, recipient: CampaignRecipient) -> str:
        return recipient_stage(recipient)

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_error_code(self, recipient: CampaignRecipient):
        return recipient.message.error_code if recipient.message_id else recipient.error_code

    @extend_schema_field(serializers.CharField())
    def get_error_title(self, recipient: CampaignRecipient) -> str:
        return recipient.message.error_title if recipient.message_id else recipient.error_title


@extend_schema_serializer(component_name="AudienceDailyLimit")
class DailyLimitSerializer(serializers.Serializer):
    tier = serializers.CharField()
    limit = serializers.IntegerField(allow_null=True, help_text="People a day; null: unlimited")
    used = serializers.IntegerField(help_text="People sent a template in the last 24 hours")
    remaining = serializers.IntegerField(allow_null=True)


@extend_schema_serializer(component_name="AudienceSample")
class SampleSerializer(serializers.Serializer):
    contact_id = serializers.IntegerField()
    name = serializers.CharField()
    to = serializers.CharField()
    preview = DraftPreviewSerializer(help_text="The template as this contact gets it with the mapping")


@extend_schema_serializer(component_name="AudiencePreview")
class AudiencePreviewSerializer(serializers.Serializer):
    recipients = serializers.IntegerField()
    excluded = ExcludedSerializer()
    estimate = EstimateSerializer()
    daily_limit = DailyLimitSerializer()
    sample = SampleSerializer(many=True)
