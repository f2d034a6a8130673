import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";

import * as inboxApi from "@/lib/api/inbox";
import type { Template } from "@/lib/api/types";
import { ApiError } from "@/lib/apiClient";
import { renderWithQuery as render } from "@/lib/query/testing";
import { InboxComposer } from "./InboxComposer";
import { conversation, message } from "./testData";

vi.mock("@/lib/api/inbox", () => ({ replyToConversation: vi.fn(), listCannedReplies: vi.fn(), listApprovedTemplates: vi.fn() }));

beforeEach(() => {
  vi.clearAllMocks();
  vi.mocked(inboxApi.listApprovedTemplates).mockResolvedValue([
    { id: 3, name: "order_shipped", language: "pt_BR", category: "UTILITY", status: "APPROVED" } as Template,
  ]);
  vi.mocked(inboxApi.listCannedReplies).mockResolvedValue({
    next: null,
    previous: null,
    results: [
      { id: 1, shortcut: "hours", title: "Opening hours", body: "We are open 9–18, Monday to Friday." },
      { id: 2, shortcut: "thanks", title: "Thanks", body: "Thank you!" },
    ],
  });
});

function setup(windowOpen = true) {
  const onSent = vi.fn();
  const onWindowClosed = vi.fn();
  render(<InboxComposer conversation={conversation()} windowOpen={windowOpen} contactName="Alice" onSent={onSent} onWindowClosed={onWindowClosed} />);
  return { onSent, onWindowClosed, user: userEvent.setup() };
}

describe("InboxComposer", { timeout: 20_000 }, () => {
  it("sends text with Enter and keeps Shift+Enter for a new line", async () => {
    const queued = message({ direction: "out", status: "queued" });
    vi.mocked(inboxApi.replyToConversation).mockResolvedValue(queued);
    const { onSent, user } = setup();

    const box = screen.getByRole("textbox", { name: "Message" });
    await user.type(box, "Hi Alice{Shift>}{Enter}{/Shift}second line");
    expect((box as HTMLTextAreaElement).value).toBe("Hi Alice\nsecond line");
    await user.keyboard("{Enter}");

    expect(inboxApi.replyToConversation).toHaveBeenCalledWith(7, { type: "text", text: { body: "Hi Alice\nsecond line" } });
    expect(onSent).toHaveBeenCalledWith(queued);
    expect((box as HTMLTextAreaElement).value).toBe("");
  });

  it("switches to the template editor when the window is closed, and says why", async () => {
    vi.mocked(inboxApi.replyToConversation).mockResolvedValue(message({ direction: "out", type: "template" }));
    const { user } = setup(false);

    expect(screen.getByText(/The 24-hour window is closed/)).toBeTruthy();
    expect(screen.queryByRole("textbox", { name: "Message" })).toBeNull();
    expect(screen.queryByRole("group", { name: "Message kind" })).toBeNull();

    // The composer's own checks run first: a template needs a name.
    await user.click(screen.getByRole("button", { name: "Send template" }));
    expect(inboxApi.replyToConversation).not.toHaveBeenCalled();
    expect(screen.getByLabelText("Template name").getAttribute("aria-invalid")).toBe("true");

    // Picking an approved template fills in its name and language.
    await user.selectOptions(await screen.findByLabelText("Approved template"), "3");
    expect((screen.getByLabelText("Template name") as HTMLInputElement).value).toBe("order_shipped");
    await user.click(screen.getByRole("button", { name: "Send template" }));
    expect(inboxApi.replyToConversation).toHaveBeenCalledWith(7, { type: "template", template: { name: "order_shipped", language: { code: "pt_BR" } } });
  });

  it("shows the API's refusal and asks for the conversation again when the window has closed meanwhile", async () => {
    vi.mocked(inboxApi.replyToConversation).mockRejectedValue(
      new ApiError(400, "window_closed", "The 24-hour customer service window is closed. Send an approved template to start the conversation again.", {
        type: ["Only a template can be sent outside the 24-hour window."],
      }),
    );
    const { onWindowClosed, user } = setup();
    await user.type(screen.getByRole("textbox", { name: "Message" }), "Hello?{Enter}");
    expect((await screen.findByRole("alert")).textContent).toContain("Send an approved template");
    expect(onWindowClosed).toHaveBeenCalled();
    // The draft is kept so nothing typed is lost.
    expect((screen.getByRole("textbox", { name: "Message" }) as HTMLTextAreaElement).value).toBe("Hello?");
  });

  it("opens the canned replies on / and puts the chosen one in the box", async () => {
    const { user } = setup();
    const box = screen.getByRole("textbox", { name: "Message" });
    await user.type(box, "/ho");
    const options = await screen.findAllByRole("option");
    expect(options).toHaveLength(2);
    expect(inboxApi.listCannedReplies).toHaveBeenLastCalledWith("ho");
    await user.keyboard("{ArrowDown}{ArrowUp}{Enter}");
    expect((box as HTMLTextAreaElement).value).toBe("We are open 9–18, Monday to Friday.");
    expect(screen.queryByRole("listbox")).toBeNull();
    expect(inboxApi.replyToConversation).not.toHaveBeenCalled();
  });

  it("sends reply buttons built by the composer's editors", async () => {
    vi.mocked(inboxApi.replyToConversation).mockResolvedValue(message({ direction: "out", type: "interactive" }));
    const { user } = setup();
    await user.click(screen.getByRole("button", { name: "Buttons" }));
    await user.type(screen.getByLabelText("Body", { exact: true }), "Did that help?");
    const titles = screen.getAllByLabelText("Title", { exact: true });
    await user.type(titles[0]!, "Yes");
    await user.type(titles[1]!, "No");
    await user.click(screen.getByRole("button", { name: "Send" }));
    const [, sent] = vi.mocked(inboxApi.replyToConversation).mock.calls[0]!;
    expect(sent).toMatchObject({ type: "interactive", interactive: { type: "button", body: { text: "Did that help?" } } });
  });
});
