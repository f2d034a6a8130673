// @vitest-environment node
import { describe, expect, it } from "vitest";

import nextConfig, { securityHeaders } from "../../../next.config";

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

  it("lets only our own pages use the microphone (calls), and nothing else a page could ask for", async () => {
    const rules = (await nextConfig.headers?.()) ?? [];
    const policy = rules.find((rule) => rule.source === "/:path*")?.headers.find((h) => h.key === "Permissions-Policy");
    expect(policy?.value).toContain("microphone=(self)");
    expect(policy?.value).toContain("camera=()");
  });

  it("sends HSTS for every subdomain over https, and not over plain http (dev)", () => {
    const hsts = { key: "Strict-Transport-Security", value: "max-age=31536000; includeSubDomains" };
    expect(securityHeaders("https")).toContainEqual(hsts);
    expect(securityHeaders("http")).not.toContainEqual(hsts);
  });
});
