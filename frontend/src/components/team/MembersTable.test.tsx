import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";

import type { Member } from "@/lib/api/types";
import { ApiError } from "@/lib/apiClient";
import { testUser } from "@/lib/testing/users";
import { MembersTable } from "./MembersTable";

const member = (overrides: Partial<Member>): Member => ({
  id: 1,
  user_id: 1,
  email: "someone@acme.test",
  first_name: "",
  last_name: "",
  role: "agent",
  joined_at: "2026-01-05T10:00:00Z",
  is_you: false,
  ...overrides,
});

const MEMBERS: Member[] = [
  member({ id: 1, email: "owner@acme.test", first_name: "Olga", last_name: "Owner", role: "owner" }),
  member({ id: 2, email: "admin@acme.test", role: "admin" }),
  member({ id: 3, email: "agent@acme.test", role: "agent", is_you: true }),
];

const noop = () => Promise.resolve();

describe("MembersTable", () => {
  it("is read-only for agents: no role selects, no remove buttons", () => {
    render(<MembersTable members={MEMBERS} viewer={testUser("agent")} onRoleChange={noop} onRemove={noop} />);

    expect(screen.queryAllByRole("combobox")).toHaveLength(0);
    expect(screen.queryAllByRole("button", { name: /remove/i })).toHaveLength(0);
    // Roles are still visible as text.
    expect(screen.getByText("Owner")).toBeDefined();
    expect(screen.getByText("Admin")).toBeDefined();
  });

  it("lets an owner change every role and remove everyone but themself", () => {
    const members = MEMBERS.map((m) => ({ ...m, is_you: m.role === "owner" }));
    render(<MembersTable members={members} viewer={testUser("owner")} onRoleChange={noop} onRemove={noop} />);

    expect(screen.getAllByRole("combobox")).toHaveLength(3);
    expect(screen.getByRole("button", { name: "Remove admin@acme.test" })).toBeDefined();
    expect(screen.getByRole("button", { name: "Remove agent@acme.test" })).toBeDefined();
    expect(screen.queryByRole("button", { name: "Remove Olga Owner" })).toBeNull();
    const options = within(screen.getByLabelText("Role of agent@acme.test")).getAllByRole("option");
    expect(options.map((o) => o.textContent)).toEqual(["Agent", "Admin", "Owner"]);
  });

  it("does not let an admin touch an owner or grant the owner role", () => {
    render(<MembersTable members={MEMBERS} viewer={testUser("admin")} onRoleChange={noop} onRemove={noop} />);

    expect(screen.queryByLabelText("Role of Olga Owner")).toBeNull();
    expect(screen.queryByRole("button", { name: "Remove Olga Owner" })).toBeNull();
    const options = within(screen.getByLabelText("Role of admin@acme.test")).getAllByRole("option");
    expect(options.map((o) => o.textContent)).toEqual(["Admin", "Agent"]);
  });

  it("asks for confirmation before removing, and shows the API's refusal in the row", async () => {
    const onRemove = vi.fn().mockRejectedValue(new ApiError(409, "last_owner", "A business needs at least one owner."));
    const user = userEvent.setup();
    render(<MembersTable members={MEMBERS} viewer={testUser("owner")} onRoleChange={noop} onRemove={onRemove} />);

    await user.click(screen.getByRole("button", { name: "Remove Olga Owner" }));
    expect(onRemove).not.toHaveBeenCalled();
    await user.click(screen.getByRole("button", { name: "Confirm remove" }));

    expect(onRemove).toHaveBeenCalledWith(MEMBERS[0]);
    expect((await screen.findByRole("alert")).textContent).toBe("A business needs at least one owner.");
  });

  it("sends a role change", async () => {
    const onRoleChange = vi.fn().mockResolvedValue(undefined);
    const user = userEvent.setup();
    render(<MembersTable members={MEMBERS} viewer={testUser("owner")} onRoleChange={onRoleChange} onRemove={noop} />);

    await user.selectOptions(screen.getByLabelText("Role of agent@acme.test"), "admin");

    expect(onRoleChange).toHaveBeenCalledWith(MEMBERS[2], "admin");
  });
});
