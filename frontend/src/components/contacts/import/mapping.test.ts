import { describe, expect, it } from "vitest";

import type { ImportTarget } from "@/lib/api/types";
import { delimiterName, initialMapping, validateMapping } from "./mapping";

const TARGETS: ImportTarget[] = [
  { value: "phone", label: "Phone", kind: "field" },
  { value: "wa_user_id", label: "WhatsApp user id", kind: "field" },
  { value: "name", label: "Name", kind: "field" },
  { value: "first_name", label: "First name", kind: "field" },
  { value: "last_name", label: "Last name", kind: "field" },
  { value: "email", label: "Email", kind: "field" },
  { value: "language", label: "Language", kind: "field" },
  { value: "tags", label: "Tags", kind: "field" },
  { value: "city", label: "City", kind: "attribute" },
  { value: "ignore", label: "Don't import", kind: "ignore" },
];

describe("initialMapping", () => {
  it("takes the server's suggestion and ignores columns it has none for", () => {
    expect(
      initialMapping({ headers: ["Mobile", "Full name", "Notes"], suggested_mapping: { Mobile: "phone", "Full name": "name" } }),
    ).toEqual({ Mobile: "phone", "Full name": "name", Notes: "ignore" });
  });
});

describe("validateMapping", () => {
  it("accepts a mapping with a phone column", () => {
    expect(validateMapping({ Mobile: "phone", Name: "name", City: "city", Notes: "ignore" }, TARGETS)).toEqual({
      valid: true,
      general: [],
      columns: {},
    });
  });

  it("accepts a WhatsApp user id instead of a phone", () => {
    expect(validateMapping({ BSUID: "wa_user_id", Name: "name" }, TARGETS).valid).toBe(true);
  });

  it("needs a phone or a WhatsApp user id", () => {
    const check = validateMapping({ Name: "name", Email: "email", Mobile: "ignore" }, TARGETS);
    expect(check.valid).toBe(false);
    expect(check.general).toEqual(["Map a column to Phone or WhatsApp user id: every contact needs one of them."]);
  });

  it("points at the second column mapped to the same field", () => {
    const check = validateMapping({ Mobile: "phone", "Alt phone": "phone", City: "city", Town: "city" }, TARGETS);
    expect(check.valid).toBe(false);
    expect(check.general).toEqual([]);
    expect(check.columns).toEqual({
      "Alt phone": "Phone is already imported from “Mobile”. Pick one column for it.",
      Town: "City is already imported from “City”. Pick one column for it.",
    });
  });

  it("lets several columns feed the tags and several be ignored", () => {
    expect(validateMapping({ Phone: "phone", Tag1: "tags", Tag2: "tags", A: "ignore", B: "ignore" }, TARGETS).valid).toBe(true);
  });

  it("accepts first and last name columns next to each other", () => {
    expect(validateMapping({ Phone: "phone", First: "first_name", Last: "last_name" }, TARGETS).valid).toBe(true);
  });

  it("flags a target that isn't offered (e.g. an attribute deleted meanwhile)", () => {
    const check = validateMapping({ Phone: "phone", Shoe: "shoe_size" }, TARGETS);
    expect(check.valid).toBe(false);
    expect(check.columns).toEqual({ Shoe: "Choose what this column is." });
  });
});

describe("delimiterName", () => {
  it("names the separators the backend detects", () => {
    expect([",", ";", "\t", "|"].map(delimiterName)).toEqual(["comma", "semicolon", "tab", "“|”"]);
  });
});
