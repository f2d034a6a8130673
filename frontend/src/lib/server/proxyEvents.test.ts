// @vitest-environment node
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { proxyToBackend } from "./proxy";

vi.mock("server-only", () => ({}));

const fetchMock = vi.fn<typeof fetch>();

beforeEach(() => {
  fetchMock.mockReset();
  fetchMock.mockResolvedValue(new Response("retry: 1000\n\n", { headers: { "content-type": "text/event-stream" } }));
  vi.stubGlobal("fetch", fetchMock);
  vi.stubEnv("BACKEND_URL", "http://django:8000");
});

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
  vi.unstubAllEnvs();
});

const get = (path: string) => proxyToBackend(new Request(`http://acme.localhost:3000${path}`));

describe("the live inbox's event stream goes to the events service", () => {
  it("sends /api/inbox/events/ to EVENTS_URL, query kept, and every other path to Django", async () => {
    vi.stubEnv("EVENTS_URL", "http://127.0.0.1:8002/");
    await get("/api/inbox/events/?last_event_id=1-0");
    await get("/api/inbox/settings/");
    expect(fetchMock.mock.calls.map(([url]) => url)).toEqual([
      "http://127.0.0.1:8002/api/inbox/events/?last_event_id=1-0",
      "http://django:8000/api/inbox/settings/",
    ]);
  });

  it("falls back to Django when EVENTS_URL is not set", async () => {
    await get("/api/inbox/events/");
    expect(fetchMock.mock.calls[0]?.[0]).toBe("http://django:8000/api/inbox/events/");
  });

  it("does not cut a stream that outlives the 60 s answer timeout, which still ends API calls", async () => {
    vi.useFakeTimers();
    // AbortSignal.timeout runs on Node's own clock: drive it by the fake one too.
    vi.spyOn(AbortSignal, "timeout").mockImplementation((ms) => {
      const controller = new AbortController();
      setTimeout(() => controller.abort(new DOMException("timeout", "TimeoutError")), ms);
      return controller.signal;
    });
    vi.stubEnv("EVENTS_URL", "http://127.0.0.1:8002");
    await get("/api/inbox/events/");
    await get("/api/contacts/");
    const [stream, api] = fetchMock.mock.calls.map(([, init]) => init?.signal as AbortSignal);
    await vi.advanceTimersByTimeAsync(120_000);
    expect(stream!.aborted).toBe(false);
    expect(api!.aborted).toBe(true);
  });
});
