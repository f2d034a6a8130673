import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import type { Billing, BillingPlan } from "@/lib/api/types";
import { renderWithQuery as render } from "@/lib/query/testing";
import { mockApi, type MockApi } from "@/lib/testing/mockApi";
import { BillingView, browser } from "./BillingContent";

const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();

const TRIAL: BillingPlan = {
  code: "trial", name: "Trial", price_cents: 0, currency: "usd", trial_days: 14, for_sale: false,
  numbers: 1, seats: 3, contacts: 1000, messages_per_month: 1000, campaigns_per_month: 3, overage_cents_per_message: null,
};
const STARTER: BillingPlan = {
  code: "starter", name: "Starter", price_cents: 2900, currency: "usd", trial_days: 0, for_sale: true,
  numbers: 1, seats: 5, contacts: 10000, messages_per_month: 10000, campaigns_per_month: 20, overage_cents_per_message: 2,
};
const GROWTH: BillingPlan = {
  code: "growth", name: "Growth", price_cents: 9900, currency: "usd", trial_days: 0, for_sale: true,
  numbers: 5, seats: 20, contacts: 100000, messages_per_month: 100000, campaigns_per_month: null, overage_cents_per_message: 1,
};

function overview(overrides: Partial<Billing> = {}): Billing {
  return {
    plan: TRIAL,
    status: "trialing",
    trial_end: iso(Date.now() + 10 * DAY),
    current_period_end: null,
    read_only_at: null,
    usage: [
      { limit: "numbers", used: 1, maximum: 1 },
      { limit: "seats", used: 2, maximum: 3 },
      { limit: "contacts", used: 120, maximum: 1000 },
      { limit: "messages_per_month", used: 850, maximum: 1000 },
      { limit: "campaigns_per_month", used: 0, maximum: 3 },
    ],
    counters: {
      messages_sent: 850,
      messages_received: 410,
      "messages:out:marketing:billable": 300,
      "messages:out:service:free": 500,
      "messages:out:utility:billable": 40,
      "messages:out:utility:free": 2,
    },
    invoices: [],
    invoices_available: true,
    plans: [STARTER, GROWTH],
    can_manage: true,
    ...overrides,
  };
}

let api: MockApi;

beforeEach(() => {
  api = mockApi();
});

afterEach(() => api.restore());

function bar(name: string) {
  return screen.getByRole("progressbar", { name });
}

const WALLET = {
  currency: "usd", balance_micros: 12_500_000, low_balance_micros: 5_000_000, low_balance: false, low_alert_sent_at: null,
  reseller_name: "Growth Agency", month: "2026-12-01", rate_card_date: "2025-07-01", prices: [],
  spent_this_month: [{ category: "utility", messages: 2, amount_micros: 10_560 }],
  recent_entries: [
    { id: 2, kind: "charge" as const, amount_micros: -5_280, balance_after_micros: 12_500_000, message_id: null,
      category: "utility", country: "US", note: "", created_at: "2026-12-06T10:00:00Z" },
    { id: 1, kind: "funding" as const, amount_micros: 12_505_280, balance_after_micros: 12_505_280, message_id: null,
      category: "", country: "", note: "", created_at: "2026-12-05T10:00:00Z" },
  ],
};

describe("Settings → Billing", () => {
  it("shows a business its reseller bills wholesale its prepaid balance, and no plans to buy", async () => {
    api.onGet("/api/billing/").reply(200, overview({ plan: GROWTH, status: "active", trial_end: null }));
    api.onGet("/api/billing/wallet/").reply(200, WALLET);
    render(<BillingView canManage />);

    expect((await screen.findByTestId("wallet-balance")).textContent).toBe("$12.50");
    expect(screen.getByText(/Growth Agency bills this business/)).toBeTruthy();
    expect(screen.getByText("Utility: 2 messages, $0.0106")).toBeTruthy();
    expect(screen.getByText("Utility message (US)")).toBeTruthy();
    expect(screen.queryByRole("heading", { name: "Plans" })).toBeNull();
    expect(screen.queryByRole("button", { name: "Manage payment details" })).toBeNull();
  });

  it("says sending stops when the prepaid balance is used up", async () => {
    api.onGet("/api/billing/").reply(200, overview({ plan: GROWTH, status: "active", trial_end: null }));
    api.onGet("/api/billing/wallet/").reply(200, { ...WALLET, balance_micros: 0, low_balance: true });
    render(<BillingView canManage />);

    expect(await screen.findByText(/new messages can't be sent until Growth Agency tops it up/)).toBeTruthy();
  });

  it("shows the trial, its end and usage bars against the plan's limits", async () => {
    api.onGet("/api/billing/").reply(200, overview());
    render(<BillingView canManage />);

    expect((await screen.findByTestId("billing-plan-name")).textContent).toBe("Trial");
    expect(screen.getByTestId("billing-status").textContent).toBe("Free trial");
    expect(screen.getByText("Trial ends").nextElementSibling?.textContent).toMatch(/in 10 days/);
    expect(bar("Team seats").getAttribute("aria-valuenow")).toBe("2");
    expect(bar("Team seats").getAttribute("aria-valuemax")).toBe("3");
    expect(bar("Team seats").getAttribute("aria-valuetext")).toBe("2 of 3");
    expect(bar("Messages sent this month").getAttribute("aria-valuetext")).toBe("850 of 1,000");
    // A full limit reads as full (and is drawn red).
    expect(bar("WhatsApp numbers").getAttribute("aria-valuetext")).toBe("1 of 1");
    expect((bar("WhatsApp numbers").firstElementChild as HTMLElement).className).toContain("bg-red-500");
  });

  it("shows this month's messages by direction and by Meta's pricing category", async () => {
    api.onGet("/api/billing/").reply(200, overview());
    render(<BillingView canManage />);

    expect((await screen.findByTestId("messages-sent")).textContent).toBe("850");
    expect(screen.getByTestId("messages-received").textContent).toBe("410");
    const table = screen.getByRole("table", { name: /as Meta priced them/ });
    const row = (name: string) => within(table).getByRole("rowheader", { name }).closest("tr")!;
    expect(within(row("Marketing")).getAllByRole("cell").map((c) => c.textContent)).toEqual(["300", "0"]);
    expect(within(row("Service")).getAllByRole("cell").map((c) => c.textContent)).toEqual(["0", "500"]);
    expect(within(row("Utility")).getAllByRole("cell").map((c) => c.textContent)).toEqual(["40", "2"]);
  });

  it.each([
    ["active", "Active", "Your subscription is paid and active."],
    ["past_due", "Payment failed", "The last payment failed."],
    ["canceled", "Canceled", "The subscription was canceled."],
    ["read_only", "Read-only", "nothing is lost and incoming messages are still stored"],
  ] as const)("explains the %s status", async (status, label, explained) => {
    api.onGet("/api/billing/").reply(
      200,
      overview({
        plan: STARTER,
        status,
        trial_end: null,
        current_period_end: iso(Date.now() + 20 * DAY),
        read_only_at: status === "active" ? null : iso(Date.now() + (status === "read_only" ? -DAY : 5 * DAY)),
      }),
    );
    render(<BillingView canManage />);

    expect((await screen.findByTestId("billing-status")).textContent).toBe(label);
    expect(screen.getByText(new RegExp(explained))).toBeTruthy();
    const starter = screen.getByRole("listitem", { name: "Starter plan" });
    expect(within(starter).getByText("then $0.02 per extra message")).toBeTruthy();
    if (status === "active") {
      expect(within(starter).getByText("Current plan")).toBeTruthy();
      expect(within(starter).queryByRole("button")).toBeNull();
      expect(screen.getByText("Renews")).toBeTruthy();
    } else {
      expect(within(starter).getByRole("button", { name: "Subscribe to Starter" })).toBeTruthy();
      expect(screen.getByText(status === "read_only" ? "Read-only since" : "Read-only from")).toBeTruthy();
    }
  });

  it("sends the browser to the Checkout URL for an upgrade", async () => {
    const go = vi.spyOn(browser, "go").mockImplementation(() => undefined);
    api.onGet("/api/billing/").reply(200, overview());
    api.onPost("/api/billing/checkout/").reply(200, { url: "https://checkout.stripe.test/c/pay_123" });
    const user = userEvent.setup();
    render(<BillingView canManage />);

    await user.click(await screen.findByRole("button", { name: "Upgrade to Growth" }));

    await vi.waitFor(() => expect(go).toHaveBeenCalledWith("https://checkout.stripe.test/c/pay_123"));
    expect(JSON.parse(api.history.post[0]!.data as string)).toEqual({ plan: "growth" });
  });

  it("offers a downgrade from a bigger plan", async () => {
    api.onGet("/api/billing/").reply(200, overview({ plan: GROWTH, status: "active", trial_end: null }));
    render(<BillingView canManage />);
    expect(await screen.findByRole("button", { name: "Downgrade to Starter" })).toBeTruthy();
  });

  it.each([
    [503, "billing_feature_unavailable", "The payment provider of this installation can't open the customer portal."],
    [409, "no_customer", "There is nothing to manage yet: choose a plan first."],
  ])("shows the portal's %s %s message", async (status, code, message) => {
    const go = vi.spyOn(browser, "go").mockImplementation(() => undefined);
    api.onGet("/api/billing/").reply(200, overview());
    api.onPost("/api/billing/portal/").reply(status, { code, message, errors: {} });
    const user = userEvent.setup();
    render(<BillingView canManage />);

    await user.click(await screen.findByRole("button", { name: "Manage payment details" }));

    expect((await screen.findByRole("alert")).textContent).toBe(message);
    expect(go).not.toHaveBeenCalled();
  });

  it("is read-only for members without the billing capability", async () => {
    api.onGet("/api/billing/").reply(200, overview({ can_manage: false }));
    render(<BillingView canManage={false} />);

    await screen.findByTestId("billing-plan-name");
    expect(screen.getByText(/Only the business's owner can change the plan/)).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Manage payment details" })).toBeNull();
    expect(screen.queryByRole("button", { name: /Upgrade to/ })).toBeNull();
    expect(screen.getByText("Invoices are shown to the business's owner.")).toBeTruthy();
    expect(bar("Team seats")).toBeTruthy(); // usage is for everyone
  });

  it("lists invoices with their amounts and links", async () => {
    api.onGet("/api/billing/").reply(
      200,
      overview({
        plan: STARTER,
        status: "active",
        invoices: [{ id: "in_1", status: "paid", total: 2900, currency: "usd", created: 1796000000, hosted_invoice_url: "https://pay.test/in_1" }],
      }),
    );
    render(<BillingView canManage />);
    const link = await screen.findByRole("link", { name: "View" });
    expect(link.getAttribute("href")).toBe("https://pay.test/in_1");
    expect(link.closest("tr")!.textContent).toContain("$29");
    expect(link.closest("tr")!.textContent).toContain("Paid");
  });

  it("after Checkout, asks again until the webhook has changed the plan", async () => {
    api.onGet("/api/billing/").replyOnce(200, overview());
    api.onGet("/api/billing/").reply(200, overview({ plan: STARTER, status: "active", trial_end: null }));
    render(<BillingView canManage checkout="success" />);

    expect(await screen.findByText(/Payment received/)).toBeTruthy();
    expect(await screen.findByText("Thank you! You're on Starter now.", {}, { timeout: 5000 })).toBeTruthy();
    expect(screen.getByTestId("billing-plan-name").textContent).toBe("Starter");
  });
});
