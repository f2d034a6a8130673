"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { useState } from "react";

import { SettingsPageHeader } from "@/components/settings/SettingsPageHeader";
import { useSession } from "@/components/app/SessionProvider";
import { Alert, Badge, Button, Card, CardBody, CardHeader, Spinner } from "@/components/ui";
import { getBilling, getWallet, openPortal, startCheckout } from "@/lib/api/billing";
import type { Billing, BillingPlan } from "@/lib/api/types";
import { toApiError } from "@/lib/apiClient";
import { billingKeys } from "@/lib/query/keys";
import { Invoices } from "./Invoices";
import { MessageCounts } from "./MessageCounts";
import { PlanCards } from "./PlanCards";
import { UsageBars } from "./UsageBars";
import { WalletCard } from "./WalletCard";
import { daysUntil, formatDate, inDays, planPrice, STATUS_LABELS, STATUS_TONES } from "./format";

/** Where Checkout sent the browser back: `?checkout=success` or `?checkout=canceled` (tenants.billing.services). */
export type CheckoutReturn = "success" | "canceled" | null;

/** Sends the browser to Stripe (Checkout, the portal): a page of another origin. Replaceable in tests. */
export const browser = { go: (url: string) => window.location.assign(url) };

// After Checkout, Stripe's webhook changes the plan a moment later: ask again until it has, for a minute at most.
const CONFIRM_EVERY_MS = 2000;
const CONFIRM_FOR_MS = 60_000;

/** Settings → Billing for the logged-in member. */
export function BillingContent() {
  const { user } = useSession();
  const [checkout] = useState<CheckoutReturn>(() => {
    const value = typeof window === "undefined" ? null : new URLSearchParams(window.location.search).get("checkout");
    return value === "success" || value === "canceled" ? value : null;
  });
  return <BillingView canManage={user.capabilities.billing} checkout={checkout} />;
}

function isPaid(billing: Billing): boolean {
  return billing.status === "active" && billing.plan.for_sale;
}

/** /settings/billing: the plan and its status, usage against its limits, this month's messages, plans, invoices. */
export function BillingView({ canManage, checkout = null }: { canManage: boolean; checkout?: CheckoutReturn }) {
  const [since] = useState(() => Date.now());
  const loaded = useQuery({
    queryKey: billingKeys.overview(),
    queryFn: getBilling,
    refetchInterval: (query) =>
      checkout === "success" && !(query.state.data && isPaid(query.state.data)) && Date.now() - since < CONFIRM_FOR_MS ? CONFIRM_EVERY_MS : false,
  });
  // A business its reseller bills wholesale pays from a prepaid wallet: no plans to buy, no payment details here.
  const walletQuery = useQuery({ queryKey: billingKeys.wallet(), queryFn: getWallet });
  const wallet = walletQuery.data ?? null;
  const billing = loaded.data ?? null;
  const error = loaded.error ? toApiError(loaded.error).message : null;

  const redirect = { onSuccess: ({ url }: { url: string }) => browser.go(url) };
  const checkoutStart = useMutation({ mutationFn: (plan: BillingPlan["code"]) => startCheckout(plan), ...redirect });
  const portal = useMutation({ mutationFn: openPortal, ...redirect });
  const actionError = checkoutStart.error ?? portal.error;

  return (
    <>
      <SettingsPageHeader title="Billing" description="Your plan, what it allows and what you use, and your invoices." error={error} />
      {checkout === "success" && billing ? (
        isPaid(billing) ? (
          <Alert tone="success" className="mb-6">
            Thank you! You&apos;re on {billing.plan.name} now.
          </Alert>
        ) : (
          <Alert tone="info" className="mb-6">
            <span className="inline-flex items-center gap-2">
              <Spinner /> Payment received. Your plan changes as soon as the payment provider confirms it…
            </span>
          </Alert>
        )
      ) : null}
      {checkout === "canceled" ? (
        <Alert tone="info" className="mb-6">
          Checkout was canceled; nothing changed.
        </Alert>
      ) : null}
      {actionError ? <Alert className="mb-6">{toApiError(actionError).message}</Alert> : null}
      {!canManage ? (
        <Alert tone="info" className="mb-6">
          Only the business&apos;s owner can change the plan or the payment details.
        </Alert>
      ) : null}

      {billing ? (
        <div className="space-y-6">
          {wallet ? <WalletCard wallet={wallet} /> : null}
          <Card>
            <CardHeader
              id="billing-plan"
              title={
                <span className="flex flex-wrap items-center gap-2">
                  <span data-testid="billing-plan-name">{billing.plan.name}</span>
                  <Badge tone={STATUS_TONES[billing.status]}>
                    <span data-testid="billing-status">{STATUS_LABELS[billing.status]}</span>
                  </Badge>
                </span>
              }
              description={planPrice(billing.plan)}
              actions={
                canManage && !wallet ? (
                  <Button variant="secondary" loading={portal.isPending} onClick={() => portal.mutate()}>
                    Manage payment details
                  </Button>
                ) : null
              }
            />
            <CardBody>
              <StatusDetails billing={billing} />
            </CardBody>
          </Card>

          <Card>
            <CardHeader title="Usage" description="What your plan allows, and how much of it is in use." />
            <CardBody>
              <UsageBars usage={billing.usage} />
            </CardBody>
          </Card>

          <Card>
            <CardHeader title="Messages this month" />
            <CardBody>
              <MessageCounts counters={billing.counters} />
            </CardBody>
          </Card>

          {wallet ? null : (
          <Card>
            <CardHeader title="Plans" description="Upgrades and downgrades go through secure checkout and take effect once the payment is confirmed." />
            <CardBody>
              <PlanCards
                billing={billing}
                canManage={canManage}
                pending={checkoutStart.isPending ? checkoutStart.variables : undefined}
                onChoose={(plan) => checkoutStart.mutate(plan)}
              />
            </CardBody>
          </Card>
          )}

          <Card>
            <CardHeader title="Invoices" />
            <CardBody>
              <Invoices billing={billing} canManage={canManage} />
            </CardBody>
          </Card>
        </div>
      ) : !error ? (
        <p role="status" className="flex items-center gap-2 text-sm text-slate-500">
          <Spinner /> Loading…
        </p>
      ) : null}
    </>
  );
}

function StatusDetails({ billing }: { billing: Billing }) {
  const rows: [string, string][] = [];
  if (billing.status === "trialing" && billing.trial_end) {
    const days = daysUntil(billing.trial_end);
    rows.push([days > 0 ? "Trial ends" : "Trial ended", `${formatDate(billing.trial_end)}${days > 0 ? ` (${inDays(days)})` : ""}`]);
  }
  if (billing.current_period_end && billing.status !== "trialing") {
    rows.push([billing.status === "active" ? "Renews" : "Period ends", formatDate(billing.current_period_end)]);
  }
  if (billing.read_only_at) {
    rows.push([billing.status === "read_only" ? "Read-only since" : "Read-only from", formatDate(billing.read_only_at)]);
  }
  return (
    <>
      {rows.length ? (
        <dl className="grid gap-x-6 gap-y-2 text-sm sm:grid-cols-[10rem_1fr]">
          {rows.map(([label, value]) => (
            <div key={label} className="contents">
              <dt className="text-slate-500">{label}</dt>
              <dd className="text-slate-900">{value}</dd>
            </div>
          ))}
        </dl>
      ) : null}
      <p className="mt-3 text-sm text-slate-600">{STATUS_EXPLAINED[billing.status]}</p>
    </>
  );
}

const STATUS_EXPLAINED: Record<Billing["status"], string> = {
  trialing: "Everything works during the trial, within the trial's limits. Choose a plan to keep going after it.",
  active: "Your subscription is paid and active.",
  past_due: "The last payment failed. Update the payment details to keep the business running.",
  canceled: "The subscription was canceled. Choose a plan to keep the business running.",
  read_only:
    "Payments stopped, so the business is read-only: nothing is lost and incoming messages are still stored, but nothing can be sent or changed until a plan is paid.",
};
