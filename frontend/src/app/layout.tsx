import type { Metadata, Viewport } from "next";
import type { ReactNode } from "react";

import { BrandProvider } from "@/components/BrandProvider";
import { brandPaletteCss, toBrand, type Brand } from "@/lib/brand";
import { QueryProvider } from "@/lib/query/QueryProvider";
import { lookupSite } from "@/lib/server/site";

import "@/styles/globals.css";

const PRODUCT = "ConvoNest";
const THEME_COLOR = "#027a48";

/**
 * The white label this host wears (a reseller's, on its businesses' hosts and its branded console), checked, or null
 * for ConvoNest's own. One lookup per request (lookupSite is cached), shared with the metadata and the page; a host
 * the API doesn't know, or an API that can't be reached, simply wears ConvoNest's (the page says what is wrong).
 */
async function siteBrand(): Promise<Brand | null> {
  const lookup = await lookupSite();
  return lookup.ok ? toBrand(lookup.site.brand) : null;
}

export async function generateMetadata(): Promise<Metadata> {
  const name = (await siteBrand())?.name ?? PRODUCT;
  return {
    title: { default: name, template: `%s · ${name}` },
    description: "WhatsApp Business messaging for your whole team.",
  };
}

export async function generateViewport(): Promise<Viewport> {
  return { themeColor: (await siteBrand())?.primaryColor ?? THEME_COLOR };
}

export default async function RootLayout({ children }: { children: ReactNode }) {
  const brand = await siteBrand();
  // Only ever CSS built from a validated #rrggbb (lib/brand.ts); null: the theme's own green stays.
  const palette = brandPaletteCss(brand?.primaryColor);
  return (
    <html lang="en">
      <head>{palette ? <style id="brand-palette" dangerouslySetInnerHTML={{ __html: palette }} /> : null}</head>
      <body className="min-h-dvh font-sans">
        <BrandProvider brand={brand}>
          <QueryProvider>{children}</QueryProvider>
        </BrandProvider>
      </body>
    </html>
  );
}
