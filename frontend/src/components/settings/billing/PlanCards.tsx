import type { Billing, BillingPlan } from "@/lib/api/types";
import { Badge, Button, cx } from "@/components/ui";
import { formatMoney, limitText, PLAN_LIMITS, planPrice } from "./format";

type Choice = "current" | "upgrade" | "downgrade" | "subscribe";

function choiceOf(plan: BillingPlan, billing: Billing): Choice {
  const current = billing.plan;
  if (plan.code === current.code) return billing.status === "active" ? "current" : "subscribe";
  if (!current.for_sale) return "upgrade"; // from the trial, every plan for sale is a step up
  return plan.price_cents >= current.price_cents ? "upgrade" : "downgrade";
}

const LABELS: Record<Exclude<Choice, "current">, string> = { upgrade: "Upgrade to", downgrade: "Downgrade to", subscribe: "Subscribe to" };

/** The plans for sale, each with what it allows and the way to it (Checkout). */
export function PlanCards({
  billing,
  canManage,
  pending,
  onChoose,
}: {
  billing: Billing;
  canManage: boolean;
  pending?: BillingPlan["code"];
  onChoose: (plan: BillingPlan["code"]) => void;
}) {
  return (
    <ul className="grid gap-4 sm:grid-cols-2">
      {billing.plans.map((plan) => {
        const choice = choiceOf(plan, billing);
        return (
          <li
            key={plan.code}
            aria-label={`${plan.name} plan`}
            className={cx("flex flex-col rounded-lg border p-4", choice === "current" ? "border-brand-300 bg-brand-50/40" : "border-slate-200")}
          >
            <div className="flex items-center justify-between gap-2">
              <h3 className="font-semibold text-slate-900">{plan.name}</h3>
              {choice === "current" ? <Badge tone="brand">Current plan</Badge> : null}
            </div>
            <p className="mt-0.5 text-sm text-slate-600">{planPrice(plan)}</p>
            <ul className="mt-3 flex-1 space-y-1 text-sm text-slate-700">
              {PLAN_LIMITS.map((limit) => (
                <li key={limit}>{limitText(limit, plan[limit])}</li>
              ))}
              {plan.overage_cents_per_message != null ? (
                <li className="text-slate-500">then {formatMoney(plan.overage_cents_per_message, plan.currency)} per extra message</li>
              ) : null}
            </ul>
            {canManage && choice !== "current" ? (
              <Button
                className="mt-4"
                variant={choice === "downgrade" ? "secondary" : "primary"}
                loading={pending === plan.code}
                disabled={pending !== undefined}
                onClick={() => onChoose(plan.code)}
              >
                {LABELS[choice]} {plan.name}
              </Button>
            ) : null}
          </li>
        );
      })}
    </ul>
  );
}
