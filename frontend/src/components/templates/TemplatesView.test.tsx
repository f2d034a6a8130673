import { act, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import type { Template } from "@/lib/api/templates";
import { renderWithQuery as render } from "@/lib/query/testing";
import { mockApi, type MockApi, type MockRequest } from "@/lib/testing/mockApi";
import { template } from "./testData";
import { TemplatesView } from "./TemplatesView";

const APPROVED = template({ id: 1, name: "order_shipped" });
const REJECTED = template({
  id: 2,
  name: "spring_sale",
  status: "REJECTED",
  category: "MARKETING",
  rejected_reason: "INVALID_FORMAT",
  reason_detail: "Variables can't be at the end.",
  quality_score: "",
  attention: "Rejected: INVALID_FORMAT",
});
const PENDING = template({ id: 4, name: "welcome_back", status: "PENDING", language: "pt_BR", quality_score: "UNKNOWN", pending_category: "MARKETING" });

const page = (results: Template[]) => ({ next: null, previous: null, results });

let api: MockApi;

/** The list as the server filters it (status, category, language, q, attention). */
function listHandler(all: Template[]) {
  return (request: MockRequest): [number, unknown] => {
    const p = request.params ?? {};
    const results = all.filter(
      (t) =>
        (!p.status || t.status === p.status) &&
        (!p.category || t.category === p.category) &&
        (!p.language || t.language === p.language) &&
        (!p.q || t.name.includes(p.q)) &&
        (p.attention !== "true" || Boolean(t.attention)),
    );
    return [200, page(results)];
  };
}

beforeEach(() => {
  api = mockApi();
  api.onGet("/api/templates/").reply(listHandler([APPROVED, REJECTED, PENDING]));
  api.onGet("/api/templates/syncs/").reply(200, page([]));
});

afterEach(() => {
  api.restore();
  vi.unstubAllGlobals();
});

/** The browser's EventSource, driven by the test (the inbox's stream carries template events). */
class FakeEventSource {
  static CLOSED = 2;
  static instances: FakeEventSource[] = [];
  readyState = 0;
  onopen: (() => void) | null = null;
  onerror: (() => void) | null = null;
  listeners = new Map<string, ((event: MessageEvent) => void)[]>();
  constructor(readonly url: string) {
    FakeEventSource.instances.push(this);
  }
  addEventListener(kind: string, listener: (event: MessageEvent) => void) {
    this.listeners.set(kind, [...(this.listeners.get(kind) ?? []), listener]);
  }
  close() {}
  emit(kind: string, data: object) {
    for (const listener of this.listeners.get(kind) ?? []) listener(new MessageEvent(kind, { data: JSON.stringify(data) }));
  }
}

const listed = () => screen.queryAllByTestId("template-row").map((row) => row.getAttribute("aria-label"));

describe("TemplatesView", { timeout: 20_000 }, () => {
  it("lists templates with their status, reason, category, language and quality", async () => {
    render(<TemplatesView canManage />);
    await waitFor(() => expect(listed()).toEqual(["order_shipped (en_US)", "spring_sale (en_US)", "welcome_back (pt_BR)"]));
    const rejected = screen.getByRole("row", { name: "spring_sale (en_US)" });
    expect(within(rejected).getByTestId("template-status").textContent).toBe("Rejected");
    expect(within(rejected).getByText("Invalid format: Variables can't be at the end.")).toBeTruthy();
    expect(within(rejected).getByText("Marketing")).toBeTruthy();
    const approved = screen.getByRole("row", { name: "order_shipped (en_US)" });
    expect(within(approved).getByText("High quality")).toBeTruthy();
    expect(within(approved).getByRole("link", { name: "order_shipped" }).getAttribute("href")).toBe("/templates/1");
    const pending = screen.getByRole("row", { name: "welcome_back (pt_BR)" });
    expect(within(pending).getByText("Pending review")).toBeTruthy();
    expect(within(pending).getByText("Changing to Marketing")).toBeTruthy();
    // Managers write and sync.
    expect(screen.getByRole("link", { name: "New template" }).getAttribute("href")).toBe("/templates/new");
    expect(screen.getByRole("button", { name: "Sync with Meta" })).toBeTruthy();
  });

  it("filters by status, category and language, and searches by name", async () => {
    const user = userEvent.setup();
    render(<TemplatesView canManage />);
    await waitFor(() => expect(listed()).toHaveLength(3));

    await user.selectOptions(screen.getByRole("combobox", { name: "Status" }), "REJECTED");
    await waitFor(() => expect(listed()).toEqual(["spring_sale (en_US)"]));
    expect(api.history.get.some((r) => r.params?.status === "REJECTED")).toBe(true);

    await user.selectOptions(screen.getByRole("combobox", { name: "Status" }), "");
    await user.selectOptions(screen.getByRole("combobox", { name: "Category" }), "UTILITY");
    await waitFor(() => expect(listed()).toEqual(["order_shipped (en_US)", "welcome_back (pt_BR)"]));

    await user.type(screen.getByRole("textbox", { name: "Language" }), "pt_BR");
    await waitFor(() => expect(listed()).toEqual(["welcome_back (pt_BR)"]));

    await user.clear(screen.getByRole("textbox", { name: "Language" }));
    await user.type(screen.getByRole("searchbox", { name: "Search templates" }), "order");
    await waitFor(() => expect(listed()).toEqual(["order_shipped (en_US)"]));
    expect(api.history.get.some((r) => r.params?.q === "order" && r.params?.category === "UTILITY")).toBe(true);
  });

  it("says when nothing matches, and clears the filters", async () => {
    const user = userEvent.setup();
    render(<TemplatesView canManage />);
    await waitFor(() => expect(listed()).toHaveLength(3));
    await user.type(screen.getByRole("searchbox", { name: "Search templates" }), "nothing_like_this");
    expect(await screen.findByText("No templates match")).toBeTruthy();
    await user.click(screen.getByRole("button", { name: "Clear search and filters" }));
    await waitFor(() => expect(listed()).toHaveLength(3));
  });

  it("has an empty state for a business without templates (no write button for agents)", async () => {
    api.onGet("/api/templates/").reply(200, page([]));
    const { unmount } = render(<TemplatesView canManage />);
    expect(await screen.findByText("No templates yet")).toBeTruthy();
    expect(screen.getByRole("link", { name: "Write a template" }).getAttribute("href")).toBe("/templates/new");
    unmount();

    render(<TemplatesView canManage={false} />);
    expect(await screen.findByText("No templates yet")).toBeTruthy();
    expect(screen.queryByRole("link", { name: "Write a template" })).toBeNull();
    expect(screen.queryByRole("button", { name: "Sync with Meta" })).toBeNull();
  });

  it("highlights templates needing attention and acknowledges them", async () => {
    const user = userEvent.setup();
    api.onPost("/api/templates/2/acknowledge/").reply(() => {
      api.onGet("/api/templates/").reply(listHandler([APPROVED, { ...REJECTED, attention: "" }, PENDING]));
      return [200, { ...REJECTED, attention: "" }] as [number, unknown];
    });
    render(<TemplatesView canManage />);
    const attention = await screen.findByRole("list", { name: "Templates needing attention" });
    expect(attention.textContent).toContain("spring_sale");
    expect(attention.textContent).toContain("Rejected: INVALID_FORMAT");
    await user.click(within(attention).getByRole("button", { name: "Acknowledge spring_sale (en_US)" }));
    await waitFor(() => expect(screen.queryByRole("list", { name: "Templates needing attention" })).toBeNull());
    expect(api.history.post.map((r) => r.url)).toEqual(["/api/templates/2/acknowledge/"]);
  });

  it("starts a sync and follows it until it is done", async () => {
    const user = userEvent.setup();
    const running = { id: 9, waba_id: "1", status: "running", trigger: "member", seen: 3, added: 0, updated: 0, removed: 0, error: "", started_at: "2026-12-01T10:00:00Z", finished_at: null };
    api.onPost("/api/templates/sync/").reply(() => {
      api.onGet("/api/templates/syncs/").replyOnce(200, page([running] as never[]));
      api.onGet("/api/templates/syncs/").reply(200, page([{ ...running, status: "done", seen: 10, added: 2, updated: 1 }] as never[]));
      return [202, running] as [number, unknown];
    });
    render(<TemplatesView canManage />);
    await user.click(await screen.findByRole("button", { name: "Sync with Meta" }));
    expect(await screen.findByText(/Syncing with Meta… 3 templates seen so far/)).toBeTruthy();
    expect(await screen.findByText("Synced with Meta: 10 seen, 2 added, 1 updated, 0 removed.", {}, { timeout: 5_000 })).toBeTruthy();
  });

  it("turns a template Approved when its live event arrives, without a reload", async () => {
    FakeEventSource.instances = [];
    vi.stubGlobal("EventSource", FakeEventSource);
    render(<TemplatesView canManage />);
    const row = await screen.findByRole("row", { name: "welcome_back (pt_BR)" });
    expect(within(row).getByTestId("template-status").textContent).toBe("Pending review");
    const source = FakeEventSource.instances[0]!;
    expect(source.url).toBe("/api/inbox/events/");

    api.onGet("/api/templates/").reply(listHandler([APPROVED, REJECTED, { ...PENDING, status: "APPROVED" }]));
    act(() => source.emit("template", { kind: "template", type: "template", id: PENDING.id }));
    await waitFor(() => expect(within(screen.getByRole("row", { name: "welcome_back (pt_BR)" })).getByTestId("template-status").textContent).toBe("Approved"));
  });
});
