import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";

import { ApiError } from "@/lib/apiClient";
import { handoff } from "@/lib/api/auth";
import { testUser } from "@/lib/testing/users";
import { WelcomeHandoff } from "./WelcomeHandoff";

vi.mock("@/lib/api/auth", () => ({ handoff: vi.fn() }));

const handoffMock = vi.mocked(handoff);
const replace = vi.fn();

beforeEach(() => {
  handoffMock.mockReset();
  replace.mockReset();
  vi.stubGlobal("location", { ...window.location, replace });
});

describe("WelcomeHandoff", () => {
  it("spends the sign-in link only when the person clicks, never on load", async () => {
    handoffMock.mockResolvedValue(testUser("owner", { email: "o@acme.test", tenant: { slug: "acme", name: "Acme Ltd" } }));
    const user = userEvent.setup();
    render(<WelcomeHandoff token="t0k" businessName="Acme Ltd" />);

    // A page that merely opens (or frames) the link signs nobody in.
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(handoffMock).not.toHaveBeenCalled();

    await user.click(screen.getByRole("button", { name: "Continue to Acme Ltd" }));

    expect(handoffMock).toHaveBeenCalledTimes(1);
    expect(handoffMock).toHaveBeenCalledWith("t0k");
    await waitFor(() => expect(replace).toHaveBeenCalledWith("/dashboard"));
  });

  it("shows why a spent or expired link failed and offers the login page", async () => {
    handoffMock.mockRejectedValue(new ApiError(400, "invalid_token", "This sign-in link has expired."));
    const user = userEvent.setup();
    render(<WelcomeHandoff token="old" businessName="Acme Ltd" />);

    await user.click(screen.getByRole("button", { name: "Continue to Acme Ltd" }));

    expect(await screen.findByText("This sign-in link has expired.")).toBeDefined();
    expect(screen.getByRole("link", { name: "Go to login" })).toBeDefined();
    expect(replace).not.toHaveBeenCalled();
  });

  it("tells reseller staff entering a client's business that the business sees it and can turn it off", () => {
    render(<WelcomeHandoff token="t0k" businessName="Acme Ltd" entering />);

    expect(screen.getByText(/entering as your reseller's staff/)).toBeTruthy();
    expect(screen.getByText(/its owner can turn your access off/)).toBeTruthy();
    expect(screen.queryByText(/just created this business/)).toBeNull();
  });

  it("says so when the link has no token", () => {
    render(<WelcomeHandoff token={undefined} businessName="Acme Ltd" />);

    expect(screen.getByText("This sign-in link is incomplete.")).toBeDefined();
    expect(screen.queryByRole("button")).toBeNull();
  });
});
