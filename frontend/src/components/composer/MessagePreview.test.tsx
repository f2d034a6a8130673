import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";

import { fillTemplate, MessagePreview } from "./MessagePreview";

describe("MessagePreview", () => {
  it("renders text with its line breaks, and the quoted message of a reply", () => {
    render(<MessagePreview message={{ type: "text", text: { body: "Line one\nLine two" }, context: { message_id: "wamid.QUOTED" } }} />);
    const bubble = screen.getByTestId("preview-bubble");
    const body = within(bubble).getByText((_, el) => el?.tagName === "P" && el.textContent === "Line one\nLine two");
    expect(body.className).toContain("whitespace-pre-wrap");
    expect(within(screen.getByTestId("preview-quote")).getByText("wamid.QUOTED")).toBeDefined();
  });

  it("shows a media placeholder with its caption, without loading the link", () => {
    const { container } = render(<MessagePreview message={{ type: "image", image: { link: "https://cdn.test/menu.jpg", caption: "Today's menu" } }} />);
    expect(within(screen.getByTestId("preview-media")).getByText("cdn.test")).toBeDefined();
    expect(screen.getByText("Today's menu")).toBeDefined();
    expect(container.querySelector("img")).toBeNull();
  });

  it("puts reply buttons under the bubble", () => {
    render(
      <MessagePreview
        message={{
          type: "interactive",
          interactive: {
            type: "button",
            body: { text: "Confirm?" },
            action: { buttons: ["Yes", "No", "Later"].map((title, i) => ({ type: "reply", reply: { id: String(i), title } })) },
          },
        }}
      />,
    );
    const buttons = screen.getByTestId("preview-buttons");
    expect(within(buttons).getByText("Yes")).toBeDefined();
    expect(within(buttons).getByText("Later")).toBeDefined();
    expect(within(screen.getByTestId("preview-bubble")).queryByText("Yes")).toBeNull();
  });

  it("opens a list's sheet from its button", async () => {
    const user = userEvent.setup();
    render(
      <MessagePreview
        message={{
          type: "interactive",
          interactive: {
            type: "list",
            body: { text: "Our menu" },
            action: { button: "See menu", sections: [{ title: "Coffee", rows: [{ id: "e", title: "Espresso", description: "Double shot" }] }] },
          },
        }}
      />,
    );
    expect(screen.queryByRole("dialog")).toBeNull();
    await user.click(screen.getByRole("button", { name: /See menu/ }));
    const sheet = screen.getByRole("dialog", { name: "See menu" });
    expect(within(sheet).getByText("Coffee")).toBeDefined();
    expect(within(sheet).getByText("Double shot")).toBeDefined();
    await user.click(within(sheet).getByRole("button", { name: "Close list" }));
    expect(screen.queryByRole("dialog")).toBeNull();
  });

  it("lays carousel cards side by side", () => {
    const card = (i: number) => ({
      card_index: i,
      type: "cta_url",
      header: { type: "image", image: { link: `https://x.test/${i}.jpg` } },
      body: { text: `Card ${i}` },
      action: { name: "cta_url", parameters: { display_text: `Buy ${i}`, url: "https://x.test" } },
    });
    render(<MessagePreview message={{ type: "interactive", interactive: { type: "carousel", body: { text: "New" }, action: { cards: [0, 1, 2].map(card) } } }} />);
    const strip = screen.getByTestId("preview-carousel");
    expect(strip.className).toContain("overflow-x-auto");
    expect(within(strip).getAllByTestId("preview-card")).toHaveLength(3);
    expect(within(strip).getByText("Buy 2")).toBeDefined();
  });

  it("renders a template as its text with the parameters put in", () => {
    render(
      <MessagePreview
        templateText="Hi {{1}}, order {{2}} ships {{3}}."
        message={{
          type: "template",
          template: {
            name: "order_shipped",
            language: { code: "en_US" },
            components: [
              { type: "body", parameters: [{ type: "text", text: "Ana" }, { type: "text", text: "#1042" }] },
              { type: "button", sub_type: "quick_reply", index: "0", parameters: [{ type: "payload", payload: "STOP" }] },
            ],
          },
        }}
      />,
    );
    expect(screen.getByText("Hi Ana, order #1042 ships {{3}}.")).toBeDefined();
    expect(within(screen.getByTestId("preview-buttons")).getByText("Quick reply · STOP")).toBeDefined();
  });

  it("applies WhatsApp's bold, italic, strike-through and monospace marks", () => {
    render(<MessagePreview message={{ type: "text", text: { body: "*Big* _news_ ~old~ ```code``` 2*3" } }} />);
    expect(screen.getByText("Big").tagName).toBe("STRONG");
    expect(screen.getByText("news").tagName).toBe("EM");
    expect(screen.getByText("old").tagName).toBe("S");
    expect(screen.getByText("code").tagName).toBe("CODE");
  });

  it("fills named parameters too", () => {
    expect(fillTemplate("Hi {{first_name}}!", [{ type: "text", parameter_name: "first_name", text: "Jo" }])).toBe("Hi Jo!");
  });

  it("shows a location card and a contact card", () => {
    const { rerender } = render(<MessagePreview message={{ type: "location", location: { latitude: 1.5, longitude: 2, name: "Depot" } }} />);
    expect(within(screen.getByTestId("preview-location")).getByText("Depot")).toBeDefined();
    rerender(<MessagePreview message={{ type: "contacts", contacts: [{ name: { formatted_name: "Ana Souza" }, phones: [{ phone: "+55 11" }] }] }} />);
    expect(within(screen.getByTestId("preview-contact")).getByText("Ana Souza")).toBeDefined();
    expect(screen.getByText("AS")).toBeDefined();
  });
});
