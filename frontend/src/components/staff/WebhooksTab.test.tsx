import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

import type { WebhookChange } from "@/lib/api/types";
import { renderWithQuery as render } from "@/lib/query/testing";
import { mockApi, type MockApi } from "@/lib/testing/mockApi";
import { WebhooksTab } from "./WebhooksTab";
import { change, page } from "./testData";

const LOST = change();
const BROKEN = change({ id: 32, event_id: 13, status: "failed", tenant: "alpha", error: "KeyError('id')", event_status: "dead", event_attempts: 8 });
const HANDLED = change({ id: 33, event_id: 14, status: "handled", tenant: "alpha", replayable: false });

let api: MockApi;
let changes: WebhookChange[];

beforeEach(() => {
  api = mockApi();
  changes = [LOST, BROKEN, HANDLED];
  api.onGet("/api/platform/webhook-changes/").reply((request) => {
    const status = request.params?.status;
    return [200, page(changes.filter((c) => !status || c.status === status))];
  });
});

afterEach(() => api.restore());

const rows = () => screen.queryAllByTestId("change-row").map((row) => row.getAttribute("aria-label"));

describe("WebhooksTab", () => {
  it("starts with the unroutable changes, and filters by state", async () => {
    const user = userEvent.setup();
    render(<WebhooksTab />);

    await waitFor(() => expect(rows()).toEqual(["Change 31"]));
    const lost = within(screen.getByRole("row", { name: "Change 31" }));
    expect(lost.getByText("number 999000000000009")).toBeDefined();
    expect(lost.getByText("Unroutable")).toBeDefined();
    await user.click(screen.getByRole("radio", { name: "Failed" }));
    await waitFor(() => expect(rows()).toEqual(["Change 32"]));
    expect(within(screen.getByRole("row", { name: "Change 32" })).getByText("KeyError('id')")).toBeDefined();
    await user.click(screen.getByRole("radio", { name: "All" }));
    await waitFor(() => expect(rows()).toEqual(["Change 31", "Change 32", "Change 33"]));
    expect(within(screen.getByRole("row", { name: "Change 33" })).queryByRole("button")).toBeNull(); // nothing to replay
    expect(api.history.get.map((r) => r.params?.status)).toEqual(["unroutable", "failed", undefined]);
  });

  it("replays a change and shows the list as it is now", async () => {
    api.onPost("/api/platform/webhook-changes/31/replay/").reply((): [number, unknown] => {
      const routed = { ...LOST, status: "handled", tenant: "alpha", replayable: false };
      changes = [routed, BROKEN, HANDLED];
      return [200, { requeued: true, change: routed }];
    });
    const user = userEvent.setup();
    render(<WebhooksTab />);
    await waitFor(() => expect(rows()).toEqual(["Change 31"]));

    await user.click(screen.getByRole("button", { name: "Replay change 31" }));

    expect((await screen.findByRole("status")).textContent).toBe("Change 31 was routed again to alpha: handled.");
    await waitFor(() => expect(rows()).toEqual([])); // refetched: no longer unroutable
    expect(await screen.findByRole("heading", { name: "No unroutable changes" })).toBeDefined();
  });

  it("says when a replayed change still has no business", async () => {
    api.onPost("/api/platform/webhook-changes/31/replay/").reply(200, { requeued: false, change: LOST });
    render(<WebhooksTab />);
    await waitFor(() => expect(rows()).toEqual(["Change 31"]));

    await userEvent.setup().click(screen.getByRole("button", { name: "Replay change 31" }));

    expect((await screen.findByRole("status")).textContent).toBe(
      "Change 31 is still unroutable: no business has connected 999000000000009 yet.",
    );
  });

  it("shows the API's refusal of a replay", async () => {
    const message = "The event's body was deleted after retention: nothing is left to replay.";
    api.onPost("/api/platform/webhook-changes/31/replay/").reply(409, { code: "conflict", message, errors: {} });
    render(<WebhooksTab />);
    await waitFor(() => expect(rows()).toEqual(["Change 31"]));

    await userEvent.setup().click(screen.getByRole("button", { name: "Replay change 31" }));

    expect((await screen.findByRole("alert")).textContent).toBe(message);
  });

  it("says when nothing is unroutable, and shows a failed load", async () => {
    changes = [];
    const { unmount } = render(<WebhooksTab />);
    expect(await screen.findByRole("heading", { name: "No unroutable changes" })).toBeDefined();
    unmount();

    api.onGet("/api/platform/webhook-changes/").reply(500, { code: "server_error", message: "Something went wrong on our side.", errors: {} });
    render(<WebhooksTab />);
    expect((await screen.findByRole("alert")).textContent).toBe("Something went wrong on our side.");
  });
});
