/**
 * Host awareness for server components: which host is this request on, and what does Django say it
 * is (public site or a business)? Asked per request, with the browser's host forwarded.
 */
import "server-only";

import { headers } from "next/headers";
import { cache } from "react";

import type { Site } from "@/lib/api/types";
import { backendUrl, forwardedProto, forwardingHeaders } from "./backend";

export interface RequestHost {
  /** As the browser typed it, port included: "acme.localhost:3000". */
  host: string;
  proto: string;
}

export type SiteLookup = ({ ok: true; site: Site } | { ok: false; status: number; message: string }) & RequestHost;

export async function getRequestHost(): Promise<RequestHost> {
  const h = await headers();
  return { host: h.get("host") ?? "localhost", proto: forwardedProto(h) };
}

/**
 * What Django says this host is. Asked once per request (React's `cache`): the root layout (brand, title),
 * its metadata and the page itself all call it, and share the one answer.
 */
export const lookupSite: () => Promise<SiteLookup> = cache(async (): Promise<SiteLookup> => {
  const { host, proto } = await getRequestHost();
  try {
    const response = await fetch(`${backendUrl()}/api/site/`, {
      headers: { Accept: "application/json", ...forwardingHeaders(host, proto) },
      cache: "no-store",
      signal: AbortSignal.timeout(10_000),
    });
    const body: unknown = await response.json().catch(() => null);
    if (response.ok && body) return { ok: true, site: body as Site, host, proto };
    // Django answers 404 "unknown_host" for a subdomain no business uses.
    const message =
      typeof body === "object" && body !== null && "message" in body && typeof body.message === "string"
        ? body.message
        : "This address could not be resolved.";
    return { ok: false, status: response.status, message, host, proto };
  } catch (error) {
    console.error("[site] backend unreachable:", error);
    return { ok: false, status: 502, message: "ConvoNest is unreachable right now. Please try again shortly.", host, proto };
  }
});

/**
 * The public site's address as seen from a business's host: "acme.localhost:3000" -> "localhost:3000".
 * Subdomains are one label deep (the slug), so dropping the first label is enough.
 */
export function publicOrigin({ host, proto }: RequestHost, baseDomain?: string): string {
  const [hostname = "", port] = host.split(":");
  const publicHostname = baseDomain ?? hostname.split(".").slice(1).join(".");
  return `${proto}://${publicHostname || hostname}${port ? `:${port}` : ""}`;
}
