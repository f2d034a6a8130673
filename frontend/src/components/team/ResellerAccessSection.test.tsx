import { screen, waitFor, within } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { mockApi, type MockApi } from "@/lib/testing/mockApi";
import type { ResellerAccess } from "@/lib/api/types";
import { ResellerAccessSection } from "./ResellerAccessSection";
import { renderWithQuery as render } from "@/lib/query/testing";

const ACCESS: ResellerAccess[] = [
  {
    user_id: 7,
    email: "rita@northwind.test",
    first_name: "Rita",
    last_name: "Reseller",
    reseller: "Northwind Partners",
    reseller_role: "admin",
    role: "admin",
    source: "reseller",
    removable: false,
  },
  {
    user_id: 8,
    email: "sam@northwind.test",
    first_name: "",
    last_name: "",
    reseller: "Northwind Partners",
    reseller_role: "support",
    role: "agent",
    source: "reseller",
    removable: false,
  },
];

let api: MockApi;

beforeEach(() => {
  api = mockApi();
});

afterEach(() => api.restore());

describe("Access through your reseller", () => {
  it("lists the reseller's people with the role they act as, managed by the reseller and not removable here", async () => {
    api.onGet("/api/team/reseller-access/").reply(200, ACCESS);
    render(<ResellerAccessSection />);

    expect(await screen.findByRole("heading", { name: "Access through your reseller" })).toBeDefined();
    expect(screen.getByText(/only Northwind Partners can remove them/)).toBeDefined();
    const rows = screen.getAllByRole("row").slice(1);
    expect(rows).toHaveLength(2);
    expect(within(rows[0]!).getByText("Rita Reseller")).toBeDefined();
    expect(within(rows[0]!).getByText("rita@northwind.test")).toBeDefined();
    expect(within(rows[0]!).getByText("Admin")).toBeDefined();
    expect(within(rows[1]!).getByText("sam@northwind.test")).toBeDefined();
    expect(within(rows[1]!).getByText("Agent")).toBeDefined();
    expect(within(rows[1]!).getByText("Managed by Northwind Partners")).toBeDefined();
    // Nothing to change or remove: the reseller manages them.
    expect(screen.queryAllByRole("button")).toHaveLength(0);
    expect(screen.queryAllByRole("combobox")).toHaveLength(0);
  });

  it("shows nothing for a business without a reseller", async () => {
    api.onGet("/api/team/reseller-access/").reply(200, []);
    const { container } = render(<ResellerAccessSection />);

    await waitFor(() => expect(api.history.get).toHaveLength(1));
    await new Promise((resolve) => setTimeout(resolve, 0)); // the answer is applied
    expect(container.textContent).toBe("");
  });

  it("says so when the list could not be loaded", async () => {
    api.onGet("/api/team/reseller-access/").reply(500, { code: "server_error", message: "Something went wrong on our side.", errors: {} });
    render(<ResellerAccessSection />);

    expect(await screen.findByText("Something went wrong on our side.")).toBeDefined();
  });
});
