/**
 * Server-only helpers for talking to Django. The browser never calls Django directly: it calls its
 * own host, and this code forwards with the browser's Host in X-Forwarded-Host, because Django picks
 * the tenant (and builds absolute URLs) from that host.
 */
import "server-only";

export function backendUrl(): string {
  return (process.env.BACKEND_URL || "http://127.0.0.1:8000").replace(/\/+$/, "");
}

/** The browser-facing scheme: what a TLS-terminating proxy in front told us, else the URL's own. */
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
