/**
 * Which console pages a host may show. The partner console (its sign-in and pages) exists only on its own host
 * (settings.PARTNERS_HOST, `GET /api/site/` kind "partners"); reseller signup only on the public site.
 */
import "server-only";

import { notFound, redirect } from "next/navigation";

import type { Site } from "@/lib/api/types";
import type { RequestHost, SiteLookup } from "@/lib/server/site";

export const RESELLER_SIGNUP_PATH = "/partners/signup";

/** A console page on another host: the public site offers reseller signup instead; a business's host has none. */
export function requireConsole(lookup: SiteLookup & { ok: true }): void {
  if (lookup.site.kind === "partners") return;
  if (lookup.site.kind === "public") redirect(RESELLER_SIGNUP_PATH);
  notFound();
}

/** "localhost:3000" on "partners.localhost:3000": where client businesses' addresses live, port included. */
export function businessDomain({ host }: RequestHost, site: Site): string {
  const port = host.split(":")[1];
  return `${site.base_domain}${port ? `:${port}` : ""}`;
}
