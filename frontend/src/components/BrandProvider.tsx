"use client";

import { createContext, useContext, type ReactNode } from "react";

import type { Brand } from "@/lib/brand";

export type { Brand } from "@/lib/brand";

const BrandContext = createContext<Brand | null>(null);

/**
 * Gives client components the host's white label (a reseller's name, colour and logo). The root layout reads it
 * from GET /api/site/ on the server and passes it down already checked (lib/brand.ts `toBrand`); null means
 * ConvoNest's own brand.
 */
export function BrandProvider({ brand, children }: { brand: Brand | null; children: ReactNode }) {
  return <BrandContext value={brand}>{children}</BrandContext>;
}

/** The host's brand, or null for ConvoNest's own (also outside a provider: tests, isolated renders). */
export function useBrand(): Brand | null {
  return useContext(BrandContext);
}

/** The name the product goes by on this host: the reseller's brand, or ConvoNest. */
export function useProductName(): string {
  return useBrand()?.name ?? "ConvoNest";
}
