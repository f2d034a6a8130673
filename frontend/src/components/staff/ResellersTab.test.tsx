import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { renderWithQuery as render } from "@/lib/query/testing";
import { mockApi, type MockApi } from "@/lib/testing/mockApi";
import { ResellersTab } from "./ResellersTab";
import { page, reseller } from "./testData";

const NORTHWIND = reseller();
const SOLO = reseller({ id: 5, name: "Solo Agency", slug: "solo", business_count: 0, member_count: 1 });

let api: MockApi;

beforeEach(() => {
  api = mockApi();
});

afterEach(() => api.restore());

const rows = () => screen.queryAllByTestId("reseller-row").map((row) => row.getAttribute("aria-label"));

describe("ResellersTab", () => {
  it("lists resellers with their businesses (a link to them) and people", async () => {
    api.onGet("/api/platform/resellers/").reply(200, page([NORTHWIND, SOLO]));
    render(<ResellersTab />);

    await waitFor(() => expect(rows()).toEqual(["Northwind Partners", "Solo Agency"]));
    const northwind = within(screen.getByRole("row", { name: "Northwind Partners" }));
    expect(northwind.getByRole("link", { name: "Northwind Partners's 2 businesses" }).getAttribute("href")).toBe(
      "/staff?tab=businesses&reseller=4",
    );
    expect(northwind.getByText("3")).toBeDefined();
    expect(within(screen.getByRole("row", { name: "Solo Agency" })).queryByRole("link")).toBeNull();
  });

  it("searches by name or slug, and pages on with the cursor", async () => {
    api.onGet("/api/platform/resellers/").reply((request) => {
      const p = request.params ?? {};
      if (p.q) return [200, page([SOLO].filter((r) => r.slug.includes(p.q!)))];
      return [200, p.cursor === "cD01" ? page([SOLO]) : page([NORTHWIND], "http://localhost/api/platform/resellers/?cursor=cD01")];
    });
    const user = userEvent.setup();
    render(<ResellersTab />);
    await waitFor(() => expect(rows()).toEqual(["Northwind Partners"]));

    await user.click(screen.getByRole("button", { name: "Load more" }));
    await waitFor(() => expect(rows()).toEqual(["Northwind Partners", "Solo Agency"]));
    await user.type(screen.getByLabelText("Search resellers"), "solo");
    await waitFor(() => expect(rows()).toEqual(["Solo Agency"]));
    expect(api.history.get.map((r) => r.params ?? {})).toEqual([{}, { cursor: "cD01" }, { q: "solo" }]);
  });

  it("says when there are none", async () => {
    api.onGet("/api/platform/resellers/").reply(200, page([]));
    render(<ResellersTab />);

    expect(await screen.findByRole("heading", { name: "No resellers yet" })).toBeDefined();
  });

  it("shows the API's error", async () => {
    api.onGet("/api/platform/resellers/").reply(403, { code: "permission_denied", message: "Only ConvoNest platform staff can do this.", errors: {} });
    render(<ResellersTab />);

    expect((await screen.findByRole("alert")).textContent).toBe("Only ConvoNest platform staff can do this.");
  });
});
