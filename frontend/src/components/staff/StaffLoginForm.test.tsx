import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { mockApi, type MockApi } from "@/lib/testing/mockApi";
import { StaffLoginForm } from "./StaffLoginForm";
import { STAFF } from "./testData";

let api: MockApi;
const assign = vi.fn();

beforeEach(() => {
  api = mockApi();
  assign.mockReset();
  vi.stubGlobal("location", { ...window.location, assign });
});

afterEach(() => {
  api.restore();
  vi.unstubAllGlobals();
});

async function signIn(password = "correct-horse-battery-9") {
  const user = userEvent.setup();
  await user.type(screen.getByLabelText("Email"), STAFF.email);
  await user.type(screen.getByLabelText("Password"), password);
  await user.click(screen.getByRole("button", { name: "Sign in to the staff console" }));
}

describe("StaffLoginForm", () => {
  it("signs in at the platform's login and goes on to the page asked for", async () => {
    api.onPost("/api/platform/auth/login/").reply(200, { user: STAFF });
    render(<StaffLoginForm next="/staff?tab=webhooks" />);

    await signIn();

    await waitFor(() => expect(assign).toHaveBeenCalledWith("/staff?tab=webhooks"));
    expect(JSON.parse(api.history.post[0]!.data as string)).toEqual({ email: STAFF.email, password: "correct-horse-battery-9" });
    expect(api.history.post.map((r) => r.url)).toEqual(["/api/platform/auth/login/"]); // never the business login
  });

  it("never follows a `next` that leaves the site", async () => {
    api.onPost("/api/platform/auth/login/").reply(200, { user: STAFF });
    render(<StaffLoginForm next="//evil.example/staff" />);

    await signIn();

    await waitFor(() => expect(assign).toHaveBeenCalledWith("/staff"));
  });

  it("shows the envelope's message for a refused login, without retrying or refreshing", async () => {
    const message = "The email or password is not correct.";
    api.onPost("/api/platform/auth/login/").reply(400, { code: "validation_error", message, errors: { non_field_errors: [message] } });
    render(<StaffLoginForm next="/staff" />);

    await signIn("wrong-password");

    expect((await screen.findByRole("alert")).textContent).toBe(message);
    expect(assign).not.toHaveBeenCalled();
    expect(api.history.post).toHaveLength(1);
  });

  it("says when there were too many attempts", async () => {
    api.onPost("/api/platform/auth/login/").reply(429, {
      code: "throttled",
      message: "Too many failed sign-in attempts. Try again later or reset your password.",
      errors: {},
    });
    render(<StaffLoginForm next="/staff" />);

    await signIn();

    expect((await screen.findByRole("alert")).textContent).toContain("Too many failed sign-in attempts");
  });
});
