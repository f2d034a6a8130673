import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";

import type { PhoneNumber } from "@/lib/api/types";
import { ApiError } from "@/lib/apiClient";
import { capabilitiesOf } from "@/lib/testing/users";
import { NumbersList } from "./NumbersList";

const number = (overrides: Partial<PhoneNumber>): PhoneNumber => ({
  id: 1,
  phone_number_id: "100000000000001",
  waba_id: "200000000000001",
  display_phone_number: "+1 555-010-0001",
  verified_name: "ConvoNest Demo",
  quality_rating: "GREEN",
  messaging_limit_tier: "TIER_2K",
  throughput_level: "STANDARD",
  throughput_mps: 80,
  status: "CONNECTED",
  connected_via: "embedded_signup",
  last_synced_at: "2026-11-27T10:00:00Z",
  created_at: "2026-11-27T09:00:00Z",
  ...overrides,
});

const NUMBERS = [number({}), number({ id: 2, phone_number_id: "100000000000002", display_phone_number: "+1 555-010-0002", quality_rating: "RED" })];
const noop = () => Promise.resolve();

describe("NumbersList", () => {
  it("shows every number's health to agents, read-only", () => {
    render(<NumbersList numbers={NUMBERS} canManage={capabilitiesOf("agent").manage_settings} onRefresh={noop} onDisconnect={noop} />);

    const first = screen.getByRole("listitem", { name: "+1 555-010-0001" });
    expect(within(first).getByText("High quality")).toBeDefined();
    expect(within(first).getByText("2K customers / 24 h")).toBeDefined();
    expect(within(first).getByText("80 msg/s (standard)")).toBeDefined();
    expect(within(first).getByText("Embedded Signup")).toBeDefined();
    expect(within(screen.getByRole("listitem", { name: "+1 555-010-0002" })).getByText("Low quality")).toBeDefined();
    expect(screen.queryAllByRole("button", { name: /refresh|disconnect/i })).toHaveLength(0);
  });

  it.each(["owner", "admin"] as const)("lets an %s refresh and disconnect", (role) => {
    render(<NumbersList numbers={NUMBERS} canManage={capabilitiesOf(role).manage_settings} onRefresh={noop} onDisconnect={noop} />);
    expect(screen.getAllByRole("button", { name: /^Refresh/ })).toHaveLength(2);
    expect(screen.getAllByRole("button", { name: /^Disconnect/ })).toHaveLength(2);
  });

  it("refreshes a number", async () => {
    const onRefresh = vi.fn().mockResolvedValue(undefined);
    const user = userEvent.setup();
    render(<NumbersList numbers={NUMBERS} canManage={capabilitiesOf("admin").manage_settings} onRefresh={onRefresh} onDisconnect={noop} />);
    await user.click(screen.getByRole("button", { name: "Refresh +1 555-010-0002" }));
    expect(onRefresh).toHaveBeenCalledWith(NUMBERS[1]);
  });

  it("asks before disconnecting, can be cancelled, and shows the API's refusal", async () => {
    const onDisconnect = vi.fn().mockRejectedValue(new ApiError(403, "permission_denied", "You don't have permission to do this."));
    const user = userEvent.setup();
    render(<NumbersList numbers={NUMBERS} canManage={capabilitiesOf("owner").manage_settings} onRefresh={noop} onDisconnect={onDisconnect} />);

    await user.click(screen.getByRole("button", { name: "Disconnect +1 555-010-0001" }));
    const dialog = screen.getByRole("alertdialog", { name: "Disconnect +1 555-010-0001?" });
    await user.click(within(dialog).getByRole("button", { name: "Cancel" }));
    expect(screen.queryByRole("alertdialog")).toBeNull();
    expect(onDisconnect).not.toHaveBeenCalled();

    await user.click(screen.getByRole("button", { name: "Disconnect +1 555-010-0001" }));
    await user.click(screen.getByRole("button", { name: "Confirm disconnect" }));
    expect(onDisconnect).toHaveBeenCalledWith(NUMBERS[0]);
    expect((await screen.findByRole("alert")).textContent).toBe("You don't have permission to do this.");
  });
});
