import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { renderWithQuery as render } from "@/lib/query/testing";
import { mockApi, type MockApi } from "@/lib/testing/mockApi";
import { BusinessesTab } from "./BusinessesTab";
import { business, page, reseller, SERVER_ERROR } from "./testData";

const ACME = business();
const BETA = business({
  id: 2,
  slug: "beta",
  name: "Beta Foods",
  host: "beta.localhost",
  reseller: { id: 4, name: "Northwind Partners" },
  plan: null,
  subscription_status: null,
  is_active: false,
  member_count: 1,
  number_count: 0,
  messages_sent_this_month: 0,
});
const NEXT = "http://localhost/api/platform/businesses/?cursor=cD0y";

let api: MockApi;

beforeEach(() => {
  api = mockApi();
  api.onGet("/api/platform/resellers/").reply(200, page([reseller()]));
});

afterEach(() => api.restore());

const rows = () => screen.queryAllByTestId("business-row").map((row) => row.getAttribute("aria-label"));
const businessCalls = () => api.history.get.filter((r) => r.url.startsWith("/api/platform/businesses/"));

describe("BusinessesTab", () => {
  it("lists every business with its reseller, plan, payment state and this month's numbers", async () => {
    api.onGet("/api/platform/businesses/").reply(200, page([ACME, BETA]));
    render(<BusinessesTab />);

    await waitFor(() => expect(rows()).toEqual(["Acme Ltd", "Beta Foods"]));
    const acme = within(screen.getByRole("row", { name: "Acme Ltd" }));
    expect(acme.getByText("acme.localhost")).toBeDefined();
    expect(acme.getByText("Direct")).toBeDefined();
    expect(acme.getByText("growth")).toBeDefined();
    expect(acme.getByText("Paying")).toBeDefined();
    expect(acme.getByText((1250).toLocaleString())).toBeDefined();
    const beta = within(screen.getByRole("row", { name: "Beta Foods" }));
    expect(beta.getByText("Northwind Partners")).toBeDefined();
    expect(beta.getByText("No subscription yet")).toBeDefined();
    expect(beta.getByText("Deactivated")).toBeDefined();
  });

  it("searches and filters through the API", async () => {
    api.onGet("/api/platform/businesses/").reply((request) => {
      const p = request.params ?? {};
      const all = [ACME, BETA].filter(
        (b) =>
          (!p.q || b.name.toLowerCase().includes(p.q)) &&
          (!p.reseller || (p.reseller === "none" ? b.reseller === null : String(b.reseller?.id) === p.reseller)) &&
          (!p.active || String(b.is_active) === p.active),
      );
      return [200, page(all)];
    });
    const user = userEvent.setup();
    render(<BusinessesTab />);
    await waitFor(() => expect(rows()).toHaveLength(2));

    await user.type(screen.getByLabelText("Search businesses"), "acme");
    await waitFor(() => expect(rows()).toEqual(["Acme Ltd"]));
    await user.clear(screen.getByLabelText("Search businesses"));
    await screen.findByRole("option", { name: "Northwind Partners" });
    await user.selectOptions(screen.getByLabelText("Reseller"), "Northwind Partners");
    await waitFor(() => expect(rows()).toEqual(["Beta Foods"]));
    await user.selectOptions(screen.getByLabelText("Reseller"), "Direct (no reseller)");
    await waitFor(() => expect(rows()).toEqual(["Acme Ltd"]));
    await user.selectOptions(screen.getByLabelText("Reseller"), "All resellers");
    await user.selectOptions(screen.getByLabelText("Status"), "Deactivated");
    await waitFor(() => expect(rows()).toEqual(["Beta Foods"]));

    const sent = businessCalls().map((r) => r.params ?? {});
    expect(sent).toContainEqual({ q: "acme" });
    expect(sent).toContainEqual({ reseller: "4" });
    expect(sent).toContainEqual({ reseller: "none" });
    expect(sent).toContainEqual({ active: "false" });
  });

  it("starts filtered by the reseller a link named", async () => {
    api.onGet("/api/platform/businesses/").reply(200, page([BETA]));
    render(<BusinessesTab reseller="4" />);

    await waitFor(() => expect(rows()).toEqual(["Beta Foods"]));
    expect(businessCalls()[0]!.params).toEqual({ reseller: "4" });
    expect(await screen.findByRole("option", { name: "Northwind Partners", selected: true })).toBeDefined();
  });

  it("loads more with the cursor of the previous page", async () => {
    api.onGet("/api/platform/businesses/").reply((request) => [200, request.params?.cursor === "cD0y" ? page([BETA]) : page([ACME], NEXT)]);
    render(<BusinessesTab />);
    await waitFor(() => expect(rows()).toEqual(["Acme Ltd"]));

    await userEvent.setup().click(screen.getByRole("button", { name: "Load more" }));

    await waitFor(() => expect(rows()).toEqual(["Acme Ltd", "Beta Foods"]));
    expect(businessCalls().at(-1)!.params).toEqual({ cursor: "cD0y" });
    expect(screen.queryByRole("button", { name: "Load more" })).toBeNull();
  });

  it("says when there are none, and when none match", async () => {
    api.onGet("/api/platform/businesses/").reply(200, page([]));
    const user = userEvent.setup();
    render(<BusinessesTab />);

    expect(await screen.findByRole("heading", { name: "No businesses yet" })).toBeDefined();
    await user.type(screen.getByLabelText("Search businesses"), "zzz");
    expect(await screen.findByRole("heading", { name: "No business matches" })).toBeDefined();
    await user.click(screen.getByRole("button", { name: "Clear search and filters" }));
    expect(screen.getByLabelText("Search businesses")).toHaveProperty("value", "");
  });

  it("shows the API's error and tries again", async () => {
    api.onGet("/api/platform/businesses/").replyOnce(500, SERVER_ERROR).onGet("/api/platform/businesses/").reply(200, page([ACME]));
    render(<BusinessesTab />);

    expect((await screen.findByRole("alert")).textContent).toBe("Something went wrong on our side.");
    await userEvent.setup().click(screen.getByRole("button", { name: "Try again" }));
    await waitFor(() => expect(rows()).toEqual(["Acme Ltd"]));
  });
});
