"""Billing on a business's host (mounted at /api/billing/ by convonest.urls_tenant)."""
from django.urls import path

from tenants.billing.api import BillingApi, CheckoutApi, PortalApi, WalletApi, WalletEntryListApi

urlpatterns = [
    path("", BillingApi.as_view(), name="billing"),
    path("checkout/", CheckoutApi.as_view(), name="billing-checkout"),
    path("portal/", PortalApi.as_view(), name="billing-portal"),
    path("wallet/", WalletApi.as_view(), name="billing-wallet"),
    path("wallet/entries/", WalletEntryListApi.as_view(), name="billing-wallet-entries"),
]
