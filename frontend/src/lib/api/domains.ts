/**
 * Custom domains: a business's (on its own host, for owners and admins) and a reseller's console domains (on the
 * partner console, for its admins). Both answer the same CustomDomain; a domain serves once its TXT record is found.
 * The two scopes are one interface, so one panel (components/branding/DomainsPanel) manages either.
 */
import { api, unwrap } from "@/lib/apiClient";
import type { CustomDomain, CustomDomainStatus } from "./types";

/** Whose domains: the business of this host, or the reseller signed in to the console. */
export type DomainScope = "business" | "console";

export interface DomainsApi {
  list(): Promise<CustomDomain[]>;
  /** 400 with `errors.domain` for a malformed, reserved or taken domain. */
  create(domain: string): Promise<CustomDomain>;
  /** Looks for the TXT record now: the domain back, verified, or still pending with `last_error` saying why. */
  verify(id: CustomDomain["id"]): Promise<CustomDomain>;
  /** 409 `primary_domain` for the business's primary address. */
  remove(id: CustomDomain["id"]): Promise<void>;
}

const claim = (id: CustomDomain["id"]) => ({ params: { path: { claim_id: id } } });

export const businessDomains: DomainsApi = {
  list: () => unwrap(api.GET("/api/domains/")),
  create: (domain) => unwrap(api.POST("/api/domains/", { body: { domain } })),
  verify: (id) => unwrap(api.POST("/api/domains/{claim_id}/verify/", claim(id))),
  remove: async (id) => {
    await unwrap(api.DELETE("/api/domains/{claim_id}/", claim(id)));
  },
};

export const consoleDomains: DomainsApi = {
  list: () => unwrap(api.GET("/api/partners/domains/")),
  create: (domain) => unwrap(api.POST("/api/partners/domains/", { body: { domain } })),
  verify: (id) => unwrap(api.POST("/api/partners/domains/{claim_id}/verify/", claim(id))),
  remove: async (id) => {
    await unwrap(api.DELETE("/api/partners/domains/{claim_id}/", claim(id)));
  },
};

export function domainsApi(scope: DomainScope): DomainsApi {
  return scope === "console" ? consoleDomains : businessDomains;
}

export function domainStatus(domain: CustomDomain): CustomDomainStatus {
  return domain.status === "verified" || domain.verified_at ? "verified" : "pending";
}
