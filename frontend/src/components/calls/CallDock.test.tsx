import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";

import { CallDock } from "./CallDock";
import { callDetail, call } from "./testData";
import type { CallCenter } from "./useCallCenter";

function center(overrides: Partial<CallCenter> = {}): CallCenter {
  return {
    ringing: [],
    active: null,
    error: null,
    busy: false,
    answer: vi.fn(async () => undefined),
    decline: vi.fn(async () => undefined),
    hangUp: vi.fn(async () => undefined),
    place: vi.fn(async () => undefined),
    setMuted: vi.fn(),
    dismissError: vi.fn(),
    onEvent: vi.fn(),
    onResync: vi.fn(),
    ...overrides,
  };
}

describe("CallDock", () => {
  it("shows nothing when no call rings and none is on", () => {
    const { container } = render(<CallDock center={center()} />);
    expect(container.textContent).toBe("");
  });

  it("rings with the customer's number, and answers or declines that call", async () => {
    const user = userEvent.setup();
    const ringing = call({ id: 5, from_number: "16505550101" });
    const dock = center({ ringing: [ringing] });
    render(<CallDock center={dock} />);
    expect(screen.getByRole("region", { name: "Call from +16505550101" })).toBeTruthy();
    await user.click(screen.getByTestId("call-answer"));
    expect(dock.answer).toHaveBeenCalledWith(ringing);
    await user.click(screen.getByTestId("call-decline"));
    expect(dock.decline).toHaveBeenCalledWith(ringing);
  });

  it("shows the call in progress with its audio meters, mute and hang up", async () => {
    const user = userEvent.setup();
    const active = { call: callDetail({ status: "accepted", answered_at: new Date().toISOString() }), meters: { state: "connected" as const, packetsSent: 120, packetsReceived: 98, level: 0.2 }, muted: false };
    const dock = center({ active });
    render(<CallDock center={dock} />);
    expect(screen.getByTestId("call-status").textContent).toMatch(/^On call · 0:0\d$/);
    expect(screen.getByTestId("call-sent").textContent).toBe("120");
    expect(screen.getByTestId("call-received").textContent).toBe("98");
    await user.click(screen.getByRole("button", { name: "Mute" }));
    expect(dock.setMuted).toHaveBeenCalledWith(true);
    await user.click(screen.getByTestId("call-hangup"));
    expect(dock.hangUp).toHaveBeenCalled();
  });

  it("names the contact when the page knows them, and opens the call's chat", async () => {
    const user = userEvent.setup();
    const onOpen = vi.fn();
    render(<CallDock center={center({ ringing: [call({ id: 5, conversation_id: 7 })] })} nameOf={() => "Alice Johnson"} onOpen={onOpen} />);
    expect(screen.getByText("Alice Johnson")).toBeTruthy();
    await user.click(screen.getByRole("button", { name: "Open chat" }));
    expect(onOpen).toHaveBeenCalledWith(7);
  });

  it("can't take a second call while on one, and says how an ended call ended", () => {
    const { rerender } = render(<CallDock center={center({ ringing: [call({ id: 6 })], active: { call: callDetail({ status: "accepted" }), meters: null, muted: false } })} />);
    expect((screen.getByTestId("call-answer") as HTMLButtonElement).disabled).toBe(true);
    rerender(<CallDock center={center({ active: { call: callDetail({ status: "completed", duration_seconds: 62 }), meters: null, muted: false } })} />);
    expect(screen.getByTestId("call-status").textContent).toBe("Ended · 1:02");
    expect(screen.queryByTestId("call-hangup")).toBeNull();
  });

  it("shows why an action failed until dismissed", async () => {
    const user = userEvent.setup();
    const dock = center({ error: "Ana answered this call first." });
    render(<CallDock center={dock} />);
    expect(screen.getByRole("alert").textContent).toContain("Ana answered this call first.");
    await user.click(screen.getByRole("button", { name: "Dismiss" }));
    expect(dock.dismissError).toHaveBeenCalled();
  });
});
