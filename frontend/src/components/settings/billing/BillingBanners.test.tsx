import { screen } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

import type { Billing } from "@/lib/api/types";
import { renderWithQuery as render } from "@/lib/query/testing";
import { mockApi, type MockApi } from "@/lib/testing/mockApi";
import { BillingBanners } from "./BillingBanners";

const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();
const PLAN = {
  code: "trial", name: "Trial", price_cents: 0, currency: "usd", trial_days: 14, for_sale: false,
  numbers: 1, seats: 3, contacts: 1000, messages_per_month: 1000, campaigns_per_month: 3, overage_cents_per_message: null,
};

function overview(overrides: Partial<Billing>): Billing {
  return {
    plan: PLAN, status: "trialing", trial_end: iso(Date.now() + 10 * DAY), current_period_end: null, read_only_at: null,
    usage: [], counters: {}, invoices: [], invoices_available: true, plans: [], can_manage: true, ...overrides,
  };
}

let api: MockApi;
beforeEach(() => {
  api = mockApi();
});
afterEach(() => api.restore());

async function banner() {
  return screen.findByTestId("billing-banner");
}

describe("Billing banners", () => {
  it("says nothing during a trial with days to go, or while paid", async () => {
    api.onGet("/api/billing/").reply(200, overview({}));
    const { unmount } = render(<BillingBanners canManage />);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(screen.queryByTestId("billing-banner")).toBeNull();
    unmount();

    api.onGet("/api/billing/").reply(200, overview({ status: "active", trial_end: null }));
    render(<BillingBanners canManage />);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(screen.queryByTestId("billing-banner")).toBeNull();
  });

  it("warns when the trial ends soon, linking to Settings → Billing", async () => {
    api.onGet("/api/billing/").reply(200, overview({ trial_end: iso(Date.now() + 2 * DAY - 60_000) }));
    render(<BillingBanners canManage />);
    const shown = await banner();
    expect(shown.textContent).toContain("Your free trial ends in 2 days");
    expect(shown.textContent).toContain("Choose a plan");
    expect(screen.getByRole("link", { name: "Settings → Billing" }).getAttribute("href")).toBe("/settings/billing");
  });

  it("warns about a failed payment, with the day writes stop", async () => {
    const readOnlyAt = iso(Date.now() + 5 * DAY);
    api.onGet("/api/billing/").reply(200, overview({ status: "past_due", trial_end: null, read_only_at: readOnlyAt }));
    render(<BillingBanners canManage />);
    const shown = await banner();
    expect(shown.getAttribute("role")).toBe("status");
    expect(shown.textContent).toContain("The last payment failed");
    expect(screen.getByRole("link", { name: "Update payment in Settings → Billing" })).toBeTruthy();
  });

  it("says read-only mode loudly, and tells a member without billing rights to ask the owner", async () => {
    api.onGet("/api/billing/").reply(200, overview({ status: "read_only", read_only_at: iso(Date.now() - DAY) }));
    render(<BillingBanners canManage={false} />);
    const shown = await banner();
    expect(shown.getAttribute("role")).toBe("alert");
    expect(shown.textContent).toContain("This business is read-only since");
    expect(shown.textContent).toContain("Nothing is lost");
    expect(screen.getByRole("link", { name: "See Settings → Billing" }).getAttribute("href")).toBe("/settings/billing");
  });

  it("after a trial ended unpaid, says when the business becomes read-only", async () => {
    api.onGet("/api/billing/").reply(
      200,
      overview({ trial_end: iso(Date.now() - DAY), read_only_at: iso(Date.now() + 6 * DAY) }),
    );
    render(<BillingBanners canManage={false} />);
    const shown = await banner();
    expect(shown.textContent).toMatch(/Your free trial ended on .*; the business becomes read-only on /);
    expect(shown.textContent).toContain("Ask the owner to choose a plan");
  });
});
