/**
 * Server-only helpers for talking to Django. The browser never calls Django directly: it calls its
 * own host, and this code forwards with the browser's Host in X-Forwarded-Host, because Django picks
 * the tenant (and builds absolute URLs) from that host.
 */
import "server-only";

export function backendUrl(): string {
  return (process.env.BACKEND_URL || "http://127.0.0.1:8000").replace(/\/+$/, "");
}

/** The live inbox's server-sent events: served by the events service, not Django's API server. */
export const EVENTS_PATH = "/api/inbox/events/";

/** Where a path goes: EVENTS_PATH to the events service (EVENTS_URL) when set, everything else to Django. */
export function upstreamUrl(pathname: string): string {
  const events = process.env.EVENTS_URL;
  return pathname === EVENTS_PATH && events ? events.replace(/\/+$/, "") : backendUrl();
}

/**
 * The scheme this server serves to browsers, from configuration (SITE_SCHEME, as for Django): `next dev`
 * and `next start` speak plain http, and a request's own X-Forwarded-Proto can't be told apart from
 * one the client made up (Next keeps a client-sent value), so it is never the source for the proxy.
 */
export function servedProto(): "http" | "https" {
  return process.env.SITE_SCHEME === "https" ? "https" : "http";
}

/**
 * The browser-facing scheme for rendering pages: what the proxy in front (nginx in production, which
 * overwrites the header) told us, else the URL's own. Not for requests to Django: see servedProto.
 */
export function forwardedProto(headers: Headers, fallbackUrl?: string): string {
  const fromProxy = headers.get("x-forwarded-proto")?.split(",")[0]?.trim();
  if (fromProxy === "http" || fromProxy === "https") return fromProxy;
  if (fallbackUrl) return new URL(fallbackUrl).protocol.replace(":", "");
  return "http";
}

/** The two headers Django believes from us (apps/core/middleware.py TrustedProxyMiddleware). */
export function forwardingHeaders(host: string, proto: string): Record<string, string> {
  return { "X-Forwarded-Host": host, "X-Forwarded-Proto": proto };
}

export function errorEnvelope(status: number, code: string, message: string): Response {
  return Response.json({ code, message, errors: {} }, { status });
}
