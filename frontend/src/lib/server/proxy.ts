/**
 * Same-origin proxy from Next.js to Django, used by the /api and /media route handlers.
 *
 * Why not `rewrites` in next.config: they replace the Host, and Django needs the browser's host to
 * know which tenant is asked for. Here the request is passed on as is (method, body, cookies, query,
 * trailing slash) and the answer comes back as is (status, every Set-Cookie, redirects unfollowed).
 */
import "server-only";

import { EVENTS_PATH, errorEnvelope, forwardingHeaders, servedProto, upstreamUrl } from "./backend";

const BACKEND_TIMEOUT_MS = 60_000;

/** The largest body passed on: a contact import at CONTACT_IMPORT_MAX_BYTES (100 MiB) plus multipart overhead. */
export const MAX_BODY_BYTES = 110 * 1024 * 1024;

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

// Set by us, never taken from the client: X-Forwarded-Host decides the tenant, and Django believes the
// forwarding headers from us (TRUSTED_PROXY_IPS), so a client's own (X-Forwarded-For: anything, to dodge
// throttles; X-Forwarded-Proto: https) must not pass through. Every x-forwarded-* header is dropped too.
const REQUEST_DROP = new Set(["host", "content-length", "expect", "forwarded", "x-real-ip"]);

// fetch() has already decoded the body, so the original encoding and length no longer apply.
const RESPONSE_DROP = new Set(["content-encoding", "content-length", "set-cookie"]);

function requestHeaders(request: Request): Headers {
  const headers = new Headers();
  request.headers.forEach((value, key) => {
    if (HOP_BY_HOP.has(key) || REQUEST_DROP.has(key) || key.startsWith("x-forwarded-") || key.startsWith("x-middleware-")) return;
    headers.set(key, value);
  });
  // No X-Forwarded-For: Next's server keeps a client-sent one (`??=` in base-server), so a route handler
  // can't tell the browser's socket address from a spoofed one. Django then sees every client of this
  // proxy as the proxy itself; production doesn't use it (nginx sends /api straight to Django).
  const host = request.headers.get("host") ?? new URL(request.url).host;
  for (const [key, value] of Object.entries(forwardingHeaders(host, servedProto()))) {
    headers.set(key, value);
  }
  return headers;
}

/**
 * The whole body, or null once it passes `limit` bytes (reading stops there; a client's Content-Length
 * is not trusted to be the real size).
 */
export async function readBodyCapped(request: Request, limit: number): Promise<ArrayBuffer | null> {
  if (!request.body) return new ArrayBuffer(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body.buffer;
}

function tooLarge(): Response {
  return errorEnvelope(413, "request_too_large", "This upload is too large.");
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
  const target = `${upstreamUrl(pathname)}${pathname}${search}`;
  const hasBody = request.method !== "GET" && request.method !== "HEAD";

  // Buffered, not streamed, and with an explicit Content-Length: a body sent chunked (which Next's
  // patched fetch does even for a buffer) reaches WSGI servers, Django's runserver among them, empty.
  // Capped at MAX_BODY_BYTES (413 beyond), so one request can't fill the server's memory.
  const headers = requestHeaders(request);
  if (Number(request.headers.get("content-length") ?? 0) > MAX_BODY_BYTES) return tooLarge();
  const body = hasBody ? await readBodyCapped(request, MAX_BODY_BYTES) : undefined;
  if (body === null) return tooLarge();
  if (body) headers.set("content-length", String(body.byteLength));

  // An event stream lasts minutes: the timeout covers the wait for its headers, not the stream itself.
  const headersTimeout = new AbortController();
  const timer = setTimeout(
    () => headersTimeout.abort(new DOMException("no answer in time", "TimeoutError")),
    BACKEND_TIMEOUT_MS,
  );
  const timeout = pathname === EVENTS_PATH ? headersTimeout.signal : AbortSignal.timeout(BACKEND_TIMEOUT_MS);

  let upstream: Response;
  try {
    upstream = await fetch(target, {
      method: request.method,
      headers,
      body,
      // A Django redirect goes back to the browser; following it here would hide it.
      redirect: "manual",
      cache: "no-store",
      signal: AbortSignal.any([request.signal, timeout]),
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === "TimeoutError") {
      return errorEnvelope(504, "backend_timeout", "The server took too long to answer. Please try again.");
    }
    console.error(`[proxy] ${request.method} ${pathname} -> ${target} failed:`, error);
    return errorEnvelope(502, "backend_unavailable", "ConvoNest is unreachable right now. Please try again shortly.");
  } finally {
    clearTimeout(timer);
  }

  return new Response(upstream.body, {
    status: upstream.status,
    statusText: upstream.statusText,
    headers: responseHeaders(upstream),
  });
}
