import { act, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { call, permission } from "@/components/calls/testData";
import * as callsApi from "@/lib/api/calls";
import * as inboxApi from "@/lib/api/inbox";
import * as templatesApi from "@/lib/api/templates";
import type { User } from "@/lib/api/types";
import { testUser } from "@/lib/testing/users";
import { renderWithQuery as render } from "@/lib/query/testing";
import { InboxView } from "./InboxView";
import { conversation, message } from "./testData";

const USER: User = testUser("owner", { first_name: "Olga", last_name: "Owner" });

vi.mock("@/components/app/SessionProvider", () => ({ useSession: () => ({ user: USER }) }));
vi.mock("@/lib/api/team", () => ({ listAllMembers: vi.fn().mockResolvedValue([]) }));
vi.mock("@/lib/api/auth", () => ({ getCurrentUser: vi.fn(async () => USER) }));
vi.mock("@/lib/api/inbox", () => ({
  INBOX_EVENTS_URL: "/api/inbox/events/",
  listConversations: vi.fn(),
  getConversation: vi.fn(),
  listConversationMessages: vi.fn(),
  listAllNotes: vi.fn(),
  markConversationRead: vi.fn(),
  updateConversation: vi.fn(),
  createNote: vi.fn(),
  replyToConversation: vi.fn(),
  listCannedReplies: vi.fn(),
}));
vi.mock("@/lib/api/calls", () => ({ listCalls: vi.fn(), getCallPermission: vi.fn(), requestCallPermission: vi.fn() }));
vi.mock("@/lib/api/templates", () => ({ listTemplates: vi.fn(), listApproved: vi.fn().mockResolvedValue([]) }));

/** Stands in for the browser's EventSource: the test opens it and dispatches named events. */
class FakeEventSource {
  static CONNECTING = 0;
  static OPEN = 1;
  static CLOSED = 2;
  static instances: FakeEventSource[] = [];
  readyState = FakeEventSource.CONNECTING;
  onopen: (() => void) | null = null;
  onerror: (() => void) | null = null;
  listeners = new Map<string, ((event: MessageEvent) => void)[]>();
  closed = false;
  constructor(
    readonly url: string,
    readonly init?: EventSourceInit,
  ) {
    FakeEventSource.instances.push(this);
  }
  addEventListener(kind: string, listener: (event: MessageEvent) => void) {
    this.listeners.set(kind, [...(this.listeners.get(kind) ?? []), listener]);
  }
  close() {
    this.closed = true;
    this.readyState = FakeEventSource.CLOSED;
  }
  open() {
    this.readyState = FakeEventSource.OPEN;
    this.onopen?.();
  }
  emit(kind: string, data: object) {
    for (const listener of this.listeners.get(kind) ?? []) listener(new MessageEvent(kind, { data: JSON.stringify(data) }));
  }
}

const ALICE = conversation();
const BOB = conversation({ id: 8, contact: { id: 80, name: "", phone: "+447700900123", wa_user_id: null, marketing_consent: "unknown" }, last_message_preview: "Thanks", unread_count: 2 });

beforeEach(() => {
  vi.clearAllMocks();
  FakeEventSource.instances = [];
  vi.stubGlobal("EventSource", FakeEventSource);
  vi.mocked(inboxApi.listConversations).mockResolvedValue({ next: null, previous: null, results: [ALICE, BOB] });
  vi.mocked(inboxApi.getConversation).mockImplementation(async (id) => (id === ALICE.id ? ALICE : BOB));
  vi.mocked(inboxApi.listConversationMessages).mockResolvedValue({ next: null, previous: null, results: [message({ payload: { type: "text", text: { body: "Hello there" } } })] });
  vi.mocked(inboxApi.listAllNotes).mockResolvedValue([]);
  vi.mocked(inboxApi.markConversationRead).mockImplementation(async (id) => ({ ...(id === ALICE.id ? ALICE : BOB), unread_count: 0 }));
  vi.mocked(inboxApi.listCannedReplies).mockResolvedValue({ next: null, previous: null, results: [] });
  vi.mocked(templatesApi.listTemplates).mockResolvedValue({ next: null, previous: null, results: [] });
  vi.mocked(callsApi.listCalls).mockResolvedValue({ next: null, previous: null, results: [] });
  vi.mocked(callsApi.getCallPermission).mockResolvedValue(permission());
});

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("InboxView", { timeout: 20_000 }, () => {
  it("lists conversations and refetches when a filter or the search changes", async () => {
    const user = userEvent.setup();
    render(<InboxView />);
    const rows = await screen.findAllByTestId("conversation-row");
    expect(rows).toHaveLength(2);
    expect(within(rows[0]!).getByText("Alice Customer")).toBeTruthy();
    // No name: the phone stands in; the unread count is a badge.
    expect(within(rows[1]!).getByText("+447700900123")).toBeTruthy();
    expect(within(rows[1]!).getByText("2")).toBeTruthy();
    expect(inboxApi.listConversations).toHaveBeenLastCalledWith({ view: "all", status: "open", q: "" }, undefined);

    await user.click(screen.getByRole("radio", { name: "Mine" }));
    await waitFor(() => expect(inboxApi.listConversations).toHaveBeenLastCalledWith({ view: "mine", status: "open", q: "" }, undefined));
    await user.click(screen.getByRole("radio", { name: "Resolved" }));
    await waitFor(() => expect(inboxApi.listConversations).toHaveBeenLastCalledWith({ view: "mine", status: "resolved", q: "" }, undefined));

    const calls = vi.mocked(inboxApi.listConversations).mock.calls.length;
    await user.type(screen.getByRole("searchbox", { name: "Search conversations" }), "ali");
    // Debounced: one request for the whole word, not one per key.
    await waitFor(() => expect(inboxApi.listConversations).toHaveBeenLastCalledWith({ view: "mine", status: "resolved", q: "ali" }, undefined));
    expect(vi.mocked(inboxApi.listConversations).mock.calls.length).toBe(calls + 1);
  });

  it("says what to do when there are no conversations yet", async () => {
    vi.mocked(inboxApi.listConversations).mockResolvedValue({ next: null, previous: null, results: [] });
    render(<InboxView />);
    expect(await screen.findByText("No conversations yet")).toBeTruthy();
    expect(screen.getByText(/When a customer writes to your WhatsApp number/)).toBeTruthy();
  });

  it("opens a thread and marks it read when it has unread messages", async () => {
    const user = userEvent.setup();
    render(<InboxView />);
    await user.click((await screen.findAllByTestId("conversation-row"))[1]!);
    expect(await screen.findByRole("region", { name: "Conversation with +447700900123" })).toBeTruthy();
    await waitFor(() => expect(inboxApi.markConversationRead).toHaveBeenCalledWith(8));
    expect(window.location.search).toBe("?c=8");
  });

  it("refreshes the list and the open thread when the event stream says something changed", async () => {
    render(<InboxView initialConversationId={7} />);
    expect(await screen.findByText("Hello there", { selector: "p" })).toBeTruthy();
    const source = FakeEventSource.instances[0]!;
    expect(source.url).toBe("/api/inbox/events/");
    expect(source.init).toEqual({ withCredentials: true });
    expect(screen.getByTestId("live-state").textContent).toContain("Connecting");
    act(() => source.open());
    expect(screen.getByTestId("live-state").textContent).toContain("Live");

    const listCalls = vi.mocked(inboxApi.listConversations).mock.calls.length;
    const newer = message({ created_at: "2026-11-27T11:58:00Z", payload: { type: "text", text: { body: "Are you there?" } } });
    vi.mocked(inboxApi.listConversationMessages).mockResolvedValue({ next: null, previous: null, results: [newer] });
    vi.mocked(inboxApi.getConversation).mockResolvedValue({ ...ALICE, unread_count: 1 });

    // A burst of events is one refetch (debounced).
    act(() => {
      source.emit("message", { kind: "message", conversation_id: 7, assignee_id: null, message_id: newer.id });
      source.emit("status", { kind: "status", conversation_id: 7, assignee_id: null, message_id: newer.id });
      source.emit("conversation", { kind: "conversation", conversation_id: 8, assignee_id: null });
    });
    expect(await screen.findByText("Are you there?")).toBeTruthy();
    expect(screen.getByText("Hello there", { selector: "p" })).toBeTruthy();
    expect(vi.mocked(inboxApi.listConversations).mock.calls.length).toBe(listCalls + 1);
    // New inbound in the open thread is marked read at once.
    await waitFor(() => expect(inboxApi.markConversationRead).toHaveBeenCalledWith(7));

    // A note event refetches the notes of the open thread only.
    vi.mocked(inboxApi.listAllNotes).mockResolvedValue([{ id: 1, author: { id: 2, email: "a@acme.test", name: "Agnes" }, body: "VIP customer", created_at: "2026-11-27T11:59:00Z" }]);
    act(() => source.emit("note", { kind: "note", conversation_id: 7, assignee_id: null }));
    expect(await screen.findByText("VIP customer")).toBeTruthy();
  });

  it("says Reconnecting… when the stream fails, and opens a new one", async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    try {
      render(<InboxView />);
      const first = FakeEventSource.instances[0]!;
      act(() => first.open());
      act(() => {
        first.readyState = FakeEventSource.CLOSED; // e.g. 401: the browser gives up on this one
        first.onerror?.();
      });
      expect(screen.getByTestId("live-state").textContent).toContain("Reconnecting");
      await act(async () => {
        await vi.advanceTimersByTimeAsync(1_100);
      });
      expect(FakeEventSource.instances).toHaveLength(2);
      act(() => FakeEventSource.instances[1]!.open());
      expect(screen.getByTestId("live-state").textContent).toContain("Live");
    } finally {
      vi.useRealTimers();
    }
  });
});

describe("the conversation list", { timeout: 20_000 }, () => {
  const at = (id: number, minute: number) =>
    conversation({ id, contact: { ...ALICE.contact, name: `Customer ${id}` }, last_message_at: `2026-11-27T11:${String(minute).padStart(2, "0")}:00Z` });
  const shown = () => screen.getAllByTestId("conversation-row").map((row) => /Customer (\d)/.exec(row.textContent ?? "")?.[1]);
  const NEXT = "http://acme.localhost/api/conversations/?cursor=p2";

  it("replaces the top on an event and keeps older pages the agent loaded", async () => {
    const user = userEvent.setup();
    vi.mocked(inboxApi.listConversations).mockImplementation(async (_query, next) =>
      next ? { next: null, previous: null, results: [at(2, 40), at(4, 20)] } : { next: NEXT, previous: null, results: [at(1, 50), at(3, 30)] },
    );
    render(<InboxView />);
    await user.click(await screen.findByRole("button", { name: /load more/i }));
    await waitFor(() => expect(shown()).toEqual(["1", "3", "2", "4"]));

    // Conversation 3 got a new message and moved to the top; the page the agent loaded below stays.
    vi.mocked(inboxApi.listConversations).mockImplementation(async (_query, next) =>
      next ? { next: null, previous: null, results: [at(2, 40), at(4, 20)] } : { next: NEXT, previous: null, results: [at(3, 55), at(1, 50)] },
    );
    const source = FakeEventSource.instances[0]!;
    act(() => source.emit("message", { kind: "message", conversation_id: 3, assignee_id: null }));
    await waitFor(() => expect(vi.mocked(inboxApi.listConversations).mock.calls.at(-1)?.[1]).toBe(NEXT));
    await waitFor(() => expect(shown()).toEqual(["3", "1", "2", "4"]));
  });

  it("is the whole list when there is no next page", async () => {
    render(<InboxView />);
    expect(await screen.findAllByTestId("conversation-row")).toHaveLength(2);
    vi.mocked(inboxApi.listConversations).mockResolvedValue({ next: null, previous: null, results: [ALICE] });
    act(() => FakeEventSource.instances[0]!.emit("conversation", { kind: "conversation", conversation_id: 8, assignee_id: null }));
    await waitFor(() => expect(screen.getAllByTestId("conversation-row")).toHaveLength(1));
  });

  it("shows a banner when a template needs attention, updated by the template event", async () => {
    render(<InboxView />);
    await screen.findAllByTestId("conversation-row");
    expect(templatesApi.listTemplates).toHaveBeenCalledWith({ attention: true }, null, 20);
    expect(screen.queryByRole("status", { name: "Templates need attention" })).toBeNull();

    vi.mocked(templatesApi.listTemplates).mockResolvedValue({
      next: null,
      previous: null,
      results: [{ id: 5, name: "spring_sale", language: "en_US", attention: "Rejected: INVALID_FORMAT" } as templatesApi.Template],
    });
    const source = FakeEventSource.instances[0]!;
    act(() => source.open());
    act(() => source.emit("template", { kind: "template", type: "template", id: 5 }));
    const banner = await screen.findByRole("status", { name: "Templates need attention" });
    expect(banner.textContent).toContain("Rejected: INVALID_FORMAT");
    expect(within(banner).getByRole("link", { name: "spring_sale (en_US)" }).getAttribute("href")).toBe("/templates/5");
  });
});

describe("InboxView's calls", { timeout: 20_000 }, () => {
  it("rings when a customer calls, from the live event, and shows calls in the thread", async () => {
    render(<InboxView initialConversationId={7} />);
    expect(await screen.findByText("Hello there", { selector: "p" })).toBeTruthy();
    expect(screen.queryByText("Incoming WhatsApp call")).toBeNull();
    const source = FakeEventSource.instances[0]!;
    const before = vi.mocked(callsApi.listCalls).mock.calls.length;
    act(() => source.open());
    await waitFor(() => expect(vi.mocked(callsApi.listCalls).mock.calls.length).toBeGreaterThan(before)); // the open's resync
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(screen.queryByText("Incoming WhatsApp call")).toBeNull();
    const ringing = call({ id: 12, status: "ringing" });
    const missed = call({ id: 11, status: "missed", ringing_at: "2026-11-27T11:56:00Z" });
    vi.mocked(callsApi.listCalls).mockImplementation(async (query) => ({ next: null, previous: null, results: query.conversation ? [missed] : [ringing] }));
    act(() => source.emit("call", { kind: "call", call_id: 12, conversation_id: 7, assignee_id: null, status: "ringing", direction: "user_initiated", agent_id: null, has_sdp_answer: false }));
    expect(await screen.findByText("Incoming WhatsApp call")).toBeTruthy();
    expect(screen.getByRole("region", { name: "Call from +16505550101" })).toBeTruthy();
    expect((await screen.findByTestId("thread-call")).textContent).toContain("Missed call");
  });

  it("catches up when the first stream opens: a call that began ringing after the page loaded rings", async () => {
    render(<InboxView initialConversationId={7} />);
    expect(await screen.findByText("Hello there", { selector: "p" })).toBeTruthy();
    await waitFor(() => expect(callsApi.listCalls).toHaveBeenCalled());
    vi.mocked(callsApi.listCalls).mockResolvedValue({ next: null, previous: null, results: [call({ id: 13 })] });
    act(() => FakeEventSource.instances[0]!.open()); // the stream starts from "now": its event was before
    expect(await screen.findByText("Incoming WhatsApp call")).toBeTruthy();
  });

  it("offers to ask the customer's permission to call, and says when it may ask again", async () => {
    const user = userEvent.setup();
    vi.mocked(callsApi.requestCallPermission).mockResolvedValue(permission({ may_request: false, requests_24h: 1, next_request_at: "2026-11-28T12:00:00Z" }));
    render(<InboxView initialConversationId={7} />);
    const panel = await screen.findByRole("complementary", { name: "Contact and notes" });
    expect((await within(panel).findByTestId("call-permission")).textContent).toBe("Hasn't allowed calls from this number.");
    expect(within(panel).queryByTestId("call-place")).toBeNull();
    await user.click(within(panel).getByRole("button", { name: "Ask permission to call" }));
    expect(callsApi.requestCallPermission).toHaveBeenCalledWith(70, "100000000000001");
    expect(await within(panel).findByText(/You can ask again/)).toBeTruthy();
    expect((within(panel).getByRole("button", { name: "Ask permission to call" }) as HTMLButtonElement).disabled).toBe(true);
  });

  it("lets an allowed contact be called", async () => {
    vi.mocked(callsApi.getCallPermission).mockResolvedValue(permission({ status: "temporary", expires_at: "2026-12-01T12:00:00Z", may_call: true }));
    render(<InboxView initialConversationId={7} />);
    const panel = await screen.findByRole("complementary", { name: "Contact and notes" });
    expect((await within(panel).findByTestId("call-permission")).textContent).toMatch(/^Allows your calls until /);
    expect((within(panel).getByTestId("call-place") as HTMLButtonElement).disabled).toBe(false);
  });
});

