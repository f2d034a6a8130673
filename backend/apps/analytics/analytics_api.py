"""GET /api/analytics/overview/?from=&to= — the dashboard's figures (any member; what each sees: selectors.py)."""
import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_serializer, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.analytics import selectors
from apps.messaging.selectors import inbox_settings_get


class OverviewApi(APIView):
    class InputSerializer(serializers.Serializer):
        # `from` is a keyword: declared after the class (below).
        to = serializers.DateField(required=False, help_text="Last day, the business's date (default: today there)")

        def validate(self, attrs):
            today = timezone.now().astimezone(ZoneInfo(inbox_settings_get().timezone or "UTC")).date()
            for name, day in (("from", attrs.get("from")), ("to", attrs.get("to"))):
                if day is not None and not selectors.FIRST_DAY <= day <= selectors.LAST_DAY:
                    raise serializers.ValidationError({name: [f"Choose a day between {selectors.FIRST_DAY} and "
                                                              f"{selectors.LAST_DAY}."]})
            end = attrs.get("to") or today
            start = attrs.get("from") or end - dt.timedelta(days=29)
            if start > end:
                raise serializers.ValidationError({"from": ["The first day is after the last (to)."]})
            if (end - start).days + 1 > selectors.MAX_DAYS:
                raise serializers.ValidationError({"to": [f"At most {selectors.MAX_DAYS} days at a time."]})
            return {"start": start, "end": end}

    @extend_schema_serializer(component_name="AnalyticsOverview")
    class OutputSerializer(serializers.Serializer):
        to = serializers.DateField()
        time_zone = serializers.CharField(help_text="The business's time zone: it decides the days")
        scope = serializers.ChoiceField(
            choices=[("business", "business"), ("own", "own")],
            help_text="business: every conversation's figures; own: an agent's own (they don't see every conversation)")
        totals = inline_serializer("AnalyticsTotals", {
            "messages_in": serializers.IntegerField(), "messages_out": serializers.IntegerField(),
            "sent": serializers.IntegerField(help_text="outbound messages now sent, delivered or read"),
            "delivered": serializers.IntegerField(), "read": serializers.IntegerField(),
            "failed": serializers.IntegerField(),
            "delivery_rate": serializers.FloatField(allow_null=True, help_text="delivered / sent"),
            "read_rate": serializers.FloatField(allow_null=True, help_text="read / delivered"),
            "first_responses": serializers.IntegerField(),
            "first_response_seconds_mean": serializers.FloatField(allow_null=True),
            "resolutions": serializers.IntegerField(),
            "resolution_seconds_mean": serializers.FloatField(allow_null=True),
        })
        series = inline_serializer("AnalyticsDay", {
            "day": serializers.DateField(), "messages_in": serializers.IntegerField(),
            "messages_out": serializers.IntegerField(), "sent": serializers.IntegerField(),
            "delivered": serializers.IntegerField(), "read": serializers.IntegerField(),
            "failed": serializers.IntegerField(),
        }, many=True)
        open_conversations = inline_serializer("AnalyticsOpenConversations", {
            "assignee_id": serializers.IntegerField(allow_null=True), "name": serializers.CharField(),
            "count": serializers.IntegerField(),
        }, many=True)
        agents = inline_serializer("AnalyticsAgent", {
            "agent_id": serializers.IntegerField(), "name": serializers.CharField(),
            "replies": serializers.IntegerField(), "first_responses": serializers.IntegerField(),
            "first_response_seconds_mean": serializers.FloatField(allow_null=True),
            "resolutions": serializers.IntegerField(),
            "resolution_seconds_mean": serializers.FloatField(allow_null=True),
        }, many=True)
        calls = inline_serializer("AnalyticsCalls", {
            "total": serializers.IntegerField(), "inbound": serializers.IntegerField(),
            "outbound": serializers.IntegerField(), "answered": serializers.IntegerField(),
            "missed": serializers.IntegerField(help_text="customers' calls nobody answered"),
            "rejected": serializers.IntegerField(), "failed": serializers.IntegerField(),
            "talk_seconds": serializers.IntegerField(),
        }, help_text="WhatsApp calls begun on these days (an agent's own: the calls they answered or placed)")
        spend = inline_serializer("AnalyticsSpend", {
            "basis": serializers.ChoiceField(choices=["wallet", "rate_card"], help_text="wallet: the wholesale "
                                             "wallet's charges; rate_card: an estimate at Meta's rates"),
            "currency": serializers.CharField(), "total": serializers.DecimalField(max_digits=20, decimal_places=6,
                                                                                   coerce_to_string=True),
            "by_category": inline_serializer("AnalyticsSpendLine", {
                "category": serializers.CharField(), "billable": serializers.IntegerField(),
                "amount": serializers.DecimalField(max_digits=20, decimal_places=6, coerce_to_string=True),
            }, many=True),
        }, allow_null=True)
        campaigns = inline_serializer("AnalyticsCampaign", {
            "id": serializers.IntegerField(), "name": serializers.CharField(), "status": serializers.CharField(),
            "started_at": serializers.DateTimeField(), "recipients": serializers.IntegerField(),
            "sent": serializers.IntegerField(), "delivered": serializers.IntegerField(),
            "read": serializers.IntegerField(), "replied": serializers.IntegerField(),
            "failed": serializers.IntegerField(),
        }, many=True)

    InputSerializer._declared_fields["from"] = serializers.DateField(
        required=False, help_text="First day, the business's date (default: 29 days before `to`)")
    OutputSerializer._declared_fields["from"] = serializers.DateField()

    @extend_schema(operation_id="analytics_overview", parameters=[InputSerializer],
                   responses={200: OutputSerializer},
                   description="The dashboard: messages, rates, response and resolution times, open conversations, "
                               "spend, campaigns and per-person figures for the days `from`..`to` (at most 366, the "
                               "business's dates), from the daily tables (docs/analytics.md).")
    def get(self, request):
        data = self.InputSerializer(data=request.query_params)
        data.is_valid(raise_exception=True)
        result = selectors.overview(request.member, data.validated_data["start"], data.validated_data["end"])
        return Response(self.OutputSerializer(result).data)
