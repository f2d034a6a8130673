import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";

import type { Message, PhoneNumber, User } from "@/lib/api/types";
import { ApiError } from "@/lib/apiClient";
import * as messagesApi from "@/lib/api/messages";
import * as whatsappApi from "@/lib/api/whatsapp";
import { testUser } from "@/lib/testing/users";
import { Composer } from "./Composer";
import { renderWithQuery as render } from "@/lib/query/testing";

const USER: User = testUser("owner");

vi.mock("@/components/app/SessionProvider", () => ({ useSession: () => ({ user: USER }) }));
vi.mock("@/lib/api/whatsapp", () => ({ listAllNumbers: vi.fn(), startEmbeddedSignup: vi.fn() }));
vi.mock("@/lib/api/messages", () => ({ sendMessage: vi.fn(), getMessage: vi.fn() }));

const NUMBER = {
  id: 1,
  phone_number_id: "100000000000001",
  display_phone_number: "+1 555-010-0001",
  verified_name: "Acme Support",
} as PhoneNumber;

const QUEUED: Message = {
  id: "6f1c0b7e-0000-4000-8000-000000000001",
  direction: "out",
  phone_number_id: "100000000000001",
  to: "16505550101",
  contact_id: null,
  conversation_id: null,
  automation: "",
  created_by_id: null,
  type: "interactive",
  payload: {},
  status: "queued",
  wamid: null,
  error_code: null,
  error_title: "",
  error_details: "",
  pricing_category: "",
  pricing_type: "",
  billable: null,
  attempts: 0,
  created_at: "2026-11-27T10:00:00Z",
  sent_at: null,
  delivered_at: null,
  read_at: null,
  failed_at: null,
};

beforeEach(() => {
  vi.clearAllMocks();
  vi.mocked(whatsappApi.listAllNumbers).mockResolvedValue([NUMBER]);
  vi.mocked(whatsappApi.startEmbeddedSignup).mockResolvedValue({
    app_id: "300",
    state: "s",
    mode: "sandbox",
    signup_url: "http://127.0.0.1:8010/_sandbox/embedded-signup?app_id=300",
  });
});

async function fillButtons(user: ReturnType<typeof userEvent.setup>, secondTitle: string) {
  await user.type(await screen.findByLabelText("To"), "+1 650 555 0101");
  await user.selectOptions(screen.getByLabelText("Message type"), "button");
  await user.type(screen.getByLabelText("Body"), "Is this right?");
  const titles = screen.getAllByLabelText("Title");
  await user.type(titles[0] as HTMLElement, "Yes");
  await user.type(titles[1] as HTMLElement, secondTitle);
}

// Typing through many inputs is slow on a busy machine: more time than the 5 s default.
describe("Composer", { timeout: 20_000 }, () => {
  it("puts the server's field errors next to the right input, and the rest above the form", async () => {
    vi.mocked(messagesApi.sendMessage).mockRejectedValue(
      new ApiError(400, "validation_error", "interactive.action.buttons[1].reply.title: duplicate button title 'Yes'", {
        "interactive.action.buttons[1].reply.title": ["duplicate button title 'Yes'"],
        "interactive.nonsense": ["unknown field"],
      }),
    );
    const user = userEvent.setup({ delay: null });
    render(<Composer />);
    await fillButtons(user, "No");
    await user.click(screen.getByRole("button", { name: "Send message" }));

    const second = screen.getAllByLabelText("Title")[1] as HTMLElement;
    expect(second.getAttribute("aria-invalid")).toBe("true");
    const errorId = second.getAttribute("aria-describedby") ?? "";
    expect(document.getElementById(errorId)?.textContent).toBe("Duplicate button title 'Yes'.");
    expect(screen.getAllByLabelText("Title")[0]?.getAttribute("aria-invalid")).toBeNull();
    expect(screen.getByRole("alert").textContent).toContain("interactive.nonsense: unknown field");
  });

  it("checks the cheap limits before sending", async () => {
    const user = userEvent.setup({ delay: null });
    render(<Composer />);
    await fillButtons(user, "This title is far too long");
    await user.click(screen.getByRole("button", { name: "Send message" }));

    expect(messagesApi.sendMessage).not.toHaveBeenCalled();
    expect(screen.getByText("26 characters; at most 20 allowed.")).toBeDefined();
  });

  it("sends Meta's object, then follows the message until it is delivered", async () => {
    vi.mocked(messagesApi.sendMessage).mockResolvedValue(QUEUED);
    vi.mocked(messagesApi.getMessage).mockResolvedValue({ ...QUEUED, status: "delivered", wamid: "wamid.OK", attempts: 1, events: [] });
    const user = userEvent.setup({ delay: null });
    render(<Composer />);
    await fillButtons(user, "No");
    await user.click(screen.getByRole("button", { name: "Send message" }));

    expect(messagesApi.sendMessage).toHaveBeenCalledWith({
      to: "+16505550101",
      phone_number_id: "100000000000001",
      type: "interactive",
      interactive: {
        type: "button",
        body: { text: "Is this right?" },
        action: {
          buttons: [
            { type: "reply", reply: { id: "button_1", title: "Yes" } },
            { type: "reply", reply: { id: "button_2", title: "No" } },
          ],
        },
      },
    });
    const result = await screen.findByTestId("send-result");
    expect(await within(result).findByText("wamid.OK", {}, { timeout: 3000 })).toBeDefined();
    expect(within(result).getByTestId("send-status").textContent).toContain("delivered");
    expect(within(result).getByRole("link", { name: /sandbox phone/ }).getAttribute("href")).toBe(
      "http://127.0.0.1:8010/_sandbox/phone/100000000000001/16505550101",
    );
  });

  it("sends hand-edited JSON as written", async () => {
    vi.mocked(messagesApi.sendMessage).mockResolvedValue({ ...QUEUED, status: "sent" });
    vi.mocked(messagesApi.getMessage).mockResolvedValue({ ...QUEUED, status: "delivered", events: [] });
    const user = userEvent.setup({ delay: null });
    render(<Composer />);
    await user.type(await screen.findByLabelText("To"), "+16505550101");
    await user.click(screen.getByLabelText("Edit JSON"));
    const editor = screen.getByLabelText("Message object (JSON)");
    expect(JSON.parse((editor as HTMLTextAreaElement).value)).toEqual({ type: "text", text: { body: "" } });
    await user.clear(editor);
    // userEvent treats { and [ as key descriptors: double them.
    await user.type(editor, '{{"type": "sticker", "sticker": {{"id": "42"}}');
    await user.click(screen.getByRole("button", { name: "Send message" }));
    expect(messagesApi.sendMessage).toHaveBeenCalledWith({ to: "+16505550101", phone_number_id: "100000000000001", type: "sticker", sticker: { id: "42" } });
  });
});
