"use client";

import { useBrand, type Brand } from "./BrandProvider";
import { cx } from "./ui/cx";
import { brandInitial } from "@/lib/brand";

function BrandMark({ brand }: { brand: Brand }) {
  if (brand.logoUrl) {
    // The logo is served by this host's own API (/api/site/logo/), small and already sized by its owner.
    // eslint-disable-next-line @next/next/no-img-element
    return <img src={brand.logoUrl} alt={brand.name} className="h-8 w-auto max-w-40 shrink-0 object-contain" />;
  }
  // No logo: a plain badge with the brand's initial, in its colour if it has one (never ConvoNest's mark).
  return (
    <span
      aria-hidden="true"
      className={cx(
        "flex size-8 shrink-0 items-center justify-center rounded-[9px] text-base font-semibold text-white",
        brand.primaryColor ? "bg-brand-700" : "bg-slate-700",
      )}
    >
      {brandInitial(brand.name)}
    </span>
  );
}

/**
 * The product's mark and name: a reseller's (its logo, or a badge with its initial, and its name) on a host that
 * wears its white label (BrandProvider), ConvoNest's chat bubble and name otherwise.
 */
export function Logo({ className, showName = true }: { className?: string; showName?: boolean }) {
  const brand = useBrand();
  if (brand) {
    return (
      <span className={cx("inline-flex min-w-0 items-center gap-2 font-semibold text-slate-900", className)}>
        <BrandMark brand={brand} />
        {showName ? (
          <span className="truncate text-lg tracking-tight">{brand.name}</span>
        ) : brand.logoUrl ? null : (
          <span className="sr-only">{brand.name}</span>
        )}
      </span>
    );
  }
  return (
    <span className={cx("inline-flex items-center gap-2 font-semibold text-slate-900", className)}>
      <svg viewBox="0 0 32 32" aria-hidden="true" className="size-8">
        <rect width="32" height="32" rx="9" className="fill-brand-700" />
        <path d="M9 10.5h14v9.5h-8.5L10 24v-4H9z" fill="none" stroke="white" strokeWidth="2" strokeLinejoin="round" />
        <path d="M13 15.2l2 2 4-4" fill="none" stroke="white" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" />
      </svg>
      {showName ? <span className="text-lg tracking-tight">ConvoNest</span> : null}
    </span>
  );
}
