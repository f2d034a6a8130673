import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";

import * as api from "@/lib/api/contacts";
import type { ContactQuery } from "@/lib/api/contacts";
import type { Contact } from "@/lib/api/types";
import { renderWithQuery as render } from "@/lib/query/testing";
import { ContactsResults, type ContactsResultsProps } from "./ContactsResults";
import { bulkRequest, NO_SELECTION, toggleRow } from "./selection";

vi.mock("@/lib/api/contacts", async (importOriginal) => ({
  ...(await importOriginal<typeof import("@/lib/api/contacts")>()),
  listContacts: vi.fn(),
  countContacts: vi.fn(),
  bulkContacts: vi.fn(),
}));

const contact = (id: number, name: string): Contact => ({
  id,
  phone: `+9198765432${id.toString().padStart(2, "0")}`,
  wa_user_id: null,
  wa_id: "",
  name,
  email: "",
  language: "",
  tags: [],
  attributes: {},
  consent: { marketing: "unknown", utility: "unknown" },
  first_seen_at: null,
  last_seen_at: null,
  last_inbound_at: null,
  last_outbound_at: null,
  created_at: "2026-01-01T00:00:00Z",
  updated_at: "2026-01-01T00:00:00Z",
});

const LOADED = [contact(3, "Asha"), contact(2, "Bilal"), contact(1, "Chen")];
const QUERY: ContactQuery = {
  q: "pune",
  segment: 9,
  filter: { all: [{ field: "tags", op: "any", value: ["vip"] }] },
};

function renderResults(overrides: Partial<ContactsResultsProps> = {}) {
  const props: ContactsResultsProps = {
    query: QUERY,
    unfiltered: false,
    manager: true,
    onOpen: vi.fn(),
    onBulkDone: vi.fn(),
    onAdd: vi.fn(),
    onClearQuery: vi.fn(),
    ...overrides,
  };
  render(<ContactsResults {...props} />);
  return props;
}

describe("ContactsResults bulk actions", () => {
  beforeEach(() => {
    vi.mocked(api.listContacts).mockResolvedValue({ next: "http://x/api/contacts/?cursor=abc", results: LOADED });
    vi.mocked(api.countContacts).mockResolvedValue(1234);
    vi.mocked(api.bulkContacts).mockResolvedValue({ action: "tag", matched: 1234, affected: 1200 });
  });

  it("'select all 1,234 matching' tags the whole filter: sends filter, q and segment, not ids", { timeout: 20_000 }, async () => {
    const user = userEvent.setup();
    const props = renderResults();
    expect(await screen.findByText("1,234 contacts")).toBeDefined();

    await user.click(screen.getByLabelText("Select all loaded contacts"));
    expect(screen.getByText("3 selected")).toBeDefined();
    await user.click(screen.getByRole("button", { name: "Select all 1,234 matching contacts" }));
    expect(screen.getByText("1,234 selected")).toBeDefined();

    await user.click(screen.getByRole("button", { name: "Add tags" }));
    await user.type(screen.getByLabelText("Tags to add"), "May Campaign, vip");
    await user.click(screen.getByRole("button", { name: "Add to 1,234 contacts" }));

    expect(api.bulkContacts).toHaveBeenCalledTimes(1);
    const body = vi.mocked(api.bulkContacts).mock.calls[0]![0];
    expect(body).toEqual({
      action: "tag",
      tags: ["may campaign", "vip"],
      filter: { all: [{ field: "tags", op: "any", value: ["vip"] }] },
      q: "pune",
      segment: 9,
    });
    expect(body).not.toHaveProperty("ids");
    expect(props.onBulkDone).toHaveBeenCalledWith({ action: "tag", matched: 1234, affected: 1200 }, ["may campaign", "vip"]);
  });

  it("sends {} as the filter when 'all matching' means every contact", async () => {
    const user = userEvent.setup();
    vi.mocked(api.bulkContacts).mockResolvedValue({ action: "delete", matched: 1234, affected: 1234 });
    renderResults({ query: { q: "", segment: null, filter: {} }, unfiltered: true });
    await user.click(await screen.findByLabelText("Select all loaded contacts"));
    await user.click(screen.getByRole("button", { name: "Select all 1,234 matching contacts" }));
    await user.click(screen.getByRole("button", { name: "Delete" }));
    await user.click(screen.getByRole("button", { name: "Delete 1,234 contacts" }));
    expect(api.bulkContacts).toHaveBeenCalledWith({ action: "delete", filter: {} });
  });

  it("sends ids for hand-picked rows", async () => {
    const user = userEvent.setup();
    renderResults();
    await user.click(await screen.findByLabelText("Select Asha"));
    await user.click(screen.getByLabelText("Select Chen"));
    expect(screen.queryByRole("button", { name: /Select all .* matching/ })).toBeNull();
    await user.click(screen.getByRole("button", { name: "Remove tags" }));
    await user.type(screen.getByLabelText("Tags to remove"), "vip");
    await user.click(screen.getByRole("button", { name: "Remove from 2 contacts" }));
    expect(api.bulkContacts).toHaveBeenCalledWith({ action: "untag", tags: ["vip"], ids: [3, 1] });
  });

  it("offers bulk delete and export to managers only", async () => {
    const user = userEvent.setup();
    renderResults({ manager: false });
    await user.click(await screen.findByLabelText("Select Asha"));
    expect(screen.getByRole("button", { name: "Add tags" })).toBeDefined();
    expect(screen.queryByRole("button", { name: "Delete" })).toBeNull();
    expect(screen.queryByRole("link", { name: "Export CSV" })).toBeNull();
  });

  it("links the CSV export of the same query", async () => {
    renderResults();
    const link = await screen.findByRole("link", { name: "Export CSV" });
    const url = new URL(link.getAttribute("href")!, "http://demo.localhost");
    expect(url.pathname).toBe("/api/contacts/export.csv");
    expect(Object.fromEntries(url.searchParams)).toEqual({ q: "pune", segment: "9", filter: JSON.stringify(QUERY.filter) });
  });

  it("shows an honest empty state with import and add when there are no contacts", async () => {
    const user = userEvent.setup();
    vi.mocked(api.listContacts).mockResolvedValue({ next: null, results: [] });
    vi.mocked(api.countContacts).mockResolvedValue(0);
    const props = renderResults({ query: {}, unfiltered: true });
    expect(await screen.findByRole("heading", { name: "No contacts yet" })).toBeDefined();
    expect(screen.getByRole("link", { name: "Import a CSV" }).getAttribute("href")).toBe("/contacts/import");
    await user.click(screen.getByRole("button", { name: "Add a contact" }));
    expect(props.onAdd).toHaveBeenCalled();
  });
});

describe("selection", () => {
  it("unticking one row of 'all matching' keeps the other loaded rows", () => {
    expect(toggleRow({ mode: "all" }, 2, [3, 2, 1])).toEqual({ mode: "ids", ids: new Set([3, 1]) });
    expect(toggleRow(NO_SELECTION, 2, [3, 2, 1])).toEqual({ mode: "ids", ids: new Set([2]) });
  });

  it("builds the bulk body: ids, or the query for 'all matching'", () => {
    expect(bulkRequest("delete", [], { mode: "ids", ids: new Set([5]) }, QUERY)).toEqual({ action: "delete", ids: [5] });
    expect(bulkRequest("untag", ["a"], { mode: "all" }, { filter: null })).toEqual({ action: "untag", tags: ["a"], filter: {} });
  });
});

describe("bulkMessage", () => {
  it("says what a bulk action changed", async () => {
    const { bulkMessage } = await import("./ContactsView");
    expect(bulkMessage({ action: "tag", matched: 1234, affected: 1200 }, ["vip"])).toBe("Added vip to 1,200 contacts (34 already had it).");
    expect(bulkMessage({ action: "tag", matched: 157, affected: 0 }, ["vip", "lead"])).toBe("All 157 selected contacts already had vip, lead.");
    expect(bulkMessage({ action: "untag", matched: 3, affected: 1 }, ["vip"])).toBe("Removed vip from 1 contact (2 didn't have it).");
    expect(bulkMessage({ action: "untag", matched: 1, affected: 0 }, ["vip"])).toBe("The selected contact didn't have vip.");
    expect(bulkMessage({ action: "untag", matched: 5, affected: 0 }, ["vip"])).toBe("None of the 5 selected contacts had vip.");
    expect(bulkMessage({ action: "delete", matched: 2, affected: 2 }, [])).toBe("Deleted 2 contacts.");
  });
});
