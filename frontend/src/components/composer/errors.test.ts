import { describe, expect, it } from "vitest";

import { buildMessage, REQUEST_FIELDS } from "./build";
import { checkMessage } from "./checks";
import { mapFieldErrors, mergeErrors, parentPaths, sentence } from "./errors";
import { emptyButton, initialComposerState, type ComposerState } from "./model";

const base = initialComposerState();
const fieldsOf = (patch: Partial<ComposerState>) => ({ ...buildMessage({ ...base, ...patch }).fields, ...REQUEST_FIELDS });

describe("parentPaths / sentence", () => {
  it("walks up dots and brackets", () => {
    expect(parentPaths("interactive.action.buttons[1].reply.title")).toEqual([
      "interactive.action.buttons[1].reply.title",
      "interactive.action.buttons[1].reply",
      "interactive.action.buttons[1]",
      "interactive.action.buttons",
      "interactive.action",
      "interactive",
    ]);
  });

  it("makes the server's fragments read as sentences", () => {
    expect(sentence("is 21 characters; at most 20 allowed")).toBe("Is 21 characters; at most 20 allowed.");
    expect(sentence("Required.")).toBe("Required.");
  });
});

describe("mapFieldErrors", () => {
  const buttons = fieldsOf({ kind: "button", buttons: [emptyButton(1), emptyButton(2), emptyButton(3)] });

  it("puts a button's title error on that button's title input", () => {
    const mapped = mapFieldErrors({ "interactive.action.buttons[1].reply.title": ["is 21 characters; at most 20 allowed"] }, buttons);
    expect(mapped).toEqual({ byField: { "buttons[1].title": ["Is 21 characters; at most 20 allowed."] }, general: [] });
  });

  it("sends an error about an item the form doesn't have to its list", () => {
    const mapped = mapFieldErrors({ "interactive.action.buttons[3]": ["at most 3 items allowed"] }, buttons);
    expect(mapped.byField).toEqual({ buttons: ["At most 3 items allowed."] });
  });

  it("keeps the tail of a path deeper than the input", () => {
    const fields = fieldsOf({ kind: "template", template: { ...base.template, header: { ...base.template.header, type: "image" } } });
    const mapped = mapFieldErrors({ "template.components[0].parameters[0].image.caption": ["a caption is not allowed in a header"] }, fields);
    expect(mapped.byField).toEqual({ "template.header": ["caption: a caption is not allowed in a header"] });
  });

  it("maps the body parameters of a template after its header", () => {
    const fields = fieldsOf({
      kind: "template",
      template: { ...base.template, header: { ...base.template.header, type: "text" }, body: [{ name: "", value: "a" }, { name: "", value: "b\nc" }] },
    });
    const mapped = mapFieldErrors({ "template.components[1].parameters[1].text": ["must not contain new lines"] }, fields);
    expect(mapped.byField).toEqual({ "template.body[1].value": ["Must not contain new lines."] });
  });

  it("maps the request's own fields, interactive body text and reply context", () => {
    const fields = fieldsOf({ kind: "list", replyTo: "wamid.X" });
    const mapped = mapFieldErrors(
      {
        to: ["Use international format, e.g. +14155550123."],
        phone_number_id: ["Required when the business has several numbers."],
        "interactive.body.text": ["must not be empty"],
        "interactive.action.sections[0].rows[0].title": ["is 25 characters; at most 24 allowed"],
        "context.message_id": ["must not be empty"],
      },
      fields,
    );
    expect(mapped.byField).toEqual({
      to: ["Use international format, e.g. +14155550123."],
      phone_number_id: ["Required when the business has several numbers."],
      "interactive.body": ["Must not be empty."],
      "list.sections[0].rows[0].title": ["Is 25 characters; at most 24 allowed."],
      "context.message_id": ["Must not be empty."],
    });
    expect(mapped.general).toEqual([]);
  });

  it("shows what no input owns above the form, with its path", () => {
    const mapped = mapFieldErrors({ "video.caption": ["unknown field"], non_field_errors: ["try again"] }, fieldsOf({ kind: "text" }));
    expect(mapped.byField).toEqual({});
    expect(mapped.general).toEqual(["video.caption: unknown field", "Try again."]);
  });

  it("merges client and server errors without repeating a message", () => {
    expect(mergeErrors({ a: ["x"] }, { a: ["x", "y"], b: ["z"] })).toEqual({ a: ["x", "y"], b: ["z"] });
  });
});

describe("checkMessage (the limits mirrored in the browser)", () => {
  const interactive = (value: Record<string, unknown>) => ({ type: "interactive", interactive: value });

  it("at most 3 reply buttons, titles of 20 characters, no duplicates", () => {
    const button = (id: string, title: string) => ({ type: "reply", reply: { id, title } });
    const errors = checkMessage(
      interactive({
        type: "button",
        body: { text: "Pick" },
        action: { buttons: [button("a", "A"), button("b", "x".repeat(21)), button("a", "C"), button("d", "D")] },
      }),
    );
    expect(errors["interactive.action.buttons"]).toEqual(["At most 3 buttons."]);
    expect(errors["interactive.action.buttons[1].reply.title"]).toEqual(["21 characters; at most 20 allowed."]);
    expect(errors["interactive.action.buttons[2].reply.id"]).toEqual(["Duplicate button id."]);
  });

  it("at most 10 rows across a list's sections, and titles on every section when there are several", () => {
    const rows = (n: number, from: number) => Array.from({ length: n }, (_, i) => ({ id: `r${from + i}`, title: `Row ${from + i}` }));
    const errors = checkMessage(
      interactive({ type: "list", body: { text: "Menu" }, action: { button: "Open", sections: [{ title: "A", rows: rows(6, 0) }, { rows: rows(5, 6) }] } }),
    );
    expect(errors["interactive.action.sections[1].rows[4]"]).toEqual(["At most 10 rows across all sections."]);
    expect(errors["interactive.action.sections[1].title"]).toEqual(["Required."]);
  });

  it("2 to 10 carousel cards; body lengths; required text", () => {
    expect(checkMessage(interactive({ type: "carousel", body: { text: "x" }, action: { cards: [] } }))["interactive.action.cards"]).toEqual([
      "Add at least 2 cards.",
    ]);
    expect(checkMessage({ type: "text", text: { body: "x".repeat(4097) } })).toEqual({ "text.body": ["4097 characters; at most 4096 allowed."] });
    expect(checkMessage({ type: "text", text: { body: "  " } })).toEqual({ "text.body": ["Required."] });
    expect(checkMessage({ type: "image", image: { link: "ftp://x" } })).toEqual({ "image.link": ["Must be an http(s) URL."] });
  });

  it("counts emoji as one character each, like Meta", () => {
    const title = "👍".repeat(20);
    const errors = checkMessage(interactive({ type: "button", body: { text: "b" }, action: { buttons: [{ type: "reply", reply: { id: "a", title } }] } }));
    expect(errors).toEqual({});
  });

  it("finds nothing wrong with a built message that is filled in", () => {
    const built = buildMessage({ ...base, kind: "text", text: { body: "Hello", previewUrl: false } });
    expect(checkMessage(built.message)).toEqual({});
  });
});
