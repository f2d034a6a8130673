import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

import type { CampaignSummary } from "@/lib/api/campaigns";
import { renderWithQuery as render } from "@/lib/query/testing";
import { mockApi, type MockApi, type MockRequest } from "@/lib/testing/mockApi";
import { CampaignsView } from "./CampaignsView";
import { campaign, counts } from "./testData";

const RUNNING = campaign({ id: 7, name: "Spring sale" });
const DONE = campaign({
  id: 6,
  name: "Winter sale",
  status: "completed",
  progress: 1,
  counts: counts({ recipients: 200, queued: 0, sent: 198, delivered: 190, read: 120, replied: 8, failed: 2 }),
});

let api: MockApi;
beforeEach(() => {
  api = mockApi();
});
afterEach(() => api.restore());

/** The list as the server filters it (status). */
function listHandler(all: CampaignSummary[]) {
  return (request: MockRequest): [number, unknown] => {
    const status = request.params?.status;
    return [200, { next: null, previous: null, results: all.filter((c) => !status || c.status === status) }];
  };
}

describe("the campaigns list", () => {
  it("shows each campaign's status, progress and numbers", async () => {
    api.onGet("/api/campaigns/").reply(listHandler([RUNNING, DONE]));
    render(<CampaignsView />);

    const row = await screen.findByRole("row", { name: "Winter sale" });
    expect(within(row).getByText("Completed")).toBeTruthy();
    expect(within(row).getByRole("progressbar").getAttribute("aria-valuenow")).toBe("100");
    const cells = within(row).getAllByRole("cell").map((cell) => cell.textContent);
    // Recipients, sent, delivered, read, failed.
    expect(cells.slice(3, 8)).toEqual(["200", "198 99%", "190 95%", "120 60%", "2"]);
    expect(within(screen.getByRole("row", { name: "Spring sale" })).getByRole("link", { name: "Spring sale" }).getAttribute("href")).toBe("/campaigns/7");
  });

  it("filters by status", async () => {
    api.onGet("/api/campaigns/").reply(listHandler([RUNNING, DONE]));
    render(<CampaignsView />);
    await screen.findByRole("row", { name: "Winter sale" });

    await userEvent.selectOptions(screen.getByRole("combobox", { name: "Status" }), "running");

    await waitFor(() => expect(screen.queryByRole("row", { name: "Winter sale" })).toBeNull());
    expect(screen.getByRole("row", { name: "Spring sale" })).toBeTruthy();
    expect(api.history.get.at(-1)!.params).toEqual({ status: "running" });
  });

  it("invites the first campaign when there is none", async () => {
    api.onGet("/api/campaigns/").reply(listHandler([]));
    render(<CampaignsView />);

    expect(await screen.findByText("No campaigns yet")).toBeTruthy();
    const links = screen.getAllByRole("link", { name: "New campaign" });
    expect(links.every((link) => link.getAttribute("href") === "/campaigns/new")).toBe(true);
    expect(links).toHaveLength(2); // the header's and the empty state's
  });
});
