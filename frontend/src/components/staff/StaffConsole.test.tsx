import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { renderWithQuery as render } from "@/lib/query/testing";
import { mockApi, type MockApi } from "@/lib/testing/mockApi";
import { StaffConsole } from "./StaffConsole";
import { StaffSessionProvider } from "./StaffSession";
import { resellerFilter, staffTab } from "./tabs";
import { business, NOT_AUTHENTICATED, page, SERVER_ERROR, STAFF } from "./testData";

const replace = vi.fn();
vi.mock("next/navigation", () => ({ useRouter: () => ({ replace, push: vi.fn() }) }));

let api: MockApi;
const assign = vi.fn();

/** The backend, with the session's answers first (a route added first wins, so one-off answers go before). */
function backend(session: (mock: MockApi) => void = (mock) => mock.onGet("/api/platform/auth/user/").reply(200, STAFF)) {
  api.reset();
  session(api);
  api.onGet("/api/platform/businesses/").reply(200, page([business()]));
  api.onGet("/api/platform/resellers/").reply(200, page([]));
}

beforeEach(() => {
  api = mockApi();
  replace.mockReset();
  assign.mockReset();
  backend();
  window.history.pushState({}, "", "/staff?tab=businesses");
});

afterEach(() => {
  api.restore();
  vi.unstubAllGlobals();
});

function renderConsole(tab: Parameters<typeof StaffConsole>[0]["tab"] = "businesses") {
  return render(
    <StaffSessionProvider>
      <StaffConsole tab={tab} />
    </StaffSessionProvider>,
  );
}

describe("StaffConsole", () => {
  it("shows who is signed in, the tabs with the current one marked, and that tab's list", async () => {
    renderConsole();

    expect(await screen.findByTestId("staff-email")).toHaveProperty("textContent", STAFF.email);
    const nav = screen.getByRole("navigation", { name: "Staff console" });
    const tabs = within(nav).getAllByRole("link");
    expect(tabs.map((t) => t.textContent)).toEqual(["Businesses", "Resellers", "Webhooks", "Failed jobs"]);
    expect(tabs.map((t) => t.getAttribute("href"))).toEqual([
      "/staff?tab=businesses",
      "/staff?tab=resellers",
      "/staff?tab=webhooks",
      "/staff?tab=failed-jobs",
    ]);
    expect(within(nav).getByRole("link", { current: "page" }).textContent).toBe("Businesses");
    expect(screen.getByRole("heading", { level: 1, name: "Businesses" })).toBeDefined();
    expect(await screen.findByRole("row", { name: "Acme Ltd" })).toBeDefined();
  });

  it("sends someone without a staff session to the staff sign-in, back here afterwards, refreshing only the staff session", async () => {
    window.history.pushState({}, "", "/staff?tab=webhooks");
    backend((mock) => {
      mock.onGet("/api/platform/auth/user/").reply(401, NOT_AUTHENTICATED);
      mock.onPost("/api/platform/auth/token/refresh/").reply(401, { code: "authentication_failed", message: "No valid refresh token found.", errors: {} });
    });
    renderConsole("webhooks");

    await waitFor(() => expect(replace).toHaveBeenCalledWith("/staff/login?next=%2Fstaff%3Ftab%3Dwebhooks"));
    expect(api.history.post.map((r) => r.url)).toEqual(["/api/platform/auth/token/refresh/"]); // not a business's refresh
    expect(screen.queryByTestId("staff-email")).toBeNull();
  });

  it("refreshes an expired staff access cookie and carries on", async () => {
    backend((mock) => {
      mock.onGet("/api/platform/auth/user/").replyOnce(401, NOT_AUTHENTICATED).onGet("/api/platform/auth/user/").reply(200, STAFF);
      mock.onPost("/api/platform/auth/token/refresh/").reply(200, { access_expiration: "2026-12-06T10:00:00Z" });
    });
    renderConsole();

    expect(await screen.findByTestId("staff-email")).toBeDefined();
    expect(replace).not.toHaveBeenCalled();
    expect(api.history.post.map((r) => r.url)).toEqual(["/api/platform/auth/token/refresh/"]);
  });

  it("shows a server failure with a way to try again", async () => {
    backend((mock) => mock.onGet("/api/platform/auth/user/").replyOnce(500, SERVER_ERROR).onGet("/api/platform/auth/user/").reply(200, STAFF));
    renderConsole();

    expect((await screen.findByRole("alert")).textContent).toBe("Something went wrong on our side.");
    await userEvent.setup().click(screen.getByRole("button", { name: "Try again" }));
    expect(await screen.findByTestId("staff-email")).toBeDefined();
  });

  it("logs out at the platform's logout and leaves for the staff sign-in", async () => {
    vi.stubGlobal("location", { ...window.location, assign });
    api.onPost("/api/platform/auth/logout/").reply(200, { detail: "Logged out." });
    renderConsole();

    await userEvent.setup().click(await screen.findByRole("button", { name: "Log out" }));

    await waitFor(() => expect(assign).toHaveBeenCalledWith("/staff/login"));
    expect(api.history.post.map((r) => r.url)).toEqual(["/api/platform/auth/logout/"]);
  });
});

describe("the console's query parameters", () => {
  it("picks a known tab or the first, and only a reseller filter the API accepts", () => {
    expect(staffTab("failed-jobs")).toBe("failed-jobs");
    expect(staffTab("admin")).toBe("businesses");
    expect(staffTab(undefined)).toBe("businesses");
    expect(resellerFilter("42")).toBe("42");
    expect(resellerFilter("none")).toBe("none");
    expect(resellerFilter("4; drop")).toBeUndefined();
  });
});
