import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { renderWithQuery as render } from "@/lib/query/testing";
import { mockApi, type MockApi } from "@/lib/testing/mockApi";
import { CampaignDetailView } from "./CampaignDetailView";
import { audiencePreview, campaign } from "./testData";

const push = vi.fn();
vi.mock("next/navigation", () => ({ useRouter: () => ({ push }) }));

let api: MockApi;
beforeEach(() => {
  api = mockApi();
  api.onGet("/api/campaigns/7/recipients/").reply(200, { next: null, previous: null, results: [] });
  api.onGet("/api/inbox/settings/").reply(200, { timezone: "Europe/Berlin" });
  api.onPost("/api/campaigns/audience/").reply(200, audiencePreview());
});

/** The POSTs to one path (the draft page also previews its audience). */
const posts = (path: string) => api.history.post.filter((r) => r.url === path);
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
    expect(within(funnel).getByLabelText("Queued: 610")).toBeTruthy(); // handed to the outbox: sent or failed
    expect(within(funnel).getByLabelText("Sent: 600")).toBeTruthy();
    expect(within(funnel).getByLabelText("Delivered: 500")).toBeTruthy();
    expect(within(funnel).getByLabelText("Read: 200")).toBeTruthy();
    expect(within(funnel).getByLabelText("Failed: 10")).toBeTruthy();
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
    expect(posts("/api/campaigns/7/pause/")).toHaveLength(1);
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

    await waitFor(() => expect(posts("/api/campaigns/7/start/")).toHaveLength(2));
    expect(JSON.parse(posts("/api/campaigns/7/start/")[1]!.data as string)).toEqual({ split_across_days: true });
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

  it("shows a draft's settings and reach, with Start and Delete but no funnel yet", async () => {
    api.onGet("/api/campaigns/7/").reply(
      200,
      campaign({ status: "draft", started_at: null, progress: 0, schedule_at: "2026-12-24T08:00:00Z", throughput_cap: 20, quiet_hours: { start: "21:00", end: "08:00" } }),
    );
    render(<CampaignDetailView id={7} />);

    expect(await screen.findByText("Contacts tagged vip")).toBeTruthy();
    expect(await screen.findByText(/Dec 24, 2026.*\(Europe\/Berlin\)/)).toBeTruthy();
    expect(screen.getByText("At most 20 messages a second")).toBeTruthy();
    expect(screen.getByText("21:00 to 08:00, each recipient's time")).toBeTruthy();
    expect((await screen.findByTestId("audience-size")).textContent).toBe("9,897");
    expect(JSON.parse(posts("/api/campaigns/audience/")[0]!.data as string)).toMatchObject({ template_id: 3, audience: { tags: ["vip"] } });
    expect(screen.getByRole("button", { name: "Start campaign" })).toBeTruthy();
    expect(screen.getByRole("button", { name: "Delete draft" })).toBeTruthy();
    expect(screen.queryByRole("progressbar")).toBeNull();
    expect(screen.queryByRole("button", { name: "Pause" })).toBeNull();
  });

  it("deletes a draft after a confirmation and goes back to the list", async () => {
    api.onGet("/api/campaigns/7/").reply(200, campaign({ status: "draft", started_at: null }));
    api.onDelete("/api/campaigns/7/").reply(204);
    render(<CampaignDetailView id={7} />);

    await userEvent.click(await screen.findByRole("button", { name: "Delete draft" }));
    expect(api.history.delete).toHaveLength(0);
    await userEvent.click(screen.getByRole("button", { name: "Confirm delete" }));

    await waitFor(() => expect(push).toHaveBeenCalledWith("/campaigns"));
    expect(api.history.delete).toHaveLength(1);
  });

  it("explains a plan limit the way the billing banners do, with the way to billing", async () => {
    api.onGet("/api/campaigns/7/").reply(200, campaign({ status: "draft", started_at: null }));
    api.onPost("/api/campaigns/7/start/").reply(402, {
      code: "plan_limit",
      message: "Your plan allows 3 campaigns a month; 3 were started this month. Upgrade in Settings → Billing.",
      errors: { limit: ["campaigns_per_month"] },
    });
    render(<CampaignDetailView id={7} />);

    await userEvent.click(await screen.findByRole("button", { name: "Start campaign" }));

    const banner = await screen.findByTestId("plan-limit");
    expect(banner.textContent).toContain("Your plan allows 3 campaigns a month");
    expect(within(banner).getByRole("link", { name: "Settings → Billing" }).getAttribute("href")).toBe("/settings/billing");
  });

  it("asks before cancelling a running campaign", async () => {
    let current = campaign();
    api.onGet("/api/campaigns/7/").reply(() => [200, current] as [number, unknown]);
    api.onPost("/api/campaigns/7/cancel/").reply(() => {
      current = campaign({ status: "cancelled" });
      return [200, current] as [number, unknown];
    });
    render(<CampaignDetailView id={7} />);

    await userEvent.click(await screen.findByRole("button", { name: "Cancel campaign" }));
    expect(posts("/api/campaigns/7/cancel/")).toHaveLength(0);
    await userEvent.click(screen.getByRole("button", { name: "Confirm cancel" }));

    await waitFor(() => expect(screen.getByTestId("campaign-status").textContent).toBe("Cancelled"));
    expect(posts("/api/campaigns/7/cancel/")).toHaveLength(1);
  });
});
