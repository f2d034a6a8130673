"use client";

import Link from "next/link";
import { useQuery } from "@tanstack/react-query";

import { cx } from "@/components/ui";
import { getBilling } from "@/lib/api/billing";
import type { Billing } from "@/lib/api/types";
import { billingKeys } from "@/lib/query/keys";
import { BILLING_PATH, daysUntil, formatDate, inDays } from "./format";

/** A trial ending within this many days gets a banner. */
export const TRIAL_WARNING_DAYS = 3;

interface Banner {
  tone: "amber" | "red";
  text: string;
  action: string;
}

/** What the app-wide banner says about the business's billing, or null when all is well. */
export function bannerFor(billing: Billing, canManage: boolean, now: number = Date.now()): Banner | null {
  const pay = canManage ? "Choose a plan" : "Ask the owner to choose a plan";
  const readOnlyFrom = billing.read_only_at ? ` on ${formatDate(billing.read_only_at)}` : "";
  switch (billing.status) {
    case "read_only":
      return {
        tone: "red",
        text: `This business is read-only${billing.read_only_at ? ` since ${formatDate(billing.read_only_at)}` : ""}: payments stopped. Nothing is lost and incoming messages are still stored, but nothing can be sent or changed until a plan is paid.`,
        action: canManage ? "Pay in Settings → Billing" : "See Settings → Billing",
      };
    case "past_due":
      return {
        tone: "amber",
        text: `The last payment failed. Update the payment details to keep sending; the business becomes read-only${readOnlyFrom}.`,
        action: canManage ? "Update payment in Settings → Billing" : "See Settings → Billing",
      };
    case "canceled":
      return {
        tone: "amber",
        text: `The subscription was canceled; the business becomes read-only${readOnlyFrom}. ${pay} to keep it running.`,
        action: "Settings → Billing",
      };
    case "trialing": {
      if (!billing.trial_end) return null;
      const days = daysUntil(billing.trial_end, now);
      if (days > TRIAL_WARNING_DAYS) return null;
      const text =
        days > 0
          ? `Your free trial ends ${inDays(days)} (${formatDate(billing.trial_end)}). ${pay} to keep everything running.`
          : `Your free trial ended on ${formatDate(billing.trial_end)}; the business becomes read-only${readOnlyFrom}. ${pay} to keep it running.`;
      return { tone: "amber", text, action: "Settings → Billing" };
    }
    default:
      return null;
  }
}

const TONES = { amber: "border-amber-200 bg-amber-50 text-amber-900", red: "border-red-200 bg-red-50 text-red-900" };

/** The app-wide banner for a trial ending soon, a failed payment or read-only mode, linking to Settings → Billing. */
export function BillingBanners({ canManage }: { canManage: boolean }) {
  // Shares the billing page's cache entry; a minute old is fresh enough for a banner.
  const billing = useQuery({ queryKey: billingKeys.overview(), queryFn: getBilling, staleTime: 60_000 });
  const banner = billing.data ? bannerFor(billing.data, canManage) : null;
  if (!banner) return null;
  return (
    <div
      role={banner.tone === "red" ? "alert" : "status"}
      data-testid="billing-banner"
      className={cx("mb-6 flex flex-wrap items-center justify-between gap-x-4 gap-y-1 rounded-lg border px-4 py-3 text-sm", TONES[banner.tone])}
    >
      <p>{banner.text}</p>
      <Link href={BILLING_PATH} className="shrink-0 font-semibold underline underline-offset-2">
        {banner.action}
      </Link>
    </div>
  );
}
