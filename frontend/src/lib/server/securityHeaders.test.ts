// @vitest-environment node
import { describe, expect, it } from "vitest";

import nextConfig from "../../../next.config";

describe("next.config headers", () => {
  it("forbids framing of every page by any site", async () => {
    const rules = (await nextConfig.headers?.()) ?? [];
    const everyPage = rules.find((rule) => rule.source === "/:path*");

    expect(everyPage?.headers).toEqual(
      expect.arrayContaining([
        { key: "Content-Security-Policy", value: "frame-ancestors 'none'" },
        { key: "X-Frame-Options", value: "DENY" },
      ]),
    );
  });
});
