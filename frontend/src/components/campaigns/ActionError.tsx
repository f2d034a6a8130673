"use client";

import Link from "next/link";

import { BILLING_PATH } from "@/components/settings/billing/format";
import { Alert, Button } from "@/components/ui";
import type { ApiError } from "@/lib/apiClient";

/**
 * A refusal with its way out. 402 plan_limit reads like the app's billing banners (amber, the server's message
 * naming the limit, a link to Settings → Billing); 409 daily_limit offers to split the campaign across days.
 */
export function ActionError({ error, onSplit }: { error: ApiError; onSplit?: () => void }) {
  if (error.code === "plan_limit") {
    return (
      <div
        role="status"
        data-testid="plan-limit"
        className="mt-3 flex flex-wrap items-center justify-between gap-x-4 gap-y-1 rounded-lg border border-amber-200 bg-amber-50 px-4 py-3 text-sm text-amber-900"
      >
        <p>{error.message}</p>
        <Link href={BILLING_PATH} className="shrink-0 font-semibold underline underline-offset-2">
          Settings → Billing
        </Link>
      </div>
    );
  }
  if (error.code === "daily_limit" && onSplit) {
    return (
      <Alert tone="info" className="mt-3">
        <p>{error.message}</p>
        <p className="mt-1 text-sky-800">
          Split across days: what the limit allows goes now, the rest each day as the limit frees up, each person still once.
        </p>
        <Button size="sm" className="mt-2" onClick={onSplit}>
          Split across days
        </Button>
      </Alert>
    );
  }
  return <Alert className="mt-3">{error.message}</Alert>;
}
