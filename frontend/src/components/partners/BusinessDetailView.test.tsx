import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import type { PartnerBusiness, PartnerRole } from "@/lib/api/types";
import { renderWithQuery } from "@/lib/query/testing";
import { mockApi, type MockApi } from "@/lib/testing/mockApi";
import { BusinessDetailView } from "./BusinessDetailView";
import { PartnerSessionContextProvider } from "./PartnerSessionProvider";
import { business, envelope, page, partnerEvent, partnerSession } from "./testData";

let api: MockApi;
const assign = vi.fn();
beforeEach(() => {
  api = mockApi();
  api.onGet("/api/partners/activity/").reply(200, page([partnerEvent({ id: 3, action: "business_suspended", label: "Business suspended", detail: { reason: "unpaid" } })]));
  assign.mockReset();
  vi.stubGlobal("location", { ...window.location, assign });
});
afterEach(() => {
  api.restore();
  vi.unstubAllGlobals();
});

function render(shown: PartnerBusiness = business(), role: PartnerRole = "admin") {
  api.onGet(`/api/partners/businesses/${shown.id}/`).reply(200, shown);
  return renderWithQuery(
    <PartnerSessionContextProvider session={partnerSession(role)}>
      <BusinessDetailView id={shown.id} />
    </PartnerSessionContextProvider>,
  );
}

describe("BusinessDetailView", () => {
  it("shows the business, its numbers, its usage and its activity", async () => {
    render();

    expect(await screen.findByRole("heading", { level: 1, name: "Bakery Co" })).toBeDefined();
    expect(screen.getAllByText("bakery.localhost:3000").length).toBeGreaterThan(0);
    expect(screen.getByText("420 of 1,000")).toBeDefined();
    expect(screen.getByText("77")).toBeDefined();
    expect(screen.getByText("Medium quality")).toBeDefined();
    expect(screen.getByText("TIER_1K")).toBeDefined();
    const activity = await screen.findByTestId("activity-row");
    expect(activity.textContent).toContain("Business suspended");
    expect(activity.textContent).toContain("“unpaid”");
    expect(api.history.get.find((r) => r.url.startsWith("/api/partners/activity/"))?.params).toEqual({ business: "7" });
  });

  it("suspends after a confirmation, with the reason, then offers to resume", async () => {
    api.onPost("/api/partners/businesses/7/suspend/").reply(200, business({ is_active: false, suspended_at: "2026-03-11T10:00:00Z" }));
    api.onPost("/api/partners/businesses/7/resume/").reply(200, business());
    const user = userEvent.setup();
    render();

    await user.click(await screen.findByRole("button", { name: "Suspend" }));
    expect(api.history.post).toHaveLength(0); // only after the confirmation
    const dialog = screen.getByRole("group", { name: "Suspend business" });
    await user.type(within(dialog).getByLabelText("Reason (optional)"), "unpaid invoices");
    await user.click(within(dialog).getByRole("button", { name: "Suspend business" }));

    expect(JSON.parse(api.history.post[0]!.data as string)).toEqual({ reason: "unpaid invoices" });
    expect(await screen.findByText("Suspended")).toBeDefined();
    expect((screen.getByRole("button", { name: "Enter Bakery Co" }) as HTMLButtonElement).disabled).toBe(true);

    await user.click(screen.getByRole("button", { name: "Resume" }));
    await user.click(screen.getByRole("button", { name: "Resume business" }));
    expect(api.history.post.at(-1)!.url).toBe("/api/partners/businesses/7/resume/");
    expect(await screen.findByRole("button", { name: "Suspend" })).toBeDefined();
  });

  it("says so when the business was already suspended elsewhere", async () => {
    api.onPost("/api/partners/businesses/7/suspend/").reply(409, envelope("invalid_transition", "This business is already suspended."));
    const user = userEvent.setup();
    render();

    await user.click(await screen.findByRole("button", { name: "Suspend" }));
    await user.click(screen.getByRole("button", { name: "Suspend business" }));

    expect((await screen.findByRole("alert")).textContent).toBe("This business is already suspended.");
    expect(screen.queryByRole("group", { name: "Suspend business" })).toBeNull();
  });

  it("enters by opening the single-use link the API answers", async () => {
    api.onPost("/api/partners/businesses/7/enter/").reply(200, { url: "http://bakery.localhost:3000/welcome?token=abc" });
    const user = userEvent.setup();
    render();

    await user.click(await screen.findByRole("button", { name: "Enter Bakery Co" }));

    expect(assign).toHaveBeenCalledWith("http://bakery.localhost:3000/welcome?token=abc");
  });

  it("explains a refusal because the business's owner turned the reseller's access off", async () => {
    api.onPost("/api/partners/businesses/7/enter/").reply(
      403,
      envelope("reseller_access_revoked", "This business has turned off its reseller's access. Its owner can turn it back on in Settings → Team."),
    );
    const user = userEvent.setup();
    render();

    await user.click(await screen.findByRole("button", { name: "Enter Bakery Co" }));

    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("Bakery Co has turned off access for your reseller.");
    expect(alert.textContent).toContain("Only its owner can let your team in again");
    expect(assign).not.toHaveBeenCalled();
  });

  it("shows support no suspend or resume, but lets them enter", async () => {
    render(business(), "support");

    expect(await screen.findByRole("button", { name: "Enter Bakery Co" })).toBeDefined();
    expect(screen.queryByRole("button", { name: "Suspend" })).toBeNull();
    expect(screen.queryByRole("button", { name: "Resume" })).toBeNull();
  });

  it("warns ahead when access is already off", async () => {
    render(business({ reseller_access: false }));
    expect(await screen.findByText(/owner has turned off access for your reseller/)).toBeDefined();
  });

  it("says when the business is not one of the reseller's", async () => {
    api.onGet("/api/partners/businesses/99/").reply(404, envelope("not_found", "Not found."));
    renderWithQuery(
      <PartnerSessionContextProvider session={partnerSession()}>
        <BusinessDetailView id={99} />
      </PartnerSessionContextProvider>,
    );
    expect(await screen.findByRole("heading", { name: "Business not found" })).toBeDefined();
  });
});
