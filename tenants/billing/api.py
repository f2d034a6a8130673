"""Billing on a business's host: what the business is on and uses (any member reads), Checkout and the
portal (the owner: the `billing` capability)."""
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from tenants.billing import selectors, services
from tenants.billing.limits import Limit
from tenants.members import Capability
from tenants.permissions import requires

CanBill = requires(Capability.BILLING)
UNAVAILABLE = OpenApiResponse(response={"$ref": "#/components/schemas/ErrorEnvelope"},
                              description="`billing_unavailable` or `billing_feature_unavailable`: the payment "
                                          "provider can't do it now (or at all on this installation)")
LIMITS = [Limit.NUMBERS, Limit.SEATS, Limit.CONTACTS, Limit.MESSAGES_PER_MONTH, Limit.CAMPAIGNS_PER_MONTH]


@extend_schema_serializer(component_name="BillingPlan")
class PlanSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    price_cents = serializers.IntegerField()
    currency = serializers.CharField()
    trial_days = serializers.IntegerField()
    for_sale = serializers.BooleanField()
    numbers = serializers.IntegerField(allow_null=True)
    seats = serializers.IntegerField(allow_null=True)
    contacts = serializers.IntegerField(allow_null=True)
    messages_per_month = serializers.IntegerField(allow_null=True)
    campaigns_per_month = serializers.IntegerField(allow_null=True)
    overage_cents_per_message = serializers.IntegerField(
        allow_null=True, help_text="Messages beyond messages_per_month are billed at this price; null: a hard limit")


@extend_schema_serializer(component_name="BillingUsage")
class UsageSerializer(serializers.Serializer):
    limit = serializers.ChoiceField(choices=LIMITS)
    used = serializers.IntegerField(allow_null=True, help_text="null: not counted here")
    maximum = serializers.IntegerField(allow_null=True, help_text="null: unlimited")


@extend_schema_serializer(component_name="BillingInvoice")
class InvoiceSerializer(serializers.Serializer):
    id = serializers.CharField()
    status = serializers.CharField()
    total = serializers.IntegerField(help_text="in the currency's smallest unit")
    currency = serializers.CharField()
    created = serializers.IntegerField(help_text="Unix time")
    hosted_invoice_url = serializers.CharField()


class BillingApi(APIView):
    @extend_schema_serializer(component_name="Billing")
    class OutputSerializer(serializers.Serializer):
        plan = PlanSerializer()
        status = serializers.ChoiceField(choices=["trialing", "active", "past_due", "canceled", "read_only"])
        trial_end = serializers.DateTimeField(allow_null=True)
        current_period_end = serializers.DateTimeField(allow_null=True)
        read_only_at = serializers.DateTimeField(allow_null=True, help_text="when writes stop unless paid")
        usage = UsageSerializer(many=True)
        counters = serializers.DictField(child=serializers.IntegerField(),
                                         help_text="this month's metered usage by metric")
        invoices = InvoiceSerializer(many=True)
        invoices_available = serializers.BooleanField()
        plans = PlanSerializer(many=True)
        can_manage = serializers.BooleanField()

    @extend_schema(responses={200: OutputSerializer}, operation_id="billing_retrieve")
    def get(self, request):
        data = selectors.billing_overview(request.member)
        return Response(self.OutputSerializer(data).data)


class CheckoutApi(APIView):
    permission_classes = [CanBill]

    @extend_schema_serializer(component_name="BillingCheckout")
    class InputSerializer(serializers.Serializer):
        plan = serializers.SlugField(max_length=32, help_text="a plan's code (GET /api/billing/ plans)")

    @extend_schema_serializer(component_name="BillingRedirect")
    class OutputSerializer(serializers.Serializer):
        url = serializers.CharField(help_text="where to send the browser")

    @extend_schema(request=InputSerializer, responses={200: OutputSerializer, 503: UNAVAILABLE},
                   operation_id="billing_checkout")
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        url = services.checkout_start(actor=request.member, plan_code=data.validated_data["plan"])
        return Response(self.OutputSerializer({"url": url}).data)


class PortalApi(APIView):
    permission_classes = [CanBill]

    @extend_schema(request=None, responses={200: CheckoutApi.OutputSerializer, 503: UNAVAILABLE},
                   operation_id="billing_portal")
    def post(self, request):
        url = services.portal_start(actor=request.member)
        return Response(CheckoutApi.OutputSerializer({"url": url}).data)
