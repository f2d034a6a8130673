import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import type { ReactElement } from "react";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

import type { PartnerRole } from "@/lib/api/types";
import { renderWithQuery } from "@/lib/query/testing";
import { mockApi, type MockApi } from "@/lib/testing/mockApi";
import { BusinessesView } from "./BusinessesView";
import { PartnerSessionContextProvider } from "./PartnerSessionProvider";
import { business, page, partnerSession } from "./testData";

let api: MockApi;
beforeEach(() => {
  api = mockApi();
});
afterEach(() => api.restore());

function render(ui: ReactElement, role: PartnerRole = "admin") {
  return renderWithQuery(<PartnerSessionContextProvider session={partnerSession(role)}>{ui}</PartnerSessionContextProvider>);
}

describe("BusinessesView", () => {
  it("shows each business with plan, status, usage against the limit, number health and last activity", async () => {
    api.onGet("/api/partners/businesses/").reply(
      200,
      page([
        business(),
        business({
          id: 8,
          name: "Florist",
          url: "http://florist.localhost:3000",
          is_active: false,
          suspended_at: "2026-03-05T00:00:00Z",
          reseller_access: false,
          plan: { code: "pro", name: "Pro", status: "past_due" },
          usage: { month: "2026-03-01", messages_sent: 12, messages_received: 0, messages_per_month: null },
          numbers: [],
          last_activity_at: null,
        }),
      ]),
    );
    render(<BusinessesView />);

    const bakery = await screen.findByRole("row", { name: "Bakery Co" });
    expect(within(bakery).getByRole("link", { name: "Bakery Co" }).getAttribute("href")).toBe("/partners/businesses/7");
    expect(within(bakery).getByText("bakery.localhost:3000")).toBeDefined();
    expect(within(bakery).getByText("Active")).toBeDefined();
    expect(within(bakery).getByText("Basic")).toBeDefined();
    expect(within(bakery).getByText("Free trial")).toBeDefined();
    expect(within(bakery).getByText("420 of 1,000")).toBeDefined();
    expect(within(bakery).getByRole("progressbar").getAttribute("aria-valuenow")).toBe("420");
    const number = within(bakery).getByText("+1 555 0001").closest("[data-quality]")!;
    expect(number.getAttribute("data-quality")).toBe("YELLOW");
    expect(number.textContent).toContain("Medium quality");

    const florist = screen.getByRole("row", { name: "Florist" });
    expect(within(florist).getByText("Suspended")).toBeDefined();
    expect(within(florist).getByText("Access off")).toBeDefined();
    expect(within(florist).getByText("Payment failed")).toBeDefined();
    expect(within(florist).getByText("12 · unlimited")).toBeDefined();
    expect(within(florist).queryByRole("progressbar")).toBeNull();
    expect(within(florist).getByText("No numbers")).toBeDefined();
    expect(within(florist).getByText("None yet")).toBeDefined();
  });

  it("invites an admin to create the first business when there is none", async () => {
    api.onGet("/api/partners/businesses/").reply(200, page([]));
    render(<BusinessesView />);

    expect(await screen.findByRole("heading", { name: "Create your first client business" })).toBeDefined();
    const links = screen.getAllByRole("link", { name: "New business" });
    expect(links.every((link) => link.getAttribute("href") === "/partners/businesses/new")).toBe(true);
  });

  it("gives support no create button, in the header or the empty state", async () => {
    api.onGet("/api/partners/businesses/").reply(200, page([]));
    render(<BusinessesView />, "support");

    expect(await screen.findByRole("heading", { name: "No client businesses yet" })).toBeDefined();
    expect(screen.queryByRole("link", { name: "New business" })).toBeNull();
  });

  it("loads the next page with Load more", async () => {
    api.onGet("/api/partners/businesses/").reply((request) =>
      request.params?.cursor === "p2"
        ? [200, page([business({ id: 9, name: "Garage" })])]
        : [200, page([business()], "http://partners.localhost/api/partners/businesses/?cursor=p2")],
    );
    const user = userEvent.setup();
    render(<BusinessesView />);

    await screen.findByRole("row", { name: "Bakery Co" });
    await user.click(screen.getByRole("button", { name: "Load more" }));

    expect(await screen.findByRole("row", { name: "Garage" })).toBeDefined();
    expect(screen.getAllByTestId("business-row")).toHaveLength(2);
    expect(screen.queryByRole("button", { name: "Load more" })).toBeNull();
  });

  it("filters by status and search, and says when nothing matches", async () => {
    api.onGet("/api/partners/businesses/").reply((request) => [200, page(request.params?.status === "suspended" ? [] : [business()])]);
    const user = userEvent.setup();
    render(<BusinessesView />);

    await screen.findByRole("row", { name: "Bakery Co" });
    await user.selectOptions(screen.getByLabelText("Status"), "suspended");

    expect(await screen.findByRole("heading", { name: "No businesses match" })).toBeDefined();
    await user.type(screen.getByLabelText("Search businesses"), "bak");
    await waitFor(() => expect(api.history.get.some((r) => r.params?.q === "bak" && r.params.status === "suspended")).toBe(true));
    await user.click(screen.getByRole("button", { name: "Show every business" }));
    expect(await screen.findByRole("row", { name: "Bakery Co" })).toBeDefined();
  });
});
