/**
 * A reseller's white label, turned into what the page wears: the Tailwind theme's brand palette
 * (`--color-brand-50` … `--color-brand-900`, globals.css) derived from one colour, and a logo URL that
 * is safe to put in an <img>. Pure functions, so the root layout (server) and tests share them.
 *
 * The colour is checked again here, whatever the API said: only a `#rrggbb` ever reaches the CSS text,
 * so nothing but hex digits and our own fixed strings can end up inside the <style> element.
 */

import type { SiteBrand } from "@/lib/api/types";

const HEX_COLOR = /^#[0-9a-fA-F]{6}$/;

/** A colour as the brand API stores it: "#" and six hex digits, nothing else. */
export function isHexColor(value: unknown): value is string {
  return typeof value === "string" && HEX_COLOR.test(value);
}

export const BRAND_SHADES = [50, 100, 200, 300, 400, 500, 600, 700, 800, 900] as const;
export type BrandShade = (typeof BRAND_SHADES)[number];

/** One shade: the brand colour's share (whole percent) in a mix with white or black, in the sRGB space. */
export interface ShadeMix {
  share: number;
  with: "white" | "black";
}

type Rgb = readonly [number, number, number];

function channels(hex: string): Rgb {
  const n = Number.parseInt(hex.slice(1), 16);
  return [(n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff];
}

/** What `color-mix(in srgb, colour share%, white|black)` computes (gamma-encoded channels, linearly mixed). */
export function mixRgb(rgb: Rgb, { share, with: other }: ShadeMix): Rgb {
  const target = other === "white" ? 255 : 0;
  const w = share / 100;
  return [rgb[0] * w + target * (1 - w), rgb[1] * w + target * (1 - w), rgb[2] * w + target * (1 - w)];
}

/** WCAG 2 relative luminance of an sRGB colour (channels 0–255). */
export function relativeLuminance(rgb: Rgb): number {
  const linear = rgb.map((c) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * linear[0]! + 0.7152 * linear[1]! + 0.0722 * linear[2]!;
}

/** WCAG 2 contrast ratio of two colours (1 to 21). */
export function contrastRatio(a: Rgb, b: Rgb): number {
  const [l1, l2] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x) as [number, number];
  return (l1 + 0.05) / (l2 + 0.05);
}

const WHITE: Rgb = [255, 255, 255];

/**
 * Shade 700 is the one the app leans on: white text on it (primary buttons) and it as text on white and
 * on the lightest tints (links, icons, badges). It must reach WCAG AA for normal text (4.5:1) against
 * white; the small margin absorbs browsers rounding the mixed colour to 8 bits.
 */
export const MIN_CONTRAST_700 = 4.6;

/** A position on one scale from white (-1) through the colour (0) to black (1), as a mix. */
function atPosition(position: number): ShadeMix {
  const clamped = Math.min(1, Math.max(-1, position));
  return clamped < 0 ? { share: Math.round((1 + clamped) * 100), with: "white" } : { share: Math.round((1 - clamped) * 100), with: "black" };
}

/**
 * The ten shades of a brand colour. 700 is the colour itself if it is dark enough for white text,
 * otherwise the colour darkened just enough (so a yellow becomes a readable olive, never white on
 * yellow); 800 and 900 are darker still, 500 and 600 between the colour and 700, and 50–400 tints of
 * the colour with white for backgrounds and borders. Invalid input: null.
 */
export function brandShades(color: unknown): Record<BrandShade, ShadeMix> | null {
  if (!isHexColor(color)) return null;
  const rgb = channels(color);
  // The largest share of the colour (the rest black) whose 700 still reads against white.
  let share700 = 100;
  while (share700 > 0 && contrastRatio(mixRgb(rgb, { share: share700, with: "black" }), WHITE) < MIN_CONTRAST_700) share700 -= 1;
  const at700 = 1 - share700 / 100; // 0: the colour itself, up to 1: black
  return {
    50: { share: 6, with: "white" },
    100: { share: 14, with: "white" },
    200: { share: 30, with: "white" },
    300: { share: 48, with: "white" },
    400: { share: 64, with: "white" },
    500: atPosition(at700 - 0.28),
    600: atPosition(at700 - 0.14),
    700: { share: share700, with: "black" },
    800: atPosition(at700 + (1 - at700) * 0.22),
    900: atPosition(at700 + (1 - at700) * 0.4),
  };
}

export type BrandPaletteVars = Record<`--color-brand-${BrandShade}`, string>;

/**
 * The brand's theme variables (`--color-brand-50` … `900`) as `color-mix()` shades of the colour; null for anything
 * but `#rrggbb`. Set on an element (a preview), they re-colour everything under it.
 */
export function brandPaletteVars(color: unknown): BrandPaletteVars | null {
  const shades = brandShades(color);
  if (!shades || !isHexColor(color)) return null;
  const hex = color.toLowerCase();
  const vars = {} as BrandPaletteVars;
  for (const shade of BRAND_SHADES) {
    const { share, with: other } = shades[shade];
    vars[`--color-brand-${shade}`] = share >= 100 ? hex : share <= 0 ? other : `color-mix(in srgb, ${hex} ${share}%, ${other})`;
  }
  return vars;
}

/**
 * The CSS that repaints the app in a brand colour: a `:root` rule overriding Tailwind's brand theme
 * variables with `color-mix()` shades of the colour. Unlayered, so it wins over Tailwind's `@layer theme`
 * whatever the order of the stylesheets. Null for anything but `#rrggbb`: then nothing is emitted.
 */
export function brandPaletteCss(color: unknown): string | null {
  const vars = brandPaletteVars(color);
  if (!vars) return null;
  return `:root { ${Object.entries(vars)
    .map(([name, value]) => `${name}: ${value};`)
    .join(" ")} }`;
}

/**
 * The brand's logo address, if it is one of our own paths ("/api/site/logo/?v=…"). Anything else (another
 * origin, a protocol-relative "//host", a javascript: or data: URL) is dropped: the logo is served by the
 * API of this very host, and an <img> should load nothing from elsewhere.
 */
export function safeLogoUrl(url: unknown): string | null {
  if (typeof url !== "string" || !url.startsWith("/") || url.startsWith("//") || url.includes("\\")) return null;
  return url;
}

/** The first letter of a brand's name, for a badge when it has no logo. */
export function brandInitial(name: string): string {
  const first = Array.from(name.trim())[0];
  return first ? first.toLocaleUpperCase() : "?";
}

/** The white label a host wears, checked: a colour only if #rrggbb, a logo only if one of our own paths. */
export interface Brand {
  name: string;
  primaryColor: string | null;
  logoUrl: string | null;
}

/** The site's brand as the API sent it (GET /api/site/), made safe to render; null when there is none (ConvoNest's). */
export function toBrand(brand: SiteBrand | null | undefined): Brand | null {
  const name = brand?.name?.trim();
  if (!brand || !name) return null;
  return {
    name,
    primaryColor: isHexColor(brand.primary_color) ? brand.primary_color.toLowerCase() : null,
    logoUrl: safeLogoUrl(brand.logo_url),
  };
}
