import { fireEvent, render, screen, within } from "@testing-library/react";
import type { ReactNode } from "react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";

import type { Member } from "@/lib/api/types";

import { renderWithQuery } from "@/lib/query/testing";
import { capabilitiesOf } from "@/lib/testing/users";
import { MessageBubble } from "./MessageBubble";
import { conversation, message, NOW } from "./testData";
import { ThreadView } from "./ThreadView";

const list = (node: ReactNode) => render(<ul>{node}</ul>);

describe("MessageBubble", () => {
  it("puts the customer's messages on the left and ours on the right, with delivery ticks on ours only", () => {
    list(
      <>
        <MessageBubble message={message({ payload: { type: "text", text: { body: "Where is my *order*?" } } })} />
        <MessageBubble message={message({ direction: "out", status: "read", payload: { type: "text", text: { body: "On its way" } } })} />
      </>,
    );
    const [inbound, outbound] = screen.getAllByTestId("thread-message");
    expect(inbound!.dataset.direction).toBe("in");
    expect(inbound!.className).toContain("items-start");
    expect(within(inbound!).getByText("order").tagName).toBe("STRONG");
    expect(within(inbound!).queryByRole("img")).toBeNull();
    expect(outbound!.className).toContain("items-end");
    expect(within(outbound!).getByRole("img", { name: "Read" })).toBeTruthy();
  });

  it("shows why a message failed under its bubble", () => {
    list(
      <MessageBubble
        message={message({
          direction: "out",
          status: "failed",
          error_code: 131047,
          error_title: "Re-engagement message",
          error_details: "More than 24 hours have passed since the customer last replied.",
        })}
      />,
    );
    expect(screen.getByRole("img", { name: "Failed" })).toBeTruthy();
    const note = screen.getByRole("note", { name: "Why it failed" });
    expect(note.textContent).toContain("Not delivered: Re-engagement message (131047)");
    expect(note.textContent).toContain("More than 24 hours have passed");
  });

  it("labels automatic replies", () => {
    list(<MessageBubble message={message({ direction: "out", status: "delivered", automation: "away" })} />);
    expect(screen.getByText("Automatic reply · Away message")).toBeTruthy();
    expect(screen.getByRole("img", { name: "Delivered" })).toBeTruthy();
  });

  it("renders replies to buttons, templates, media captions, locations and reactions readably", () => {
    list(
      <>
        <MessageBubble message={message({ type: "interactive", payload: { type: "interactive", interactive: { type: "button_reply", button_reply: { id: "yes", title: "Yes please" } } } })} />
        <MessageBubble message={message({ direction: "out", status: "sent", type: "template", payload: { type: "template", template: { name: "order_shipped", language: { code: "en_US" } } } })} />
        <MessageBubble message={message({ type: "image", payload: { type: "image", image: { id: "m1", caption: "The broken box" } } })} />
        <MessageBubble message={message({ type: "location", payload: { type: "location", location: { latitude: 1.5, longitude: 2.5, name: "Home" } } })} />
        <MessageBubble message={message({ type: "reaction", payload: { type: "reaction", reaction: { message_id: "wamid.x", emoji: "👍" } } })} />
        <MessageBubble
          message={message({
            direction: "out",
            status: "sent",
            type: "interactive",
            payload: { type: "interactive", interactive: { type: "button", body: { text: "Pick one" }, action: { buttons: [{ type: "reply", reply: { id: "a", title: "Alpha" } }] } } },
          })}
        />
      </>,
    );
    expect(screen.getByText("Yes please")).toBeTruthy();
    expect(screen.getByText("order_shipped")).toBeTruthy();
    expect(screen.getByText("The broken box")).toBeTruthy();
    // The customer's photo comes from our API; if it can't be shown, the chip says what it was.
    const photo = screen.getByRole("img", { name: "The broken box" });
    expect(photo.getAttribute("src")).toMatch(/^\/api\/messages\/[0-9a-f-]+\/media\/$/);
    fireEvent.error(photo);
    expect(screen.getByText("Photo")).toBeTruthy();
    expect(screen.getByText(/Home/)).toBeTruthy();
    expect(screen.getByText("Reacted 👍")).toBeTruthy();
    expect(within(screen.getByRole("list", { name: "Buttons" })).getByText("Alpha")).toBeTruthy();
  });
});

describe("ThreadView", () => {
  it("separates days and says when the window is closed", () => {
    renderWithQuery(
      <ThreadView
        conversation={conversation({ window_open: false, window_expires_at: "2026-11-27T08:00:00Z" })}
        messages={[message({ created_at: "2026-11-20T10:00:00Z" }), message({ created_at: "2026-11-20T10:05:00Z" }), message({ created_at: new Date(NOW).toISOString() })]}
        loading={false}
        error={null}
        hasOlder
        loadingOlder={false}
        onLoadOlder={() => undefined}
        members={[]}
        me={1}
        assignsAnyone={capabilitiesOf("agent").see_all_conversations}
        now={NOW}
        onUpdate={async () => undefined}
        onSent={() => undefined}
        onWindowClosed={() => undefined}
        onShowDetails={() => undefined}
        onBack={() => undefined}
      />,
    );
    const messages = screen.getByRole("list", { name: "Messages" });
    // Two days, so two separators among the three messages.
    expect(within(messages).getAllByRole("listitem")).toHaveLength(5);
    expect(screen.getByTestId("window-state").textContent).toBe("Window closed — only templates");
    expect(screen.getByRole("button", { name: "Load older messages" })).toBeTruthy();
    // An agent takes an unassigned conversation rather than picking from the team.
    expect(screen.getByRole("button", { name: "Assign to me" })).toBeTruthy();
  });
});

describe("ThreadView header", () => {
  it("lets a manager assign anyone and change the status", async () => {
    const onUpdate = vi.fn(async () => undefined);
    const member = { id: 5, user_id: 12, email: "agnes@acme.test", first_name: "Agnes", last_name: "Agent", role: "agent" } as Member;
    renderWithQuery(
      <ThreadView
        conversation={conversation()}
        messages={[]}
        loading={false}
        error={null}
        hasOlder={false}
        loadingOlder={false}
        onLoadOlder={() => undefined}
        members={[member]}
        me={1}
        assignsAnyone={capabilitiesOf("admin").see_all_conversations}
        now={NOW}
        onUpdate={onUpdate}
        onSent={() => undefined}
        onWindowClosed={() => undefined}
        onShowDetails={() => undefined}
        onBack={() => undefined}
      />,
    );
    const user = userEvent.setup();
    expect(screen.getByTestId("window-state").textContent).toBe("Window open · closes in 23 h");
    // Assignees are users: the member's user id goes to the API.
    await user.selectOptions(screen.getByRole("combobox", { name: "Assignee" }), "Agnes Agent");
    expect(onUpdate).toHaveBeenLastCalledWith({ assignee_id: 12 });
    await user.selectOptions(screen.getByRole("combobox", { name: "Status" }), "Pending");
    expect(onUpdate).toHaveBeenLastCalledWith({ status: "pending" });
  });
});
