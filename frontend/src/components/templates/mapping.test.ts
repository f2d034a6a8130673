import { describe, expect, it } from "vitest";

import { readMapping, slotsOf, toParameters, valuesFromPayload, writeMapping } from "./mapping";
import { template } from "./testData";

const IMAGE_TEMPLATE = template({
  components: [
    { type: "HEADER", format: "IMAGE" },
    { type: "BODY", text: "Hi {{1}}, order {{2}}" },
    { type: "BUTTONS", buttons: [{ type: "QUICK_REPLY", text: "Stop" }, { type: "URL", text: "Track", url: "https://t.test/{{1}}" }] },
  ],
  variables: { header: ["image"], body: ["1", "2"], buttons: [{ index: 1, names: ["1"] }], cards: [], limited_time_offer: [] },
});

describe("template variables as slots", () => {
  it("lists header, body and button variables (the backend's, or read from the components)", () => {
    const ids = slotsOf(IMAGE_TEMPLATE).map((s) => s.id);
    expect(ids).toEqual(["header.image", "body.1", "body.2", "button.1.1"]);
    expect(slotsOf({ components: IMAGE_TEMPLATE.components, variables: undefined as never }).map((s) => s.id)).toEqual(["body.1", "body.2", "button.1.1"]);
  });

  it("builds parameters as the renderer reads them: lists or objects, buttons by position", () => {
    const slots = slotsOf(IMAGE_TEMPLATE);
    const values = { "header.image": "https://img.test/a.png", "body.1": "Ana", "body.2": "A-1", "button.1.1": "A-1" };
    expect(toParameters(values, slots, false)).toEqual({
      header: ["https://img.test/a.png"],
      body: ["Ana", "A-1"],
      buttons: [{ index: 1, value: "A-1" }],
    });
    expect(toParameters(values, slots, true).body).toEqual({ "1": "Ana", "2": "A-1" });
  });

  it("reads the values back from a send payload", () => {
    const slots = slotsOf(IMAGE_TEMPLATE);
    const payload = {
      name: "x",
      language: { code: "en_US" },
      components: [
        { type: "header", parameters: [{ type: "image", image: { link: "https://img.test/a.png" } }] },
        { type: "body", parameters: [{ type: "text", text: "Ana" }, { type: "text", text: "A-1" }] },
        { type: "button", sub_type: "url", index: "1", parameters: [{ type: "text", text: "A-1" }] },
      ],
    };
    expect(valuesFromPayload(payload, slots)).toEqual({ "header.image": "https://img.test/a.png", "body.1": "Ana", "body.2": "A-1", "button.1.1": "A-1" });
  });

  it("reads and writes the saved mapping", () => {
    const slots = slotsOf(IMAGE_TEMPLATE);
    const mapping = {
      header: [{ field: "", value: "https://img.test/a.png", fallback: "" }],
      body: [{ field: "first_name", value: "", fallback: "there" }, { field: "attributes.order_id", value: "", fallback: "" }],
      buttons: { "1": [{ field: "attributes.order_id", value: "", fallback: "" }] },
    };
    const sources = readMapping(mapping, slots);
    expect(sources["body.1"]).toEqual({ field: "first_name", value: "", fallback: "there" });
    expect(writeMapping(sources, slots, false)).toEqual(mapping);
    expect(writeMapping(sources, slots, true).body).toEqual({ "1": mapping.body[0], "2": mapping.body[1] });
  });
});
