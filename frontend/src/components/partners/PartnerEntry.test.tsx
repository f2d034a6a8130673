/** The console's ways in: reseller signup (public host), login, the signup handoff and an invitation. */
import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { mockApi, type MockApi } from "@/lib/testing/mockApi";
import { PartnerInviteAccept } from "./PartnerInviteAccept";
import { PartnerLoginForm } from "./PartnerLoginForm";
import { PartnerWelcome } from "./PartnerWelcome";
import { ResellerSignupForm } from "./ResellerSignupForm";
import { envelope, partnerSession } from "./testData";

let api: MockApi;
const assign = vi.fn();
const replace = vi.fn();
beforeEach(() => {
  api = mockApi();
  assign.mockReset();
  replace.mockReset();
  vi.stubGlobal("location", { ...window.location, assign, replace });
});
afterEach(() => {
  api.restore();
  vi.unstubAllGlobals();
});

const LOGIN_URL = "http://partners.localhost:3000/partners/welcome?token=t0k";

describe("ResellerSignupForm", () => {
  it("signs the reseller up and follows the sign-in link to its console", async () => {
    api.onPost("/api/partners/signup/").reply(201, { reseller: { id: 1, name: "Growth Agency", slug: "growth-agency" }, console_url: "http://partners.localhost:3000", login_url: LOGIN_URL });
    const user = userEvent.setup();
    render(<ResellerSignupForm />);

    await user.type(screen.getByLabelText("Company name"), "Growth Agency");
    expect((screen.getByLabelText("Short name") as HTMLInputElement).value).toBe("growth-agency");
    await user.type(screen.getByLabelText("Work email"), "boss@growth.test");
    await user.type(screen.getByLabelText("Password"), "a-long-passphrase-42");
    await user.click(screen.getByRole("button", { name: "Create partner account" }));

    expect(JSON.parse(api.history.post[0]!.data as string)).toEqual({
      company_name: "Growth Agency",
      slug: "growth-agency",
      email: "boss@growth.test",
      password: "a-long-passphrase-42",
    });
    expect(assign).toHaveBeenCalledWith(LOGIN_URL);
  });

  it("shows a taken short name under its field", async () => {
    api.onPost("/api/partners/signup/").reply(400, envelope("validation_error", "Some input is invalid.", { slug: ["This name is already taken."] }));
    const user = userEvent.setup();
    render(<ResellerSignupForm />);

    await user.type(screen.getByLabelText("Company name"), "Agency");
    await user.click(screen.getByRole("button", { name: "Create partner account" }));

    expect(await screen.findByText("This name is already taken.")).toBeDefined();
    expect(screen.getByLabelText("Short name").getAttribute("aria-invalid")).toBe("true");
    expect(assign).not.toHaveBeenCalled();
  });
});

describe("PartnerLoginForm", () => {
  it("logs in on the console and goes on to `next`", async () => {
    api.onPost("/api/auth/login/").reply(200, partnerSession());
    const user = userEvent.setup();
    render(<PartnerLoginForm next="/partners/team" />);

    await user.type(screen.getByLabelText("Email"), "admin@agency.test");
    await user.type(screen.getByLabelText("Password"), "pw");
    await user.click(screen.getByRole("button", { name: "Log in" }));

    expect(JSON.parse(api.history.post[0]!.data as string)).toEqual({ email: "admin@agency.test", password: "pw" });
    expect(assign).toHaveBeenCalledWith("/partners/team");
  });

  it("names a reseller only when asked to, and shows a refusal above the form", async () => {
    api.onPost("/api/auth/login/").reply(400, envelope("invalid_login", "The email or password is not correct.", { non_field_errors: ["The email or password is not correct."] }));
    const user = userEvent.setup();
    render(<PartnerLoginForm next="/partners" />);

    await user.type(screen.getByLabelText("Email"), "both@agency.test");
    await user.type(screen.getByLabelText("Password"), "pw");
    await user.click(screen.getByRole("button", { name: "On the team of several resellers?" }));
    await user.type(screen.getByLabelText("Reseller's short name"), "agency");
    await user.click(screen.getByRole("button", { name: "Log in" }));

    expect(JSON.parse(api.history.post[0]!.data as string)).toEqual({ email: "both@agency.test", password: "pw", reseller: "agency" });
    expect((await screen.findByRole("alert")).textContent).toBe("The email or password is not correct.");
    expect(assign).not.toHaveBeenCalled();
  });
});

describe("PartnerWelcome", () => {
  it("spends the token only on a click, then opens the console", async () => {
    api.onPost("/api/auth/handoff/").reply(200, partnerSession());
    const user = userEvent.setup();
    render(<PartnerWelcome token="t0k" />);

    expect(api.history.post).toHaveLength(0);
    await user.click(screen.getByRole("button", { name: "Continue to your partner console" }));

    expect(JSON.parse(api.history.post[0]!.data as string)).toEqual({ token: "t0k" });
    expect(replace).toHaveBeenCalledWith("/partners");
  });

  it("offers the login when the link was used or expired", async () => {
    api.onPost("/api/auth/handoff/").reply(400, envelope("invalid_token", "This sign-in link is invalid or has expired. Please log in."));
    const user = userEvent.setup();
    render(<PartnerWelcome token="old" />);

    await user.click(screen.getByRole("button", { name: "Continue to your partner console" }));

    expect((await screen.findByRole("alert")).textContent).toContain("invalid or has expired");
    expect(screen.getByRole("link", { name: "Go to login" }).getAttribute("href")).toBe("/partners/login");
  });
});

describe("PartnerInviteAccept", () => {
  it("reads the token from the fragment, shows the invitation and joins", async () => {
    window.history.replaceState(null, "", "/partners/invite/accept#token=inv1");
    vi.stubGlobal("location", { ...window.location, hash: "#token=inv1", assign, replace });
    api.onPost("/api/partners/team/invites/lookup/").reply(200, { email: "new@agency.test", role: "support", reseller: { id: 1, name: "Growth Agency", slug: "growth" }, needs_password: true });
    api.onPost("/api/partners/team/invites/accept/").reply(200, partnerSession("support"));
    const user = userEvent.setup();
    render(<PartnerInviteAccept />);

    expect(await screen.findByText("Growth Agency")).toBeDefined();
    expect(JSON.parse(api.history.post[0]!.data as string)).toEqual({ token: "inv1" });
    await user.type(screen.getByLabelText("First name"), "Nia");
    await user.type(screen.getByLabelText("Choose a password"), "a-long-passphrase-42");
    await user.click(screen.getByRole("button", { name: "Join Growth Agency" }));

    expect(JSON.parse(api.history.post[1]!.data as string)).toEqual({ token: "inv1", first_name: "Nia", last_name: "", password: "a-long-passphrase-42" });
    expect(replace).toHaveBeenCalledWith("/partners");
  });
});
