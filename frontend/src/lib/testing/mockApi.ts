/**
 * A test double for the network under the API client: it replaces the global `fetch` (and
 * XMLHttpRequest, which uploads use) with a route table, in the style of axios-mock-adapter, so a
 * test states what the backend answers and reads back what was sent.
 *
 *   const api = mockApi();
 *   api.onGet("/api/team/members/").reply(200, { next: null, results: [] });
 *   ...
 *   expect(api.history.get).toHaveLength(1);
 *   api.restore();
 *
 * A route's URL without "?" matches any query; with one, it must match path and query exactly.
 */

export interface MockRequest {
  method: string;
  /** Path and query, as the browser asked for it (e.g. "/api/contacts/?q=ravi"). */
  url: string;
  /** The query as an object, or undefined when there is none. */
  params?: Record<string, string>;
  /** The body: a string (JSON as sent) or the FormData of an upload. */
  data?: string | FormData;
  headers: Record<string, string>;
}

type Reply = [status: number, body?: unknown];
type Handler = (request: MockRequest) => Reply | Promise<Reply>;

interface Route {
  method: string;
  url: string;
  handler: Handler | "network-error";
  once: boolean;
  used: boolean;
}

const METHODS = ["get", "post", "put", "patch", "delete"] as const;
type Method = (typeof METHODS)[number];

export interface RouteBuilder {
  reply(status: number, body?: unknown): MockApi;
  reply(handler: Handler): MockApi;
  replyOnce(status: number, body?: unknown): MockApi;
  replyOnce(handler: Handler): MockApi;
  networkError(): MockApi;
}

export interface MockApi {
  onGet(url: string): RouteBuilder;
  onPost(url: string): RouteBuilder;
  onPut(url: string): RouteBuilder;
  onPatch(url: string): RouteBuilder;
  onDelete(url: string): RouteBuilder;
  history: Record<Method, MockRequest[]>;
  /** Forgets routes and history. */
  reset(): void;
  /** Puts the real fetch and XMLHttpRequest back. */
  restore(): void;
}

function splitUrl(raw: string): { url: string; path: string; params?: Record<string, string> } {
  const parsed = new URL(raw, "http://relative.invalid");
  const params = parsed.search ? Object.fromEntries(parsed.searchParams.entries()) : undefined;
  return { url: parsed.pathname + parsed.search, path: parsed.pathname, params };
}

function responseBody(body: unknown): string | null {
  if (body === undefined || body === null) return null;
  return typeof body === "string" ? body : JSON.stringify(body);
}

export function mockApi(): MockApi {
  const routes: Route[] = [];
  const history = Object.fromEntries(METHODS.map((m) => [m, [] as MockRequest[]])) as Record<Method, MockRequest[]>;

  const find = (method: string, url: string, path: string): Route | undefined =>
    routes.find((route) => route.method === method && !(route.once && route.used) && (route.url.includes("?") ? route.url === url : route.url === path));

  /** The answer to a request, or null for a network error. */
  const answer = async (request: MockRequest, path: string): Promise<Reply | null> => {
    history[request.method.toLowerCase() as Method]?.push(request);
    const route = find(request.method, request.url, path);
    if (!route) return [404, { code: "not_found", message: "Not found.", errors: {} }];
    route.used = true;
    if (route.handler === "network-error") return null;
    return route.handler(request);
  };

  const realFetch = globalThis.fetch;
  const realXhr = globalThis.XMLHttpRequest;

  globalThis.fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = input instanceof Request ? input : new Request(input, init);
    const { url, path, params } = splitUrl(request.url);
    const text = await request.text();
    const headers: Record<string, string> = {};
    request.headers.forEach((value, key) => (headers[key] = value));
    const reply = await answer({ method: request.method, url, params, data: text || undefined, headers }, path);
    if (!reply) throw new TypeError("Failed to fetch");
    const [status, body] = reply;
    const nobody = status === 204 || body === undefined;
    return new Response(nobody ? null : responseBody(body), { status, headers: nobody ? {} : { "Content-Type": "application/json" } });
  }) as typeof fetch;

  class FakeXhr {
    status = 0;
    responseText = "";
    withCredentials = false;
    upload: { onprogress: ((event: ProgressEvent) => void) | null } = { onprogress: null };
    onload: (() => void) | null = null;
    onerror: (() => void) | null = null;
    private method = "GET";
    private target = "";
    private headers: Record<string, string> = {};
    open(method: string, url: string) {
      this.method = method.toUpperCase();
      this.target = url;
    }
    setRequestHeader(name: string, value: string) {
      this.headers[name.toLowerCase()] = value;
    }
    send(body?: FormData | string | null) {
      const { url, path, params } = splitUrl(this.target);
      void answer({ method: this.method, url, params, data: body ?? undefined, headers: this.headers }, path).then((reply) => {
        if (!reply) {
          this.onerror?.();
          return;
        }
        const [status, data] = reply;
        this.upload.onprogress?.({ loaded: 1, total: 1, lengthComputable: true } as ProgressEvent);
        this.status = status;
        this.responseText = responseBody(data) ?? "";
        this.onload?.();
      });
    }
  }
  globalThis.XMLHttpRequest = FakeXhr as unknown as typeof XMLHttpRequest;

  const remove = (match: (route: Route) => boolean) => {
    for (let i = routes.length - 1; i >= 0; i--) if (match(routes[i]!)) routes.splice(i, 1);
  };

  const builder = (method: string, url: string): RouteBuilder => {
    const add = (once: boolean, statusOrHandler: number | Handler, body?: unknown): MockApi => {
      const handler: Handler = typeof statusOrHandler === "function" ? statusOrHandler : () => [statusOrHandler, body];
      // Like axios-mock-adapter, a second standing answer for the same request replaces the first.
      if (!once) remove((route) => !route.once && route.method === method && route.url === url);
      routes.push({ method, url, handler, once, used: false });
      return mock;
    };
    return {
      reply: (statusOrHandler: number | Handler, body?: unknown) => add(false, statusOrHandler, body),
      replyOnce: (statusOrHandler: number | Handler, body?: unknown) => add(true, statusOrHandler, body),
      networkError: () => {
        routes.push({ method, url, handler: "network-error", once: false, used: false });
        return mock;
      },
    } as RouteBuilder;
  };

  const mock: MockApi = {
    onGet: (url) => builder("GET", url),
    onPost: (url) => builder("POST", url),
    onPut: (url) => builder("PUT", url),
    onPatch: (url) => builder("PATCH", url),
    onDelete: (url) => builder("DELETE", url),
    history,
    reset() {
      routes.length = 0;
      for (const method of METHODS) history[method].length = 0;
    },
    restore() {
      globalThis.fetch = realFetch;
      globalThis.XMLHttpRequest = realXhr;
    },
  };
  return mock;
}
