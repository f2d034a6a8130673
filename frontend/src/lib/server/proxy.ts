/**
 * Same-origin proxy from Next.js to Django, used by the /api and /media route handlers.
 *
 * Why not `rewrites` in next.config: they replace the Host, and Django needs the browser's host to
 * know which tenant is asked for. Here the request is passed on as is (method, body, cookies, query,
 * trailing slash) and the answer comes back as is (status, every Set-Cookie, redirects unfollowed).
 */
import "server-only";

import { backendUrl, errorEnvelope, forwardedProto, forwardingHeaders } from "./backend";

const BACKEND_TIMEOUT_MS = 60_000;

// Connection-level headers describe one hop and must not be forwarded (RFC 9110 §7.6.1).
const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "proxy-authenticate",
  "proxy-authorization",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
]);

// Set by us, never taken from the client: X-Forwarded-Host decides the tenant.
const REQUEST_DROP = new Set(["host", "content-length", "expect", "x-forwarded-host", "x-forwarded-proto", "x-forwarded-port"]);

// fetch() has already decoded the body, so the original encoding and length no longer apply.
const RESPONSE_DROP = new Set(["content-encoding", "content-length", "set-cookie"]);

function requestHeaders(request: Request): Headers {
  const headers = new Headers();
  request.headers.forEach((value, key) => {
    if (HOP_BY_HOP.has(key) || REQUEST_DROP.has(key) || key.startsWith("x-middleware-")) return;
    headers.set(key, value);
  });
  const host = request.headers.get("host") ?? new URL(request.url).host;
  for (const [key, value] of Object.entries(forwardingHeaders(host, forwardedProto(request.headers, request.url)))) {
    headers.set(key, value);
  }
  return headers;
}

function responseHeaders(upstream: Response): Headers {
  const headers = new Headers();
  upstream.headers.forEach((value, key) => {
    if (HOP_BY_HOP.has(key) || RESPONSE_DROP.has(key)) return;
    headers.set(key, value);
  });
  // Login sets two cookies (access and refresh). Headers.forEach would join them with ", ", which
  // browsers can't split back, so each Set-Cookie is appended on its own.
  for (const cookie of upstream.headers.getSetCookie()) headers.append("set-cookie", cookie);
  // Server-sent events (the inbox) must reach the browser event by event: `next start` gzips
  // responses, and gzip holds small writes back until the stream ends, unless told no-transform.
  if (headers.get("content-type")?.startsWith("text/event-stream")) headers.set("cache-control", "no-cache, no-transform");
  return headers;
}

export async function proxyToBackend(request: Request): Promise<Response> {
  const { pathname, search } = new URL(request.url);
  // String concatenation, not new URL(path, base): the path must not be able to change the host.
  const target = `${backendUrl()}${pathname}${search}`;
  const hasBody = request.method !== "GET" && request.method !== "HEAD";

  // Buffered, not streamed, and with an explicit Content-Length: a body sent chunked (which Next's
  // patched fetch does even for a buffer) reaches WSGI servers, Django's runserver among them, empty.
  // API bodies are small.
  const headers = requestHeaders(request);
  const body = hasBody ? await request.arrayBuffer() : undefined;
  if (body) headers.set("content-length", String(body.byteLength));

  let upstream: Response;
  try {
    upstream = await fetch(target, {
      method: request.method,
      headers,
      body,
      // A Django redirect goes back to the browser; following it here would hide it.
      redirect: "manual",
      cache: "no-store",
      signal: AbortSignal.any([request.signal, AbortSignal.timeout(BACKEND_TIMEOUT_MS)]),
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === "TimeoutError") {
      return errorEnvelope(504, "backend_timeout", "The server took too long to answer. Please try again.");
    }
    console.error(`[proxy] ${request.method} ${pathname} -> ${target} failed:`, error);
    return errorEnvelope(502, "backend_unavailable", "ConvoNest is unreachable right now. Please try again shortly.");
  }

  return new Response(upstream.body, {
    status: upstream.status,
    statusText: upstream.statusText,
    headers: responseHeaders(upstream),
  });
}
