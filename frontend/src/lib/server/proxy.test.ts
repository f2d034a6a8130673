// @vitest-environment node
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { MAX_BODY_BYTES, proxyToBackend, readBodyCapped } from "./proxy";

vi.mock("server-only", () => ({}));

const fetchMock = vi.fn<typeof fetch>();

beforeEach(() => {
  fetchMock.mockReset();
  fetchMock.mockResolvedValue(new Response("{}", { status: 200, headers: { "content-type": "application/json" } }));
  vi.stubGlobal("fetch", fetchMock);
});

afterEach(() => {
  vi.unstubAllGlobals();
  vi.unstubAllEnvs();
});

function sentHeaders(): Headers {
  const init = fetchMock.mock.calls[0]?.[1];
  return new Headers(init?.headers);
}

function streamOf(chunks: number, chunkBytes: number): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      if (sent++ < chunks) controller.enqueue(new Uint8Array(chunkBytes));
      else controller.close();
    },
  });
}

describe("proxyToBackend forwarding headers", () => {
  it("overwrites the client's forwarding headers instead of passing them on", async () => {
    const request = new Request("http://acme.localhost:3000/api/contacts/", {
      headers: {
        host: "acme.localhost:3000",
        "x-forwarded-for": "6.6.6.6",
        "x-forwarded-proto": "https",
        "x-forwarded-host": "victim.localhost:3000",
        "x-forwarded-port": "443",
        "x-real-ip": "6.6.6.6",
        forwarded: "for=6.6.6.6;proto=https",
      },
    });

    await proxyToBackend(request);

    const headers = sentHeaders();
    // Next's own server keeps a client-sent X-Forwarded-For (`??=`), so a route handler has no
    // trustworthy peer address: Django then counts the proxy's own address, never a spoofed one.
    expect(headers.get("x-forwarded-for")).toBeNull();
    expect(headers.get("x-real-ip")).toBeNull();
    expect(headers.get("forwarded")).toBeNull();
    expect(headers.get("x-forwarded-port")).toBeNull();
    expect(headers.get("x-forwarded-proto")).toBe("http"); // what `next dev`/`next start` serve
    expect(headers.get("x-forwarded-host")).toBe("acme.localhost:3000");
  });

  it("says https only when the site is configured for it", async () => {
    vi.stubEnv("SITE_SCHEME", "https");

    await proxyToBackend(new Request("http://acme.localhost:3000/api/site/", { headers: { host: "acme.localhost:3000" } }));

    expect(sentHeaders().get("x-forwarded-proto")).toBe("https");
  });

  it("passes on what Django's CSRF check reads: Origin, Sec-Fetch-*, cookies and the content type", async () => {
    const request = new Request("http://acme.localhost:3000/api/team/invites/", {
      method: "POST",
      headers: {
        host: "acme.localhost:3000",
        origin: "http://acme.localhost:3000",
        "sec-fetch-site": "same-origin",
        "sec-fetch-mode": "cors",
        cookie: "cn-access=a; cn-refresh=r",
        "content-type": "application/json",
      },
      body: JSON.stringify({ email: "x@acme.example" }),
    });

    await proxyToBackend(request);

    const headers = sentHeaders();
    expect(headers.get("origin")).toBe("http://acme.localhost:3000");
    expect(headers.get("sec-fetch-site")).toBe("same-origin");
    expect(headers.get("sec-fetch-mode")).toBe("cors");
    expect(headers.get("cookie")).toBe("cn-access=a; cn-refresh=r");
    expect(headers.get("content-type")).toBe("application/json");
    expect(headers.get("content-length")).toBe(String(JSON.stringify({ email: "x@acme.example" }).length));
  });
});

describe("proxyToBackend body size", () => {
  it("allows a contact import of the largest size Django accepts", () => {
    expect(MAX_BODY_BYTES).toBeGreaterThan(100 * 1024 * 1024);
    expect(MAX_BODY_BYTES).toBeLessThanOrEqual(110 * 1024 * 1024);
  });

  it("answers 413 in the error envelope when Content-Length is over the cap, without calling Django", async () => {
    const request = new Request("http://acme.localhost:3000/api/contacts/imports/", {
      method: "POST",
      headers: { host: "acme.localhost:3000", "content-length": String(MAX_BODY_BYTES + 1) },
      body: "x",
    });

    const response = await proxyToBackend(request);

    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({ code: "request_too_large", message: expect.any(String), errors: {} });
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it("stops reading a body sent without a length as soon as it passes the cap", async () => {
    const body = streamOf(1000, 1024);

    await expect(readBodyCapped(new Request("http://a/", { method: "POST", body, duplex: "half" } as RequestInit), 4096))
      .resolves.toBeNull();
  });

  it("reads a body under the cap whole", async () => {
    const body = await readBodyCapped(
      new Request("http://a/", { method: "POST", body: streamOf(3, 1000), duplex: "half" } as RequestInit),
      4096,
    );

    expect(body?.byteLength).toBe(3000);
  });
});
