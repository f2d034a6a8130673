import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";

import * as callsApi from "@/lib/api/calls";
import { renderWithQuery as render } from "@/lib/query/testing";
import { CallLog } from "./CallLog";
import { call } from "./testData";

vi.mock("@/lib/api/calls", () => ({ listCalls: vi.fn() }));
vi.mock("@/lib/api/team", () => ({
  listAllMembers: vi.fn().mockResolvedValue([{ user_id: 3, first_name: "Ana", last_name: "Agent", email: "ana@example.com", role: "agent" }]),
}));

beforeEach(() => {
  vi.clearAllMocks();
  vi.mocked(callsApi.listCalls).mockResolvedValue({
    next: null,
    previous: null,
    results: [
      call({ id: 2, status: "completed", duration_seconds: 151, agent_id: 3, conversation_id: 7 }),
      call({ id: 1, status: "missed", direction: "business_initiated", to_number: "447700900123", conversation_id: null }),
    ],
  });
});

describe("CallLog", () => {
  it("lists calls with their result, duration and agent, linking to the conversation", async () => {
    render(<CallLog />);
    const rows = await screen.findAllByTestId("call-row");
    expect(rows).toHaveLength(2);
    expect(within(rows[0]!).getByRole("link", { name: "+16505550101" }).getAttribute("href")).toBe("/inbox?c=7");
    expect(rows[0]!.textContent).toContain("Answered");
    expect(rows[0]!.textContent).toContain("2:31");
    await waitFor(() => expect(rows[0]!.textContent).toContain("Ana Agent"));
    expect(rows[1]!.textContent).toContain("Outgoing");
    expect(rows[1]!.textContent).toContain("Missed");
  });

  it("filters by direction, result and agent", async () => {
    const user = userEvent.setup();
    render(<CallLog />);
    await screen.findAllByTestId("call-row");
    await user.selectOptions(screen.getByRole("combobox", { name: "Direction" }), "user_initiated");
    await user.selectOptions(screen.getByRole("combobox", { name: "Result" }), "missed");
    await user.selectOptions(await screen.findByRole("combobox", { name: "Agent" }), "3");
    await waitFor(() => expect(callsApi.listCalls).toHaveBeenLastCalledWith({ direction: "user_initiated", status: "missed", agent: 3 }, undefined));
  });

  it("explains where calls come from when there are none", async () => {
    vi.mocked(callsApi.listCalls).mockResolvedValue({ next: null, previous: null, results: [] });
    render(<CallLog />);
    expect(await screen.findByText("No calls yet")).toBeTruthy();
  });
});
