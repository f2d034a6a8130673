import { describe, expect, it } from "vitest";

import { emptyButton, fieldFor, fromTemplate, groupProblems, initialBuilderState, insertVariable, nextPositional, toCreationBody, variablesOf, type BuilderState } from "./model";

function full(): BuilderState {
  const state = initialBuilderState();
  state.name = "order_update";
  state.header = { ...state.header, format: "TEXT", text: "Order {{1}}", examples: { "1": "A-1" } };
  state.body = { text: "Hi {{1}}, {{2}} ships today.", examples: { "1": "Ana", "2": "your parcel" } };
  state.footer = "Thanks";
  state.buttons = [
    { ...emptyButton("QUICK_REPLY"), text: "Stop" },
    { ...emptyButton("URL"), text: "Track", url: "https://shop.test/t/{{1}}", urlExample: "A-1" },
    { ...emptyButton("PHONE_NUMBER"), text: "Call", phone: "+15550051310" },
    { ...emptyButton("COPY_CODE"), code: "SAVE10" },
  ];
  return state;
}

describe("the builder's model", () => {
  it("finds variables in order, once each, and numbers the next one", () => {
    expect(variablesOf("Hi {{1}} and {{ 2 }} and {{1}}")).toEqual(["1", "2"]);
    expect(variablesOf("Hi {{first_name}}")).toEqual(["first_name"]);
    expect(nextPositional(["Hi {{1}}", "{{3}}"])).toBe("4");
    expect(nextPositional([""])).toBe("1");
    expect(insertVariable("Hi !", "1", 3)).toEqual({ text: "Hi {{1}}!", cursor: 8 });
  });

  it("builds Meta's creation body (reference §5.2)", () => {
    const { body, index } = toCreationBody(full());
    expect(index).toEqual({ header: 0, body: 1, footer: 2, buttons: 3 });
    expect(body).toEqual({
      name: "order_update",
      language: "en_US",
      category: "MARKETING",
      parameter_format: "positional",
      components: [
        { type: "HEADER", format: "TEXT", text: "Order {{1}}", example: { header_text: ["A-1"] } },
        { type: "BODY", text: "Hi {{1}}, {{2}} ships today.", example: { body_text: [["Ana", "your parcel"]] } },
        { type: "FOOTER", text: "Thanks" },
        {
          type: "BUTTONS",
          buttons: [
            { type: "QUICK_REPLY", text: "Stop" },
            { type: "URL", text: "Track", url: "https://shop.test/t/{{1}}", example: ["A-1"] },
            { type: "PHONE_NUMBER", text: "Call", phone_number: "+15550051310" },
            { type: "COPY_CODE", example: "SAVE10" },
          ],
        },
      ],
    });
  });

  it("reads server keys back to the builder's fields", () => {
    const state = full();
    const { index } = toCreationBody(state);
    expect(fieldFor("name", state, index)).toBe("name");
    expect(fieldFor("components[0].text", state, index)).toBe("header.text");
    expect(fieldFor("components[0].example.header_text[0]", state, index)).toBe("header.example.1");
    expect(fieldFor("components[1].text", state, index)).toBe("body.text");
    expect(fieldFor("components[1].example.body_text[0][1]", state, index)).toBe("body.example.2");
    expect(fieldFor("components[2].text", state, index)).toBe("footer");
    expect(fieldFor("components[3].buttons[1].url", state, index)).toBe("buttons.1.url");
    expect(fieldFor("components[3].buttons[1].example", state, index)).toBe("buttons.1.example");
    expect(fieldFor("components[3].buttons[2].phone_number", state, index)).toBe("buttons.2.phone");
    expect(fieldFor("components[3].buttons", state, index)).toBe("buttons");
    expect(fieldFor("parameters.body[1]", state, index)).toBe("body.example.2");
    expect(fieldFor("components[9].text", state, index)).toBeNull();
    expect(groupProblems([["components[9].text", "Unknown"], ["components", "Too many"]], state, index).general).toEqual(["components[9].text: Unknown", "Too many"]);
  });

  it("reads a template's components back for editing", () => {
    const { body } = toCreationBody(full());
    const back = fromTemplate({ ...body, components: body.components, parameter_format: "POSITIONAL" });
    expect(toCreationBody(back).body).toEqual(body);
  });
});
