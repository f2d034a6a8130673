import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";

import type { PhoneNumber } from "@/lib/api/types";
import { ApiError } from "@/lib/apiClient";
import * as api from "@/lib/api/whatsapp";
import { capabilitiesOf } from "@/lib/testing/users";
import { WhatsAppSection } from "./WhatsAppSection";
import { renderWithQuery as render } from "@/lib/query/testing";

vi.mock("@/lib/api/whatsapp", () => ({
  listNumbers: vi.fn(),
  connectNumber: vi.fn(),
  refreshNumber: vi.fn(),
  disconnectNumber: vi.fn(),
  startEmbeddedSignup: vi.fn(),
  finishEmbeddedSignup: vi.fn(),
}));

const NUMBER: PhoneNumber = {
  id: 7,
  phone_number_id: "100000000000001",
  waba_id: "200000000000001",
  display_phone_number: "+1 555-010-0001",
  verified_name: "ConvoNest Demo",
  quality_rating: "YELLOW",
  messaging_limit_tier: "TIER_1K",
  throughput_level: "STANDARD",
  throughput_mps: 80,
  status: "CONNECTED",
  connected_via: "manual",
  last_synced_at: null,
  created_at: "2026-11-27T09:00:00Z",
};

beforeEach(() => {
  vi.clearAllMocks();
  vi.mocked(api.startEmbeddedSignup).mockResolvedValue({ app_id: "300", state: "s", mode: "sandbox", signup_url: "http://127.0.0.1:8010/_sandbox/embedded-signup?x=1" });
});

describe("WhatsAppSection", () => {
  it("explains connecting when there is no number, and offers agents no way to connect", async () => {
    vi.mocked(api.listNumbers).mockResolvedValue({ results: [], next: null });
    render(<WhatsAppSection canManage={capabilitiesOf("agent").manage_settings} />);

    expect(await screen.findByText("No WhatsApp number connected")).toBeDefined();
    expect(screen.getByText(/Ask an owner or admin/)).toBeDefined();
    expect(screen.queryByRole("form", { name: "Connect a number by hand" })).toBeNull();
    expect(screen.queryByRole("button", { name: /Embedded Signup/ })).toBeNull();
    // Agents may not start Embedded Signup (the API answers 403), so it is not asked.
    expect(api.startEmbeddedSignup).not.toHaveBeenCalled();
  });

  it("gives owners both ways to connect", async () => {
    vi.mocked(api.listNumbers).mockResolvedValue({ results: [NUMBER], next: null });
    render(<WhatsAppSection canManage={capabilitiesOf("owner").manage_settings} />);

    expect(await screen.findByText("Medium quality")).toBeDefined();
    expect(await screen.findByRole("button", { name: "Connect with Facebook (Embedded Signup)" })).toBeDefined();
    expect(screen.getByRole("form", { name: "Connect a number by hand" })).toBeDefined();
    expect(screen.getByLabelText("Access token").getAttribute("type")).toBe("password");
  });

  it("explains that Facebook mode needs Meta's SDK", async () => {
    vi.mocked(api.listNumbers).mockResolvedValue({ results: [], next: null });
    vi.mocked(api.startEmbeddedSignup).mockResolvedValue({ app_id: "123", state: "s", mode: "facebook", signup_url: "" });
    render(<WhatsAppSection canManage={capabilitiesOf("admin").manage_settings} />);
    expect(await screen.findByText(/Facebook JavaScript\s+SDK/)).toBeDefined();
  });

  it("shows the server's field errors next to the inputs and forgets the token", async () => {
    vi.mocked(api.listNumbers).mockResolvedValue({ results: [], next: null });
    vi.mocked(api.connectNumber).mockRejectedValue(
      new ApiError(409, "already_connected", "Phone number 100 is already connected to another ConvoNest business.", {
        phone_number_id: ["This number is already connected to another ConvoNest business. Disconnect it there first."],
      }),
    );
    const user = userEvent.setup();
    render(<WhatsAppSection canManage={capabilitiesOf("owner").manage_settings} />);

    await user.type(await screen.findByLabelText("WhatsApp Business Account id"), "200000000000001");
    await user.type(screen.getByLabelText("Phone number id"), "100000000000001");
    await user.type(screen.getByLabelText("Access token"), "secret-token");
    await user.click(screen.getByRole("button", { name: "Connect number" }));

    expect(await screen.findByText(/Disconnect it there first/)).toBeDefined();
    expect(screen.getByLabelText("Phone number id").getAttribute("aria-invalid")).toBe("true");
    expect((screen.getByLabelText("Access token") as HTMLInputElement).value).toBe("");
    expect(api.connectNumber).toHaveBeenCalledWith({ waba_id: "200000000000001", phone_number_id: "100000000000001", access_token: "secret-token" });
  });

  it("adds a number connected by hand to the list", async () => {
    vi.mocked(api.listNumbers).mockResolvedValue({ results: [], next: null });
    vi.mocked(api.connectNumber).mockResolvedValue(NUMBER);
    const user = userEvent.setup();
    render(<WhatsAppSection canManage={capabilitiesOf("admin").manage_settings} />);

    await user.type(await screen.findByLabelText("WhatsApp Business Account id"), "200000000000001");
    await user.type(screen.getByLabelText("Phone number id"), "100000000000001");
    await user.type(screen.getByLabelText("Access token"), "t");
    await user.click(screen.getByRole("button", { name: "Connect number" }));

    expect(await screen.findByRole("listitem", { name: "+1 555-010-0001" })).toBeDefined();
    expect(screen.getByText(/Connected \+1 555-010-0001/)).toBeDefined();
  });
});
