import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { renderWithQuery as render } from "@/lib/query/testing";
import { mockApi, type MockApi } from "@/lib/testing/mockApi";
import { CampaignDetailView } from "./CampaignDetailView";
import { campaign } from "./testData";

const push = vi.fn();
vi.mock("next/navigation", () => ({ useRouter: () => ({ push }) }));

let api: MockApi;
beforeEach(() => {
  api = mockApi();
  api.onGet("/api/campaigns/7/recipients/").reply(200, { next: null, previous: null, results: [] });
});
afterEach(() => {
  api.restore();
  push.mockReset();
});

describe("the campaign page", () => {
  it("shows the progress, the funnel's numbers, the failures explained and the cost", async () => {
    api.onGet("/api/campaigns/7/").reply(200, campaign());
    render(<CampaignDetailView id={7} />);

    const bar = await screen.findByRole("progressbar", { name: "Campaign progress" });
    expect(bar.getAttribute("aria-valuenow")).toBe("61");
    const funnel = screen.getByRole("figure", { name: "Funnel" });
    expect(within(funnel).getByLabelText("Delivered: 500")).toBeTruthy();
    expect(within(funnel).getByLabelText("Replied: 20")).toBeTruthy();
    expect(screen.getByText("Meta's per-person marketing limit")).toBeTruthy();
    expect(screen.getByText(/Retarget after 24 hours/)).toBeTruthy();
    expect(screen.getByTestId("cost-estimate").textContent).toContain("27.50");
    expect(screen.getByText(/Sending at 80 of 80 messages a second/)).toBeTruthy();
  });

  it("pauses a running campaign and shows it paused", async () => {
    let current = campaign();
    api.onGet("/api/campaigns/7/").reply(() => [200, current] as [number, unknown]);
    api.onPost("/api/campaigns/7/pause/").reply(() => {
      current = campaign({ status: "paused", status_reason: "Paused by owner@demo.localhost." });
      return [200, current] as [number, unknown];
    });
    render(<CampaignDetailView id={7} />);

    await userEvent.click(await screen.findByRole("button", { name: "Pause" }));

    await waitFor(() => expect(screen.getByTestId("campaign-status").textContent).toBe("Paused"));
    expect(api.history.post).toHaveLength(1);
    expect(screen.getByRole("button", { name: "Resume" })).toBeTruthy();
    expect(screen.getByText("Paused by owner@demo.localhost.")).toBeTruthy();
  });

  it("offers to split a start across days when the daily limit is too small", async () => {
    api.onGet("/api/campaigns/7/").reply(200, campaign({ status: "draft", started_at: null }));
    api.onPost("/api/campaigns/7/start/").replyOnce(409, { code: "daily_limit", message: "The daily limit has 100 left.", errors: {} });
    api.onPost("/api/campaigns/7/start/").reply(200, campaign());
    render(<CampaignDetailView id={7} />);

    await userEvent.click(await screen.findByRole("button", { name: "Start campaign" }));
    await userEvent.click(await screen.findByRole("button", { name: "Split across days" }));

    await waitFor(() => expect(api.history.post).toHaveLength(2));
    expect(JSON.parse(api.history.post[1]!.data as string)).toEqual({ split_across_days: true });
  });

  it("creates a retarget draft for a stage and opens it", async () => {
    api.onGet("/api/campaigns/7/").reply(200, campaign({ status: "completed", progress: 1 }));
    api.onPost("/api/campaigns/7/retarget/").reply(201, campaign({ id: 8, status: "draft", retarget_of: 7 }));
    render(<CampaignDetailView id={7} />);

    await userEvent.click(await screen.findByRole("button", { name: "Retarget…" }));
    await userEvent.click(screen.getByRole("radio", { name: /Delivered but not read/ }));
    await userEvent.click(screen.getByRole("button", { name: "Create draft" }));

    await waitFor(() => expect(push).toHaveBeenCalledWith("/campaigns/8"));
    expect(JSON.parse(api.history.post[0]!.data as string)).toEqual({ stage: "delivered_not_read" });
  });
});
