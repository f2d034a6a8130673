import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

import type { PartnerInvite, PartnerRole } from "@/lib/api/types";
import { renderWithQuery } from "@/lib/query/testing";
import { mockApi, type MockApi } from "@/lib/testing/mockApi";
import { PartnerSessionContextProvider } from "./PartnerSessionProvider";
import { PartnerTeam } from "./PartnerTeam";
import { envelope, page, partnerMember, partnerSession } from "./testData";

const ME = partnerMember({ id: 1, email: "admin@agency.test", role: "admin", is_you: true });
const HELPER = partnerMember({ id: 2, email: "help@agency.test", first_name: "Hana", last_name: "Help", role: "support" });

const invite = (overrides: Partial<PartnerInvite> = {}): PartnerInvite => ({
  id: "6f1c2b1e-0000-4000-8000-000000000001",
  email: "pending@agency.test",
  role: "support",
  invited_by: "admin@agency.test",
  created_at: "2026-03-01T10:00:00Z",
  expires_at: "2026-03-08T10:00:00Z",
  status: "pending",
  ...overrides,
});

let api: MockApi;
beforeEach(() => {
  api = mockApi();
  api.onGet("/api/partners/team/members/").reply(200, page([ME, HELPER]));
  api.onGet("/api/partners/team/invites/").reply(200, page([invite()]));
});
afterEach(() => api.restore());

function render(role: PartnerRole = "admin") {
  return renderWithQuery(
    <PartnerSessionContextProvider session={partnerSession(role)}>
      <PartnerTeam />
    </PartnerSessionContextProvider>,
  );
}

describe("PartnerTeam", () => {
  it("lets an admin invite someone with a role; the invitation joins the pending list", async () => {
    api.onPost("/api/partners/team/invites/").reply(201, invite({ id: "6f1c2b1e-0000-4000-8000-000000000002", email: "new@agency.test", role: "admin" }));
    const user = userEvent.setup();
    render();

    const form = await screen.findByRole("form", { name: "Invite to your team" });
    await user.type(within(form).getByLabelText("Email"), "new@agency.test");
    await user.selectOptions(within(form).getByLabelText("Role"), "admin");
    await user.click(within(form).getByRole("button", { name: "Send invite" }));

    expect(JSON.parse(api.history.post[0]!.data as string)).toEqual({ email: "new@agency.test", role: "admin" });
    expect(await screen.findByText("Invitation sent to new@agency.test.")).toBeDefined();
    const pending = screen.getByRole("list", { name: "Pending invitations" });
    expect(within(pending).getByText("new@agency.test")).toBeDefined();
    expect(within(pending).getByText("pending@agency.test")).toBeDefined();
  });

  it("shows an invitation refusal at the field", async () => {
    api.onPost("/api/partners/team/invites/").reply(400, envelope("validation_error", "Some input is invalid.", { email: ["This person is already on the team."] }));
    const user = userEvent.setup();
    render();

    const form = await screen.findByRole("form", { name: "Invite to your team" });
    await user.type(within(form).getByLabelText("Email"), "help@agency.test");
    await user.click(within(form).getByRole("button", { name: "Send invite" }));

    expect(await within(form).findByText("This person is already on the team.")).toBeDefined();
  });

  it("changes someone's role", async () => {
    api.onPatch("/api/partners/team/members/2/").reply(200, { ...HELPER, role: "admin" });
    const user = userEvent.setup();
    render();

    await user.selectOptions(await screen.findByLabelText("Role of Hana Help"), "admin");

    expect(api.history.patch[0]!.url).toBe("/api/partners/team/members/2/");
    expect(JSON.parse(api.history.patch[0]!.data as string)).toEqual({ role: "admin" });
    expect(((await screen.findByLabelText("Role of Hana Help")) as HTMLSelectElement).value).toBe("admin");
  });

  it("shows the last-admin refusal in the row and keeps the role as it was", async () => {
    api.onPatch("/api/partners/team/members/1/").reply(409, envelope("last_admin", "A reseller needs at least one admin."));
    const user = userEvent.setup();
    render();

    const select = (await screen.findByLabelText("Role of admin@agency.test")) as HTMLSelectElement;
    await user.selectOptions(select, "support");

    expect((await screen.findByRole("alert")).textContent).toBe("A reseller needs at least one admin.");
    expect(select.value).toBe("admin");
  });

  it("removes someone after a confirmation, never yourself", async () => {
    api.onDelete("/api/partners/team/members/2/").reply(204);
    const user = userEvent.setup();
    render();

    expect(screen.queryByRole("button", { name: "Remove admin@agency.test" })).toBeNull();
    await user.click(await screen.findByRole("button", { name: "Remove Hana Help" }));
    expect(api.history.delete).toHaveLength(0);
    await user.click(screen.getByRole("button", { name: "Confirm remove" }));

    expect(api.history.delete[0]!.url).toBe("/api/partners/team/members/2/");
    expect(await screen.findByText("admin@agency.test")).toBeDefined();
    expect(screen.queryByText("Hana Help")).toBeNull();
  });

  it("is read-only for support: no role selects, no remove, no invitations asked for", async () => {
    render("support");

    expect(await screen.findByText("Hana Help")).toBeDefined();
    expect(screen.queryAllByRole("combobox")).toHaveLength(0);
    expect(screen.queryAllByRole("button", { name: /remove/i })).toHaveLength(0);
    expect(screen.queryByRole("form", { name: "Invite to your team" })).toBeNull();
    expect(screen.getByText("Support")).toBeDefined();
    expect(api.history.get.some((r) => r.url.startsWith("/api/partners/team/invites/"))).toBe(false);
  });
});
