import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

import type { PartnerRole, PartnerWallet } from "@/lib/api/types";
import { renderWithQuery } from "@/lib/query/testing";
import { mockApi, type MockApi } from "@/lib/testing/mockApi";
import { BusinessWallet, toMicros } from "./BusinessWallet";
import { PartnerSessionContextProvider } from "./PartnerSessionProvider";
import { business, envelope, page, partnerSession } from "./testData";

const WALLET: PartnerWallet = {
  currency: "usd", balance_micros: 9_994_720, markup_percent: "20.00", low_balance_micros: 5_000_000, low_balance: false,
  low_alert_sent_at: null, month: "2026-12-01", spent_this_month: [{ category: "utility", messages: 1, amount_micros: 5_280 }],
};
const CHARGE = {
  id: 2, kind: "charge" as const, amount_micros: -5_280, balance_after_micros: 9_994_720, wamid: "wamid.1", category: "utility",
  country: "US", meta_rate_micros: 4_400, markup_micros: 880, actor_email: null, note: "", created_at: "2026-12-06T10:00:00Z",
};

let api: MockApi;
beforeEach(() => {
  api = mockApi();
});
afterEach(() => api.restore());

function render(role: PartnerRole = "admin") {
  return renderWithQuery(
    <PartnerSessionContextProvider session={partnerSession(role)}>
      <BusinessWallet business={business()} />
    </PartnerSessionContextProvider>,
  );
}

describe("BusinessWallet", () => {
  it("offers wholesale billing to a business paying its own plan, then shows the new wallet", async () => {
    api.onGet("/api/partners/businesses/7/wallet/").reply(404, envelope("not_found", "Not found."));
    api.onPost("/api/partners/businesses/7/wallet/").reply(201, { ...WALLET, balance_micros: 0, spent_this_month: [] });
    api.onGet("/api/partners/businesses/7/wallet/entries/").reply(200, page([]));
    const user = userEvent.setup();
    render();

    const form = await screen.findByRole("form", { name: "Bill wholesale" });
    await user.clear(within(form).getByLabelText("Your markup (%)"));
    await user.type(within(form).getByLabelText("Your markup (%)"), "25");
    await user.click(within(form).getByRole("button", { name: "Bill through a wallet" }));

    expect(JSON.parse(String(api.history.post[0]?.data))).toEqual({ markup_percent: "25", low_balance_micros: 5_000_000 });
    expect((await screen.findByTestId("wallet-balance")).textContent).toBe("$0.00");
    expect(screen.getByText(/can't send until you top it up/)).toBeDefined();
  });

  it("tops up in the wallet's currency and shows the ledger with Meta's rate and the markup", async () => {
    api.onGet("/api/partners/businesses/7/wallet/").reply(200, WALLET);
    api.onGet("/api/partners/businesses/7/wallet/entries/").reply(200, page([CHARGE]));
    api.onPost("/api/partners/businesses/7/wallet/fund/").reply(201, { ...CHARGE, id: 3, kind: "funding", amount_micros: 12_500_000, balance_after_micros: 22_494_720 });
    const user = userEvent.setup();
    render();

    expect((await screen.findByTestId("wallet-balance")).textContent).toBe("$9.99");
    const ledger = await screen.findByRole("table", { name: "Ledger" });
    expect(within(ledger).getByText("Message · utility · US")).toBeDefined();
    expect(within(ledger).getByText("$0.0044")).toBeDefined();
    const topUp = screen.getByRole("form", { name: "Top up" });
    await user.type(within(topUp).getByLabelText("Amount (USD)"), "0");
    await user.click(within(topUp).getByRole("button", { name: "Add funds" }));
    expect(within(topUp).getByText(/Enter an amount above zero/)).toBeDefined();
    expect(api.history.post).toHaveLength(0);

    await user.clear(within(topUp).getByLabelText("Amount (USD)"));
    await user.type(within(topUp).getByLabelText("Amount (USD)"), "12.50");
    await user.click(within(topUp).getByRole("button", { name: "Add funds" }));
    expect(JSON.parse(String(api.history.post[0]?.data))).toEqual({ amount_micros: 12_500_000, note: "" });
    expect(await within(topUp).findByText("Added $12.50. The balance is $22.49.")).toBeDefined();
  });

  it("shows support the wallet without the forms", async () => {
    api.onGet("/api/partners/businesses/7/wallet/").reply(200, WALLET);
    api.onGet("/api/partners/businesses/7/wallet/entries/").reply(200, page([]));
    render("support");

    expect(await screen.findByTestId("wallet-balance")).toBeDefined();
    expect(screen.queryByRole("form", { name: "Top up" })).toBeNull();
    expect(screen.queryByRole("form", { name: "Terms" })).toBeNull();
  });
});

describe("toMicros", () => {
  it("reads amounts in the wallet's currency and refuses what isn't a positive amount", () => {
    expect(toMicros("12.50")).toBe(12_500_000);
    expect(toMicros(" 25 ")).toBe(25_000_000);
    for (const bad of ["", "0", "-5", "ten"]) expect(toMicros(bad)).toBeNull();
  });
});
