"""Wholesale billing on the console: open a business's prepaid wallet, set its markup, fund it, read its ledger.
Thin views over tenants.billing.wallet (the money) and tenants.partners (who may)."""
from django.db import transaction
from django.http import Http404
from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.response import Response

from apps.core.pagination import CursorPagination
from tenants.billing import wallet as wallets
from tenants.billing.services import subscription_wholesale
from tenants.billing.wallet_models import WalletEntry
from tenants.billing.wallet_selectors import wallet_ledger, wallet_of, wallet_summary
from tenants.partners import selectors
from tenants.partners.models import ResellerEvent
from tenants.partners.permissions import PartnerApi, PartnerCapability, partner_requires
from tenants.partners.services import event_log

CanManageWallets = partner_requires(PartnerCapability.MANAGE_WALLETS, reads_open=True)


class SpentSerializer(serializers.Serializer):
    category = serializers.CharField()
    messages = serializers.IntegerField()
    amount_micros = serializers.IntegerField()


@extend_schema_serializer(component_name="PartnerWalletEntry")
class EntrySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=WalletEntry.Kind.choices)
    amount_micros = serializers.IntegerField(help_text="funding +, charge -")
    balance_after_micros = serializers.IntegerField()
    wamid = serializers.CharField()
    category = serializers.CharField()
    country = serializers.CharField()
    meta_rate_micros = serializers.IntegerField(allow_null=True, help_text="Meta's price of the message")
    markup_micros = serializers.IntegerField(allow_null=True, help_text="the reseller's share")
    actor_email = serializers.EmailField(source="actor.email", allow_null=True, default=None)
    note = serializers.CharField()
    created_at = serializers.DateTimeField()


@extend_schema_serializer(component_name="PartnerWallet")
class WalletSerializer(serializers.Serializer):
    currency = serializers.CharField()
    balance_micros = serializers.IntegerField(help_text="may be negative: Meta charges on delivery")
    markup_percent = serializers.DecimalField(max_digits=6, decimal_places=2)
    low_balance_micros = serializers.IntegerField()
    low_balance = serializers.BooleanField()
    low_alert_sent_at = serializers.DateTimeField(allow_null=True)
    month = serializers.DateField()
    spent_this_month = SpentSerializer(many=True)


def _wallet_data(wallet) -> dict:
    return {**wallet_summary(wallet), "markup_percent": wallet.markup_percent}


def _wallet_or_404(business):
    wallet = wallet_of(business)
    if wallet is None:
        raise Http404("This business pays its plan directly; it has no wallet.")
    return wallet


class WalletApi(PartnerApi):
    """A business's prepaid wallet. 404 while the business pays its own plan; POST switches it to wholesale
    billing (opens the wallet at zero, and puts the business on an active plan the reseller pays for)."""

    permission_classes = [CanManageWallets]

    @extend_schema_serializer(component_name="PartnerWalletOpen")
    class OpenSerializer(serializers.Serializer):
        plan = serializers.SlugField(required=False, max_length=32, help_text="a plan for sale; default the biggest")
        markup_percent = serializers.DecimalField(max_digits=6, decimal_places=2, min_value=0, max_value=500,
                                                  default=wallets.DEFAULT_MARKUP_PERCENT)
        low_balance_micros = serializers.IntegerField(min_value=0, default=wallets.DEFAULT_LOW_BALANCE_MICROS)

    @extend_schema_serializer(component_name="PartnerWalletTerms")
    class TermsSerializer(serializers.Serializer):
        markup_percent = serializers.DecimalField(max_digits=6, decimal_places=2, min_value=0, max_value=500,
                                                  required=False)
        low_balance_micros = serializers.IntegerField(min_value=0, required=False)

    @extend_schema(responses=WalletSerializer, operation_id="partners_wallet_retrieve")
    def get(self, request, business_id: int):
        business = selectors.access_business(request.partner, business_id)
        return Response(WalletSerializer(_wallet_data(_wallet_or_404(business))).data)

    @extend_schema(request=OpenSerializer, responses={201: WalletSerializer}, operation_id="partners_wallet_open")
    def post(self, request, business_id: int):
        business = selectors.access_business(request.partner, business_id)
        data = self.OpenSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        reseller = request.partner.reseller
        with transaction.atomic():
            wallet = wallets.wallet_open(tenant=business, reseller=reseller,
                                         markup_percent=data.validated_data["markup_percent"],
                                         low_balance_micros=data.validated_data["low_balance_micros"])
            subscription = subscription_wholesale(business, plan_code=data.validated_data.get("plan"))
            event_log(reseller, ResellerEvent.Action.WALLET_OPENED, actor=request.user, tenant=business,
                      plan=subscription.plan.code, markup_percent=str(wallet.markup_percent))
        return Response(WalletSerializer(_wallet_data(wallet)).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=TermsSerializer, responses=WalletSerializer, operation_id="partners_wallet_update")
    def patch(self, request, business_id: int):
        business = selectors.access_business(request.partner, business_id)
        data = self.TermsSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        wallet = wallets.wallet_terms_set(tenant=business, reseller=request.partner.reseller, actor=request.user,
                                          **data.validated_data)
        return Response(WalletSerializer(_wallet_data(wallet)).data)


class WalletFundApi(PartnerApi):
    permission_classes = [partner_requires(PartnerCapability.MANAGE_WALLETS)]

    @extend_schema_serializer(component_name="PartnerWalletFund")
    class InputSerializer(serializers.Serializer):
        amount_micros = serializers.IntegerField(min_value=1, max_value=wallets.MAX_AMOUNT_MICROS,
                                                 help_text="in millionths of the wallet's currency: 10 USD = 10000000")
        note = serializers.CharField(max_length=300, required=False, allow_blank=True)

    @extend_schema(request=InputSerializer, responses={201: EntrySerializer}, operation_id="partners_wallet_fund")
    def post(self, request, business_id: int):
        business = selectors.access_business(request.partner, business_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with transaction.atomic():
            entry = wallets.wallet_fund(reseller=request.partner.reseller, tenant=business, actor=request.user,
                                        **data.validated_data)
            event_log(request.partner.reseller, ResellerEvent.Action.WALLET_FUNDED, actor=request.user,
                      tenant=business, amount_micros=entry.amount_micros)
        return Response(EntrySerializer(entry).data, status=status.HTTP_201_CREATED)


class EntryPagination(CursorPagination):
    ordering = "-id"


class WalletEntriesApi(PartnerApi, ListAPIView):
    """The wallet's ledger, newest first: fundings, and one charge per delivered billable message."""

    serializer_class = EntrySerializer
    pagination_class = EntryPagination

    @extend_schema(operation_id="partners_wallet_entries_list")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        business = selectors.access_business(self.request.partner, self.kwargs["business_id"])
        return wallet_ledger(_wallet_or_404(business)).select_related("actor")
