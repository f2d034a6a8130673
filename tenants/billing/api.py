"""Billing on a business's host: what the business is on and uses (any member reads), Checkout and the
portal (the owner: the `billing` capability), and a wholesale business's prepaid wallet (owners and admins)."""
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_serializer, extend_schema_view
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.pagination import CursorPagination
from tenants.billing import selectors, services, wallet_selectors
from tenants.billing.limits import Limit
from tenants.billing.wallet_models import WalletEntry
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


# --- the wholesale wallet (docs/billing.md, "Wholesale wallet") --------------------------------------------------

class CanSeeWallet(requires(Capability.MANAGE_SETTINGS)):
    """The prepaid balance and its ledger: the people who run the business (owners and admins), not agents."""

    message = "Only owners and admins can see the prepaid balance."


NOT_WHOLESALE = OpenApiResponse(response={"$ref": "#/components/schemas/ErrorEnvelope"},
                                description="`not_found`: the business is billed by plan, not through a wallet")


@extend_schema_serializer(component_name="WalletEntry")
class WalletEntrySerializer(serializers.Serializer):
    """An entry as the business sees it: what it paid, never how the reseller's markup splits it."""

    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=WalletEntry.Kind.choices)
    amount_micros = serializers.IntegerField(help_text="funding +, charge -; 1,000,000 = one unit of currency")
    balance_after_micros = serializers.IntegerField()
    message_id = serializers.UUIDField(allow_null=True, help_text="the message charged")
    category = serializers.CharField(help_text="Meta's pricing category of a charge")
    country = serializers.CharField(help_text="the recipient's country (ISO 3166), \"\" when unknown")
    note = serializers.CharField()
    created_at = serializers.DateTimeField()


@extend_schema_serializer(component_name="WalletPrice")
class WalletPriceSerializer(serializers.Serializer):
    country = serializers.CharField(help_text="ISO 3166 alpha-2, or * for every country without a row")
    marketing_micros = serializers.IntegerField()
    utility_micros = serializers.IntegerField()
    authentication_micros = serializers.IntegerField()
    authentication_international_micros = serializers.IntegerField()


@extend_schema_serializer(component_name="WalletSpending")
class WalletSpendingSerializer(serializers.Serializer):
    category = serializers.CharField()
    messages = serializers.IntegerField()
    amount_micros = serializers.IntegerField()


class WalletApi(APIView):
    permission_classes = [CanSeeWallet]

    @extend_schema_serializer(component_name="Wallet")
    class OutputSerializer(serializers.Serializer):
        currency = serializers.CharField()
        balance_micros = serializers.IntegerField(help_text="may be negative: messages delivered after the last "
                                                            "send was allowed")
        low_balance_micros = serializers.IntegerField(help_text="the reseller is alerted below this")
        low_balance = serializers.BooleanField()
        low_alert_sent_at = serializers.DateTimeField(allow_null=True)
        reseller_name = serializers.CharField(help_text="who funds the wallet")
        month = serializers.DateField(help_text="spent_this_month's month (its first day, UTC)")
        spent_this_month = WalletSpendingSerializer(many=True)
        rate_card_date = serializers.DateField(help_text="the rate card in force (effective from)")
        prices = WalletPriceSerializer(many=True, help_text="per delivered billable message, all included")
        recent_entries = WalletEntrySerializer(many=True, help_text="the latest entries, newest first")

    @extend_schema(responses={200: OutputSerializer, 404: NOT_WHOLESALE}, operation_id="billing_wallet_retrieve")
    def get(self, request):
        return Response(self.OutputSerializer(wallet_selectors.wallet_view(request.member)).data)


class WalletEntryPagination(CursorPagination):
    ordering = "-id"


@extend_schema_view(get=extend_schema(operation_id="billing_wallet_entries_list", responses={
    200: WalletEntrySerializer(many=True), 404: NOT_WHOLESALE}))
class WalletEntryListApi(ListAPIView):
    permission_classes = [CanSeeWallet]
    serializer_class = WalletEntrySerializer
    pagination_class = WalletEntryPagination

    def get_queryset(self):
        return wallet_selectors.wallet_ledger(wallet_selectors.access_wallet(self.request.member))
