import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";

import type { Message } from "@/lib/api/types";
import * as messagesApi from "@/lib/api/messages";
import * as whatsappApi from "@/lib/api/whatsapp";
import { RecentMessages } from "./RecentMessages";
import { renderWithQuery as render } from "@/lib/query/testing";

vi.mock("@/lib/api/messages", () => ({ listMessages: vi.fn() }));
vi.mock("@/lib/api/whatsapp", () => ({ listAllNumbers: vi.fn() }));

const message = (overrides: Partial<Message>): Message => ({
  id: "00000000-0000-4000-8000-000000000001",
  direction: "out",
  phone_number_id: "100000000000001",
  to: "16505550101",
  contact_id: null,
  conversation_id: null,
  automation: "",
  created_by_id: null,
  type: "text",
  payload: { type: "text", text: { body: "Hi" } },
  status: "delivered",
  wamid: "wamid.1",
  error_code: null,
  error_title: "",
  error_details: "",
  pricing_category: "",
  pricing_type: "",
  billable: null,
  attempts: 1,
  created_at: "2026-11-27T10:00:00Z",
  sent_at: null,
  delivered_at: null,
  read_at: null,
  failed_at: null,
  ...overrides,
});

beforeEach(() => {
  vi.clearAllMocks();
  vi.mocked(whatsappApi.listAllNumbers).mockResolvedValue([{ phone_number_id: "100000000000001", display_phone_number: "+1 555-010-0001" } as never]);
});

describe("RecentMessages", () => {
  it("lists status, type, recipient and sender, links to the detail, and loads the next page", async () => {
    vi.mocked(messagesApi.listMessages)
      .mockResolvedValueOnce({
        results: [
          message({}),
          message({
            id: "00000000-0000-4000-8000-000000000002",
            type: "interactive",
            payload: { type: "interactive", interactive: { type: "list" } },
            status: "failed",
            error_title: "Re-engagement message",
          }),
        ],
        next: "http://demo.localhost:8000/api/messages/?cursor=abc",
      })
      .mockResolvedValueOnce({ results: [message({ id: "00000000-0000-4000-8000-000000000003", status: "read", type: "template", payload: { type: "template", template: { name: "hello_world" } } })], next: null });
    const user = userEvent.setup();
    render(<RecentMessages />);

    const link = await screen.findByRole("link", { name: "Interactive · list" });
    expect(link.getAttribute("href")).toBe("/messages/00000000-0000-4000-8000-000000000002");
    const failedRow = link.closest("tr") as HTMLElement;
    expect(within(failedRow).getByText("Re-engagement message")).toBeDefined();
    expect(within(failedRow).getByRole("img", { name: "Failed" })).toBeDefined();
    expect(screen.getAllByText("+16505550101")).toHaveLength(2);
    expect(await screen.findAllByText("+1 555-010-0001")).toHaveLength(2);

    await user.click(screen.getByRole("button", { name: "Load more" }));
    expect(await screen.findByRole("link", { name: "Template · hello_world" })).toBeDefined();
    expect(messagesApi.listMessages).toHaveBeenLastCalledWith("http://demo.localhost:8000/api/messages/?cursor=abc");
    expect(screen.getByRole("img", { name: "Read" })).toBeDefined();
    expect(screen.queryByRole("button", { name: "Load more" })).toBeNull();
  });
});
