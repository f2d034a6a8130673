import { render, screen } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import type { PhoneNumber } from "@/lib/api/types";
import { ApiError } from "@/lib/apiClient";
import * as api from "@/lib/api/whatsapp";
import { EmbeddedSignupCallback } from "./EmbeddedSignupCallback";
import { CONNECTED_EVENT, FAILED_EVENT } from "./signup";

vi.mock("@/lib/api/whatsapp", () => ({ finishEmbeddedSignup: vi.fn() }));

const NUMBER = { id: 9, phone_number_id: "100000000000100", display_phone_number: "+1 555-010-0100", verified_name: "Bakery", quality_rating: "GREEN" } as PhoneNumber;

let opener: { postMessage: ReturnType<typeof vi.fn>; closed: boolean };

beforeEach(() => {
  vi.clearAllMocks();
  opener = { postMessage: vi.fn(), closed: false };
  Object.defineProperty(window, "opener", { value: opener, configurable: true, writable: true });
});

afterEach(() => {
  Object.defineProperty(window, "opener", { value: null, configurable: true, writable: true });
});

describe("EmbeddedSignupCallback", () => {
  it("trades the code once, shows the numbers and tells the opener on our origin", async () => {
    vi.mocked(api.finishEmbeddedSignup).mockResolvedValue([NUMBER]);
    const { rerender } = render(<EmbeddedSignupCallback code="c0de" state="st" />);
    rerender(<EmbeddedSignupCallback code="c0de" state="st" />);

    expect(await screen.findByText("Connected 1 number to this business.")).toBeDefined();
    expect(screen.getByText("+1 555-010-0100")).toBeDefined();
    expect(api.finishEmbeddedSignup).toHaveBeenCalledTimes(1);
    expect(api.finishEmbeddedSignup).toHaveBeenCalledWith({ code: "c0de", state: "st" });
    expect(opener.postMessage).toHaveBeenCalledWith({ type: CONNECTED_EVENT, numbers: [NUMBER] }, window.location.origin);
    expect(screen.getByRole("button", { name: "Close this window" })).toBeDefined();
  });

  it("shows the server's refusal and passes it on", async () => {
    vi.mocked(api.finishEmbeddedSignup).mockRejectedValue(new ApiError(409, "already_connected", "Phone number 1 is already connected to another ConvoNest business."));
    render(<EmbeddedSignupCallback code="c0de" state="st" />);
    expect((await screen.findByRole("alert")).textContent).toMatch(/already connected/);
    expect(opener.postMessage).toHaveBeenCalledWith({ type: FAILED_EVENT, message: "Phone number 1 is already connected to another ConvoNest business." }, window.location.origin);
  });

  it("reports a cancelled dialog without calling the API", () => {
    render(<EmbeddedSignupCallback error="access_denied" errorDescription="The user cancelled the signup." />);
    expect(screen.getByRole("alert").textContent).toBe("The user cancelled the signup.");
    expect(api.finishEmbeddedSignup).not.toHaveBeenCalled();
  });
});
