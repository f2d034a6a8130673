import { ApiError, api, unwrap } from "@/lib/apiClient";
import type { Billing, BillingPlan, BillingRedirect, BusinessWallet } from "./types";

/** The plan, its status, usage against its limits, this month's counters, invoices and the plans for sale. */
export async function getBilling(): Promise<Billing> {
  return unwrap(api.GET("/api/billing/"));
}

/** Where to send the browser to subscribe to `plan` (Stripe Checkout; in dev, the success page directly). */
export async function startCheckout(plan: BillingPlan["code"]): Promise<BillingRedirect> {
  return unwrap(api.POST("/api/billing/checkout/", { body: { plan } }));
}

/** Where to send the browser to manage payment details and the subscription (Stripe's Customer Portal). */
export async function openPortal(): Promise<BillingRedirect> {
  return unwrap(api.POST("/api/billing/portal/"));
}

/** The prepaid wallet the business's reseller funds, or null when the business pays its own plan (a 404). */
export async function getWallet(): Promise<BusinessWallet | null> {
  try {
    return await unwrap(api.GET("/api/billing/wallet/"));
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return null;
    throw error;
  }
}
