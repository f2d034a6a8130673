import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import type { AuditEvent, User } from "@/lib/api/types";
import { renderWithQuery as render } from "@/lib/query/testing";
import { mockApi, type MockApi } from "@/lib/testing/mockApi";
import { testUser } from "@/lib/testing/users";
import { AuditLogContent, dayStart } from "./AuditLogContent";

let viewer: User = testUser("owner");
vi.mock("@/components/app/SessionProvider", () => ({ useSession: () => ({ user: viewer }) }));

const EVENT: AuditEvent = {
  id: 2,
  occurred_at: "2026-12-06T10:00:00Z",
  actor_type: "api_key",
  actor_id: "4",
  actor_label: "Shop sync (cn_live_AbCd…)",
  action: "campaign.started",
  action_label: "Started a campaign",
  target_type: "campaign",
  target_id: "7",
  target_label: "Diwali sale",
  changes: { throughput_cap: [null, 40] },
  detail: { key_owner: "owner@acme.example" },
  ip: "203.0.113.7",
  user_agent: "curl/8.5",
  request_id: "4f1c2d3e5a6b7c8d9e0f",
};
const BY_AUTOMATION: AuditEvent = {
  ...EVENT,
  id: 1,
  actor_type: "automation",
  actor_id: "campaign_dispatcher",
  actor_label: "Campaign dispatcher",
  action: "campaign.paused",
  action_label: "Paused a campaign",
  changes: {},
  detail: { reason: "template_paused" },
  ip: null,
  user_agent: "",
  request_id: "",
};
const ACTIONS = [
  { action: "campaign.started", area: "campaign", label: "Started a campaign" },
  { action: "campaign.paused", area: "campaign", label: "Paused a campaign" },
  { action: "team.invite_sent", area: "team", label: "Invited a member" },
];

let api: MockApi;

beforeEach(() => {
  viewer = testUser("owner");
  api = mockApi();
  api.onGet("/api/audit/actions/").reply(200, ACTIONS);
  api.onGet("/api/audit/events/").reply(200, { next: null, previous: null, results: [EVENT, BY_AUTOMATION] });
});

afterEach(() => api.restore());

describe("Audit log", { timeout: 20_000 }, () => {
  it("shows who did what and from where, API keys and automations named as such", async () => {
    render(<AuditLogContent />);
    const rows = within(await screen.findByRole("table")).getAllByRole("row");
    expect(rows).toHaveLength(3);
    expect(within(rows[1]!).getByText("Shop sync (cn_live_AbCd…)")).toBeTruthy();
    expect(within(rows[1]!).getByText("API keys")).toBeTruthy();
    expect(within(rows[1]!).getByText(/Started a campaign/)).toBeTruthy();
    expect(within(rows[1]!).getByText(/Diwali sale/)).toBeTruthy();
    expect(within(rows[1]!).getByText("throughput_cap: null → 40")).toBeTruthy();
    expect(within(rows[1]!).getByText("203.0.113.7")).toBeTruthy();
    expect(within(rows[2]!).getByText("Automations")).toBeTruthy();
    expect(within(rows[2]!).getByText("In the background")).toBeTruthy();
    expect(within(rows[2]!).getByText("reason: template_paused")).toBeTruthy();
  });

  it("filters by area and kind of actor, and the export link carries the same filter", async () => {
    const user = userEvent.setup();
    render(<AuditLogContent />);
    await screen.findByRole("table");
    await screen.findByRole("option", { name: "All campaign events" });

    await user.selectOptions(screen.getByLabelText("What"), "campaign");
    await user.selectOptions(screen.getByLabelText("Who"), "automation");

    await waitFor(() => expect(api.history.get.at(-1)!.params).toEqual({ action: "campaign", actor_type: "automation" }));
    const link = screen.getByRole("link", { name: "Export CSV" });
    expect(link.getAttribute("href")).toBe("/api/audit/events.csv?action=campaign&actor_type=automation");
  });

  it("narrows to one actor, or one thing acted on, from a row", async () => {
    const user = userEvent.setup();
    render(<AuditLogContent />);
    await screen.findByRole("table");

    await user.click(screen.getAllByRole("button", { name: "Campaign dispatcher" })[0]!);
    await waitFor(() =>
      expect(api.history.get.at(-1)!.params).toEqual({ actor_type: "automation", actor_id: "campaign_dispatcher" }),
    );
    expect(screen.getByText(/Only events by/).textContent).toContain("Campaign dispatcher");

    await user.click(screen.getByRole("button", { name: "Show everyone" }));
    await user.click((await screen.findAllByRole("button", { name: "Diwali sale" }))[0]!);
    await waitFor(() => expect(api.history.get.at(-1)!.params).toEqual({ target_type: "campaign", target_id: "7" }));
  });

  it("turns picked days into the local day's bounds, the last day included", () => {
    expect(dayStart("2026-12-06")).toBe(new Date(2026, 11, 6).toISOString());
    expect(dayStart("2026-12-06", true)).toBe(new Date(2026, 11, 7).toISOString());
    expect(dayStart("")).toBeUndefined();
  });

  it("says so when nothing is recorded, and when filters match nothing", async () => {
    api.onGet("/api/audit/events/").reply(200, { next: null, previous: null, results: [] });
    render(<AuditLogContent />);
    expect(await screen.findByText("Nothing recorded yet")).toBeTruthy();
  });

  it("tells agents it is for owners and admins, without asking the API", async () => {
    viewer = testUser("agent");
    render(<AuditLogContent />);
    expect(screen.getByText("Only owners and admins can read the audit log.")).toBeTruthy();
    expect(api.history.get).toHaveLength(0);
  });
});
