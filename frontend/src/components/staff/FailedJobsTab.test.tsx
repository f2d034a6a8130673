import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

import type { FailedJob } from "@/lib/api/types";
import { renderWithQuery as render } from "@/lib/query/testing";
import { mockApi, type MockApi } from "@/lib/testing/mockApi";
import { FailedJobsTab } from "./FailedJobsTab";
import { job, page } from "./testData";

const DEAD = job();
const RETRYING = job({
  id: 15,
  state: "retrying",
  summary: "Webhook event 15 (1 change: 1 failed)",
  attempts: 2,
  next_attempt_at: "2026-12-01T10:05:00Z",
  error: "change 0 (messages): boom",
  replayable: true,
});
const OVERAGE = job({
  kind: "overage_charge",
  id: 3,
  state: "retrying",
  tenant: { slug: "acme", name: "Acme Ltd" },
  summary: "Overage of 150 messages in October 2026 not billed yet (3.00 USD)",
  error: "Stripe has not taken the invoice item (it was unavailable); the daily billing run tries again.",
  attempts: null,
  replayable: false,
});
const NEXT = "http://localhost/api/platform/failed-jobs/?cursor=abc";

let api: MockApi;
let jobs: FailedJob[];

beforeEach(() => {
  api = mockApi();
  jobs = [RETRYING, OVERAGE, DEAD];
  api.onGet("/api/platform/failed-jobs/").reply((request) => {
    const p = request.params ?? {};
    return [200, page(jobs.filter((j) => (!p.kind || j.kind === p.kind) && (!p.state || j.state === p.state)))];
  });
});

afterEach(() => api.restore());

const rows = () => screen.queryAllByTestId("job-row").map((row) => row.getAttribute("aria-label"));

describe("FailedJobsTab", () => {
  it("lists failed work of every kind with its state, attempts and last error", async () => {
    render(<FailedJobsTab />);

    await waitFor(() => expect(rows()).toEqual(["Webhook event 15", "Overage charge 3", "Webhook event 12"]));
    const retrying = within(screen.getByRole("row", { name: "Webhook event 15" }));
    expect(retrying.getByText("Retrying")).toBeDefined();
    expect(retrying.getByText("2 attempts")).toBeDefined();
    expect(retrying.getByText(/^next try/)).toBeDefined();
    const overage = within(screen.getByRole("row", { name: "Overage charge 3" }));
    expect(overage.getByText("Acme Ltd")).toBeDefined();
    expect(overage.queryByRole("button")).toBeNull(); // the billing run retries it; nothing to replay
    const dead = within(screen.getByRole("row", { name: "Webhook event 12" }));
    expect(dead.getByText("Needs a person")).toBeDefined();
    expect(dead.getByText("8 attempts failed; last: boom")).toBeDefined();
  });

  it("filters by kind and state through the API", async () => {
    const user = userEvent.setup();
    render(<FailedJobsTab />);
    await waitFor(() => expect(rows()).toHaveLength(3));

    await user.click(screen.getByRole("radio", { name: "Needs a person" }));
    await waitFor(() => expect(rows()).toEqual(["Webhook event 12"]));
    await user.click(screen.getByRole("radio", { name: "All" }));
    await user.selectOptions(screen.getByLabelText("Kind"), "Overage charges");
    await waitFor(() => expect(rows()).toEqual(["Overage charge 3"]));
    await user.click(screen.getByRole("radio", { name: "Needs a person" }));
    expect(await screen.findByRole("heading", { name: "No failed jobs of this kind" })).toBeDefined();

    const sent = api.history.get.map((r) => r.params ?? {});
    expect(sent).toContainEqual({ state: "dead" });
    expect(sent).toContainEqual({ kind: "overage_charge" });
    expect(sent.at(-1)).toEqual({ kind: "overage_charge", state: "dead" });
  });

  it("replays a dead webhook event and refetches", async () => {
    api.onPost("/api/platform/webhook-events/12/replay/").reply((): [number, unknown] => {
      jobs = [RETRYING, OVERAGE];
      return [200, { requeued: true, event: { id: 12, received_at: DEAD.occurred_at, status: "processed", attempts: 1, error: "", lease_until: null, processed_at: DEAD.occurred_at, redacted_at: null, replayable: false } }];
    });
    render(<FailedJobsTab />);
    await waitFor(() => expect(rows()).toHaveLength(3));

    await userEvent.setup().click(screen.getByRole("button", { name: "Replay Webhook event 12" }));

    expect((await screen.findByRole("status")).textContent).toBe("Webhook event 12 was routed again: processed.");
    await waitFor(() => expect(rows()).toEqual(["Webhook event 15", "Overage charge 3"]));
  });

  it("shows the API's refusal of a replay", async () => {
    const message = "This event has no unroutable or failed changes to replay.";
    api.onPost("/api/platform/webhook-events/12/replay/").reply(409, { code: "conflict", message, errors: {} });
    render(<FailedJobsTab />);
    await waitFor(() => expect(rows()).toHaveLength(3));

    await userEvent.setup().click(screen.getByRole("button", { name: "Replay Webhook event 12" }));

    expect((await screen.findByRole("alert")).textContent).toBe(message);
  });

  it("loads more with the cursor, and says when nothing failed", async () => {
    api.onGet("/api/platform/failed-jobs/").reply((request) => [200, request.params?.cursor === "abc" ? page([DEAD]) : page([RETRYING], NEXT)]);
    const { unmount } = render(<FailedJobsTab />);
    await waitFor(() => expect(rows()).toEqual(["Webhook event 15"]));
    await userEvent.setup().click(screen.getByRole("button", { name: "Load more" }));
    await waitFor(() => expect(rows()).toEqual(["Webhook event 15", "Webhook event 12"]));
    unmount();

    api.onGet("/api/platform/failed-jobs/").reply(200, page([]));
    render(<FailedJobsTab />);
    expect(await screen.findByRole("heading", { name: "No failed jobs" })).toBeDefined();
  });
});
