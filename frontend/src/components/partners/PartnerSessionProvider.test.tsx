import { screen } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { renderWithQuery } from "@/lib/query/testing";
import { mockApi, type MockApi } from "@/lib/testing/mockApi";
import { PartnerSessionProvider, usePartnerSession } from "./PartnerSessionProvider";
import { envelope, partnerSession } from "./testData";

const replace = vi.fn();
vi.mock("next/navigation", () => ({ useRouter: () => ({ replace }) }));

function Who() {
  const session = usePartnerSession();
  return (
    <p>
      {session.email} for {session.reseller.name}
    </p>
  );
}

let api: MockApi;
beforeEach(() => {
  api = mockApi();
  replace.mockReset();
  window.history.replaceState(null, "", "/partners/team?x=1");
});
afterEach(() => api.restore());

describe("PartnerSessionProvider", () => {
  it("renders the console for the signed-in person", async () => {
    api.onGet("/api/auth/user/").reply(200, partnerSession());
    renderWithQuery(
      <PartnerSessionProvider>
        <Who />
      </PartnerSessionProvider>,
    );

    expect(await screen.findByText("admin@agency.test for Growth Agency")).toBeDefined();
    expect(replace).not.toHaveBeenCalled();
  });

  it("sends someone without a session to the console's login, back here afterwards", async () => {
    api.onGet("/api/auth/user/").reply(401, envelope("not_authenticated", "Please log in."));
    api.onPost("/api/auth/token/refresh/").reply(401, envelope("not_authenticated", "Please log in."));
    renderWithQuery(
      <PartnerSessionProvider>
        <Who />
      </PartnerSessionProvider>,
    );

    await vi.waitFor(() => expect(replace).toHaveBeenCalledWith("/partners/login?next=%2Fpartners%2Fteam%3Fx%3D1"));
    expect(screen.queryByText(/for Growth Agency/)).toBeNull();
    expect(screen.getByRole("status").textContent).toContain("Loading");
  });

  it("shows other failures with a way to try again", async () => {
    api.onGet("/api/auth/user/").reply(502, envelope("backend_unavailable", "ConvoNest is unreachable right now."));
    renderWithQuery(
      <PartnerSessionProvider>
        <Who />
      </PartnerSessionProvider>,
    );

    expect((await screen.findByRole("alert")).textContent).toBe("ConvoNest is unreachable right now.");
    expect(screen.getByRole("button", { name: "Try again" })).toBeDefined();
    expect(replace).not.toHaveBeenCalled();
  });
});
