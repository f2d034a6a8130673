import { describe, expect, it } from "vitest";

import { buildMessage, buildSendBody, checkRecipient, normalizePhone } from "./build";
import { initialComposerState, type ComposerState } from "./model";

/** The initial form with some slices replaced. */
function form(patch: Partial<ComposerState>): ComposerState {
  return { ...initialComposerState(), ...patch };
}

const base = initialComposerState();
const message = (patch: Partial<ComposerState>) => buildMessage(form(patch)).message;

describe("buildMessage: basic types", () => {
  it("text keeps line breaks and asks for a link preview only when ticked", () => {
    expect(message({ kind: "text", text: { body: "Hi\nthere https://x.test", previewUrl: true } })).toEqual({
      type: "text",
      text: { body: "Hi\nthere https://x.test", preview_url: true },
    });
    expect(message({ kind: "text", text: { body: "Hi", previewUrl: false } })).toEqual({ type: "text", text: { body: "Hi" } });
  });

  it("image by link with a caption", () => {
    const media = { ...base.media, link: " https://cdn.test/a.jpg ", caption: "Our menu" };
    expect(message({ kind: "image", media })).toEqual({ type: "image", image: { link: "https://cdn.test/a.jpg", caption: "Our menu" } });
  });

  it("video by media id, a blank caption left out", () => {
    const media = { ...base.media, source: "id" as const, id: "1013859600285441", link: "https://ignored.test", caption: "  " };
    expect(message({ kind: "video", media })).toEqual({ type: "video", video: { id: "1013859600285441" } });
  });

  it("audio as a voice note, with no caption even if one was typed for another type", () => {
    const media = { ...base.media, link: "https://cdn.test/a.ogg", caption: "not for audio", voice: true };
    expect(message({ kind: "audio", media })).toEqual({ type: "audio", audio: { link: "https://cdn.test/a.ogg", voice: true } });
  });

  it("document with caption and file name", () => {
    const media = { ...base.media, link: "https://cdn.test/i.pdf", caption: "Invoice", filename: "invoice-1042.pdf" };
    expect(message({ kind: "document", media })).toEqual({
      type: "document",
      document: { link: "https://cdn.test/i.pdf", caption: "Invoice", filename: "invoice-1042.pdf" },
    });
  });

  it("sticker takes neither caption nor file name", () => {
    const media = { ...base.media, source: "id" as const, id: "798882015472548", caption: "x", filename: "y.webp" };
    expect(message({ kind: "sticker", media })).toEqual({ type: "sticker", sticker: { id: "798882015472548" } });
  });

  it("location sends numbers, and name/address only when given", () => {
    expect(message({ kind: "location", location: { latitude: "37.4847", longitude: "-122.1485", name: "Philz", address: "" } })).toEqual({
      type: "location",
      location: { latitude: 37.4847, longitude: -122.1485, name: "Philz" },
    });
    // Not a number: sent as typed, so the server names the field.
    expect(message({ kind: "location", location: { latitude: "north", longitude: "1", name: "", address: "" } })).toEqual({
      type: "location",
      location: { latitude: "north", longitude: 1 },
    });
  });

  it("contacts: one card in Meta's shape", () => {
    const contact = {
      formattedName: "Ana Souza",
      firstName: "Ana",
      lastName: "Souza",
      phone: "+55 11 95555 0123",
      phoneType: "CELL",
      waId: "5511955550123",
      email: "ana@example.com",
      company: "Padaria Ana",
    };
    expect(message({ kind: "contacts", contact })).toEqual({
      type: "contacts",
      contacts: [
        {
          name: { formatted_name: "Ana Souza", first_name: "Ana", last_name: "Souza" },
          phones: [{ phone: "+55 11 95555 0123", type: "CELL", wa_id: "5511955550123" }],
          emails: [{ email: "ana@example.com" }],
          org: { company: "Padaria Ana" },
        },
      ],
    });
    expect(message({ kind: "contacts", contact: { ...base.contact, formattedName: "Ben" } })).toEqual({
      type: "contacts",
      contacts: [{ name: { formatted_name: "Ben" } }],
    });
  });

  it("reaction, never as a reply", () => {
    expect(message({ kind: "reaction", replyTo: "wamid.Q", reaction: { messageId: " wamid.ABC ", emoji: "❤️" } })).toEqual({
      type: "reaction",
      reaction: { message_id: "wamid.ABC", emoji: "❤️" },
    });
    expect(message({ kind: "reaction", reaction: { messageId: "wamid.ABC", emoji: "" } })).toEqual({
      type: "reaction",
      reaction: { message_id: "wamid.ABC", emoji: "" },
    });
  });

  it("a reply quotes the message on any other type", () => {
    expect(message({ kind: "text", replyTo: " wamid.Q ", text: { body: "Yes", previewUrl: false } })).toEqual({
      type: "text",
      text: { body: "Yes" },
      context: { message_id: "wamid.Q" },
    });
    expect(message({ kind: "location_request", replyTo: "wamid.Q", interactive: { ...base.interactive, body: "Where?" } }).context).toEqual({
      message_id: "wamid.Q",
    });
  });
});

describe("buildMessage: templates", () => {
  const template = base.template;

  it("without parameters has no components at all", () => {
    expect(message({ kind: "template", template: { ...template, name: "hello_world", language: "en_US" } })).toEqual({
      type: "template",
      template: { name: "hello_world", language: { code: "en_US" } },
    });
  });

  it("positional: media header, body parameters, and every button kind", () => {
    const built = message({
      kind: "template",
      template: {
        ...template,
        name: "order_confirmation",
        language: "en",
        previewText: "Hi {{1}}",
        header: { ...template.header, type: "document", link: "https://cdn.test/r.pdf", filename: "receipt.pdf" },
        body: [
          { name: "ignored", value: "Ana" },
          { name: "", value: "#1042" },
        ],
        buttons: [
          { subType: "quick_reply", index: "0", value: "STOP" },
          { subType: "url", index: "1", value: "1042" },
          { subType: "copy_code", index: "2", value: "FALL25" },
        ],
      },
    });
    expect(built).toEqual({
      type: "template",
      template: {
        name: "order_confirmation",
        language: { code: "en" },
        components: [
          { type: "header", parameters: [{ type: "document", document: { link: "https://cdn.test/r.pdf", filename: "receipt.pdf" } }] },
          {
            type: "body",
            parameters: [
              { type: "text", text: "Ana" },
              { type: "text", text: "#1042" },
            ],
          },
          { type: "button", sub_type: "quick_reply", index: "0", parameters: [{ type: "payload", payload: "STOP" }] },
          { type: "button", sub_type: "url", index: "1", parameters: [{ type: "text", text: "1042" }] },
          { type: "button", sub_type: "copy_code", index: "2", parameters: [{ type: "coupon_code", coupon_code: "FALL25" }] },
        ],
      },
    });
  });

  it("named: every parameter carries its name, the header's too", () => {
    const built = message({
      kind: "template",
      template: {
        ...template,
        name: "order_shipped",
        paramMode: "named",
        header: { ...template.header, type: "text", paramName: "order_id", text: "1042" },
        body: [{ name: "first_name", value: "Jessica" }],
      },
    });
    expect(built.template).toEqual({
      name: "order_shipped",
      language: { code: "en_US" },
      components: [
        { type: "header", parameters: [{ type: "text", parameter_name: "order_id", text: "1042" }] },
        { type: "body", parameters: [{ type: "text", parameter_name: "first_name", text: "Jessica" }] },
      ],
    });
  });

  it("image by id and location headers", () => {
    const image = message({ kind: "template", template: { ...template, name: "promo", header: { ...template.header, type: "image", source: "id", id: "4490" } } });
    expect(image.template).toMatchObject({ components: [{ type: "header", parameters: [{ type: "image", image: { id: "4490" } }] }] });
    const location = message({
      kind: "template",
      template: {
        ...template,
        name: "order_delivery_update",
        header: { ...template.header, type: "location", location: { latitude: "-23.5", longitude: "-46.6", name: "Depot", address: "" } },
      },
    });
    expect(location.template).toMatchObject({
      components: [{ type: "header", parameters: [{ type: "location", location: { latitude: -23.5, longitude: -46.6, name: "Depot" } }] }],
    });
  });

  it("maps component paths to inputs whatever the header makes the indexes", () => {
    const withHeader = buildMessage(
      form({ kind: "template", template: { ...template, header: { ...template.header, type: "text" }, body: [{ name: "", value: "" }], buttons: [{ subType: "url", index: "0", value: "" }] } }),
    );
    expect(withHeader.fields["template.components[0].parameters[0].text"]).toBe("template.header.text");
    expect(withHeader.fields["template.components[1].parameters[0].text"]).toBe("template.body[0].value");
    expect(withHeader.fields["template.components[2].parameters[0].text"]).toBe("template.buttons[0].value");
    const noHeader = buildMessage(form({ kind: "template", template: { ...template, body: [{ name: "", value: "" }] } }));
    expect(noHeader.fields["template.components[0].parameters[0].text"]).toBe("template.body[0].value");
  });
});

describe("buildMessage: interactive", () => {
  const interactive = { header: { ...base.interactive.header }, body: "Pick one", footer: "" };

  it("reply buttons with a text header and a footer", () => {
    expect(
      message({
        kind: "button",
        interactive: { header: { ...interactive.header, type: "text", text: "Order #1042" }, body: "Is this right?", footer: "Reply below" },
        buttons: [
          { id: "yes", title: "Yes" },
          { id: "no", title: "No" },
          { id: "agent", title: "Talk to us" },
        ],
      }),
    ).toEqual({
      type: "interactive",
      interactive: {
        type: "button",
        header: { type: "text", text: "Order #1042" },
        body: { text: "Is this right?" },
        footer: { text: "Reply below" },
        action: {
          buttons: [
            { type: "reply", reply: { id: "yes", title: "Yes" } },
            { type: "reply", reply: { id: "no", title: "No" } },
            { type: "reply", reply: { id: "agent", title: "Talk to us" } },
          ],
        },
      },
    });
  });

  it("list with sections; a media header is not allowed there and is left out", () => {
    expect(
      message({
        kind: "list",
        interactive: { header: { ...interactive.header, type: "image", link: "https://x.test/a.jpg" }, body: "Our menu", footer: "" },
        list: {
          button: "See menu",
          sections: [
            { title: "Coffee", rows: [{ id: "esp", title: "Espresso", description: "Double shot" }] },
            { title: "Tea", rows: [{ id: "grn", title: "Green tea", description: " " }] },
          ],
        },
      }),
    ).toEqual({
      type: "interactive",
      interactive: {
        type: "list",
        body: { text: "Our menu" },
        action: {
          button: "See menu",
          sections: [
            { title: "Coffee", rows: [{ id: "esp", title: "Espresso", description: "Double shot" }] },
            { title: "Tea", rows: [{ id: "grn", title: "Green tea" }] },
          ],
        },
      },
    });
  });

  it("CTA URL with an image header", () => {
    expect(
      message({
        kind: "cta_url",
        interactive: { header: { ...interactive.header, type: "image", source: "link", link: "https://x.test/b.png" }, body: "Tap to book", footer: "" },
        cta: { displayText: "See dates", url: " https://x.test/book " },
      }),
    ).toEqual({
      type: "interactive",
      interactive: {
        type: "cta_url",
        header: { type: "image", image: { link: "https://x.test/b.png" } },
        body: { text: "Tap to book" },
        action: { name: "cta_url", parameters: { display_text: "See dates", url: "https://x.test/book" } },
      },
    });
  });

  it("location request: body only, no header or footer", () => {
    expect(message({ kind: "location_request", interactive: { ...interactive, body: "Where to?", footer: "dropped" } })).toEqual({
      type: "interactive",
      interactive: { type: "location_request_message", body: { text: "Where to?" }, action: { name: "send_location" } },
    });
  });

  it("media carousel numbers its cards", () => {
    expect(
      message({
        kind: "carousel",
        interactive: { ...interactive, body: "New arrivals" },
        carousel: {
          mediaType: "video",
          cards: [
            { source: "link", link: "https://x.test/1.mp4", id: "", body: "Blue", displayText: "Buy", url: "https://x.test/1" },
            { source: "id", link: "", id: "777", body: "", displayText: "Buy", url: "https://x.test/2" },
          ],
        },
      }),
    ).toEqual({
      type: "interactive",
      interactive: {
        type: "carousel",
        body: { text: "New arrivals" },
        action: {
          cards: [
            {
              card_index: 0,
              type: "cta_url",
              header: { type: "video", video: { link: "https://x.test/1.mp4" } },
              body: { text: "Blue" },
              action: { name: "cta_url", parameters: { display_text: "Buy", url: "https://x.test/1" } },
            },
            {
              card_index: 1,
              type: "cta_url",
              header: { type: "video", video: { id: "777" } },
              action: { name: "cta_url", parameters: { display_text: "Buy", url: "https://x.test/2" } },
            },
          ],
        },
      },
    });
  });

  it("flow, opening a screen with data", () => {
    expect(
      message({
        kind: "flow",
        interactive: { ...interactive, body: "Book a table" },
        flow: { flowId: "1234567890", flowCta: "Book now", flowToken: "tok-1", mode: "draft", screen: "WELCOME", data: '{"name": "Ana"}' },
      }),
    ).toEqual({
      type: "interactive",
      interactive: {
        type: "flow",
        body: { text: "Book a table" },
        action: {
          name: "flow",
          parameters: {
            flow_message_version: "3",
            flow_id: "1234567890",
            flow_cta: "Book now",
            flow_token: "tok-1",
            mode: "draft",
            flow_action: "navigate",
            flow_action_payload: { screen: "WELCOME", data: { name: "Ana" } },
          },
        },
      },
    });
  });

  it("flow without a screen has no payload; bad screen data is a form error, not a field", () => {
    const plain = message({ kind: "flow", interactive: { ...interactive, body: "Hi" }, flow: { ...base.flow, flowId: "1", flowCta: "Open" } });
    expect(plain.interactive).toMatchObject({ action: { name: "flow", parameters: { flow_message_version: "3", flow_id: "1", flow_cta: "Open" } } });
    const bad = buildMessage(form({ kind: "flow", flow: { ...base.flow, flowId: "1", flowCta: "Open", screen: "A", data: "{oops" } }));
    expect(bad.formErrors["flow.data"]).toMatch(/JSON object/);
    expect(bad.message.interactive).toMatchObject({ action: { parameters: { flow_action_payload: { screen: "A" } } } });
  });
});

describe("the request", () => {
  it("normalises the recipient and adds the sending number", () => {
    expect(buildSendBody({ type: "text", text: { body: "Hi" } }, " +1 (650) 555-0101 ", "100000000000001")).toEqual({
      to: "+16505550101",
      phone_number_id: "100000000000001",
      type: "text",
      text: { body: "Hi" },
    });
    expect(buildSendBody({ type: "text", text: { body: "Hi" } }, "0044 7700 900123")).toEqual({ to: "+447700900123", type: "text", text: { body: "Hi" } });
  });

  it("checks E.164 lightly", () => {
    expect(normalizePhone("+55 11 95555-0123")).toBe("+5511955550123");
    expect(checkRecipient("+16505550101")).toBeUndefined();
    expect(checkRecipient("")).toMatch(/Enter/);
    expect(checkRecipient("6505550101")).toMatch(/country code/);
    expect(checkRecipient("+1 650")).toMatch(/7 to 15 digits/);
    expect(checkRecipient("+0123456789")).toMatch(/international format/);
  });
});
