import { describe, expect, it } from "vitest";

import { safeNextPath } from "./navigation";

describe("safeNextPath", () => {
  it.each([
    ["/settings#team", "/settings#team"],
    ["/contacts?q=a%20b&page=2", "/contacts?q=a%20b&page=2"],
    ["/inbox/42", "/inbox/42"],
    ["/contacts?next=//evil.example", "/contacts?next=//evil.example"],
  ])("keeps the path %j on this site", (next, expected) => {
    expect(safeNextPath(next)).toBe(expected);
  });

  it.each([
    null,
    undefined,
    "",
    "settings",
    "https://evil.example",
    "HTTPS://evil.example",
    "//evil.example",
    "///evil.example",
    "/\\evil.example",
    "\\\\evil",
    "\\/evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "/\r/evil.example",
    " //evil.example",
    "/%09/evil.example",
    "/%0a/evil.example",
    "/%5Cevil.example",
    "/%2F%2Fevil.example",
    "/%2f/evil.example",
    "/.//evil.example",
    "/%2e%2e//evil.example",
    "/inbox/../..//evil.example",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "/%",
    "data:text/html,<script>alert(1)</script>",
  ])("falls back to the dashboard for %j", (next) => {
    expect(safeNextPath(next)).toBe("/dashboard");
  });
});
