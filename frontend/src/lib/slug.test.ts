import { describe, expect, it } from "vitest";

import { sanitizeSlugInput, SLUG_MAX, suggestSlug } from "./slug";

describe("suggestSlug", () => {
  it.each([
    ["Acme Ltd", "acme-ltd"],
    ["  Acme   Ltd.  ", "acme-ltd"],
    ["Café Ñandú & Co.", "cafe-nandu-co"],
    ["Bob's Bikes", "bob-s-bikes"],
    ["ACME--2024!!", "acme-2024"],
    ["---", ""],
    ["", ""],
  ])("%j -> %j", (name, slug) => {
    expect(suggestSlug(name)).toBe(slug);
  });

  it("keeps within the maximum length and never ends on a hyphen", () => {
    const slug = suggestSlug(`${"a".repeat(SLUG_MAX - 1)} bcd`);
    expect(slug.length).toBeLessThanOrEqual(SLUG_MAX);
    expect(slug.endsWith("-")).toBe(false);
    expect(slug).toBe("a".repeat(SLUG_MAX - 1));
  });

  it("only produces what the backend accepts", () => {
    for (const name of ["Ω Omega Corp", "日本の会社 Tokyo", "x.y_z/w"]) {
      expect(suggestSlug(name)).toMatch(/^([a-z0-9](?:[a-z0-9-]*[a-z0-9])?)?$/);
      expect(suggestSlug(name)).not.toContain("--");
    }
  });
});

describe("sanitizeSlugInput", () => {
  it("lowercases, turns spaces into hyphens and drops other characters, keeping a trailing hyphen while typing", () => {
    expect(sanitizeSlugInput("My Shop_")).toBe("my-shop");
    expect(sanitizeSlugInput("acme-")).toBe("acme-");
  });
});
