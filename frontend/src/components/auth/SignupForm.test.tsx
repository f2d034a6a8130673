import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";

import { ApiError } from "@/lib/apiClient";
import { checkSlug, signup } from "@/lib/api/signup";
import { SignupForm } from "./SignupForm";

vi.mock("@/lib/api/signup", () => ({
  signup: vi.fn(),
  checkSlug: vi.fn(),
}));

const signupMock = vi.mocked(signup);
const checkSlugMock = vi.mocked(checkSlug);

beforeEach(() => {
  signupMock.mockReset();
  checkSlugMock.mockReset();
  checkSlugMock.mockImplementation(async (slug) => ({ slug, available: true, reason: "" }));
});

async function fillIn(user: ReturnType<typeof userEvent.setup>) {
  await user.type(screen.getByLabelText("Business name"), "Acme Ltd");
  await user.type(screen.getByLabelText("Work email"), "owner@acme.test");
  await user.type(screen.getByLabelText("Password"), "correct horse battery");
}

describe("SignupForm", () => {
  it("suggests the subdomain from the business name and previews the address", async () => {
    const user = userEvent.setup();
    render(<SignupForm host="localhost:3000" />);

    await user.type(screen.getByLabelText("Business name"), "Café Acme");

    expect(screen.getByLabelText("Your ConvoNest address")).toHaveProperty("value", "cafe-acme");
    expect(screen.getByText("cafe-acme")).toBeDefined();
    await waitFor(() => expect(screen.getByText("Available")).toBeDefined());
    expect(checkSlugMock).toHaveBeenLastCalledWith("cafe-acme", expect.any(AbortSignal));
  });

  it("shows the envelope's field errors next to their fields", async () => {
    signupMock.mockRejectedValue(
      new ApiError(400, "validation_error", "Some fields are invalid.", {
        slug: ["This address is already taken."],
        password: ["This password is too common."],
      }),
    );
    const user = userEvent.setup();
    render(<SignupForm host="localhost:3000" />);
    await fillIn(user);

    await user.click(screen.getByRole("button", { name: "Create business account" }));

    const slugInput = screen.getByLabelText("Your ConvoNest address");
    const passwordInput = screen.getByLabelText("Password");
    expect(await screen.findByText("This address is already taken.")).toBeDefined();
    expect(screen.getByText("This password is too common.")).toBeDefined();
    expect(slugInput.getAttribute("aria-invalid")).toBe("true");
    expect(passwordInput.getAttribute("aria-invalid")).toBe("true");
    // The error is what the input's description points to, so screen readers read it.
    expect(document.getElementById(slugInput.getAttribute("aria-describedby")!)?.textContent).toBe("This address is already taken.");
    expect(signupMock).toHaveBeenCalledWith({
      business_name: "Acme Ltd",
      slug: "acme-ltd",
      email: "owner@acme.test",
      password: "correct horse battery",
    });
    // Field errors are shown at their fields, not repeated in a general alert.
    expect(screen.queryByRole("alert")).toBeNull();
  });

  it("shows an error that belongs to no field above the form", async () => {
    signupMock.mockRejectedValue(new ApiError(429, "throttled", "Too many signups. Try again later."));
    const user = userEvent.setup();
    render(<SignupForm host="localhost:3000" />);
    await fillIn(user);

    await user.click(screen.getByRole("button", { name: "Create business account" }));

    expect((await screen.findByRole("alert")).textContent).toBe("Too many signups. Try again later.");
  });

  it("goes to the login link on success", async () => {
    const assign = vi.fn();
    vi.stubGlobal("location", { ...window.location, assign });
    signupMock.mockResolvedValue({
      tenant: { slug: "acme-ltd", name: "Acme Ltd", url: "http://acme-ltd.localhost:3000" },
      url: "http://acme-ltd.localhost:3000",
      login_url: "http://acme-ltd.localhost:3000/welcome?token=t0k",
    });
    const user = userEvent.setup();
    render(<SignupForm host="localhost:3000" />);
    await fillIn(user);

    await user.click(screen.getByRole("button", { name: "Create business account" }));

    await waitFor(() => expect(assign).toHaveBeenCalledWith("http://acme-ltd.localhost:3000/welcome?token=t0k"));
    vi.unstubAllGlobals();
  });
});
