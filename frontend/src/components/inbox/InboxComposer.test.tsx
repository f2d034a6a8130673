import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";

import * as inboxApi from "@/lib/api/inbox";
import * as templatesApi from "@/lib/api/templates";
import { template, templatePreview } from "@/components/templates/testData";
import { ApiError } from "@/lib/apiClient";
import { renderWithQuery as render } from "@/lib/query/testing";
import { InboxComposer } from "./InboxComposer";
import { conversation, message } from "./testData";

vi.mock("@/lib/api/inbox", () => ({ replyToConversation: vi.fn(), listCannedReplies: vi.fn() }));
vi.mock("@/lib/api/templates", () => ({ listApproved: vi.fn(), previewTemplate: vi.fn(), replyWithTemplate: vi.fn() }));

const ORDER_SHIPPED = template({ language: "pt_BR", components: [{ type: "BODY", text: "Olá {{1}}, seu pedido {{2}} saiu." }] });

beforeEach(() => {
  vi.clearAllMocks();
  vi.mocked(templatesApi.listApproved).mockResolvedValue([ORDER_SHIPPED]);
  vi.mocked(templatesApi.previewTemplate).mockImplementation(async (_id, body) =>
    body.contact_id
      ? templatePreview(
          { body: "Olá Alice, seu pedido A-1 saiu." },
          { name: "order_shipped", components: [{ type: "body", parameters: [{ type: "text", text: "Alice" }, { type: "text", text: "A-1" }] }] },
        )
      : templatePreview({ body: `Olá ${(body.parameters?.body as string[])[0]}, seu pedido A-1 saiu.` }),
  );
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

  it("switches to templates when the window is closed: picked, filled in from the contact by its mapping, sent", async () => {
    const queued = message({ direction: "out", type: "template" });
    vi.mocked(templatesApi.replyWithTemplate).mockResolvedValue(queued);
    const { onSent, user } = setup(false);

    expect(screen.getByText(/The 24-hour window is closed/)).toBeTruthy();
    expect(screen.queryByRole("textbox", { name: "Message" })).toBeNull();
    expect(screen.queryByRole("group", { name: "Message kind" })).toBeNull();

    await user.selectOptions(await screen.findByLabelText("Approved template"), "3");
    await user.click(screen.getByRole("button", { name: "Fill in and send…" }));
    const dialog = await screen.findByRole("dialog");
    // The saved mapping filled both variables for Alice (the contact of the conversation).
    expect(templatesApi.previewTemplate).toHaveBeenCalledWith(3, { contact_id: 70 });
    await waitFor(() => expect((within(dialog).getByLabelText("Body {{1}}") as HTMLInputElement).value).toBe("Alice"));
    expect(within(dialog).getByTestId("preview-body").textContent).toBe("Olá Alice, seu pedido A-1 saiu.");

    // Untouched: the server's mapping fills them on send, exactly as previewed.
    await user.click(within(dialog).getByRole("button", { name: "Send template" }));
    expect(templatesApi.replyWithTemplate).toHaveBeenCalledWith(7, 3, undefined);
    await waitFor(() => expect(onSent).toHaveBeenCalledWith(queued));
    expect(screen.queryByRole("dialog")).toBeNull();
  });

  it("sends the values typed in the mapping dialog as parameters", async () => {
    vi.mocked(templatesApi.replyWithTemplate).mockResolvedValue(message({ direction: "out", type: "template" }));
    const { user } = setup(false);
    await user.selectOptions(await screen.findByLabelText("Approved template"), "3");
    await user.click(screen.getByRole("button", { name: "Fill in and send…" }));
    const dialog = await screen.findByRole("dialog");
    const first = within(dialog).getByLabelText("Body {{1}}");
    await waitFor(() => expect((first as HTMLInputElement).value).toBe("Alice"));
    await user.clear(first);
    await user.type(first, "Ana");
    await waitFor(() => expect(within(dialog).getByTestId("preview-body").textContent).toBe("Olá Ana, seu pedido A-1 saiu."));
    await user.click(within(dialog).getByRole("button", { name: "Send template" }));
    expect(templatesApi.replyWithTemplate).toHaveBeenCalledWith(7, 3, { body: ["Ana", "A-1"] });
  });

  it("still sends a template by name with typed parameters", async () => {
    vi.mocked(inboxApi.replyToConversation).mockResolvedValue(message({ direction: "out", type: "template" }));
    const { user } = setup(false);
    // The composer's own checks run first: a template needs a name.
    await user.click(screen.getByRole("button", { name: "Send template" }));
    expect(inboxApi.replyToConversation).not.toHaveBeenCalled();
    expect(screen.getByLabelText("Template name").getAttribute("aria-invalid")).toBe("true");
    await user.type(screen.getByLabelText("Template name"), "order_shipped");
    await user.clear(screen.getByLabelText("Language"));
    await user.type(screen.getByLabelText("Language"), "pt_BR");
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
