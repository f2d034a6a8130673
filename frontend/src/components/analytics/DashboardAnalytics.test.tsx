import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

import type { AnalyticsOverview } from "@/lib/api/analytics";
import { renderWithQuery as render } from "@/lib/query/testing";
import { mockApi, type MockApi } from "@/lib/testing/mockApi";
import { DashboardAnalytics } from "./DashboardAnalytics";
import { todayIn } from "./dates";

const ZONE = "Asia/Kolkata";

function overview(over: Partial<AnalyticsOverview> = {}): AnalyticsOverview {
  return {
    from: "2026-03-01",
    to: "2026-03-02",
    time_zone: ZONE,
    scope: "business",
    totals: {
      messages_in: 12, messages_out: 30, sent: 28, delivered: 27, read: 18, failed: 2, delivery_rate: 0.9643,
      read_rate: 0.6667, first_responses: 4, first_response_seconds_mean: 750, resolutions: 3, resolution_seconds_mean: 7500,
    },
    series: [
      { day: "2026-03-01", messages_in: 5, messages_out: 10, sent: 10, delivered: 9, read: 6, failed: 0 },
      { day: "2026-03-02", messages_in: 7, messages_out: 20, sent: 18, delivered: 18, read: 12, failed: 2 },
    ],
    open_conversations: [{ assignee_id: 3, name: "Asha", count: 4 }, { assignee_id: null, name: "Unassigned", count: 2 }],
    agents: [{ agent_id: 3, name: "Asha", replies: 9, first_responses: 4, first_response_seconds_mean: 750, resolutions: 3,
      resolution_seconds_mean: 7500 }],
    spend: { basis: "rate_card", currency: "USD", total: "0.250000",
      by_category: [{ category: "marketing", billable: 10, amount: "0.250000" }] },
    calls: { total: 5, inbound: 4, outbound: 1, answered: 3, missed: 1, rejected: 1, failed: 0, talk_seconds: 600 },
    campaigns: [{ id: 7, name: "Spring sale", status: "completed", started_at: "2026-03-01T09:00:00Z", recipients: 20,
      sent: 20, delivered: 18, read: 9, replied: 2, failed: 0 }],
    ...over,
  };
}

let api: MockApi;
beforeEach(() => {
  api = mockApi();
  api.onGet("/api/inbox/settings/").reply(200, { timezone: ZONE });
});
afterEach(() => api.restore());

describe("the dashboard's figures", () => {
  it("reads the last 7 of the business's days and shows the figures", async () => {
    api.onGet("/api/analytics/overview/").reply(200, overview());
    render(<DashboardAnalytics />);

    expect(await screen.findByText("Delivery rate")).toBeTruthy();
    const today = todayIn(ZONE);
    const asked = api.history.get.find((r) => r.url.startsWith("/api/analytics/"))!;
    expect(asked.params?.to).toBe(today);
    expect(screen.getByText("96%")).toBeTruthy();
    expect(screen.getByText("67%")).toBeTruthy();
    expect(screen.getAllByText("13 min").length).toBeGreaterThan(0); // 750 s
    expect(screen.getAllByText("2 h 5 min").length).toBeGreaterThan(0);
    const row = screen.getByRole("row", { name: "Asha" });
    expect(within(row).getAllByRole("cell").map((c) => c.textContent)).toEqual(["9", "4", "13 min", "3", "2 h 5 min"]);
    expect(screen.getByRole("img", { name: /Messages per day: 42 in 2 days/ })).toBeTruthy();
    expect(screen.getByText("Spring sale").getAttribute("href")).toBe("/campaigns/7");
    expect(screen.getByText(/days in Asia\/Kolkata/)).toBeTruthy();
    expect(screen.getByText("3 answered, 1 missed")).toBeTruthy();
  });

  it("asks again for another range, and refuses a custom one backwards", async () => {
    api.onGet("/api/analytics/overview/").reply(200, overview());
    render(<DashboardAnalytics />);
    await screen.findByText("Delivery rate");

    await userEvent.click(screen.getByRole("radio", { name: "Today" }));
    const today = todayIn(ZONE);
    await waitFor(() => expect(api.history.get.at(-1)!.params).toEqual({ from: today, to: today }));

    await userEvent.click(screen.getByRole("radio", { name: "Custom" }));
    fireEvent.change(screen.getByLabelText("From"), { target: { value: "2099-01-01" } });
    expect((await screen.findByRole("alert")).textContent).toMatch(/after the last/);
  });

  it("says so when there is nothing yet, and shows an agent their own figures only", async () => {
    const empty = overview({
      scope: "own",
      totals: { ...overview().totals, messages_in: 0, messages_out: 0, first_responses: 0, resolutions: 0 },
      agents: [], open_conversations: [], spend: null, campaigns: [],
    });
    api.onGet("/api/analytics/overview/").reply(200, empty);
    render(<DashboardAnalytics />);

    expect(await screen.findByText("No messages in these days yet.")).toBeTruthy();
    expect(screen.getByText(/Your own figures/)).toBeTruthy();
    expect(screen.queryByText("Spend by pricing category")).toBeNull();
    expect(screen.getByText("No open conversations.")).toBeTruthy();
  });
});
