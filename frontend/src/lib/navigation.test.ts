import { describe, expect, it } from "vitest";

import { safeNextPath } from "./navigation";

describe("safeNextPath", () => {
  it("accepts paths on this site", () => {
    expect(safeNextPath("/settings#team")).toBe("/settings#team");
  });

  it.each([null, undefined, "", "https://evil.example", "//evil.example", "/\\evil.example", "settings"])(
    "falls back for %j",
    (next) => {
      expect(safeNextPath(next)).toBe("/dashboard");
    },
  );
});
