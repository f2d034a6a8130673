import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
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

const SETTINGS = "/api/team/reseller-access/settings/";

let api: MockApi;

beforeEach(() => {
  api = mockApi();
  api.onGet(SETTINGS).reply(200, { reseller: "Northwind Partners", enabled: true });
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
    // Nothing to change or remove: the reseller manages them, and only the owner has the switch.
    expect(screen.queryAllByRole("button")).toHaveLength(0);
    expect(screen.queryAllByRole("switch")).toHaveLength(0);
    expect(screen.queryAllByRole("combobox")).toHaveLength(0);
    expect(screen.getByText(/Northwind Partners staff can act in this business/).textContent).toContain("Only the owner can change this.");
  });

  it("shows nothing for a business without a reseller", async () => {
    api.onGet(SETTINGS).reply(200, { reseller: null, enabled: true });
    api.onGet("/api/team/reseller-access/").reply(200, []);
    const { container } = render(<ResellerAccessSection canManage />);

    await waitFor(() => expect(api.history.get).toHaveLength(2));
    await new Promise((resolve) => setTimeout(resolve, 0)); // the answers are applied
    expect(container.textContent).toBe("");
  });

  it("shows the setting of a reseller's business even before any of its people acted here", async () => {
    api.onGet("/api/team/reseller-access/").reply(200, []);
    render(<ResellerAccessSection canManage />);

    const toggle = await screen.findByRole("switch", { name: "Let Northwind Partners staff into this business" });
    expect(toggle.getAttribute("aria-checked")).toBe("true");
    expect(screen.queryAllByRole("row")).toHaveLength(0);
  });

  it("lets the owner turn access off after a confirmation", async () => {
    api.onGet("/api/team/reseller-access/").reply(200, ACCESS);
    api.onPut(SETTINGS).reply(200, { reseller: "Northwind Partners", enabled: false });
    const user = userEvent.setup();
    render(<ResellerAccessSection canManage />);

    await user.click(await screen.findByRole("switch", { name: "Let Northwind Partners staff into this business" }));
    expect(api.history.put).toHaveLength(0); // not before the confirmation
    const confirm = screen.getByRole("group", { name: "Turn off reseller access" });
    expect(confirm.textContent).toContain("lose access at once");
    await user.click(within(confirm).getByRole("button", { name: "Turn off access" }));

    expect(JSON.parse(api.history.put[0]!.data as string)).toEqual({ enabled: false });
    await waitFor(() => expect(screen.getByRole("switch").getAttribute("aria-checked")).toBe("false"));
    expect(screen.queryByRole("group", { name: "Turn off reseller access" })).toBeNull();
    expect(screen.getByText(/Access for Northwind Partners is turned off/)).toBeDefined();
  });

  it("keeps access on when the owner cancels, and turns it back on without asking", async () => {
    api.onGet(SETTINGS).reply(200, { reseller: "Northwind Partners", enabled: false });
    api.onGet("/api/team/reseller-access/").reply(200, ACCESS);
    api.onPut(SETTINGS).reply(200, { reseller: "Northwind Partners", enabled: true });
    const user = userEvent.setup();
    render(<ResellerAccessSection canManage />);

    const toggle = await screen.findByRole("switch");
    expect(toggle.getAttribute("aria-checked")).toBe("false");
    await user.click(toggle);

    expect(JSON.parse(api.history.put[0]!.data as string)).toEqual({ enabled: true });
    await waitFor(() => expect(screen.getByRole("switch").getAttribute("aria-checked")).toBe("true"));

    await user.click(screen.getByRole("switch"));
    await user.click(screen.getByRole("button", { name: "Cancel" }));
    expect(api.history.put).toHaveLength(1);
    expect(screen.getByRole("switch").getAttribute("aria-checked")).toBe("true");
  });

  it("shows a refusal of the change", async () => {
    api.onGet("/api/team/reseller-access/").reply(200, ACCESS);
    api.onPut(SETTINGS).reply(403, { code: "permission_denied", message: "Only the owner can change this.", errors: {} });
    const user = userEvent.setup();
    render(<ResellerAccessSection canManage />);

    await user.click(await screen.findByRole("switch"));
    await user.click(screen.getByRole("button", { name: "Turn off access" }));

    expect((await screen.findByRole("alert")).textContent).toBe("Only the owner can change this.");
    expect(screen.getByRole("switch").getAttribute("aria-checked")).toBe("true");
  });

  it("says so when the list could not be loaded", async () => {
    api.onGet("/api/team/reseller-access/").reply(500, { code: "server_error", message: "Something went wrong on our side.", errors: {} });
    render(<ResellerAccessSection />);

    expect(await screen.findByText("Something went wrong on our side.")).toBeDefined();
  });
});
